// paf-client: a curl-like command on paf::Client and Mimic. URLs are fetched
// one after the other through one client, so URLs to one origin share a
// connection (HTTP/2) or reuse it (HTTP/1.1 keep-alive); -v says so, with the
// protocol ALPN chose and the TLS version.
//
//   paf-client [-X METHOD] [-H 'Name: value']... [-d DATA | --data-binary @FILE]
//              [-o FILE]... [-i] [-v] [-L] [-k] [--cacert FILE]
//              [--http1.1 | --http2 | --http2-prior-knowledge] [--unix-socket PATH]
//              [--net tap:IFACE [--net-config WORDS]] [--connect-timeout S] [-m S]
//              [--fail] URL...
//
// With --net tap:IFACE the requests go over paf's own TCP/IP stack (lwIP) on
// the TAP interface IFACE instead of the host's sockets, as paf-server can
// serve: DHCP (or --net-config's words, "ip=10.0.0.2/24 gw=10.0.0.1
// dns=10.0.0.1"), and names resolved by the stack's DNS servers. -v says
// the address it got and, on each connection, that it is lwIP's.
//
// Each -o FILE takes the next URL's body, as curl pairs them (in order,
// wherever they stand on the line); URLs past the last -o go to stdout, and
// -o past the last URL are left out with a warning. A file is made when its
// URL's response arrives: not for a failed transfer, nor for --fail's.
//
// Exit status, as curl's: 0 when every URL was answered (with --fail, below
// 400); 6 a name did not resolve, 7 no connection (or, with --net, no
// address on the TAP interface), 35 TLS failed, 28 a timeout, 8 the
// server's answer broke HTTP, 22 --fail and a status >= 400, 2 bad usage,
// 26 a file could not be read, 23 the output could not be written. One
// line on stderr per failure says which. With several URLs, the status is
// the first failure's (curl gives the last URL's).
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "paf/client.h"
#include "paf/loop.h"
#include "paf/mimic.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/mimic.h"
#include "paf/tls.h"
#include "request_options.h"

namespace {

using namespace paf;

int usage() {
  std::fprintf(
      stderr,
      "usage: paf-client [-X METHOD] [-H 'Name: value']... [-d DATA | --data-binary @FILE]"
      " [-o FILE]... [-i] [-v] [-L] [-k] [--cacert FILE]"
      " [--http1.1 | --http2 | --http2-prior-knowledge] [--unix-socket PATH]"
      " [--net tap:IFACE [--net-config WORDS]] [--connect-timeout S] [-m S] [--fail] URL..."
      " (each -o FILE takes one URL's body, in order, as curl's; the others go to"
      " stdout)\n");
  return 2;
}

struct Options {
  tools::RequestOptions request;     // -X, -H, -d, --data-binary, -k, --cacert, --http*,
                                     // --unix-socket, --net, --net-config
  std::vector<std::string> outputs;  // -o, one per URL in order
  bool include = false, verbose = false, follow = false, fail_on_error = false;
  std::optional<double> connect_timeout, max_time;
  std::vector<std::string> urls;
};

// Returns 0, or the exit status of a bad command line.
int parse(int argc, char** argv, Options& options) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    auto value = [&](std::string& into) {
      if (i + 1 >= argc) return false;
      into = argv[++i];
      return true;
    };
    std::string text;
    switch (tools::parse_request_option(argc, argv, i, options.request, "-d", "paf-client")) {
      case tools::OptionParse::taken:
        continue;
      case tools::OptionParse::bad_usage:
        return usage();
      case tools::OptionParse::unreadable:
        return 26;
      case tools::OptionParse::not_mine:
        break;
    }
    if (arg == "-o") {
      if (!value(text)) return usage();
      options.outputs.push_back(text);
    } else if (arg == "-i") {
      options.include = true;
    } else if (arg == "-v") {
      options.verbose = true;
    } else if (arg == "-L") {
      options.follow = true;
    } else if (arg == "--fail" || arg == "-f") {
      options.fail_on_error = true;
    } else if (arg == "--connect-timeout" || arg == "-m" || arg == "--max-time") {
      double seconds = 0;
      if (!value(text) || !tools::parse_seconds(text, seconds)) return usage();
      (arg == "--connect-timeout" ? options.connect_timeout : options.max_time) = seconds;
    } else if (arg.starts_with("-")) {
      return usage();
    } else {
      options.urls.emplace_back(arg);
    }
  }
  if (options.urls.empty() || options.request.conflicting()) return usage();
  if (options.outputs.size() > options.urls.size())
    std::fprintf(stderr, "paf-client: Warning: Got more output options than URLs\n");
  return 0;
}

