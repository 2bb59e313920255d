// with_uri(): a URI's parts as the keys the protocols read (paf-le-chien's
// CoHTTP layer does the same with Mimic).
#include <vector>

#include "paf/mimic.h"

namespace paf::mimic {

Result<Ctx> with_uri(const Ctx& ctx, const Uri& uri) {
  Ctx out = ctx.with(keys::host, Buffer(uri.host())).with(keys::port, uri.port());
  // An IP literal needs no lookup; a name drops addresses a previous URI left.
  if (uri.host_kind() == HostKind::name)
    out = out.without(keys::addresses);
  else
    out = out.with(keys::addresses, std::vector<Buffer>{Buffer(uri.host())});
  if (!uri.is_secure()) return out.without(keys::tls).without(keys::tls_server_name);
  if (!ctx.contains(keys::tls))
    return fail(Errc::invalid_argument,
                "mimic: an https URI, but the context has no TLS configuration (keys::tls)");
  return out.with(keys::tls_server_name, Buffer(uri.host()));
}

}  // namespace paf::mimic
