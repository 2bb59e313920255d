// paf's own TCP/IP stack (lwIP) on a TAP interface, for the tools that run
// over it instead of the host's sockets (--net tap:IFACE [--net-config
// WORDS]): paf-server serves on it, paf-client and paf-stress fetch over it
// through Mimic's lwIP protocols (TCP, TLS over it, DNS with the stack's
// servers, which DHCP gives).
#ifndef PAF_TOOLS_LWIP_NETWORK_H
#define PAF_TOOLS_LWIP_NETWORK_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "paf/loop.h"
#include "paf/mimic.h"
#include "paf/net.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/tap_net_device.h"
#include "paf/tls.h"

namespace paf::tools {

struct NetOptions {
  std::optional<std::string> tap_interface;  // --net tap:IFACE; none: the host's sockets
  // --net-config: the unikernel's command-line words ("ip=10.0.0.2/24
  // gw=10.0.0.1 ipv6=off"); empty: DHCP, IPv6 link-local and SLAAC.
  std::string config;
};

// Reads --net's value, "tap:IFACE"; false if it is not one.
bool parse_net(std::string_view value, NetOptions& options);

// The stack on its TAP device (the device outlives the stack's use of it).
struct LwipNetwork {
  std::unique_ptr<posix::TapNetDevice> device;
  std::optional<Stack> stack;
  std::string interface_name;
};

// How long start_lwip waits for the IPv4 address (DHCP's lease).
inline constexpr std::uint64_t kAddressTimeoutNs = seconds(30);

// Opens the TAP interface, brings the stack up on it as `config` says, and
// runs `loop` until it has its IPv4 address (at most kAddressTimeoutNs).
// Nothing, said on stderr after `tool`, if any step fails.
std::optional<LwipNetwork> start_lwip(Loop& loop, posix::EpollLoopBackend& backend,
                                      const NetOptions& options, const char* tool);

// Runs `loop` until lwIP has sent (and peers acknowledged) what closed flows
// still hold, at most `timeout_ns`: what a tool does before it exits. False,
// said on stderr, if some bytes were not delivered.
bool finish_sending(Loop& loop, LwipNetwork& network, std::uint64_t timeout_ns, const char* tool);

// Mimic's lwIP protocols over the network's stack ("dns", "tcp", "tls+tcp")
// with `tls`; `network` must outlive the context.
mimic::Ctx stack_context(LwipNetwork& network, const TlsConfig& tls);

}  // namespace paf::tools

#endif
