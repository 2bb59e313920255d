#include <cstring>
#include <utility>

#include "address.h"
#include "lwip/dns.h"
#include "lwip_core.h"
#include "paf/net.h"
#include "stack_interface.h"

namespace paf {
namespace {

// One lookup in flight. lwIP cannot cancel a lookup, so the query owns itself
// until lwIP answers, and hands the answer to whichever loop lwIP runs on then.
struct DnsQuery {
  Function<void(Result<AddressText>)> on_resolved;
};

void answer(DnsQuery* raw_query, Result<AddressText> result) {
  std::unique_ptr<DnsQuery> query(raw_query);
  Loop* loop = net::lwip_loop();
  if (loop == nullptr) return;  // every Stack is gone: no one to tell
  loop->post([on_resolved = std::move(query->on_resolved), result]() mutable { on_resolved(result); });
}

// Runs inside lwIP.
void on_dns_answer(const char*, const ip_addr_t* address, void* arg) {
  if (address == nullptr)
    return answer(static_cast<DnsQuery*>(arg), fail(Errc::io_error, "dns: no address for the name"));
  answer(static_cast<DnsQuery*>(arg), net::address_text(*address));
}

}  // namespace

Stack::Stack(std::unique_ptr<StackInterface> interface) : interface_(std::move(interface)) {}
Stack::Stack(Stack&&) noexcept = default;
Stack& Stack::operator=(Stack&&) noexcept = default;
Stack::~Stack() = default;

Result<Stack> Stack::create(Loop& loop, NetDevice& device, StackConfig config) {
  auto interface = StackInterface::create(loop, device, config);
  if (!interface) return std::unexpected(interface.error());
  return Stack(std::move(*interface));
}

Result<Stack> Stack::from_cmdline(Loop& loop, NetDevice& device, std::string_view cmdline) {
  auto config = StackConfig::parse(cmdline);
  if (!config) return std::unexpected(config.error());
  return create(loop, device, std::move(*config));
}

bool Stack::ready() const { return interface_->ready(); }
void Stack::when_ready(Function<void()> callback) { interface_->when_ready(std::move(callback)); }
AddressText Stack::ipv4_address() const { return interface_->ipv4_address(); }
AddressText Stack::ipv6_link_local_address() const { return interface_->ipv6_link_local_address(); }
AddressText Stack::ipv6_address() const { return interface_->ipv6_address(); }
void Stack::when_ipv6_ready(Function<void()> callback) {
  interface_->when_ipv6_ready(std::move(callback));
}

bool Stack::all_sent() const { return StackInterface::all_sent(); }
void Stack::when_all_sent(Function<void()> callback) {
  interface_->when_all_sent(std::move(callback));
}

Result<std::unique_ptr<Listener>> Stack::listen(std::uint16_t port, std::size_t backlog) {
  return interface_->listen(port, backlog);
}

Result<std::unique_ptr<Flow>> Stack::connect(std::string_view ip, std::uint16_t port) {
  return interface_->connect(ip, port);
}

void Stack::resolve(std::string_view name, Function<void(Result<AddressText>)> on_resolved) {
  auto* query = new DnsQuery{std::move(on_resolved)};
  char terminated[DNS_MAX_NAME_LENGTH + 1];
  if (name.empty() || name.size() > DNS_MAX_NAME_LENGTH)
    return answer(query, fail(Errc::invalid_argument, "dns: name empty or too long"));
  std::memcpy(terminated, name.data(), name.size());
  terminated[name.size()] = '\0';
  net::LwipCall call;
  ip_addr_t address;
  err_t started = dns_gethostbyname_addrtype(terminated, &address, on_dns_answer, query,
                                             LWIP_DNS_ADDRTYPE_IPV4_IPV6);
  if (started == ERR_OK) return answer(query, net::address_text(address));  // a literal, or cached
  if (started != ERR_INPROGRESS) answer(query, fail(Errc::io_error, "dns: cannot look the name up", started));
}

}  // namespace paf
