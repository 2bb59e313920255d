// Name resolution on the host through c-ares, driven by the epoll loop: c-ares
// says which of its sockets to watch (its socket-state callback), the backend
// watches them, and the loop's timers stand in for c-ares' timeouts. Nothing
// ever blocks: c-ares only reads and writes when the backend said it may.
#include <ares.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "paf/posix/mimic.h"

namespace paf::posix {
namespace {

Error dns_error(int status) {
  auto error = [status](Errc code, std::string_view message) {
    return Error{code, message, status};
  };
  switch (status) {
    case ARES_ENOTFOUND:
    case ARES_ENODATA:
      return error(Errc::invalid_argument, "dns: no such name");
    case ARES_ETIMEOUT:
      return error(Errc::timed_out, "dns: no answer in time");
    case ARES_ECONNREFUSED:
      return error(Errc::io_error, "dns: the server refused the query");
    case ARES_ESERVFAIL:
    case ARES_EREFUSED:
      return error(Errc::io_error, "dns: the server failed to answer");
    case ARES_ENOSERVER:
      return error(Errc::io_error, "dns: no server configured");
    case ARES_ENOMEM:
      return error(Errc::out_of_memory, "dns: out of memory");
    case ARES_EBADNAME:
      return error(Errc::invalid_argument, "dns: not a host name");
    default:
      return error(Errc::io_error, "dns: lookup failed (see detail for c-ares' status)");
  }
}

// One lookup: its own c-ares channel, the sockets c-ares opened, a timer.
class Lookup final : public mimic::Pending {
 public:
  Lookup(EpollLoopBackend& backend, Loop& loop, mimic::Ctx ctx,
         Function<void(Result<mimic::Ctx>)> done)
      : backend_(backend), loop_(loop), ctx_(std::move(ctx)), done_(std::move(done)) {}
  Lookup(const Lookup&) = delete;
  Lookup& operator=(const Lookup&) = delete;
  ~Lookup() override {
    if (timer_ != TimerId{}) loop_.cancel_timer(timer_);
    // Its own callback runs with ARES_EDESTRUCTION, and is ignored: done_ is
    // only called from the loop, after an answer was kept.
    if (channel_ != nullptr) ares_destroy(channel_);
    for (int fd : watched_) backend_.unwatch(fd);
  }

  Result<void> start(const DnsConfig& config, const std::string& servers) {
    ares_options options{};
    options.sock_state_cb = &Lookup::on_socket_state;
    options.sock_state_cb_data = this;
    options.timeout = static_cast<int>(std::max<std::uint64_t>(config.timeout / 1'000'000, 1));
    options.tries = config.tries;
    int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES;
    if (int status = ares_init_options(&channel_, &options, mask); status != ARES_SUCCESS) {
      channel_ = nullptr;
      return std::unexpected(dns_error(status));
    }
    if (!servers.empty())
      if (int status = ares_set_servers_ports_csv(channel_, servers.c_str());
          status != ARES_SUCCESS)
        return fail(Errc::invalid_argument, "dns: the servers are not ip:port, ...", status);
    ares_addrinfo_hints hints{};
    hints.ai_family = AF_UNSPEC;
    const Buffer& host = *ctx_.find(mimic::keys::host);
    std::string name(host.view());
    // Answers may come at once (an IP literal, /etc/hosts): kept, and given
    // to done from the loop.
    ares_getaddrinfo(channel_, name.c_str(), nullptr, &hints, &Lookup::on_answer, this);
    schedule_timeout();
    return {};
  }

 private:
  static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable) {
    auto* self = static_cast<Lookup*>(data);
    bool watched =
        std::find(self->watched_.begin(), self->watched_.end(), fd) != self->watched_.end();
    if (!readable && !writable) {  // c-ares is about to close it
      if (watched) {
        self->backend_.unwatch(fd);
        std::erase(self->watched_, fd);
      }
      return;
    }
    if (!watched) {
      auto ok =
          self->backend_.watch(fd, [self, fd](IoEvents events) { self->on_events(fd, events); });
      if (!ok) return;  // c-ares' own timeout then ends the query
      self->watched_.push_back(fd);
    }
    (void)self->backend_.set_interest(fd, readable != 0, writable != 0);
  }

