#include "tcp_flow.h"

#include <algorithm>
#include <limits>
#include <utility>

#include "address.h"
#include "lwip_core.h"

namespace paf::net {
namespace {

// lwIP counts one call's bytes in a u16_t.
constexpr std::size_t kMaxLwipLength = std::numeric_limits<std::uint16_t>::max();
// Bytes a connection may queue in lwIP beyond what it has sent (Linux's
// TCP_NOTSENT_LOWAT, Apple's 16 KiB): what is in flight is bounded by the
// peer's window, and this bounds the rest, so that a peer that reads nothing
// holds little of the memory every connection shares (lwIP's heap and
// segments). An ack that opens the window sends what is queued, and the
// writer, woken by it, queues more.
constexpr std::uint32_t kNotSentLimit = 16 * 1024;

// Bytes queued in lwIP and not sent yet.
std::uint32_t not_sent(const tcp_pcb* pcb) { return pcb->snd_lbb - pcb->snd_nxt; }

// What writev may queue now.
std::size_t write_room(const tcp_pcb* pcb) {
  std::uint32_t queued = not_sent(pcb);
  std::size_t room = queued >= kNotSentLimit ? 0 : kNotSentLimit - queued;
  return std::min<std::size_t>(room, tcp_sndbuf(pcb));
}

// lwIP polls an idle connection every this many half-seconds.
constexpr std::uint8_t kPollInterval = 2;

Error tcp_error(err_t err, bool connecting) {
  switch (err) {
    case ERR_RST:
      if (connecting) return {Errc::closed, "tcp: connection refused", err};
      return {Errc::closed, "tcp: connection reset by the peer", err};
    case ERR_CLSD:
      return {Errc::closed, "tcp: connection closed", err};
    case ERR_ABRT:
      return {Errc::io_error, "tcp: connection aborted (timed out, or out of memory)", err};
    case ERR_RTE:
      return {Errc::io_error, "tcp: no route to the address", err};
    case ERR_MEM:
    case ERR_BUF:
      return {Errc::out_of_memory, "tcp: lwIP is out of memory", err};
    default:
      return {Errc::io_error, "tcp: connection failed", err};
  }
}

TcpFlow* flow_of(void* arg) { return static_cast<TcpFlow*>(arg); }

}  // namespace

std::size_t TcpFlow::ReceiveQueue::pop(MutableBytes out) {
  std::size_t done = 0;
  while (done < out.size() && !packets_.empty()) {
    pbuf* packet = packets_.front();
    std::size_t chunk = std::min<std::size_t>(out.size() - done, packet->tot_len - offset_);
    pbuf_copy_partial(packet, out.data() + done, static_cast<std::uint16_t>(chunk),
                      static_cast<std::uint16_t>(offset_));
    done += chunk;
    offset_ += chunk;
    if (offset_ == packet->tot_len) {
      pbuf_free(packet);
      packets_.pop_front();
      offset_ = 0;
    }
  }
  return done;
}

void TcpFlow::ReceiveQueue::clear() {
  for (pbuf* packet : packets_) pbuf_free(packet);
  packets_.clear();
  offset_ = 0;
}

TcpFlow::TcpFlow(Loop& loop, tcp_pcb* pcb, AddressText peer)
    : pcb_(pcb), peer_(peer), read_wakeup_(loop), write_wakeup_(loop) {}

std::unique_ptr<TcpFlow> TcpFlow::adopt(Loop& loop, tcp_pcb* pcb) {
  std::unique_ptr<TcpFlow> flow(new TcpFlow(loop, pcb, endpoint_text(pcb->remote_ip, pcb->remote_port)));
  flow->attach();
  return flow;
}

std::unique_ptr<TcpFlow> TcpFlow::connect(Loop& loop, tcp_pcb* pcb, const ip_addr_t& address,
                                          std::uint16_t port) {
  std::unique_ptr<TcpFlow> flow(new TcpFlow(loop, pcb, endpoint_text(address, port)));
  flow->attach();
  flow->connecting_ = true;
  err_t started = tcp_connect(pcb, &address, port, on_connected);
  if (started != ERR_OK) {
    tcp_close(flow->detach());  // never connected: this frees it
    flow->connecting_ = false;
    flow->error_ = tcp_error(started, true);
  }
  return flow;
}

TcpFlow::~TcpFlow() { close(); }

void TcpFlow::attach() {
  tcp_arg(pcb_, this);
  tcp_recv(pcb_, on_received);
  tcp_sent(pcb_, on_sent);
  tcp_err(pcb_, on_error);
  tcp_poll(pcb_, on_poll, kPollInterval);
  tcp_nagle_disable(pcb_);  // the application decides what goes out together
}

// Lets go of the pcb: lwIP never calls this flow about it again.
tcp_pcb* TcpFlow::detach() {
  tcp_pcb* pcb = pcb_;
  if (pcb == nullptr) return nullptr;
  tcp_arg(pcb, nullptr);
  tcp_recv(pcb, nullptr);  // lwIP then acknowledges and drops what still arrives
  tcp_sent(pcb, nullptr);
  tcp_err(pcb, nullptr);
  tcp_poll(pcb, nullptr, 0);
  pcb_ = nullptr;
  return pcb;
}

// Once both FINs are through, lwIP frees the pcb on its own (TIME_WAIT, or
// LAST_ACK's final ack) without telling anyone: hand it over now.
void TcpFlow::release_if_finished() {
  if (write_shut_ && end_of_stream_ && pcb_ != nullptr) tcp_close(detach());
}

Result<std::size_t> TcpFlow::read(MutableBytes buffer) {
  if (closed_) return fail(Errc::closed, "tcp: flow closed");
  if (buffer.empty()) return fail(Errc::invalid_argument, "tcp: read into an empty buffer");
  if (!received_.empty()) {
    std::size_t n = received_.pop(buffer);
    acknowledge(n);
    return n;
  }
  if (end_of_stream_) return 0;
  if (error_) return std::unexpected(*error_);
  return fail(Errc::would_block, connecting_ ? "tcp: still connecting" : "tcp: nothing received yet");
}

// Reopens the receive window by what the application consumed.
void TcpFlow::acknowledge(std::size_t bytes) {
  if (pcb_ == nullptr) return;
  LwipCall call;
  while (bytes > 0) {
    std::size_t chunk = std::min(bytes, kMaxLwipLength);
    tcp_recved(pcb_, static_cast<std::uint16_t>(chunk));
    bytes -= chunk;
  }
}

Result<void> TcpFlow::usable_for_writing() const {
  if (closed_) return fail(Errc::closed, "tcp: flow closed");
  if (write_shut_) return fail(Errc::closed, "tcp: write side shut down");
  if (error_) return std::unexpected(*error_);
  if (pcb_ == nullptr) return fail(Errc::closed, "tcp: connection closed");
  if (connecting_) return fail(Errc::would_block, "tcp: still connecting");
  return {};
}

Result<std::size_t> TcpFlow::writev(std::span<const Bytes> buffers) {
  if (auto usable = usable_for_writing(); !usable) return std::unexpected(usable.error());
  LwipCall call;
  std::size_t written = 0;
  bool offered = false;
  for (std::size_t i = 0; i < buffers.size(); ++i) {
    Bytes rest = buffers[i];
    offered = offered || !rest.empty();
    while (!rest.empty()) {
      std::size_t chunk = std::min({rest.size(), write_room(pcb_), kMaxLwipLength});
      if (chunk == 0) break;
      bool more = chunk < rest.size() || i + 1 < buffers.size();
      err_t err = tcp_write(pcb_, rest.data(), static_cast<std::uint16_t>(chunk),
                            TCP_WRITE_FLAG_COPY | (more ? TCP_WRITE_FLAG_MORE : 0));
      if (err == ERR_MEM) break;  // out of segments or memory: an ack frees some
      if (err != ERR_OK) {
        error_ = tcp_error(err, false);
        break;
      }
      written += chunk;
      rest = rest.subspan(chunk);
    }
    if (!rest.empty()) break;
  }
  if (written > 0) {
    tcp_output(pcb_);
    return written;
  }
  if (error_) return std::unexpected(*error_);
  if (!offered) return 0;
  write_stalled_ = true;
  return fail(Errc::would_block, "tcp: send buffer full");
}

Result<void> TcpFlow::shutdown_write() {
  if (closed_) return fail(Errc::closed, "tcp: flow closed");
  if (write_shut_) return {};
  if (error_) return std::unexpected(*error_);
  write_shut_ = true;
  if (connecting_) return {};  // the FIN follows the handshake (on_connected)
  LwipCall call;
  return send_fin();
}

Result<void> TcpFlow::send_fin() {
  if (pcb_ == nullptr) return {};
  if (err_t err = tcp_shutdown(pcb_, 0, 1); err != ERR_OK) {
    error_ = tcp_error(err, false);
    return std::unexpected(*error_);
  }
  release_if_finished();
  return {};
}

void TcpFlow::close() {
  if (closed_) return;
  closed_ = true;
  read_wakeup_.drop();
  write_wakeup_.drop();
  received_.clear();  // unread: tcp_close answers with a reset, as it should
  tcp_pcb* pcb = detach();
  if (pcb == nullptr) return;
  LwipCall call;
  if (tcp_close(pcb) != ERR_OK) tcp_abort(pcb);
}

bool TcpFlow::readable() const {
  return !received_.empty() || end_of_stream_ || error_ || pcb_ == nullptr;
}

bool TcpFlow::writable() const {
  if (error_ || pcb_ == nullptr || write_shut_) return true;  // writev says why at once
  return !connecting_ && !write_stalled_ && write_room(pcb_) > 0;
}

void TcpFlow::when_readable(Function<void()> wakeup) {
  if (!closed_) read_wakeup_.arm(std::move(wakeup), readable());
}

void TcpFlow::when_writable(Function<void()> wakeup) {
  if (!closed_) write_wakeup_.arm(std::move(wakeup), writable());
}

// lwIP's callbacks record what happened and post the wakeups; none calls the
// application.

err_t TcpFlow::on_connected(void* arg, tcp_pcb*, err_t) {
  TcpFlow* flow = flow_of(arg);
  if (flow == nullptr) return ERR_OK;
  flow->connecting_ = false;
  if (flow->write_shut_) (void)flow->send_fin();  // deferred by shutdown_write()
  flow->write_wakeup_.trigger();
  return ERR_OK;
}

err_t TcpFlow::on_received(void* arg, tcp_pcb*, pbuf* packet, err_t) {
  TcpFlow* flow = flow_of(arg);
  if (flow == nullptr) return ERR_OK;
  if (packet == nullptr) {
    flow->end_of_stream_ = true;
    flow->release_if_finished();
  } else {
    // What arrived sits in the pool every received frame comes from (lwIP's
    // PBUF_POOL_SIZE buffers): kept there until the application reads it, a
    // few connections whose bytes wait (a handler that does not read yet, a
    // client that reads its answers later) would take the whole pool, and then
    // the stack could receive nothing more, for any connection. So it is
    // copied to the heap, where the window (TCP_WND) bounds what one connection
    // holds. Out of memory: lwIP keeps the packet and offers it again.
    pbuf* kept = pbuf_clone(PBUF_RAW, PBUF_RAM, packet);
    if (kept == nullptr) return ERR_MEM;
    pbuf_free(packet);
    flow->received_.push(kept);
  }
  flow->read_wakeup_.trigger();
  return ERR_OK;
}

err_t TcpFlow::on_sent(void* arg, tcp_pcb*, std::uint16_t) {
  TcpFlow* flow = flow_of(arg);
  if (flow == nullptr) return ERR_OK;
  flow->write_stalled_ = false;
  // lwIP calls this before it sends what the ack let out, so what is queued
  // and not sent may still look too much: room in the send buffer is enough
  // to wake the writer, which runs later, from the loop, and sees the room.
  if (flow->writable() || (flow->pcb_ != nullptr && tcp_sndbuf(flow->pcb_) > 0))
    flow->write_wakeup_.trigger();
  return ERR_OK;
}

// The safety net for a write that stalled on lwIP's memory with nothing in
// flight: no ack will come to say there is room again.
err_t TcpFlow::on_poll(void* arg, tcp_pcb*) { return on_sent(arg, nullptr, 0); }

// lwIP has freed the pcb already.
void TcpFlow::on_error(void* arg, err_t err) {
  TcpFlow* flow = flow_of(arg);
  if (flow == nullptr) return;
  flow->pcb_ = nullptr;
  flow->error_ = tcp_error(err, flow->connecting_);
  flow->connecting_ = false;
  flow->read_wakeup_.trigger();
  flow->write_wakeup_.trigger();
}

}  // namespace paf::net
