// paf::Uri: parsing the parts a request needs, refusing what it must not
// send, and resolving references as RFC 3986 §5.4's examples say.
#include "paf/uri.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace paf {
namespace {

Uri parse_ok(std::string_view text) {
  auto uri = Uri::parse(text);
  EXPECT_TRUE(uri) << text << ": " << (uri ? "" : uri.error().message);
  if (!uri) return *Uri::parse("http://invalid/");
  return std::move(*uri);
}

std::string str(const Buffer& buffer) { return std::string(buffer.view()); }

TEST(Uri, TakesAnHttpsUriApart) {
  Uri uri = parse_ok("HTTPS://Example.COM:8443/a%20b/c?x=1&y=%2F#frag");
  EXPECT_EQ(uri.scheme(), "https");
  EXPECT_TRUE(uri.is_secure());
  EXPECT_EQ(uri.host(), "example.com");
  EXPECT_EQ(uri.host_kind(), HostKind::name);
  EXPECT_EQ(uri.port(), 8443);
  EXPECT_FALSE(uri.port_is_default());
  EXPECT_EQ(uri.path(), "/a%20b/c");
  EXPECT_EQ(uri.query(), "x=1&y=%2F");
  EXPECT_TRUE(uri.has_query());
  EXPECT_EQ(uri.fragment(), "frag");
  EXPECT_EQ(str(uri.request_target()), "/a%20b/c?x=1&y=%2F");
  EXPECT_EQ(str(uri.authority()), "example.com:8443");
  EXPECT_EQ(str(uri.text()), "https://example.com:8443/a%20b/c?x=1&y=%2F#frag");
  auto decoded = uri.decoded_path();
  ASSERT_TRUE(decoded);
  EXPECT_EQ(str(*decoded), "/a b/c");
}

TEST(Uri, DefaultPortsComeFromTheSchemeAndLeaveTheAuthority) {
  Uri http = parse_ok("http://example.com");
  EXPECT_EQ(http.port(), 80);
  EXPECT_TRUE(http.port_is_default());
  EXPECT_EQ(str(http.authority()), "example.com");
  EXPECT_EQ(http.path(), "");
  EXPECT_EQ(str(http.request_target()), "/");
  EXPECT_FALSE(http.has_query());

  Uri https = parse_ok("https://example.com:443/");
  EXPECT_EQ(https.port(), 443);
  EXPECT_EQ(str(https.authority()), "example.com");
  EXPECT_EQ(str(https.request_target()), "/");

  Uri empty_port = parse_ok("http://example.com:/x");  // RFC 3986 §3.2.3: the default
  EXPECT_EQ(empty_port.port(), 80);

  Uri empty_query = parse_ok("http://example.com/x?");
  EXPECT_TRUE(empty_query.has_query());
  EXPECT_EQ(str(empty_query.request_target()), "/x?");
}

TEST(Uri, Ipv6LiteralsLoseTheirBracketsInTheHostAndKeepThemInTheAuthority) {
  Uri loopback = parse_ok("http://[::1]:8080/p");
  EXPECT_EQ(loopback.host(), "::1");
  EXPECT_EQ(loopback.host_kind(), HostKind::ipv6);
  EXPECT_EQ(str(loopback.authority()), "[::1]:8080");
  EXPECT_EQ(str(loopback.request_target()), "/p");

  Uri full = parse_ok("https://[2001:DB8::A]/");
  EXPECT_EQ(full.host(), "2001:db8::a");
  EXPECT_EQ(str(full.authority()), "[2001:db8::a]");
  EXPECT_EQ(str(full.text()), "https://[2001:db8::a]/");

  Uri v4 = parse_ok("http://127.0.0.1:1234");
  EXPECT_EQ(v4.host_kind(), HostKind::ipv4);
  EXPECT_EQ(str(v4.authority()), "127.0.0.1:1234");
}

TEST(Uri, OriginsCompareSchemeHostAndPort) {
  EXPECT_EQ(parse_ok("http://A.example/x").origin(), parse_ok("http://a.example:80/y?z").origin());
  EXPECT_FALSE(parse_ok("http://a.example/").origin() == parse_ok("https://a.example/").origin());
  EXPECT_FALSE(parse_ok("http://a.example/").origin() == parse_ok("http://a.example:81/").origin());
  Origin origin = parse_ok("https://[::1]:8443/").origin();
  EXPECT_EQ(origin.scheme.view(), "https");
  EXPECT_EQ(origin.host.view(), "::1");
  EXPECT_EQ(origin.port, 8443);
}

TEST(Uri, RefusesBadInputWithAClearMessage) {
  struct Case {
    std::string_view text;
    std::string_view message;
  };
  const std::vector<Case> cases = {
      {"http://user:secret@example.com/", "uri: userinfo (user:password@) is refused in a URI"},
      {"http://example.com:65536/", "uri: the port is above 65535"},
      {"http://example.com:99999999999/", "uri: the port is above 65535"},
      {"http://example.com:0/", "uri: port 0 cannot be connected to"},
      {"http://example.com:8a/", "uri: not a URI (RFC 3986 syntax)"},
      {"/just/a/path", "uri: a relative reference, not an absolute URI"},
      {"mailto:someone@example.com", "uri: no host"},
      {"http:///path", "uri: no host"},
      {"ftp://example.com/", "uri: no port, and the scheme has no default one"},
      {"http://exa mple.com/", "uri: not a URI (RFC 3986 syntax)"},
      {"http://[::1/", "uri: not a URI (RFC 3986 syntax)"},
      {"", "uri: a relative reference, not an absolute URI"},
  };
  for (const Case& c : cases) {
    auto uri = Uri::parse(c.text);
    ASSERT_FALSE(uri) << c.text;
    EXPECT_EQ(uri.error().code, Errc::invalid_argument) << c.text;
    EXPECT_EQ(uri.error().message, c.message) << c.text;
  }
  // Where the syntax broke, for a person: the offset of the space.
  EXPECT_EQ(Uri::parse("http://exa mple.com/").error().detail, 10);
  // Another scheme with an explicit port is fine.
  EXPECT_EQ(parse_ok("ws://example.com:9000/").port(), 9000);
}

TEST(Uri, APathDecodingToNulIsRefused) {
  auto decoded = parse_ok("http://example.com/a%00b").decoded_path();
  ASSERT_FALSE(decoded);
  EXPECT_EQ(decoded.error().code, Errc::invalid_argument);
}

// RFC 3986 §5.4: every example of normal and abnormal resolution whose result
// has a host (paf::Uri needs one).
TEST(Uri, ResolvesReferencesAsRfc3986Section5Says) {
  const Uri base = parse_ok("http://a/b/c/d;p?q");
  const std::vector<std::pair<std::string_view, std::string_view>> examples = {
      {"g", "http://a/b/c/g"},
      {"./g", "http://a/b/c/g"},
      {"g/", "http://a/b/c/g/"},
      {"/g", "http://a/g"},
      {"//g", "http://g"},
      {"?y", "http://a/b/c/d;p?y"},
      {"g?y", "http://a/b/c/g?y"},
      {"#s", "http://a/b/c/d;p?q#s"},
      {"g#s", "http://a/b/c/g#s"},
      {"g?y#s", "http://a/b/c/g?y#s"},
      {";x", "http://a/b/c/;x"},
      {"g;x", "http://a/b/c/g;x"},
      {"g;x?y#s", "http://a/b/c/g;x?y#s"},
      {"", "http://a/b/c/d;p?q"},
      {".", "http://a/b/c/"},
      {"./", "http://a/b/c/"},
      {"..", "http://a/b/"},
      {"../", "http://a/b/"},
      {"../g", "http://a/b/g"},
      {"../..", "http://a/"},
      {"../../", "http://a/"},
      {"../../g", "http://a/g"},
      {"../../../g", "http://a/g"},
      {"../../../../g", "http://a/g"},
      {"/./g", "http://a/g"},
      {"/../g", "http://a/g"},
      {"g.", "http://a/b/c/g."},
      {".g", "http://a/b/c/.g"},
      {"g..", "http://a/b/c/g.."},
      {"..g", "http://a/b/c/..g"},
      {"./../g", "http://a/b/g"},
      {"./g/.", "http://a/b/c/g/"},
      {"g/./h", "http://a/b/c/g/h"},
      {"g/../h", "http://a/b/c/h"},
      {"g;x=1/./y", "http://a/b/c/g;x=1/y"},
      {"g;x=1/../y", "http://a/b/c/y"},
      {"g?y/./x", "http://a/b/c/g?y/./x"},
      {"g?y/../x", "http://a/b/c/g?y/../x"},
      {"g#s/./x", "http://a/b/c/g#s/./x"},
      {"g#s/../x", "http://a/b/c/g#s/../x"},
  };
  for (const auto& [reference, expected] : examples) {
    auto resolved = base.resolve(reference);
    ASSERT_TRUE(resolved) << reference << ": " << resolved.error().message;
    EXPECT_EQ(str(resolved->text()), expected) << reference;
  }
  // "g:h" and, resolved strictly, "http:g" have no host.
  EXPECT_EQ(base.resolve("g:h").error().message, "uri: no host");
  EXPECT_EQ(base.resolve("http:g").error().message, "uri: no host");
}

TEST(Uri, ResolvesARedirectsLocationAcrossHostsAndSchemes) {
  const Uri base = parse_ok("https://[::1]:8443/a/b?q");
  auto up = base.resolve("../c");
  ASSERT_TRUE(up);
  EXPECT_EQ(str(up->text()), "https://[::1]:8443/c");
  auto other = base.resolve("http://Example.org/x");
  ASSERT_TRUE(other);
  EXPECT_EQ(other->host(), "example.org");
  EXPECT_EQ(other->port(), 80);
  auto scheme_relative = base.resolve("//example.net/y");
  ASSERT_TRUE(scheme_relative);
  EXPECT_EQ(str(scheme_relative->text()), "https://example.net/y");
  EXPECT_FALSE(base.resolve("http://bad host/"));
  EXPECT_EQ(base.resolve("//user@example.net/").error().message,
            "uri: userinfo (user:password@) is refused in a URI");
}

}  // namespace
}  // namespace paf
