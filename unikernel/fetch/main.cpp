// fetch.elf: a client unikernel. It brings lwIP up on the first NIC from the
// command line (DHCP unless "ip=" says otherwise), fetches each URL of its
// command line in turn with paf::Client over Mimic's lwIP protocols (DNS, TCP,
// TLS over TCP), and exits: 0 when every URL was answered, else 1.
//
// One console line per URL:
//   fetch: URL: STATUS HTTP/1.1|HTTP/2, N bytes, sha256 HEX
// one per connection made (which protocol, and for https the TLS version and
// ALPN's choice), and one per failure:
//   fetch: URL: FAILED: why
// URLs to one origin share its connection (HTTP/1.1 keep-alive, HTTP/2).
//
// HTTPS verifies servers against the CA bundle of the configuration item
// opt/paf/ca-bundle.pem (paf_config_read: QEMU's -fw_cfg); without it, https
// URLs fail and say so. ALPN offers h2, then http/1.1.
//
// Command line: StackConfig's words (ip=, gw=, dns=, ipv6=), URLs, and
//   --fail       a status of 400 or more counts as a failure (curl's --fail)
//   --http1.1    over TLS, offer http/1.1 only
//   --h2c        plain http speaks HTTP/2 by prior knowledge
//   timeout=S    each URL's whole exchange, in seconds (default 60)
// A word that is none of these (an unknown --flag, a word neither a URL nor
// key=value) ends the image at once with status 2, as does a malformed timeout=.
//
// On platform/posix the same program (fetch-posix) runs over a TAP device:
// fetch-posix --net:service0=TAP URL...
#include <mbedtls/sha256.h>

#include <charconv>
#include <cinttypes>
#include <cstdint>
#include <cstdio>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "image_app.h"
#include "paf/client.h"
#include "paf/cmdline.h"
#include "paf/config_item.h"
#include "paf/loop.h"
#include "paf/mimic.h"
#include "paf/net.h"
#include "paf/platform.h"
#include "paf/platform_loop_backend.h"
#include "paf/tls.h"
#include "paf/uri.h"

namespace {

constexpr const char* kCaBundleItem = "opt/paf/ca-bundle.pem";
constexpr std::uint64_t kAddressTimeoutNs = paf::seconds(30);
constexpr std::uint64_t kDefaultRequestTimeoutS = 60;
// After the last URL: how long closing the connections (TLS close_notify,
// HTTP/2 GOAWAY, TCP FIN) may take before the image exits anyway.
constexpr std::uint64_t kShutdownNs = paf::seconds(5);

struct Options {
  bool fail_on_error = false;
  bool http1_only = false;
  bool h2c = false;
  std::uint64_t timeout_s = kDefaultRequestTimeoutS;
  std::vector<std::string_view> urls;
};

// Reads the command line; none (and a line saying why) when it is wrong.
std::optional<Options> parse_options(std::string_view cmdline) {
  Options options;
  if (auto timeout = paf::cmdline_value(cmdline, "timeout")) {
    auto [end, error] =
        std::from_chars(timeout->data(), timeout->data() + timeout->size(), options.timeout_s);
    if (error != std::errc{} || end != timeout->data() + timeout->size() ||
        options.timeout_s == 0) {
      std::printf("fetch: timeout=%.*s: want a number of seconds\n", int(timeout->size()),
                  timeout->data());
      return std::nullopt;
    }
  }
  for (std::string_view word = paf::next_cmdline_word(cmdline); !word.empty();
       word = paf::next_cmdline_word(cmdline)) {
    if (word == "--fail") {
      options.fail_on_error = true;
    } else if (word == "--http1.1") {
      options.http1_only = true;
    } else if (word == "--h2c") {
      options.h2c = true;
    } else if (word.starts_with("-")) {
      std::printf("fetch: unknown option %.*s (--fail, --http1.1, --h2c)\n", int(word.size()),
                  word.data());
      return std::nullopt;
    } else if (word.find("://") != std::string_view::npos) {
      options.urls.push_back(word);
    } else if (word.find('=') == std::string_view::npos) {
      std::printf("fetch: %.*s: neither a URL (scheme://...) nor a setting (key=value)\n",
                  int(word.size()), word.data());
      return std::nullopt;
    }
    // Other words are settings: the stack's (ip=, ...) or timeout=.
  }
  if (options.urls.empty()) {
    std::printf("fetch: no URL on the command line\n");
    return std::nullopt;
  }
  return options;
}

int fail(const char* what, const paf::Error& error) {
  std::printf("fetch: %s: %.*s\n", what, int(error.message.size()), error.message.data());
  return 1;
}

// The whole configuration item `name`; none when the platform has no such
// item (or could not read it, which is said on the console).
std::optional<std::string> read_config_item(const char* name) {
  auto item = paf::read_config_item(name);
  if (!item) std::printf("fetch: cannot read configuration item %s\n", name);
  return item ? std::move(*item) : std::nullopt;
}

// The TLS client configuration trusting the CA bundle of the configuration;
// none when there is no bundle (said on the console) or it does not parse.
std::optional<paf::TlsConfig> tls_config(const Options& options) {
  auto bundle = read_config_item(kCaBundleItem);
  if (!bundle) {
    std::printf(
        "fetch: no CA bundle in the configuration (%s; QEMU: -fw_cfg name=%s,file=...): "
        "https URLs will fail\n",
        kCaBundleItem, kCaBundleItem);
    return std::nullopt;
  }
  auto builder = paf::TlsConfig::client().trust_ca(*bundle);
  if (options.http1_only)
    builder.alpn({"http/1.1"});
  else
    builder.alpn({"h2", "http/1.1"});
  auto built = builder.build();
  if (!built) {
    fail("the CA bundle", built.error());
    return std::nullopt;
  }
  std::printf("fetch: trusting the CA bundle %s (%zu bytes)\n", kCaBundleItem, bundle->size());
  return std::move(*built);
}

// SHA-256 over a body as it streams by.
class Sha256 {
 public:
  Sha256() {
    mbedtls_sha256_init(&context_);
    (void)mbedtls_sha256_starts(&context_, /*is224=*/0);
  }
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  ~Sha256() { mbedtls_sha256_free(&context_); }

