// Mimic's host protocols: TCP (Happy Eyeballs over connect_tcp), Unix domain
// sockets, and TLS over either; name resolution is in dns.cpp.
#include "paf/posix/mimic.h"

#include <cstdint>
#include <memory>
#include <string_view>
#include <utility>

#include "paf/posix/socket_flow.h"

namespace paf::posix {

mimic::Protocol tcp_protocol(EpollLoopBackend& backend, int priority,
                             mimic::HappyEyeballs options) {
  return mimic::tcp_protocol(
      "tcp", priority,
      [&backend](std::string_view ip, std::uint16_t port) -> Result<std::unique_ptr<Flow>> {
        auto flow = connect_tcp(backend, ip, port);
        if (!flow) return std::unexpected(flow.error());
        return std::unique_ptr<Flow>(std::move(*flow));
      },
      options);
}

mimic::Protocol unix_protocol(EpollLoopBackend& backend, int priority) {
  return mimic::Protocol{
      "unix",
      priority,
      {&mimic::keys::unix_path},
      {&mimic::keys::tls},
      [&backend](const mimic::Ctx& ctx, Loop&, Function<void(Result<mimic::Connected>)> done)
          -> Result<std::unique_ptr<mimic::Pending>> {
        auto flow = connect_unix(backend, ctx.find(mimic::keys::unix_path)->view());
        if (!flow) return std::unexpected(flow.error());
        return mimic::await_connected(
            std::move(*flow),
            [done = std::move(done)](Result<std::unique_ptr<Flow>> connected) mutable {
              if (!connected) return done(std::unexpected(connected.error()));
              done(mimic::Connected{std::move(*connected), nullptr, {}});
            });
      }};
}

mimic::Ctx with_host_protocols(const mimic::Ctx& ctx, EpollLoopBackend& backend, DnsConfig dns) {
  return ctx.with_derivation(dns_derivation(backend, dns))
      .with_protocol(unix_protocol(backend))
      .with_protocol(tcp_protocol(backend))
      .with_protocol(mimic::tls_over("tls+unix", unix_protocol(backend)))
      .with_protocol(mimic::tls_over("tls+tcp", tcp_protocol(backend)));
}

}  // namespace paf::posix
