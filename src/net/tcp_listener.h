// A listening lwIP PCB as a paf::Listener. Connections lwIP completes wait in
// an accept queue as TcpFlows already (bytes that arrive before accept() are
// kept); past the backlog, new ones are refused.
#ifndef PAF_SRC_NET_TCP_LISTENER_H
#define PAF_SRC_NET_TCP_LISTENER_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>

#include "loop_wakeup.h"
#include "lwip/netif.h"
#include "lwip/tcp.h"
#include "paf/listener.h"
#include "paf/net.h"
#include "tcp_flow.h"

namespace paf::net {

class TcpListener final : public Listener {
 public:
  // Listens on `port` of every address of `interface` (IPv4 and IPv6).
  static Result<std::unique_ptr<TcpListener>> listen(Loop& loop, netif& interface,
                                                     std::uint16_t port, std::size_t backlog);
  ~TcpListener() override;

  Result<std::unique_ptr<Flow>> accept() override;
  void when_acceptable(Function<void()> wakeup) override;
  void close() override;
  std::string_view local_address() const override { return address_.view(); }
  std::optional<std::uint16_t> port() const override { return port_; }

 private:
  TcpListener(Loop& loop, tcp_pcb* pcb, std::size_t backlog);
  static err_t on_accept(void* arg, tcp_pcb* pcb, err_t err);

  Loop& loop_;
  tcp_pcb* pcb_;  // null once closed
  std::size_t backlog_;
  std::deque<std::unique_ptr<TcpFlow>> pending_;
  std::uint16_t port_;
  AddressText address_;
  LoopWakeup wakeup_;
};

}  // namespace paf::net

#endif
