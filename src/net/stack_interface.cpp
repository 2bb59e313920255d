#include "stack_interface.h"

#include <array>
#include <cstring>
#include <utility>

#include "address.h"
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcp.h"
#include "lwip_core.h"
#include "netif/ethernet.h"
#include "tcp_flow.h"
#include "tcp_listener.h"

namespace paf {
namespace {

// Pieces of a pbuf chain sent without flattening; a longer chain is copied.
constexpr std::size_t kMaxGatheredPieces = 16;

StackInterface* interface_of(netif* interface) { return static_cast<StackInterface*>(interface->state); }

ip4_addr_t netmask(std::uint8_t prefix_length) {
  ip4_addr_t mask;
  ip4_addr_set_u32(&mask, lwip_htonl(prefix_length == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix_length)));
  return mask;
}

}  // namespace

StackInterface::StackInterface(Loop& loop, NetDevice& device)
    : loop_(loop),
      device_(device),
      ready_wakeup_(loop),
      ipv6_wakeup_(loop),
      all_sent_wakeup_(loop) {}

Result<std::unique_ptr<StackInterface>> StackInterface::create(Loop& loop, NetDevice& device,
                                                               const StackConfig& config) {
  if (config.ipv4_prefix_length > 32) return fail(Errc::invalid_argument, "net: IPv4 prefix longer than 32");
  if (config.dns_servers.size() > DNS_MAX_SERVERS)
    return fail(Errc::invalid_argument, "net: more DNS servers than lwIP keeps (2)");
  if (device.mtu() < 576 || device.mtu() > 0xffff)
    return fail(Errc::invalid_argument, "net: device MTU out of range");
  if (auto attached = net::attach_lwip(loop); !attached) return std::unexpected(attached.error());
  std::unique_ptr<StackInterface> interface(new StackInterface(loop, device));
  if (auto started = interface->start(config); !started) return std::unexpected(started.error());
  return interface;
}

Result<void> StackInterface::start(const StackConfig& config) {
  net::LwipCall call;
  ip4_addr_t address{}, mask{}, gateway{};  // all zero: DHCP fills them in
  if (config.ipv4) {
    address = net::to_lwip(*config.ipv4);
    mask = netmask(config.ipv4_prefix_length);
    if (config.gateway) gateway = net::to_lwip(*config.gateway);
  }
  if (netif_add(&netif_, &address, &mask, &gateway, this, init_netif, ethernet_input) == nullptr)
    return fail(Errc::io_error, "net: lwIP refused the interface");
  added_ = true;
  netif_set_status_callback(&netif_, on_status_changed);
  if (netif_default == nullptr) netif_set_default(&netif_);
  for (std::size_t i = 0; i < config.dns_servers.size(); ++i) {
    ip_addr_t server;
    ip_addr_copy_from_ip4(server, net::to_lwip(config.dns_servers[i]));
    dns_setserver(static_cast<std::uint8_t>(i), &server);
  }
  if (config.ipv6) {
    netif_create_ip6_linklocal_address(&netif_, 1);
    netif_set_ip6_autoconfig_enabled(&netif_, 1);
  }
  device_.on_receive([this](Bytes frame) { receive(frame); });
  netif_set_link_up(&netif_);
  netif_set_up(&netif_);
  if (!config.ipv4) {
    if (err_t started = dhcp_start(&netif_); started != ERR_OK)
      return fail(Errc::out_of_memory, "net: cannot start DHCP", started);
    dhcp_ = true;
  }
  return {};
}

StackInterface::~StackInterface() {
  device_.on_receive(nullptr);
  ready_wakeup_.drop();
  ipv6_wakeup_.drop();
  all_sent_wakeup_.drop();
  if (all_sent_timer_) loop_.cancel_timer(*all_sent_timer_);
  if (added_) {
    net::LwipCall call;
    if (dhcp_) {
      dhcp_release_and_stop(&netif_);
      dhcp_cleanup(&netif_);  // frees its state, taken from the C library's heap
    }
    // Aborts the connections on its addresses (their resets go out first),
    // then takes it down, which forgets its ARP and neighbor entries.
    netif_remove(&netif_);
  }
  net::detach_lwip();
}

err_t StackInterface::init_netif(netif* interface) {
  StackInterface* self = interface_of(interface);
  MacAddress mac = self->device_.mac();
  interface->name[0] = 'e';
  interface->name[1] = 'n';
  interface->hwaddr_len = ETH_HWADDR_LEN;
  std::memcpy(interface->hwaddr, mac.data(), mac.size());
  interface->mtu = static_cast<std::uint16_t>(self->device_.mtu());
  interface->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET | NETIF_FLAG_IGMP |
                     NETIF_FLAG_MLD6;
  interface->output = etharp_output;
  interface->output_ip6 = ethip6_output;
  interface->linkoutput = send_frame;
  return ERR_OK;
}

