// paf's TCP/IP stack: lwIP (NO_SYS, raw API) over an Ethernet NetDevice,
// driven by paf's event loop. A Stack is one network interface with its
// addresses (static IPv4 or DHCP, IPv6 link-local + SLAAC, DNS servers); its
// listeners and connections are Listeners and Flows with real TCP
// backpressure.
//
//   paf::Stack stack = *paf::Stack::from_cmdline(loop, device, "ip=10.0.2.15/24 gw=10.0.2.2");
//   paf::serve(loop, paf::http_service(hello, on_error), **stack.listen(80), stop);
//
// One lwIP per process: lwIP keeps its state in globals. Several Stacks may
// coexist (the simulations of tests join two over a SimulatedEthernet): each is an
// interface of that one lwIP, and its sockets are bound to it, so traffic
// between two Stacks crosses their devices as it would between two hosts.
// They share the loop (all Stacks of a process run on one Loop), the TCP port
// space, and the DNS servers (the last configured win).
//
// lwIP is not reentrant: every call into it happens on the loop, and its
// callbacks only record what happened and post the wakeups (paf/flow.h).
#ifndef PAF_NET_H
#define PAF_NET_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "paf/bytes.h"
#include "paf/flow.h"
#include "paf/function.h"
#include "paf/listener.h"
#include "paf/loop.h"
#include "paf/result.h"

namespace paf {

using MacAddress = std::array<std::uint8_t, 6>;

// An Ethernet device: what a Stack sends frames through and receives frames
// from (a virtio NIC through the platform contract, a TAP device, a SimulatedEthernet).
class NetDevice {
 public:
  virtual ~NetDevice() = default;

  virtual MacAddress mac() const = 0;
  // Largest payload of a frame, without the 14-byte Ethernet header.
  virtual std::size_t mtu() const = 0;

  // Sends one frame, Ethernet header included, given as consecutive pieces
  // (lwIP's pbuf chain, gathered without a copy). Success means the device
  // took it, not that it arrived: frames may be lost, as on any Ethernet.
  virtual Result<void> send(std::span<const Bytes> frame) = 0;

  // Calls `on_frame` from the loop (never from within send()) for every frame
  // received; the bytes are valid during the call only. Replaces the previous
  // receiver; an empty function stops delivery (received frames are dropped).
  virtual void on_receive(Function<void(Bytes frame)> on_frame) = 0;
};

// An IP address or endpoint as text, held inline (no allocation):
// "10.0.2.15", "fe80::200:ff:fe00:1", "10.0.2.2:51234", "[fe80::1]:80".
class AddressText {
 public:
  AddressText() = default;
  explicit AddressText(std::string_view text);  // truncated to capacity

  std::string_view view() const { return {text_.data(), size_}; }
  const char* c_str() const { return text_.data(); }
  bool empty() const { return size_ == 0; }
  friend bool operator==(const AddressText& a, const AddressText& b) { return a.view() == b.view(); }

  static constexpr std::size_t kCapacity = 63;

 private:
  std::array<char, kCapacity + 1> text_{};  // NUL-terminated, for lwIP's parsers
  std::size_t size_ = 0;
};

struct Ipv4Address {
  std::array<std::uint8_t, 4> octets{};

  // Dotted quad, "10.0.2.15"; fails on anything else.
  static Result<Ipv4Address> parse(std::string_view text);
  friend bool operator==(const Ipv4Address&, const Ipv4Address&) = default;
};

// How a Stack configures its interface.
struct StackConfig {
  std::optional<Ipv4Address> ipv4;  // a static address; none: DHCP
  std::uint8_t ipv4_prefix_length = 24;
  std::optional<Ipv4Address> gateway;
  std::vector<Ipv4Address> dns_servers;  // at most two
  bool ipv6 = true;                      // link-local address and SLAAC

  // Reads a unikernel command line: "ip=10.0.2.15/24 gw=10.0.2.2 dns=10.0.2.3
  // dns=1.1.1.1 ipv6=off". Words without one of these keys belong to the
  // application and are skipped; a known key with a malformed value fails.
  static Result<StackConfig> parse(std::string_view cmdline);
};

class StackInterface;  // lwIP's netif over a NetDevice; in src/net

class Stack {
 public:
  // Brings an interface up on `device`. The loop and the device must outlive
  // the Stack; every Stack of a process uses the same loop (invalid_argument
  // otherwise). Listeners and flows may outlive it, but fail once it is gone.
  static Result<Stack> create(Loop& loop, NetDevice& device, StackConfig config = {});
  static Result<Stack> from_cmdline(Loop& loop, NetDevice& device, std::string_view cmdline);

  Stack(Stack&&) noexcept;
  Stack& operator=(Stack&&) noexcept;
  ~Stack();

  // Whether the interface has its IPv4 address (static, or DHCP bound).
  bool ready() const;
  // Calls `callback` once, from the loop, when ready() (soon, if it is
  // already). Replaces a pending callback.
  void when_ready(Function<void()> callback);

  // The interface's IPv4 address; empty until ready().
  AddressText ipv4_address() const;
  // The IPv6 link-local address once duplicate detection accepted it; empty
  // before, or without IPv6.
  AddressText ipv6_link_local_address() const;
  // The first global IPv6 address that stateless autoconfiguration (SLAAC:
  // a router's advertised prefix + the interface's EUI-64 identifier) formed,
  // once duplicate detection accepted it; empty before, without a router
  // advertising an autonomous prefix, or without IPv6.
  AddressText ipv6_address() const;
  // Calls `callback` once, from the loop, when ipv6_address() is not empty
  // (soon, if it is already). Replaces a pending callback.
  void when_ipv6_ready(Function<void()> callback);

  // Whether every byte (and FIN) written to any TCP flow of the process was
  // acknowledged by its peer: nothing is lost by exiting now. (Flows closed
  // with data still queued keep sending after close(); an application about
  // to exit runs its loop until this holds, with a deadline of its own.)
  bool all_sent() const;
  // Calls `callback` once, from the loop, when all_sent() holds (soon, if it
  // does already): what an application about to exit waits for, with a
  // deadline of its own (a peer that stopped acknowledging never lets it
  // hold). Replaces a pending callback; an empty one cancels it.
  void when_all_sent(Function<void()> callback);

  // Listens on `port` (0: lwIP picks one) for IPv4 and IPv6 connections that
  // reach this interface. At most `backlog` connections wait for accept();
  // more are refused (RST).
  Result<std::unique_ptr<Listener>> listen(std::uint16_t port, std::size_t backlog = 16);

  // Starts connecting to `ip` ("10.0.0.2", "fe80::1": link-local addresses
  // are on this interface) and returns the flow at once: its first
  // when_writable wakeup comes when the connection is up or has failed; until
  // then read and write fail with would_block. Fails at once on an address
  // that does not parse or when lwIP is out of memory.
  Result<std::unique_ptr<Flow>> connect(std::string_view ip, std::uint16_t port);

  // Looks `name` up with the configured (or DHCP-given) DNS servers; an IP
  // address in text resolves to itself. `on_resolved` is called once, from
  // the loop, with the address or why there is none.
  void resolve(std::string_view name, Function<void(Result<AddressText>)> on_resolved);

 private:
  explicit Stack(std::unique_ptr<StackInterface> interface);
  std::unique_ptr<StackInterface> interface_;
};

}  // namespace paf

#endif