  void update(paf::Bytes bytes) {
    (void)mbedtls_sha256_update(&context_, bytes.data(), bytes.size());
  }
  // The digest in lowercase hex, as sha256sum prints it.
  std::string hex() {
    unsigned char digest[32];
    (void)mbedtls_sha256_finish(&context_, digest);
    std::string text(64, '0');
    constexpr char kDigits[] = "0123456789abcdef";
    for (int i = 0; i < 32; ++i) {
      text[2 * i] = kDigits[digest[i] >> 4];
      text[2 * i + 1] = kDigits[digest[i] & 0xf];
    }
    return text;
  }

 private:
  mbedtls_sha256_context context_;
};

// Fetches the URLs one after the other through one client, then shuts it
// down and stops the loop.
class Fetcher {
 public:
  Fetcher(paf::Loop& loop, paf::Client& client, const Options& options, bool has_tls)
      : loop_(loop), client_(client), options_(options), has_tls_(has_tls) {
    client_.on_connection([this](const paf::ConnectionInfo& info) { on_connection(info); });
  }

  void next() {
    if (index_ == options_.urls.size()) return finish();
    url_ = options_.urls[index_++];
    auto uri = paf::Uri::parse(url_);
    if (!uri) return failed("bad URL", uri.error().message);
    if (uri->is_secure() && !has_tls_)
      return failed("https", "no CA bundle to verify the server with (opt/paf/ca-bundle.pem)");
    origin_ = uri->origin();
    connections_before_ = connections_;
    // No redirect is followed: a 3xx is the answer.
    auto started = client_.fetch(paf::Method::GET, url_, {}, {},
                                 [this](paf::Result<paf::Response> response, paf::BodyReader body) {
                                   on_response(std::move(response), std::move(body));
                                 });
    if (!started) failed("bad URL", started.error().message);
  }

  std::size_t failures() const { return failures_; }

 private:
  struct OriginProtocol {
    paf::Origin origin;
    paf::HttpVersion version;
  };

  void on_connection(const paf::ConnectionInfo& info) {
    ++connections_;
    remember(*info.origin, info.version);
    std::string tls;
    if (info.secure != nullptr) {
      // Mimic's TLS protocols make paf's TlsFlow.
      const auto* flow = static_cast<const paf::TlsFlow*>(info.secure);
      std::string_view alpn = info.secure->alpn();
      tls = std::string(", ") +
            (flow->version() == paf::TlsVersion::tls1_3 ? "TLS 1.3" : "TLS 1.2") + ", ALPN " +
            (alpn.empty() ? std::string("none") : std::string(alpn));
    }
    std::printf("fetch: connection %zu to %.*s (%.*s) over %.*s: %.*s%s\n", connections_,
                int(info.origin->host.view().size()), info.origin->host.view().data(),
                int(info.peer.size()), info.peer.data(), int(info.transport.size()),
                info.transport.data(), int(paf::version_name(info.version).size()),
                paf::version_name(info.version).data(), tls.c_str());
  }

