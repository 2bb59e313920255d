// serve(): accepts, drives each connection with a Runtime, and shuts down
// gracefully when the stop switch turns off.
#include <cstdint>
#include <map>
#include <memory>
#include <utility>
#include <vector>

#include "paf/runtime.h"
#include "paf/service.h"

namespace paf {
namespace {

// How long to wait before accepting again after the platform refused (out
// of descriptors or memory): retrying at once would spin.
constexpr std::uint64_t kAcceptRetryDelayNs = milliseconds(100);

// One served connection. Members are destroyed in reverse: the runtime (which
// uses the other two) first, the flow last.
struct Session {
  std::unique_ptr<Flow> flow;
  std::unique_ptr<Connection> connection;
  std::unique_ptr<Runtime> runtime;
};

// The state of one serve() call. It owns itself: it is deleted once the
// switch is off and every session is gone.
class Server {
 public:
  Server(Loop& loop, Service service, Listener& listener, Switch& stop, ServeOptions options)
      : loop_(loop), service_(std::move(service)), listener_(listener), stop_(stop),
        options_(std::move(options)) {}

  void start() {
    // Registered first: if the switch is already off, the hook runs now.
    stop_.on_turn_off([this] { begin_shutdown(); });
    if (!stopping_) accept_all();
  }

 private:
  void accept_all() {
    while (!stopping_) {
      if (options_.max_connections != 0 && sessions_.size() >= options_.max_connections) {
        waiting_for_room_ = true;  // end_session() accepts again
        return;
      }
      auto accepted = listener_.accept();
      if (!accepted) {
        Errc code = accepted.error().code;
        if (code == Errc::would_block)
          listener_.when_acceptable([this] { accept_all(); });
        else if (code != Errc::closed)
          retry_timer_ = loop_.add_timer_after(kAcceptRetryDelayNs, [this] {
            retry_timer_ = {};
            accept_all();
          });
        return;
      }
      start_session(std::move(*accepted));
    }
  }

  void start_session(std::unique_ptr<Flow> accepted) {
    auto served = service_.serve_flow(std::move(accepted), loop_);
    if (!served) return;  // the flow was dropped, and closed with it
    auto session = std::make_unique<Session>();
    session->flow = std::move(served->flow);
    session->connection = std::move(served->connection);
    session->runtime = std::make_unique<Runtime>(loop_, *session->connection, *session->flow);
    std::uint64_t id = next_session_id_++;
    Runtime& runtime = *session->runtime;
    sessions_.emplace(id, std::move(session));
    runtime.start([this, id](RunOutcome) { end_session(id); });
  }

  void end_session(std::uint64_t id) {
    sessions_.erase(id);
    if (stopping_) return finish_if_done();
    if (waiting_for_room_) {
      waiting_for_room_ = false;
      accept_all();
    }
  }

  void begin_shutdown() {
    stopping_ = true;
    listener_.close();
    if (retry_timer_ != TimerId{}) loop_.cancel_timer(retry_timer_);
    retry_timer_ = {};
    // shutdown() may end a run; its on_done comes later, from the loop.
    std::vector<std::uint64_t> ids;
    for (auto& [id, session] : sessions_) ids.push_back(id);
    for (std::uint64_t id : ids)
      if (auto found = sessions_.find(id); found != sessions_.end()) found->second->runtime->shutdown();
    if (!sessions_.empty())
      grace_timer_ = loop_.add_timer_after(options_.shutdown_grace_ns, [this] {
        grace_timer_ = {};
        sessions_.clear();  // closes the flows of those still running
        finish_if_done();
      });
    else
      // Never from within turn_off(): the owner may still be using the switch.
      loop_.post([this] { finish_if_done(); });
  }

  void finish_if_done() {
    if (!sessions_.empty() || finished_) return;
    finished_ = true;
    if (grace_timer_ != TimerId{}) loop_.cancel_timer(grace_timer_);
    Function<void()> on_stopped = std::move(options_.on_stopped);
    delete this;
    if (on_stopped) on_stopped();
  }

  Loop& loop_;
  Service service_;
  Listener& listener_;
  Switch& stop_;
  ServeOptions options_;
  std::map<std::uint64_t, std::unique_ptr<Session>> sessions_;
  std::uint64_t next_session_id_ = 1;
  TimerId retry_timer_, grace_timer_;
  bool stopping_ = false, waiting_for_room_ = false, finished_ = false;
};

}  // namespace

void serve(Loop& loop, Service service, Listener& listener, Switch& stop, ServeOptions options) {
  auto* server = new Server(loop, std::move(service), listener, stop, std::move(options));
  server->start();
}

}  // namespace paf