// What went wrong, as curl says it: its exit status and the word for it.
struct FailureKind {
  int status;
  const char* what;
};

FailureKind kind_of(const Error& error, bool connected) {
  // Mimic's name resolution says "dns: ..." whatever went wrong.
  if (!connected && error.message.starts_with("dns:")) return {6, "resolve"};
  switch (error.code) {
    case Errc::timed_out:
      return {28, "timeout"};
    case Errc::tls_error:
      return {35, "TLS"};
    case Errc::protocol_error:
    case Errc::limit_exceeded:
      return {8, "protocol"};
    default:
      break;
  }
  if (!connected) return {7, "connect"};
  return {56, "receive"};
}

std::uint64_t nanoseconds(double seconds) { return static_cast<std::uint64_t>(seconds * 1e9); }

class Session {
 public:
  // `network` names the stack the connections are made on ("lwIP on tap0"),
  // if not the host's.
  Session(const Options& options, Loop& loop, Client& client, std::string network)
      : options_(options), loop_(loop), client_(client), network_(std::move(network)) {
    client_.on_connection([this](const ConnectionInfo& info) { on_connection(info); });
  }

  void next() {
    if (index_ == options_.urls.size()) {
      client_.shutdown([this] { loop_.stop(); });
      return;
    }
    const std::string& url = options_.urls[index_++];
    Headers headers = options_.request.request_headers();
    Method method = options_.request.request_method();
    FetchOptions fetch;
    fetch.max_redirects = options_.follow ? 50 : 0;
    connections_before_ = connections_;
    if (options_.verbose)
      std::fprintf(stderr, "> %s %s\n", std::string(method_name(method)).c_str(), url.c_str());
    auto started = client_.fetch(
        method, url, std::move(headers), Buffer(options_.request.data.value_or("")),
        [this](Result<Response> response, BodyReader body) {
          on_response(std::move(response), std::move(body));
        },
        fetch);
    if (!started) {
      std::fprintf(stderr, "paf-client: %s: bad URL: %.*s\n", url.c_str(),
                   int(started.error().message.size()), started.error().message.data());
      status_ = status_ ? status_ : 3;
      loop_.post([this] { next(); });
    }
  }

  int status() const { return status_; }

 private:
  void on_connection(const ConnectionInfo& info) {
    ++connections_;
    version_ = info.version;  // URLs go one at a time: the next answer comes on it
    if (!options_.verbose) return;
    std::fprintf(stderr, "* Connected to %s (%.*s) over %.*s%s%s%s\n",
                 std::string(info.origin->host.view()).c_str(), int(info.peer.size()),
                 info.peer.data(), int(info.transport.size()), info.transport.data(),
                 network_.empty() ? "" : " (", network_.c_str(), network_.empty() ? "" : ")");
    if (info.secure != nullptr) {
      // Mimic's TLS protocols make paf's TlsFlow.
      const auto* tls = static_cast<const TlsFlow*>(info.secure);
      std::fprintf(stderr, "* TLS: %.*s, %.*s\n",
                   int(tools::tls_version_name(tls->version()).size()),
                   tools::tls_version_name(tls->version()).data(), int(tls->cipher_suite().size()),
                   tls->cipher_suite().data());
      std::fprintf(
          stderr, "* ALPN: server accepted %s\n",
          info.secure->alpn().empty() ? "nothing" : std::string(info.secure->alpn()).c_str());
    }
    std::fprintf(stderr, "* Using %s\n",
                 info.version == HttpVersion::http_2 ? "HTTP/2" : "HTTP/1.1");
  }

