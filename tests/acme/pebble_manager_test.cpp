// paf::acme::Manager and paf-server --acme-state against pebble (the fixture
// is pebble_fixture.h): a renewal forced by its threshold swaps the
// certificate under a running https_service while an h2 connection made
// before stays up; a restart with the state directory reuses the account and
// the certificate (nothing new in pebble's log), and renews while serving.
#include <sys/stat.h>

#include <regex>

#include "paf/acme_manager.h"
#include "paf/tls_config_slot.h"
#include "pebble_fixture.h"

namespace paf {
namespace {

using namespace paf::testing;

// Far more than any certificate's lifetime: every certificate is due at once.
constexpr std::uint64_t kAlwaysDue = seconds(100ull * 365 * 86400);

void hello(Reqd& reqd) { (void)reqd.respond_with_string({200, {}}, "Hello World!"); }

// The serial of the leaf that 127.0.0.1:port presents for `name` (SNI), as
// `openssl x509 -serial` prints it; run beside the loop, which serves it.
std::string served_serial(Loop& loop, std::uint16_t port, const std::string& name,
                          const ScratchDir& files) {
  Process probe;
  const std::string out = files.file("s_client.out");
  const std::string command = "openssl s_client -connect 127.0.0.1:" + std::to_string(port) +
                              " -servername " + name +
                              " </dev/null 2>/dev/null | openssl x509 -noout -serial";
  if (!probe.start({"/bin/sh", "-c", command}, out)) return "";
  run_until(
      loop, [&] { return !probe.running(); }, 20);
  const std::string text = read_file(out);
  const std::size_t at = text.find("serial=");
  if (at == std::string::npos) return text;
  return text.substr(at + 7, text.find('\n', at) - at - 7);
}

// The Manager keeps a certificate in the slot of a running https_service; a
// threshold above the lifetime makes each certificate due at once, and
// min_renewal_interval_ns spaces the orders. An h2 connection made with the
// first certificate carries more requests after the swap; a new connection
// gets the renewed chain, which pebble's root verifies.
TEST_F(AcmePebble, ManagerRenewsUnderARunningServiceWithoutDroppingAConnection) {
  ASSERT_TRUE(pebble.start(http_port));
  make_client(pebble.test_ca_pem);
  serve_http(responder.handler());
  auto https = posix::TcpListener::listen(*backend, "127.0.0.1", 0);
  ASSERT_TRUE(https);
  const std::uint16_t https_port = *(*https)->port();
  TlsConfigSlot slot;
  Switch stop_https;
  bool https_stopped = false;
  ServeOptions options;
  options.on_stopped = [&] { https_stopped = true; };
  serve(*loop, https_service(slot, hello, default_error_reply), **https, stop_https,
        std::move(options));

  std::vector<std::string> serials;
  acme::ManagerConfig managed;
  managed.acme = [this] { return config({"renew.example.com"}); };
  managed.slot = slot;
  managed.renew_when_remaining_below_ns = kAlwaysDue;
  managed.min_renewal_interval_ns = seconds(3);
  managed.log = [this](std::string_view line) { log.append(line).append("\n"); };
  managed.on_certificate = [&](const acme::CertificateInfo& info, bool from_store) {
    EXPECT_FALSE(from_store);
    serials.emplace_back(info.serial.view());
  };
  auto manager = std::make_unique<acme::Manager>(std::move(managed), *client, *loop);
  ASSERT_TRUE(run_until(
      *loop, [&] { return serials.size() == 1; }, 60))
      << log;
  ASSERT_NE(manager->certificate(), nullptr);
  EXPECT_EQ(slot.generation(), 1u);

  // An h2 client that trusts pebble's root only, reaching renew.example.com
  // at 127.0.0.1 (curl's --resolve).
  ScratchDir files;
  const std::string root = pebble.root();
  auto tls = TlsConfig::client().trust_ca(root).alpn({"h2"}).build();
  ASSERT_TRUE(tls) << tls.error().message;
  mimic::Ctx ctx = posix::with_host_protocols({}, *backend)
                       .with(mimic::keys::tls, *tls)
                       .with(mimic::keys::addresses, std::vector<Buffer>{Buffer("127.0.0.1")});
  Connector to_loopback = [ctx, &loop = *loop](const Origin& origin,
                                               Function<void(mimic::Resolution)> done) {
    return mimic::resolve(ctx.with(mimic::keys::host, origin.host)
                              .with(mimic::keys::tls_server_name, origin.host)
                              .with(mimic::keys::port, origin.port),
                          loop, std::move(done));
  };
  auto browser = std::make_unique<Client>(*loop, std::move(to_loopback));
  std::size_t connections = 0;
  browser->on_connection([&](const ConnectionInfo& info) {
    ++connections;
    EXPECT_EQ(info.version, HttpVersion::http_2);
  });
  const std::string url = "https://renew.example.com:" + std::to_string(https_port) + "/";
  // "200 Hello World!", or why not.
  auto get = [&]() -> std::string {
    std::optional<Result<Answer>> answer;
    browser->request(Method::GET, url, {}, {},
                     [&](Result<Answer> got) { answer = std::move(got); });
    run_until(
        *loop, [&] { return answer.has_value(); }, 20);
    if (!answer) return "no answer";
    if (!*answer) return std::string((*answer).error().message);
    return std::to_string((*answer)->response.status) + " " + std::string((*answer)->body.view());
  };
  ASSERT_EQ(get(), "200 Hello World!");
  EXPECT_EQ(served_serial(*loop, https_port, "renew.example.com", files), serials[0]);

  ASSERT_TRUE(run_until(
      *loop, [&] { return serials.size() == 2; }, 60))
      << log;
  EXPECT_NE(serials[0], serials[1]);
  EXPECT_EQ(slot.generation(), 2u);
  EXPECT_EQ(manager->issued(), 2u);
  EXPECT_NE(log.find("ACME: renewing"), std::string::npos) << log;
  for (int request = 0; request < 3; ++request) EXPECT_EQ(get(), "200 Hello World!") << request;
  EXPECT_EQ(connections, 1u) << "the connection made before the swap carried them all";

  // A new connection: the renewed chain, verified against pebble's root.
  EXPECT_EQ(served_serial(*loop, https_port, "renew.example.com", files), serials[1]);
  std::ofstream(files.file("root.pem")) << root;
  Process curl;
  ASSERT_TRUE(curl.start({"/usr/bin/curl", "-sS", "--max-time", "10", "--http2", "-w",
                          " %{http_version}", "--cacert", files.file("root.pem"), "--resolve",
                          "renew.example.com:" + std::to_string(https_port) + ":127.0.0.1", url},
                         files.file("curl.out")));
  run_until(
      *loop, [&] { return !curl.running(); }, 20);
  EXPECT_EQ(read_file(files.file("curl.out")), "Hello World! 2");
  manager.reset();
  browser.reset();
  stop_https.turn_off();
  EXPECT_TRUE(run_until(
      *loop, [&] { return https_stopped; }, 10));
}

unsigned file_mode(const std::string& path) {
  struct stat status {};
  if (::stat(path.c_str(), &status) != 0) return 0;
  return status.st_mode & 07777;
}

// The serial a log line "certificate ... serial X," names.
std::string logged_serial(const std::string& log, std::size_t nth) {
  static const std::regex line("certificate (from the store, )?serial ([0-9A-F]+),");
  std::size_t seen = 0;
  for (auto it = std::sregex_iterator(log.begin(), log.end(), line); it != std::sregex_iterator();
       ++it)
    if (seen++ == nth) return (*it)[2];
  return "";
}

// The "ACME: account URL" line of a log.
std::string account_line(const std::string& log) {
  const std::size_t at = log.find("ACME: account https://");
  return at == std::string::npos ? "" : log.substr(at, log.find('\n', at) - at);
}

// paf-server --acme-state DIR: the first run makes the account and orders,
// keeping the keys with mode 0600; a restart serves the stored certificate
// with no new account and no new order in pebble's log; a restart with a
// threshold that makes it due renews while serving, with the same account.
TEST(PafServerAcmeState, ARestartReusesAccountAndCertificateAndRenewsWhileServing) {
  Pebble pebble;
  const std::uint16_t http_port = free_port(), https_port = free_port();
  ASSERT_TRUE(pebble.start(http_port));
  ScratchDir files;
  const std::string state = files.file("state");
  const std::vector<std::string> arguments = {PAF_SERVER_PATH,
                                              "--http",
                                              std::to_string(http_port),
                                              "--https",
                                              std::to_string(https_port),
                                              "--acme-directory",
                                              pebble.directory(),
                                              "--domain",
                                              "state.example.com",
                                              "--acme-ca",
                                              pebble.dir.file("ca.pem"),
                                              "--access-log",
                                              "off",
                                              "--acme-state",
                                              state};
  const std::string pebble_log = pebble.dir.file("pebble.log");
  constexpr const char* kServing = "serving https with the ACME certificate";

  std::string first_log;
  {
    Process server;
    const std::string log = files.file("first.log");
    ASSERT_TRUE(server.start(arguments, log));
    ASSERT_TRUE(wait_for_text(server, log, kServing, 60)) << read_file(log);
    first_log = read_file(log);
  }
  EXPECT_EQ(file_mode(state + "/account.key"), 0600u);
  EXPECT_EQ(file_mode(state + "/certificate.key"), 0600u);
  EXPECT_NE(read_file(state + "/certificate.pem").find("-----BEGIN CERTIFICATE-----"),
            std::string::npos);
  EXPECT_NE(first_log.find("new account key, saved in the store"), std::string::npos) << first_log;
  EXPECT_FALSE(account_line(first_log).empty()) << first_log;
  const std::string issued = logged_serial(first_log, 0);
  ASSERT_FALSE(issued.empty()) << first_log;
  const std::string after_first = read_file(pebble_log);
  ASSERT_EQ(count_lines(after_first, "accounts in memory"), 1u) << after_first;
  ASSERT_EQ(count_lines(after_first, "orders in the db"), 1u) << after_first;

  std::ofstream(files.file("root.pem")) << pebble.root();
  const std::string curl =
      "curl -sS --max-time 10 --http2 -w ' %{http_version}' --cacert " + files.file("root.pem") +
      " --resolve state.example.com:" + std::to_string(https_port) +
      ":127.0.0.1 https://state.example.com:" + std::to_string(https_port) + "/";
  const std::string serial_of_served =
      "openssl s_client -connect 127.0.0.1:" + std::to_string(https_port) +
      " -servername state.example.com </dev/null 2>/dev/null"
      " | openssl x509 -noout -serial";
  {
    Process server;
    const std::string log = files.file("second.log");
    ASSERT_TRUE(server.start(arguments, log));
    ASSERT_TRUE(wait_for_text(server, log, kServing, 30)) << read_file(log);
    const std::string text = read_file(log);
    EXPECT_NE(text.find("account key from the store"), std::string::npos) << text;
    EXPECT_NE(text.find("certificate from the store, serial " + issued), std::string::npos) << text;
    std::string output;
    EXPECT_EQ(run(curl, &output), 0) << output;
    EXPECT_EQ(output, "Hello World! 2");
    EXPECT_EQ(run(serial_of_served, &output), 0);
    EXPECT_EQ(output, "serial=" + issued + "\n");
  }
  EXPECT_EQ(read_file(pebble_log), after_first) << "the restart asked pebble nothing";

  std::vector<std::string> renewing = arguments;
  for (const char* more : {"--acme-renew-before", "999999999", "--acme-min-renewal-interval", "60"})
    renewing.emplace_back(more);
  {
    Process server;
    const std::string log = files.file("third.log");
    ASSERT_TRUE(server.start(renewing, log));
    // Serving the stored certificate, then a renewed one.
    ASSERT_TRUE(wait_for_text(server, log, "ACME: certificate serial", 60)) << read_file(log);
    const std::string text = read_file(log);
    EXPECT_NE(text.find("certificate from the store, serial " + issued), std::string::npos) << text;
    EXPECT_LT(text.find(kServing), text.find("ACME: renewing")) << text;
    const std::string renewed = logged_serial(text, 1);
    ASSERT_FALSE(renewed.empty()) << text;
    EXPECT_NE(renewed, issued);
    EXPECT_EQ(account_line(text), account_line(first_log)) << "the same account";
    std::string output;
    EXPECT_EQ(run(serial_of_served, &output), 0);
    EXPECT_EQ(output, "serial=" + renewed + "\n");
    EXPECT_EQ(run(curl, &output), 0) << output;
    EXPECT_EQ(output, "Hello World! 2");
    EXPECT_NE(read_file(state + "/certificate.pem"), "") << "the renewed one is stored";
  }
  const std::string after_renewal = read_file(pebble_log);
  EXPECT_EQ(count_lines(after_renewal, "accounts in memory"), 1u) << "no second account";
  EXPECT_EQ(count_lines(after_renewal, "orders in the db"), 2u) << after_renewal;
}

}  // namespace
}  // namespace paf
