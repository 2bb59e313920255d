// URIs from outside: what a user gives the URI client, and a server's
// Location (a redirect's reference, resolved against the request's URI).
// Input: a URI, then (after the first newline, if any) a reference.
#include "paf/uri.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

using paf::Uri;

// What holds of any URI parse() accepted.
void check(const Uri& uri) {
  if (uri.scheme() != "http" && uri.scheme() != "https" && uri.port_is_default()) std::abort();
  if (uri.port() == 0 || uri.host().empty()) std::abort();
  paf::Buffer target = uri.request_target();
  if (target.empty() || target.view().front() != '/') std::abort();
  if (target.view().find('#') != std::string_view::npos) std::abort();
  if (auto decoded = uri.decoded_path();
      decoded && decoded->view().find('\0') != std::string_view::npos)
    std::abort();
  // The whole URI again parses to the same parts.
  paf::Buffer text = uri.text();
  auto again = Uri::parse(text.view());
  if (!again) std::abort();
  if (again->scheme() != uri.scheme() || again->host() != uri.host() ||
      again->port() != uri.port() || again->path() != uri.path() ||
      again->query() != uri.query() || again->has_query() != uri.has_query())
    std::abort();
  if (!(again->origin() == uri.origin())) std::abort();
  (void)uri.authority();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.find('\n');
  const std::string_view text = input.substr(0, newline);
  auto uri = Uri::parse(text);
  if (!uri) return 0;
  check(*uri);
  if (newline == std::string_view::npos) return 0;
  auto resolved = uri->resolve(input.substr(newline + 1));
  if (resolved) check(*resolved);
  return 0;
}
