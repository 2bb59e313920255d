// What the pebble tests share: pebble and pebble-challtestsrv from Debian,
// started on free loopback ports with a CA the test makes (Debian's pebble
// ships no test certificate), and a fixture with a loop, a port-80 service
// and a client that trusts pebble's directory. Every process is stopped by
// its PID.
#ifndef PAF_TESTS_ACME_PEBBLE_FIXTURE_H
#define PAF_TESTS_ACME_PEBBLE_FIXTURE_H

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "client/support.h"
#include "paf/acme.h"
#include "paf/posix/socket_listener.h"
#include "paf/service.h"
#include "paf/switch.h"

namespace paf::testing {

// Runs `command` (sh), returns its exit status and its output (stdout + stderr).
inline int run(const std::string& command, std::string* output = nullptr) {
  FILE* pipe = ::popen(("(" + command + ") 2>&1").c_str(), "r");
  if (pipe == nullptr) return -1;
  std::string text;
  char chunk[4096];
  for (std::size_t n; (n = std::fread(chunk, 1, sizeof chunk, pipe)) > 0;) text.append(chunk, n);
  const int status = ::pclose(pipe);
  if (output != nullptr) *output = text;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// pebble and pebble-challtestsrv, on free loopback ports, for one HTTP-01 port.
struct Pebble {
  ScratchDir dir;
  Process dns, ca;
  std::uint16_t acme_port = 0, management_port = 0;
  std::string test_ca_pem;  // the CA of pebble's own HTTPS (the directory's)
  // Set before start(): the port TLS-ALPN-01 validations connect to (0: a
  // free one, unused), and the external account keys (key id, base64url HMAC
  // key) that make pebble require External Account Binding when there are any.
  std::uint16_t tls_port = 0;
  std::vector<std::pair<std::string, std::string>> eab_keys;
  // Set before start(): PEBBLE_ALTERNATE_ROOTS, the roots besides root 0
  // whose chains the certificate URL links as alternates (RFC 8555 §7.4.2).
  int alternate_roots = 0;

  std::string directory() const {
    return "https://127.0.0.1:" + std::to_string(acme_port) + "/dir";
  }

  // A CA, and a certificate for 127.0.0.1 and localhost that it signs.
  bool make_certificates() {
    const std::string d = dir.path.string();
    std::ofstream(dir.file("leaf.ext")) << "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
    const std::string commands =
        "cd " + d +
        " && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1"
        " -subj /CN=paf-acme-test-ca -keyout ca.key -out ca.pem"
        " && openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes"
        " -subj /CN=localhost -keyout key.pem -out leaf.csr"
        " && openssl x509 -req -in leaf.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 1"
        " -extfile leaf.ext -out cert.pem";
    std::string output;
    if (run(commands, &output) != 0) {
      ADD_FAILURE() << output;
      return false;
    }
    test_ca_pem = read_file(dir.file("ca.pem"));
    return true;
  }

  // Starts both, pebble validating HTTP-01 on `http_port`; `nonce_reject`
  // (percent) as PEBBLE_WFE_NONCEREJECT when given, else pebble's default.
  bool start(std::uint16_t http_port, std::optional<int> nonce_reject = std::nullopt) {
    if (!std::filesystem::exists("/usr/bin/pebble")) {
      ADD_FAILURE() << "pebble is missing (tools/install-build-deps installs it)";
      return false;
    }
    if (!make_certificates()) return false;
    const std::uint16_t dns_port = free_port(), dns_management = free_port();
    if (!dns.start(
            {"/usr/bin/pebble-challtestsrv", "-defaultIPv4", "127.0.0.1", "-defaultIPv6", "",
             "-dns01", "127.0.0.1:" + std::to_string(dns_port), "-http01", "", "-https01", "",
             "-tlsalpn01", "", "-management", "127.0.0.1:" + std::to_string(dns_management)},
            dir.file("challtestsrv.log")) ||
        !wait_accepting(dns, dns_management)) {
      ADD_FAILURE() << "pebble-challtestsrv did not start:\n"
                    << read_file(dir.file("challtestsrv.log"));
      return false;
    }
    acme_port = free_port();
    management_port = free_port();
    std::ofstream(dir.file("pebble.json"))
        << "{\"pebble\": {\"listenAddress\": \"127.0.0.1:" << acme_port
        << "\", \"managementListenAddress\": \"127.0.0.1:" << management_port
        << "\", \"certificate\": \"" << dir.file("cert.pem") << "\", \"privateKey\": \""
        << dir.file("key.pem") << "\", \"httpPort\": " << http_port
        << ", \"tlsPort\": " << (tls_port != 0 ? tls_port : free_port())
        << ", \"ocspResponderURL\": \"\", " << external_account_settings() << "}}\n";
    ::setenv("PEBBLE_VA_NOSLEEP", "1", 1);
    if (nonce_reject)
      ::setenv("PEBBLE_WFE_NONCEREJECT", std::to_string(*nonce_reject).c_str(), 1);
    else
      ::unsetenv("PEBBLE_WFE_NONCEREJECT");
    if (alternate_roots > 0)
      ::setenv("PEBBLE_ALTERNATE_ROOTS", std::to_string(alternate_roots).c_str(), 1);
    else
      ::unsetenv("PEBBLE_ALTERNATE_ROOTS");
    const bool started = ca.start({"/usr/bin/pebble", "-config", dir.file("pebble.json"),
                                   "-dnsserver", "127.0.0.1:" + std::to_string(dns_port)},
                                  dir.file("pebble.log"));
    if (!started || !wait_accepting(ca, acme_port) || !wait_accepting(ca, management_port)) {
      ADD_FAILURE() << "pebble did not start:\n" << read_file(dir.file("pebble.log"));
      return false;
    }
    return true;
  }

  // pebble.json's externalAccountBindingRequired and externalAccountMACKeys.
  std::string external_account_settings() const {
    std::string settings = "\"externalAccountBindingRequired\": ";
    settings += eab_keys.empty() ? "false" : "true";
    settings += ", \"externalAccountMACKeys\": {";
    for (std::size_t i = 0; i < eab_keys.size(); ++i)
      settings +=
          (i > 0 ? ", \"" : "\"") + eab_keys[i].first + "\": \"" + eab_keys[i].second + "\"";
    return settings + "}";
  }

  // pebble's root `index` (made at its start: 0, then the alternate ones),
  // from its management interface ("intermediates": the intermediate under it).
  std::string root(int index = 0, const std::string& kind = "roots") const {
    std::string pem;
    const std::string command = "curl -sS --max-time 10 --cacert " + dir.file("ca.pem") +
                                " https://127.0.0.1:" + std::to_string(management_port) + "/" +
                                kind + "/" + std::to_string(index);
    if (run(command, &pem) != 0) ADD_FAILURE() << pem;
    return pem;
  }
};

// How many times `needle` is in `text`.
inline std::size_t count_lines(const std::string& text, const std::string& needle) {
  std::size_t count = 0;
  for (std::size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1))
    ++count;
  return count;
}

// Waits (`seconds` at most) until `file` holds `text` `count` times, or `process` ended.
inline bool wait_for_text(Process& process, const std::string& file, const std::string& text,
                          int seconds, std::size_t count = 1) {
  for (int i = 0; i < seconds * 20; ++i) {
    if (count_lines(read_file(file), text) >= count) return true;
    if (!process.running()) break;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return count_lines(read_file(file), text) >= count;
}

// openssl verifies the chain in `chain_file` (leaf first) against the root
// in `root_file`, and its leaf names every one of `names`.
inline void expect_verified_for(const std::string& chain_file, const std::string& root_file,
                                std::initializer_list<std::string_view> names) {
  std::string output;
  EXPECT_EQ(
      run("openssl verify -CAfile " + root_file + " -untrusted " + chain_file + " " + chain_file,
          &output),
      0)
      << output;
  EXPECT_EQ(run("openssl x509 -in " + chain_file + " -noout -ext subjectAltName", &output), 0);
  for (std::string_view name : names)
    EXPECT_NE(output.find("DNS:" + std::string(name)), std::string::npos) << output;
}

// curl, trusting `root_file` (PEM) only, gets paf-server's demo answer from
// https://NAME:PORT/ (NAME resolved to 127.0.0.1) over h2 and HTTP/1.1.
inline void expect_hello_over_h2_and_http11(const std::string& root_file, const std::string& name,
                                            std::uint16_t port) {
  std::string output;
  for (const char* version : {"--http2", "--http1.1"}) {
    const std::string command = std::string("curl -sS --max-time 10 ") + version +
                                " -w ' %{http_version}' --cacert " + root_file + " --resolve " +
                                name + ":" + std::to_string(port) + ":127.0.0.1 https://" + name +
                                ":" + std::to_string(port) + "/";
    EXPECT_EQ(run(command, &output), 0) << command << "\n" << output;
    EXPECT_EQ(output,
              std::string("Hello World! ") + (std::string_view(version) == "--http2" ? "2" : "1.1"))
        << command;
  }
}

class AcmePebble : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = posix::EpollLoopBackend::create();
    ASSERT_TRUE(created);
    backend = std::move(*created);
    loop = std::make_unique<Loop>(*backend);
    auto port80 = posix::TcpListener::listen(*backend, "127.0.0.1", 0);
    ASSERT_TRUE(port80);
    http_listener = std::move(*port80);
    http_port = *http_listener->port();
  }

