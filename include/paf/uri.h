// URIs as an HTTP client needs them, on uriparser (RFC 3986): an absolute
// http/https URI taken apart into what a request is made of, and a relative
// reference (a redirect's Location) resolved against one.
//
//   auto uri = paf::Uri::parse("https://[::1]:8443/a%20b?q=1");  // Result<Uri>
//   uri->host();            // "::1"          (no brackets)
//   uri->authority();       // "[::1]:8443"   (Host, :authority)
//   uri->request_target();  // "/a%20b?q=1"   (percent-encoding as given)
//   auto next = uri->resolve("../c");          // "https://[::1]:8443/c"
//
// One place parses URIs in paf: this one. Freestanding (the image parses
// URIs too); errors are values with a message saying what was wrong.
#ifndef PAF_URI_H
#define PAF_URI_H

#include <cstdint>
#include <string_view>

#include "paf/buffer.h"
#include "paf/result.h"

namespace paf {

// What a URI's host is: a registered name to look up, or an IP literal.
enum class HostKind : std::uint8_t { name, ipv4, ipv6 };

// Where a request goes, as connection pools and same-origin checks compare
// it: the scheme (lowercase), the host (lowercase, IPv6 without brackets)
// and the port (the scheme's default when the URI gives none).
struct Origin {
  Buffer scheme;
  Buffer host;
  std::uint16_t port = 0;

  friend bool operator==(const Origin& a, const Origin& b) {
    return a.port == b.port && a.scheme.view() == b.scheme.view() && a.host.view() == b.host.view();
  }
};

class Uri {
 public:
  // Parses an absolute URI with a host: "http://example.com/", "https://10.0.0.1:8443/x?y",
  // "http://[fe80::1]/". Fails with invalid_argument, and a message saying
  // why, on text that is not a URI, a relative reference, a URI without a
  // host, a port that is not a number in 1..65535, userinfo ("user:pass@",
  // refused: credentials do not belong in a URI an HTTP client sends), or a
  // scheme other than http or https without an explicit port.
  static Result<Uri> parse(std::string_view text);

  // Resolves `reference` against this URI as RFC 3986 §5 does (a redirect's
  // Location: "/next", "../up?q", "//other.host/p", or an absolute URI) and
  // parses the result as parse() does. The fragment is the reference's.
  Result<Uri> resolve(std::string_view reference) const;

  // "http", "https": always lowercase.
  std::string_view scheme() const { return scheme_.view(); }
  // Whether the scheme is "https".
  bool is_secure() const { return scheme() == "https"; }
  // The host as it names the peer: "example.com" (lowercase), "10.0.0.1",
  // "::1" (an IPv6 literal without its brackets; a zone is refused).
  std::string_view host() const { return host_.view(); }
  HostKind host_kind() const { return host_kind_; }
  // The port given, else the scheme's default (http 80, https 443).
  std::uint16_t port() const { return port_; }
  // Whether port() is the scheme's default (given or not): then authority() omits it.
  bool port_is_default() const;
  // The path as given, percent-encoding kept ("/a%20b"); empty when none.
  std::string_view path() const { return path_.view(); }
  // The path with its percent-encoding decoded ("/a b"). Fails when it
  // would hold a NUL byte (%00), which no file name or route should.
  Result<Buffer> decoded_path() const;
  // The query without its '?', as given; empty when none (has_query() tells
  // "?" from no query).
  std::string_view query() const { return query_.view(); }
  bool has_query() const { return has_query_; }
  // The fragment without its '#'; never sent to a server.
  std::string_view fragment() const { return fragment_.view(); }

  // The request target of an origin-form request (RFC 9112 §3.2.1):
  // path?query, "/" for an empty path. The fragment is left out.
  Buffer request_target() const;
  // Host and port as a Host header or :authority says them: "example.com",
  // "example.com:8080", "[::1]:8443"; the port is omitted when it is the
  // scheme's default.
  Buffer authority() const;
  Origin origin() const;
  // The whole URI again: scheme://authority path ?query #fragment.
  Buffer text() const;

 private:
  Uri() = default;

  Buffer scheme_, host_, path_, query_, fragment_;
  HostKind host_kind_ = HostKind::name;
  std::uint16_t port_ = 0;
  bool has_query_ = false;
};

}  // namespace paf

#endif
