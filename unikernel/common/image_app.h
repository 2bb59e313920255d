// What the unikernel images (hello, fetch, acme) share: lwIP on the
// platform's NIC from the command line, waiting for its address, the serve()
// options of an image's services, and draining what was written before the
// image exits. Freestanding code: it builds for both builds.
#ifndef PAF_UNIKERNEL_COMMON_IMAGE_APP_H
#define PAF_UNIKERNEL_COMMON_IMAGE_APP_H

#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>

#include "paf/loop.h"
#include "paf/net.h"
#include "paf/platform_loop_backend.h"
#include "paf/platform_net_device.h"
#include "paf/service.h"

namespace paf::image {

struct Network {
  std::unique_ptr<PlatformNetDevice> device;  // the stack's; outlives it
  std::optional<Stack> stack;
  bool dhcp = false;  // no ip= on the command line
};

// lwIP on the NIC "service0", configured by the command line's words (ip=,
// gw=, dns=, ipv6=), once it has its address (DHCP may take a while: at most
// `timeout_ns`). None when it cannot be had, after a console line "APP: why".
std::optional<Network> bring_up_network(PlatformLoopBackend& backend, Loop& loop,
                                        std::string_view cmdline, const char* app,
                                        std::uint64_t timeout_ns);

// Options for serve(): the loop stops once the last of `serving` services
// has stopped (each call counts one more); a connection refused (a failed
// TLS handshake, a silent client) is a console line "APP: peer: why" and
// ends that connection only. `loop` and `serving` must outlive the services.
ServeOptions serve_options(Loop& loop, int& serving, const char* app);

// A console line "APP: heap: N KiB in use, high-water M KiB, of T KiB" now
// (mallinfo2(): paf's libc counts its high-water mark; a hosted C library
// may not, and the line then has none). lwIP's own pools are static, not in it.
void report_heap(const char* app);
// report_heap() every `period_ns` while the loop runs.
void report_heap_every(Loop& loop, const char* app, std::uint64_t period_ns);

// Runs the loop until lwIP has delivered every byte written (the peers'
// ACKs), at most `limit_ns`: exiting earlier would cut the last responses.
void drain(Loop& loop, const Stack& stack, std::uint64_t limit_ns);

}  // namespace paf::image

#endif