// lwIP hands a frame as a pbuf chain: the device gets its pieces, uncopied.
err_t StackInterface::send_frame(netif* interface, pbuf* frame) {
  StackInterface* self = interface_of(interface);
  std::array<Bytes, kMaxGatheredPieces> pieces;
  std::size_t count = 0;
  for (pbuf* piece = frame; piece != nullptr && count < pieces.size(); piece = piece->next)
    pieces[count++] = Bytes(static_cast<const std::uint8_t*>(piece->payload), piece->len);
  Result<void> sent;
  if (pbuf_clen(frame) <= pieces.size()) {
    sent = self->device_.send(std::span(pieces.data(), count));
  } else {
    self->flat_frame_.resize(frame->tot_len);
    pbuf_copy_partial(frame, self->flat_frame_.data(), frame->tot_len, 0);
    Bytes whole(self->flat_frame_);
    sent = self->device_.send({&whole, 1});
  }
  return sent ? ERR_OK : ERR_IF;
}

void StackInterface::receive(Bytes frame) {
  if (frame.size() > 0xffff) return;  // no Ethernet frame is this long
  pbuf* packet = pbuf_alloc(PBUF_RAW, static_cast<std::uint16_t>(frame.size()), PBUF_POOL);
  if (packet == nullptr) return;  // out of buffers: lost, as on a busy NIC
  pbuf_take(packet, frame.data(), static_cast<std::uint16_t>(frame.size()));
  net::LwipCall call;
  if (netif_.input(packet, &netif_) != ERR_OK) pbuf_free(packet);
}

// Runs inside lwIP (DHCP bound, address set, interface up, an IPv6
// address's state changed).
void StackInterface::on_status_changed(netif* interface) {
  StackInterface* self = interface_of(interface);
  if (self->ready()) self->ready_wakeup_.trigger();
  if (!self->ipv6_address().empty()) self->ipv6_wakeup_.trigger();
}

bool StackInterface::ready() const { return !ip4_addr_isany_val(*netif_ip4_addr(&netif_)); }

AddressText StackInterface::ipv4_address() const {
  if (!ready()) return {};
  return net::address_text(*netif_ip_addr4(&netif_));
}

AddressText StackInterface::ipv6_link_local_address() const {
  if (!ip6_addr_isvalid(netif_ip6_addr_state(&netif_, 0))) return {};
  return net::address_text(*netif_ip_addr6(&netif_, 0));
}

bool StackInterface::all_sent() {
  // lwIP keeps a segment (the FIN included) on `unsent` or `unacked` until
  // the peer acknowledges it; pcbs in TIME_WAIT have nothing left to send.
  for (const tcp_pcb* pcb = tcp_active_pcbs; pcb != nullptr; pcb = pcb->next)
    if (pcb->unsent != nullptr || pcb->unacked != nullptr) return false;
  return true;
}

void StackInterface::when_all_sent(Function<void()> callback) {
  all_sent_wakeup_.arm(std::move(callback), all_sent());
  if (!all_sent()) watch_all_sent();
}

// Acknowledgments on any interface and lwIP's timers (a connection given up)
// make all_sent() hold; a millisecond's poll sees both, and runs only while a
// callback waits.
void StackInterface::watch_all_sent() {
  if (all_sent_timer_) return;
  all_sent_timer_ = loop_.add_timer_after(milliseconds(1), [this] {
    all_sent_timer_.reset();
    if (!all_sent_wakeup_.armed()) return;
    if (all_sent()) return all_sent_wakeup_.trigger();
    watch_all_sent();
  });
}

// Slot 0 holds the link-local address; SLAAC fills the others.
AddressText StackInterface::ipv6_address() const {
  for (s8_t slot = 1; slot < LWIP_IPV6_NUM_ADDRESSES; ++slot)
    if (ip6_addr_isvalid(netif_ip6_addr_state(&netif_, slot)) &&
        !ip6_addr_islinklocal(netif_ip6_addr(&netif_, slot)))
      return net::address_text(*netif_ip_addr6(&netif_, slot));
  return {};
}

Result<std::unique_ptr<Listener>> StackInterface::listen(std::uint16_t port, std::size_t backlog) {
  auto listener = net::TcpListener::listen(loop_, netif_, port, backlog);
  if (!listener) return std::unexpected(listener.error());
  return std::unique_ptr<Listener>(std::move(*listener));
}

Result<std::unique_ptr<Flow>> StackInterface::connect(std::string_view ip, std::uint16_t port) {
  if (ip.size() > AddressText::kCapacity) return fail(Errc::invalid_argument, "net: not an IP address");
  AddressText text(ip);
  ip_addr_t address;
  if (ipaddr_aton(text.c_str(), &address) == 0) return fail(Errc::invalid_argument, "net: not an IP address");
  net::LwipCall call;
  tcp_pcb* pcb = tcp_new_ip_type(IP_GET_TYPE(&address));
  if (pcb == nullptr) return fail(Errc::out_of_memory, "tcp: no PCB left to connect with");
  tcp_bind_netif(pcb, &netif_);  // out through this interface, whatever the routes say
  return std::unique_ptr<Flow>(net::TcpFlow::connect(loop_, pcb, address, port));
}

}  // namespace paf