  void on_events(int fd, IoEvents events) {
    bool readable = events.readable || events.hangup || events.error;
    ares_process_fd(channel_, readable ? fd : ARES_SOCKET_BAD,
                    events.writable ? fd : ARES_SOCKET_BAD);
    schedule_timeout();
  }

  void schedule_timeout() {
    if (timer_ != TimerId{}) loop_.cancel_timer(timer_);
    timer_ = {};
    if (answered_) return;
    timeval wait{};
    if (ares_timeout(channel_, nullptr, &wait) == nullptr) return;  // nothing pending
    std::uint64_t delay = static_cast<std::uint64_t>(wait.tv_sec) * 1'000'000'000 +
                          static_cast<std::uint64_t>(wait.tv_usec) * 1'000;
    timer_ = loop_.add_timer_after(delay, [this] {
      timer_ = {};
      ares_process_fd(channel_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
      schedule_timeout();
    });
  }

  static void on_answer(void* arg, int status, int, ares_addrinfo* result) {
    auto* self = static_cast<Lookup*>(arg);
    if (status == ARES_EDESTRUCTION || self->answered_) {
      if (result != nullptr) ares_freeaddrinfo(result);
      return;
    }
    self->answered_ = true;
    if (status != ARES_SUCCESS) {
      self->answer_ = std::unexpected(dns_error(status));
    } else {
      std::vector<Buffer> addresses;
      for (ares_addrinfo_node* node = result != nullptr ? result->nodes : nullptr; node != nullptr;
           node = node->ai_next) {
        char text[INET6_ADDRSTRLEN] = {};
        const void* address = node->ai_family == AF_INET6
                                  ? static_cast<const void*>(
                                        &reinterpret_cast<sockaddr_in6*>(node->ai_addr)->sin6_addr)
                                  : static_cast<const void*>(
                                        &reinterpret_cast<sockaddr_in*>(node->ai_addr)->sin_addr);
        if (::inet_ntop(node->ai_family, address, text, sizeof text) != nullptr)
          addresses.emplace_back(std::string_view(text));
      }
      if (addresses.empty())
        self->answer_ = std::unexpected(dns_error(ARES_ENODATA));
      else
        self->answer_ = std::move(addresses);
    }
    if (result != nullptr) ares_freeaddrinfo(result);
    // Out of c-ares before anyone may destroy the channel.
    self->loop_.post([self, alive = std::weak_ptr<char>(self->alive_)] {
      if (!alive.expired()) self->report();
    });
  }

  void report() {
    Result<mimic::Ctx> outcome =
        answer_ ? Result<mimic::Ctx>(ctx_.with(mimic::keys::addresses, std::move(*answer_)))
                : Result<mimic::Ctx>(std::unexpected(answer_.error()));
    // `done` may destroy this object: nothing runs after it.
    Function<void(Result<mimic::Ctx>)> done = std::move(done_);
    done(std::move(outcome));
  }

  EpollLoopBackend& backend_;
  Loop& loop_;
  mimic::Ctx ctx_;
  Function<void(Result<mimic::Ctx>)> done_;
  ares_channel_t* channel_ = nullptr;
  std::vector<int> watched_;
  TimerId timer_;
  bool answered_ = false;
  Result<std::vector<Buffer>> answer_ = std::vector<Buffer>{};
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

}  // namespace

mimic::Derivation dns_derivation(EpollLoopBackend& backend, DnsConfig config) {
  std::string servers(config.servers);
  return mimic::Derivation{
      "dns",
      {&mimic::keys::host},
      &mimic::keys::addresses,
      [&backend, config, servers](
          const mimic::Ctx& ctx, Loop& loop,
          Function<void(Result<mimic::Ctx>)> done) -> Result<std::unique_ptr<mimic::Pending>> {
        auto lookup = std::make_unique<Lookup>(backend, loop, ctx, std::move(done));
        if (auto started = lookup->start(config, servers); !started)
          return std::unexpected(started.error());
        return lookup;
      }};
}

}  // namespace paf::posix
