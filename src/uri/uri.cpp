// paf::Uri over uriparser: uriparser checks the RFC 3986 grammar and resolves
// references; paf takes the parts an HTTP client needs and refuses what it
// must not send (userinfo) or cannot reach (no host, no port).
#include "paf/uri.h"

#include <uriparser/Uri.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <utility>

namespace paf {
namespace {

std::string_view text_of(const UriTextRangeA& range) {
  if (range.first == nullptr || range.afterLast == nullptr) return {};
  return {range.first, static_cast<std::size_t>(range.afterLast - range.first)};
}

bool present(const UriTextRangeA& range) { return range.first != nullptr; }

char lowercase(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

Buffer lowercased(std::string_view text) {
  Buffer out;
  out.reserve(text.size());
  for (char c : text) out.append(lowercase(c));
  return out;
}

std::uint16_t default_port(std::string_view scheme) {
  if (scheme == "http") return 80;
  if (scheme == "https") return 443;
  return 0;
}

// uriparser's parsed form, freed with it.
class ParsedUri {
 public:
  ParsedUri() = default;
  ParsedUri(const ParsedUri&) = delete;
  ParsedUri& operator=(const ParsedUri&) = delete;
  ~ParsedUri() {
    if (owned_) uriFreeUriMembersA(&uri_);
  }

  // Parses `text` (which must outlive this object: the parts point into it).
  // `detail` is set to the offset where the syntax broke.
  Result<void> parse(std::string_view text) {
    const char* error_at = nullptr;
    int status = uriParseSingleUriExA(&uri_, text.data(), text.data() + text.size(), &error_at);
    if (status == URI_ERROR_MALLOC) return fail(Errc::out_of_memory, "uri: out of memory");
    if (status != URI_SUCCESS) {
      int offset = error_at != nullptr ? static_cast<int>(error_at - text.data()) : 0;
      return fail(Errc::invalid_argument, "uri: not a URI (RFC 3986 syntax)", offset);
    }
    owned_ = true;
    return {};
  }

  UriUriA* get() { return &uri_; }
  const UriUriA& operator*() const { return uri_; }
  void adopt() { owned_ = true; }  // uriparser filled it (resolution)

 private:
  UriUriA uri_{};
  bool owned_ = false;
};

// The path of a URI with an authority, as given: what lies between the
// authority and the query (or fragment, or end). uriparser's segments are not
// used: an empty one points at static storage, not into the text.
std::string_view path_of(const UriUriA& uri, std::string_view text) {
  const char* begin = uri.hostText.afterLast;
  if (uri.hostData.ip6 != nullptr || uri.hostData.ipFuture.first != nullptr) ++begin;  // the ']'
  if (present(uri.portText)) begin = uri.portText.afterLast;
  const char* end = text.data() + text.size();
  if (present(uri.query))
    end = uri.query.first - 1;  // the '?'
  else if (present(uri.fragment))
    end = uri.fragment.first - 1;  // the '#'
  if (begin >= end) return {};
  return {begin, static_cast<std::size_t>(end - begin)};
}

// RFC 5952's text for an IPv6 address: lowercase, leading zeros dropped, the
// longest run of two or more zero groups as "::".
Buffer ipv6_text(const unsigned char (&bytes)[16]) {
  std::uint16_t groups[8];
  for (int i = 0; i < 8; ++i)
    groups[i] = static_cast<std::uint16_t>(bytes[2 * i] << 8 | bytes[2 * i + 1]);
  int best_start = -1, best_length = 0;
  for (int i = 0; i < 8;) {
    if (groups[i] != 0) {
      ++i;
      continue;
    }
    int start = i;
    while (i < 8 && groups[i] == 0) ++i;
    if (i - start > best_length && i - start >= 2) {
      best_start = start;
      best_length = i - start;
    }
  }
  Buffer out;
  for (int i = 0; i < 8; ++i) {
    if (i == best_start) {
      out.append("::");
      i += best_length - 1;
      continue;
    }
    if (i > 0 && i != best_start + best_length) out.append(':');
    out.append_number(groups[i], 16);
  }
  return out;
}

Result<std::uint16_t> port_of(std::string_view text, std::string_view scheme) {
  if (text.empty()) {  // "http://host:/": an empty port is the default one (RFC 3986 §3.2.3)
    std::uint16_t port = default_port(scheme);
    if (port == 0)
      return fail(Errc::invalid_argument, "uri: no port, and the scheme has no default one");
    return port;
  }
  std::uint32_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return fail(Errc::invalid_argument, "uri: the port is not a number");
    value = value * 10 + static_cast<std::uint32_t>(c - '0');
    if (value > 65535) return fail(Errc::invalid_argument, "uri: the port is above 65535");
  }
  if (value == 0) return fail(Errc::invalid_argument, "uri: port 0 cannot be connected to");
  return static_cast<std::uint16_t>(value);
}

}  // namespace

Result<Uri> Uri::parse(std::string_view text) {
  ParsedUri parsed;
  if (auto ok = parsed.parse(text); !ok) return std::unexpected(ok.error());
  const UriUriA& uri = *parsed;
  if (!present(uri.scheme))
    return fail(Errc::invalid_argument, "uri: a relative reference, not an absolute URI");
  if (present(uri.userInfo))
    return fail(Errc::invalid_argument, "uri: userinfo (user:password@) is refused in a URI");
  if (!present(uri.hostText) || text_of(uri.hostText).empty())
    return fail(Errc::invalid_argument, "uri: no host");
  if (uri.hostData.ipFuture.first != nullptr)
    return fail(Errc::invalid_argument, "uri: an IPvFuture host literal is not supported");

  Uri result;
  result.scheme_ = lowercased(text_of(uri.scheme));
  result.host_ = uri.hostData.ip6 != nullptr ? ipv6_text(uri.hostData.ip6->data)
                                             : lowercased(text_of(uri.hostText));
  result.host_kind_ = uri.hostData.ip6 != nullptr   ? HostKind::ipv6
                      : uri.hostData.ip4 != nullptr ? HostKind::ipv4
                                                    : HostKind::name;
  if (present(uri.portText)) {
    auto port = port_of(text_of(uri.portText), result.scheme());
    if (!port) return std::unexpected(port.error());
    result.port_ = *port;
  } else {
    result.port_ = default_port(result.scheme());
    if (result.port_ == 0)
      return fail(Errc::invalid_argument, "uri: no port, and the scheme has no default one");
  }
  result.path_ = Buffer(path_of(uri, text));
  result.has_query_ = present(uri.query);
  result.query_ = Buffer(text_of(uri.query));
  result.fragment_ = Buffer(text_of(uri.fragment));
  return result;
}

Result<Uri> Uri::resolve(std::string_view reference) const {
  Buffer base_text = text();
  ParsedUri base, relative, resolved;
  if (auto ok = base.parse(base_text.view()); !ok) return std::unexpected(ok.error());
  if (auto ok = relative.parse(reference); !ok) return std::unexpected(ok.error());
  int status = uriAddBaseUriExA(resolved.get(), relative.get(), base.get(), URI_RESOLVE_STRICTLY);
  if (status == URI_ERROR_MALLOC) return fail(Errc::out_of_memory, "uri: out of memory");
  if (status != URI_SUCCESS)
    return fail(Errc::invalid_argument, "uri: the reference cannot be resolved against the base");
  resolved.adopt();
  int length = 0;
  if (uriToStringCharsRequiredA(resolved.get(), &length) != URI_SUCCESS)
    return fail(Errc::invalid_argument, "uri: the resolved URI cannot be written");
  Buffer out;
  out.resize(static_cast<std::size_t>(length) + 1);
  int written = 0;
  if (uriToStringA(reinterpret_cast<char*>(out.data()), resolved.get(), length + 1, &written) !=
      URI_SUCCESS)
    return fail(Errc::invalid_argument, "uri: the resolved URI cannot be written");
  out.resize(static_cast<std::size_t>(written > 0 ? written - 1 : 0));  // without the NUL
  return parse(out.view());
}

bool Uri::port_is_default() const { return port_ == default_port(scheme()); }

Result<Buffer> Uri::decoded_path() const {
  Buffer decoded(path());
  if (decoded.empty()) return decoded;
  decoded.append('\0');  // uriparser unescapes up to a NUL
  char* first = reinterpret_cast<char*>(decoded.data());
  const char* end = uriUnescapeInPlaceExA(first, URI_FALSE, URI_BR_DONT_TOUCH);
  std::size_t length = static_cast<std::size_t>(end - first);
  for (std::size_t i = 0; i < length; ++i)
    if (first[i] == '\0')
      return fail(Errc::invalid_argument, "uri: the path decodes to a NUL byte");
  decoded.resize(length);
  return decoded;
}

Buffer Uri::request_target() const {
  Buffer target;
  target.reserve(path_.size() + query_.size() + 2);
  if (path_.empty())
    target.append('/');
  else
    target.append(path());
  if (has_query_) {
    target.append('?');
    target.append(query());
  }
  return target;
}

Buffer Uri::authority() const {
  Buffer out;
  if (host_kind_ == HostKind::ipv6) {
    out.append('[');
    out.append(host());
    out.append(']');
  } else {
    out.append(host());
  }
  if (!port_is_default()) {
    out.append(':');
    out.append_number(port_);
  }
  return out;
}

Origin Uri::origin() const { return Origin{scheme_, host_, port_}; }

Buffer Uri::text() const {
  Buffer out(scheme());
  out.append("://");
  out.append(authority().view());
  out.append(path());
  if (has_query_) {
    out.append('?');
    out.append(query());
  }
  if (!fragment_.empty()) {
    out.append('#');
    out.append(fragment());
  }
  return out;
}

}  // namespace paf
