// A TCP connection of lwIP as a paf::Flow.
//
// Receiving: lwIP's pbufs are queued as they arrive and copied once, into the
// reader's buffer; the window is reopened (tcp_recved) only for what the
// application read, so a slow reader closes the peer's window.
// Sending: writev copies into lwIP's send buffer (tcp_write) as far as it has
// room and fails with would_block when none is left; the wakeup comes when
// the peer acknowledges data (the sent callback).
#ifndef PAF_SRC_NET_TCP_FLOW_H
#define PAF_SRC_NET_TCP_FLOW_H

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <optional>

#include "loop_wakeup.h"
#include "lwip/tcp.h"
#include "paf/flow.h"
#include "paf/net.h"

namespace paf::net {

class TcpFlow final : public Flow {
 public:
  // A connection lwIP accepted.
  static std::unique_ptr<TcpFlow> adopt(Loop& loop, tcp_pcb* pcb);
  // Starts connecting `pcb` (new, bound to its interface); the flow reports
  // a failure to start like a failure to connect.
  static std::unique_ptr<TcpFlow> connect(Loop& loop, tcp_pcb* pcb, const ip_addr_t& address,
                                          std::uint16_t port);

  ~TcpFlow() override;

  Result<std::size_t> read(MutableBytes buffer) override;
  Result<std::size_t> writev(std::span<const Bytes> buffers) override;
  Result<void> shutdown_write() override;
  // Closes gracefully (queued bytes, then FIN); resets the connection instead
  // when received bytes were left unread, as TCP stacks do.
  void close() override;
  void when_readable(Function<void()> wakeup) override;
  void when_writable(Function<void()> wakeup) override;
  std::string_view peer() const override { return peer_.view(); }

 private:
  // Received pbufs not yet read, oldest first.
  class ReceiveQueue {
   public:
    ReceiveQueue() = default;
    ReceiveQueue(const ReceiveQueue&) = delete;
    ReceiveQueue& operator=(const ReceiveQueue&) = delete;
    ~ReceiveQueue() { clear(); }
    bool empty() const { return packets_.empty(); }
    void push(pbuf* packet) { packets_.push_back(packet); }
    // Moves up to out.size() bytes into `out`; returns how many.
    std::size_t pop(MutableBytes out);
    void clear();

   private:
    std::deque<pbuf*> packets_;
    std::size_t offset_ = 0;  // bytes of the first packet already read
  };

  TcpFlow(Loop& loop, tcp_pcb* pcb, AddressText peer);

  void attach();
  tcp_pcb* detach();
  void release_if_finished();
  void acknowledge(std::size_t bytes);
  Result<void> send_fin();
  Result<void> usable_for_writing() const;
  bool readable() const;
  bool writable() const;

  static err_t on_connected(void* arg, tcp_pcb* pcb, err_t err);
  static err_t on_received(void* arg, tcp_pcb* pcb, pbuf* packet, err_t err);
  static err_t on_sent(void* arg, tcp_pcb* pcb, std::uint16_t length);
  static err_t on_poll(void* arg, tcp_pcb* pcb);
  static void on_error(void* arg, err_t err);

  tcp_pcb* pcb_;  // null once lwIP freed it or the flow let it go
  AddressText peer_;
  ReceiveQueue received_;
  std::optional<Error> error_;
  bool connecting_ = false;
  bool end_of_stream_ = false;  // the peer's FIN arrived
  bool write_shut_ = false;
  bool write_stalled_ = false;  // lwIP ran out of memory or segments: wait for an ack
  bool closed_ = false;
  LoopWakeup read_wakeup_;
  LoopWakeup write_wakeup_;
};

}  // namespace paf::net

#endif