  void on_response(Result<Response> response, BodyReader body) {
    const std::string& url = options_.urls[index_ - 1];
    const bool reused = connections_ == connections_before_;
    // A failure before any connection for this URL is the connection's (one
    // on a reused connection is counted so too: rare, and curl's 7 is close).
    if (!response) return failed(url, response.error(), connections_ > connections_before_);
    if (options_.verbose && reused) std::fprintf(stderr, "* Re-using an existing connection\n");
    const bool http2 = version_ == HttpVersion::http_2;
    std::string head = std::string(http2 ? "HTTP/2 " : "HTTP/1.1 ") +
                       std::to_string(response->status) +
                       (http2 ? "" : " " + std::string(reason_phrase(response->status))) + "\r\n";
    for (auto field : response->headers)
      head.append(field.name).append(": ").append(field.value).append("\r\n");
    head.append("\r\n");
    if (options_.verbose) std::fprintf(stderr, "< %s", head.c_str());
    if (options_.fail_on_error && response->status >= 400) {
      std::fprintf(stderr, "paf-client: %s: the server answered %d\n", url.c_str(),
                   response->status);
      status_ = status_ ? status_ : 22;
      body.discard();
      body.on_end([this](Result<void>) { loop_.post([this] { next(); }); });
      return;
    }
    if (!open_output(url)) {
      body.discard();
      body.on_end([this](Result<void>) { loop_.post([this] { next(); }); });
      return;
    }
    if (options_.include && std::fwrite(head.data(), 1, head.size(), out_) != head.size())
      write_failed_ = true;
    body.on_data([this](Bytes bytes) {
      if (std::fwrite(bytes.data(), 1, bytes.size(), out_) != bytes.size()) write_failed_ = true;
    });
    body.on_end([this, url](Result<void> end) {
      if (!close_output()) write_failed_ = true;
      if (!end) return failed(url, end.error(), true);
      if (std::exchange(write_failed_, false)) {
        std::fprintf(stderr, "paf-client: %s: cannot write the output\n", url.c_str());
        status_ = status_ ? status_ : 23;
      }
      loop_.post([this] { next(); });
    });
  }

  // The current URL's output: its -o file, made now, or stdout.
  bool open_output(const std::string& url) {
    out_ = stdout;
    if (index_ > options_.outputs.size()) return true;
    const std::string& path = options_.outputs[index_ - 1];
    out_ = std::fopen(path.c_str(), "wb");
    if (out_ != nullptr) return true;
    std::fprintf(stderr, "paf-client: %s: cannot write %s\n", url.c_str(), path.c_str());
    status_ = status_ ? status_ : 23;
    out_ = stdout;
    return false;
  }
  bool close_output() {
    if (out_ == stdout) return std::fflush(stdout) == 0;
    return std::fclose(std::exchange(out_, stdout)) == 0;
  }

  void failed(const std::string& url, const Error& error, bool connected) {
    FailureKind kind = kind_of(error, connected);
    std::fprintf(stderr, "paf-client: %s: %s: %.*s\n", url.c_str(), kind.what,
                 int(error.message.size()), error.message.data());
    status_ = status_ ? status_ : kind.status;
    loop_.post([this] { next(); });
  }

  const Options& options_;
  Loop& loop_;
  Client& client_;
  const std::string network_;
  std::FILE* out_ = stdout;
  std::size_t index_ = 0;
  std::size_t connections_ = 0, connections_before_ = 0;
  HttpVersion version_ = HttpVersion::http_1_1;
  bool write_failed_ = false;
  int status_ = 0;
};

}  // namespace

int main(int argc, char** argv) {
  Options options;
  if (int bad = parse(argc, argv, options); bad != 0) return bad;

  auto backend = posix::EpollLoopBackend::create();
  if (!backend) {
    std::fprintf(stderr, "paf-client: no event loop: %.*s\n", int(backend.error().message.size()),
                 backend.error().message.data());
    return 1;
  }
  Loop loop(**backend);

  auto tls = tools::client_tls(options.request, "paf-client");
  if (!tls) return tls.error();
  std::optional<tools::LwipNetwork> lwip;  // with --net: outlives the client
  auto ctx = tools::request_context(options.request, loop, **backend, *tls, lwip, "paf-client");
  if (!ctx) return 7;
  std::string network;
  if (lwip) {
    network = "lwIP on " + lwip->interface_name;
    if (options.verbose)
      std::fprintf(stderr, "* %s: address %s\n", network.c_str(),
                   lwip->stack->ipv4_address().c_str());
  }
  ClientConfig config = tools::client_config(options.request);
  if (options.connect_timeout) config.connect_timeout_ns = nanoseconds(*options.connect_timeout);
  if (options.max_time) config.request_timeout_ns = nanoseconds(*options.max_time);
  int status = 0;
  {
    Client client(loop, mimic_connector(*ctx, loop), config);
    Session session(options, loop, client, network);
    session.next();
    (void)loop.run();
    status = session.status();
  }
  std::fflush(stdout);
  // lwIP sends what the closed connections still hold (their FIN) as the
  // server acknowledges it: the host's kernel would do that after exit.
  if (lwip) (void)tools::finish_sending(loop, *lwip, seconds(2), "paf-client");
  return status;
}
