// Which HTTP version a name from ALPN, or a flow's first bytes, stand for.
#include <algorithm>
#include <optional>
#include <string_view>

#include "paf/alpn.h"

namespace paf {

std::optional<HttpVersion> version_for_alpn(std::string_view alpn) {
  if (alpn == "h2") return HttpVersion::http_2;
  // No ALPN at all is a client from before it, and those speak HTTP/1.x.
  if (alpn.empty() || alpn == "http/1.1" || alpn == "http/1.0") return HttpVersion::http_1_1;
  return std::nullopt;
}

// The preface's request line up to its version: no HTTP/1.x request begins
// so. Bytes that go on differently are a broken HTTP/2 preface, which the
// HTTP/2 engine refuses as RFC 9113 §3.4 asks (GOAWAY PROTOCOL_ERROR), rather
// than an HTTP/1.x request whose answer an HTTP/2 client cannot read.
constexpr std::size_t kHttp2RequestLine = std::string_view("PRI * HTTP/2.0").size();

std::optional<HttpVersion> version_for_first_bytes(Bytes first) {
  std::size_t compared = std::min(first.size(), kHttp2Preface.size());
  for (std::size_t i = 0; i < compared; ++i)
    if (first[i] != static_cast<std::uint8_t>(kHttp2Preface[i]))
      return i < kHttp2RequestLine ? HttpVersion::http_1_1 : HttpVersion::http_2;
  if (compared == kHttp2Preface.size()) return HttpVersion::http_2;
  return std::nullopt;
}

}  // namespace paf
