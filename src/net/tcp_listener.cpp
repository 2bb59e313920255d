#include "tcp_listener.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "address.h"
#include "lwip_core.h"

namespace paf::net {
namespace {

// Where a dual-stack listener listens: every address, IPv4 and IPv6.
AddressText any_address(std::uint16_t port) {
  char text[16] = "[::]:";
  char* end = std::to_chars(text + 5, text + sizeof text, port).ptr;
  return AddressText(std::string_view(text, static_cast<std::size_t>(end - text)));
}

}  // namespace

Result<std::unique_ptr<TcpListener>> TcpListener::listen(Loop& loop, netif& interface,
                                                         std::uint16_t port, std::size_t backlog) {
  LwipCall call;
  tcp_pcb* pcb = tcp_new_ip_type(IPADDR_TYPE_ANY);
  if (pcb == nullptr) return fail(Errc::out_of_memory, "tcp: no PCB left to listen with");
  ip_set_option(pcb, SOF_REUSEADDR);  // connections in TIME_WAIT do not hold the port
  if (err_t bound = tcp_bind(pcb, IP_ANY_TYPE, port); bound != ERR_OK) {
    tcp_close(pcb);
    return fail(bound == ERR_USE ? Errc::invalid_argument : Errc::io_error,
                "tcp: cannot bind the port (in use?)", bound);
  }
  tcp_bind_netif(pcb, &interface);
  std::uint8_t lwip_backlog = static_cast<std::uint8_t>(std::min<std::size_t>(backlog, 0xff));
  err_t listened = ERR_OK;
  tcp_pcb* listening = tcp_listen_with_backlog_and_err(pcb, lwip_backlog, &listened);
  if (listening == nullptr) {
    tcp_close(pcb);
    return fail(Errc::out_of_memory, "tcp: cannot listen", listened);
  }
  std::unique_ptr<TcpListener> listener(new TcpListener(loop, listening, backlog));
  tcp_arg(listening, listener.get());
  tcp_accept(listening, on_accept);
  return listener;
}

TcpListener::TcpListener(Loop& loop, tcp_pcb* pcb, std::size_t backlog)
    : loop_(loop), pcb_(pcb), backlog_(std::max<std::size_t>(backlog, 1)),
      port_(pcb->local_port), address_(any_address(pcb->local_port)),
      wakeup_(loop) {}

TcpListener::~TcpListener() { close(); }

Result<std::unique_ptr<Flow>> TcpListener::accept() {
  if (pcb_ == nullptr) return fail(Errc::closed, "tcp: listener closed");
  if (pending_.empty()) return fail(Errc::would_block, "tcp: no connection pending");
  std::unique_ptr<Flow> flow = std::move(pending_.front());
  pending_.pop_front();
  return flow;
}

void TcpListener::when_acceptable(Function<void()> wakeup) {
  if (pcb_ != nullptr) wakeup_.arm(std::move(wakeup), !pending_.empty());
}

void TcpListener::close() {
  if (pcb_ == nullptr) return;
  LwipCall call;
  tcp_arg(pcb_, nullptr);
  tcp_accept(pcb_, nullptr);
  tcp_close(pcb_);  // a listening PCB always closes
  pcb_ = nullptr;
  wakeup_.drop();
  pending_.clear();  // each closes its connection
}

// Runs inside lwIP: queues the connection; refusing it makes lwIP reset it.
err_t TcpListener::on_accept(void* arg, tcp_pcb* pcb, err_t err) {
  auto* listener = static_cast<TcpListener*>(arg);
  if (listener == nullptr || pcb == nullptr || err != ERR_OK) return ERR_VAL;
  if (listener->pending_.size() >= listener->backlog_) return ERR_MEM;
  listener->pending_.push_back(TcpFlow::adopt(listener->loop_, pcb));
  listener->wakeup_.trigger();
  return ERR_OK;
}

}  // namespace paf::net