  void TearDown() override {
    stop_http.turn_off();
    client.reset();
    if (loop)
      run_until(
          *loop, [] { return false; }, 0.2);
  }

  // The port-80 service: `handler` (the responder's, or a wrong one).
  void serve_http(RequestHandler handler) {
    serve(*loop, http_service(std::move(handler), default_error_reply), *http_listener, stop_http);
  }

  // A client that trusts pebble's HTTPS (the test's CA).
  void make_client(const std::string& ca_pem) {
    auto tls = TlsConfig::client().trust_ca(ca_pem).alpn({"h2", "http/1.1"}).build();
    ASSERT_TRUE(tls) << tls.error().message;
    client = std::make_unique<Client>(*loop, host_connector(*backend, *loop, *tls));
  }

  acme::Config config(std::initializer_list<std::string_view> names) {
    acme::Config result;
    result.directory = Buffer(pebble.directory());
    result.contact_email = Buffer(std::string_view("admin@example.com"));
    for (std::string_view name : names) result.names.emplace_back(name);
    result.http01 = responder;
    result.request_timeout_ns = seconds(20);
    result.log = [this](std::string_view line) { log.append(line).append("\n"); };
    return result;
  }

  // Provisions and waits (60 s at most) for the outcome.
  std::optional<acme::Outcome> provision(acme::Config with) {
    std::optional<acme::Outcome> outcome;
    auto provisioning =
        acme::provision_certificate(std::move(with), *client, *loop,
                                    [&](acme::Outcome result) { outcome = std::move(result); });
    run_until(
        *loop, [&] { return outcome.has_value(); }, 60);
    return outcome;
  }

  std::unique_ptr<posix::EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::unique_ptr<posix::TcpListener> http_listener;
  std::uint16_t http_port = 0;
  Switch stop_http;
  std::unique_ptr<Client> client;
  acme::Http01Responder responder;
  Pebble pebble;
  std::string log;
};

inline std::string describe(const acme::Outcome& outcome) {
  return outcome ? std::string("a certificate") : std::string(outcome.error().describe().view());
}

}  // namespace paf::testing

#endif
