// Mimic's protocols on a host (paf/mimic.h): TCP over IPv4 and IPv6 (several
// addresses tried as Happy Eyeballs does), Unix domain sockets, TLS over
// either, and name resolution through c-ares, all on the epoll loop backend.
//
//   paf::mimic::Ctx ctx = paf::posix::with_host_protocols({}, backend);
//   ctx = ctx.with(paf::mimic::keys::unix_path, paf::Buffer("/run/app.sock"))
//            .with(paf::mimic::keys::host, paf::Buffer("localhost"))
//            .with(paf::mimic::keys::port, std::uint16_t{8080});
//   auto resolving = paf::mimic::resolve(ctx, loop, on_connected);  // the socket, else TCP
#ifndef PAF_POSIX_MIMIC_H
#define PAF_POSIX_MIMIC_H

#include <string_view>
#include <vector>

#include "paf/mimic.h"
#include "paf/posix/epoll_loop_backend.h"

namespace paf::posix {

// Host TCP (connect_tcp) to keys::addresses at keys::port: "tcp", priority 20.
mimic::Protocol tcp_protocol(EpollLoopBackend& backend, int priority = 20,
                             mimic::HappyEyeballs options = {});
// A Unix domain socket (connect_unix) at keys::unix_path: "unix", priority 10.
mimic::Protocol unix_protocol(EpollLoopBackend& backend, int priority = 10);

// Where c-ares sends its queries.
struct DnsConfig {
  // "127.0.0.1:5353,[::1]:53" (c-ares' CSV form); empty: the system's
  // (/etc/resolv.conf).
  std::string_view servers = {};
  std::uint64_t timeout = seconds(2);  // per query try
  int tries = 2;
};

// Name resolution on the host, "dns": keys::host -> keys::addresses, every
// address c-ares finds (A and AAAA, sorted as RFC 6724 says); an IP literal
// resolves to itself. c-ares' sockets are watched by `backend`: a lookup never
// blocks the loop. `/etc/hosts` is read as the system resolver does.
mimic::Derivation dns_derivation(EpollLoopBackend& backend, DnsConfig config = {});

// Registers "dns", "unix", "tcp", "tls+unix" and "tls+tcp".
mimic::Ctx with_host_protocols(const mimic::Ctx& ctx, EpollLoopBackend& backend,
                               DnsConfig dns = {});

}  // namespace paf::posix

#endif