  void remember(const paf::Origin& origin, paf::HttpVersion version) {
    for (auto& known : protocols_)
      if (known.origin == origin) {
        known.version = version;
        return;
      }
    protocols_.push_back({origin, version});
  }

  bool knows(const paf::Origin& origin) const {
    for (const auto& known : protocols_)
      if (known.origin == origin) return true;
    return false;
  }

  paf::HttpVersion version_of(const paf::Origin& origin) const {
    for (const auto& known : protocols_)
      if (known.origin == origin) return known.version;
    return paf::HttpVersion::http_1_1;
  }

  void on_response(paf::Result<paf::Response> response, paf::BodyReader body) {
    // Before any answer: the connection's failure (TCP, TLS) when no
    // connection to this origin was ever made, else (most likely) the exchange's.
    if (!response)
      return failed(
          connections_ == connections_before_ && !knows(origin_) ? "no connection" : "no response",
          response.error().message);
    status_ = response->status;
    size_ = 0;
    sha256_.emplace();
    body_ = std::move(body);
    body_.on_data([this](paf::Bytes bytes) {
      size_ += bytes.size();
      sha256_->update(bytes);
    });
    body_.on_end([this](paf::Result<void> end) {
      // From the loop, not from inside the engine that reports the end.
      loop_.post([this, end] { on_body_end(end); });
    });
  }

  void on_body_end(paf::Result<void> end) {
    body_ = {};
    if (!end) {
      std::string why = "the body broke off after " + std::to_string(size_) + " bytes";
      return failed(why.c_str(), end.error().message);
    }
    std::string_view version = paf::version_name(version_of(origin_));
    std::printf("fetch: %.*s: %d %.*s, %zu bytes, sha256 %s\n", int(url_.size()), url_.data(),
                status_, int(version.size()), version.data(), size_, sha256_->hex().c_str());
    if (options_.fail_on_error && status_ >= 400) {
      std::string why = "the server answered " + std::to_string(status_);
      return failed(why.c_str(), "--fail counts it as a failure");
    }
    ++fetched_;
    loop_.post([this] { next(); });
  }

  void failed(const char* what, std::string_view why) {
    ++failures_;
    std::printf("fetch: %.*s: FAILED: %s: %.*s\n", int(url_.size()), url_.data(), what,
                int(why.size()), why.data());
    loop_.post([this] { next(); });
  }

  void finish() {
    std::printf("fetch: %zu of %zu URLs fetched, %zu failed, over %zu connections\n", fetched_,
                options_.urls.size(), failures_, connections_);
    client_.shutdown([this] { loop_.stop(); });
    loop_.add_timer_after(kShutdownNs, [this] {
      std::printf("fetch: the connections did not close within %" PRIu64 " s\n",
                  kShutdownNs / paf::seconds(1));
      loop_.stop();
    });
  }

  paf::Loop& loop_;
  paf::Client& client_;
  const Options& options_;
  bool has_tls_;
  std::size_t index_ = 0, fetched_ = 0, failures_ = 0, connections_ = 0, connections_before_ = 0;
  std::vector<OriginProtocol> protocols_;
  // The URL under way.
  std::string_view url_;
  paf::Origin origin_;
  int status_ = 0;
  std::size_t size_ = 0;
  std::optional<Sha256> sha256_;
  paf::BodyReader body_;
};

}  // namespace

extern "C" int paf_app_main(const paf_start_info* info) {
  auto options = parse_options(info->cmdline);
  if (!options) return 2;
  paf::PlatformLoopBackend backend;
  paf::Loop loop(backend);
  auto network =
      paf::image::bring_up_network(backend, loop, info->cmdline, "fetch", kAddressTimeoutNs);
  if (!network) return 1;
  paf::Stack& stack = *network->stack;
  std::printf("fetch: address %s (%s), URLs to fetch: %zu\n", stack.ipv4_address().c_str(),
              network->dhcp ? "by DHCP" : "static", options->urls.size());

  std::optional<paf::TlsConfig> tls = tls_config(*options);
  paf::mimic::Ctx ctx = paf::mimic::with_stack_protocols({}, stack);
  if (tls) ctx = ctx.with(paf::mimic::keys::tls, *tls);
  paf::ClientConfig client_config;
  client_config.h2_prior_knowledge = options->h2c;
  client_config.request_timeout_ns = paf::seconds(options->timeout_s);
  {
    paf::Client client(loop, paf::mimic_connector(ctx, loop), client_config);
    Fetcher fetcher(loop, client, *options, tls.has_value());
    fetcher.next();
    auto ran = loop.run();
    if (!ran) return fail("loop", ran.error());
    if (fetcher.failures() != 0) return 1;
  }
  return 0;
}
