// serve(): accepts, drives each connection with a Runtime, and shuts down
// gracefully when the stop switch turns off.
#include <cstdint>
#include <algorithm>
#include <memory>
#include <string_view>
#include <utility>
#include <vector>

#include "paf/runtime.h"
#include "paf/service.h"

namespace paf {
namespace {

// How long to wait before accepting again after the platform refused (out
// of descriptors or memory): retrying at once would spin.
constexpr std::uint64_t kAcceptRetryDelayNs = milliseconds(100);

// One served connection: first, while its protocol is chosen, only `pending`;
// then the rest.
struct LiveConnection {
  // The runtime borrows the connection and the flow: it goes first, the flow
  // (which closes) last, whatever the order the members are declared in.
  ~LiveConnection() {
    runtime.reset();
    connection.reset();
    flow.reset();
  }

  std::unique_ptr<PendingConnection> pending;
  std::unique_ptr<Flow> flow;
  std::unique_ptr<Connection> connection;
  std::unique_ptr<Runtime> runtime;
};

// The live connections by id. Ids only grow, so appending keeps the vector sorted
// and a binary search finds one. (A node-based std::map would need libstdc++'s
// out-of-line tree code, which the freestanding image does not link.) Each
// record stays where it is in memory while the vector moves its pointer.
class LiveConnections {
 public:
  LiveConnection& add(std::uint64_t id) {
    entries_.emplace_back(id, std::make_unique<LiveConnection>());
    return *entries_.back().second;
  }
  LiveConnection* find(std::uint64_t id) {
    auto at = locate(id);
    return at == entries_.end() ? nullptr : at->second.get();
  }
  void erase(std::uint64_t id) {
    auto at = locate(id);
    if (at != entries_.end()) entries_.erase(at);
  }
  std::vector<std::uint64_t> ids() const {
    std::vector<std::uint64_t> ids;
    ids.reserve(entries_.size());
    for (const auto& entry : entries_) ids.push_back(entry.first);
    return ids;
  }
  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  void clear() { entries_.clear(); }

 private:
  using Entry = std::pair<std::uint64_t, std::unique_ptr<LiveConnection>>;
  std::vector<Entry>::iterator locate(std::uint64_t id) {
    auto at = std::lower_bound(entries_.begin(), entries_.end(), id,
                               [](const Entry& entry, std::uint64_t key) { return entry.first < key; });
    return at != entries_.end() && at->first == id ? at : entries_.end();
  }
  std::vector<Entry> entries_;
};

// The state of one serve() call. It owns itself: it is deleted once the
// switch is off and every connection is gone.
class Server {
 public:
  Server(Loop& loop, Service service, Listener& listener, Switch& stop, ServeOptions options)
      : loop_(loop),
        service_(std::move(service)),
        listener_(listener),
        stop_(stop),
        options_(std::move(options)) {}

  void start() {
    // Registered first: if the switch is already off, the hook runs now.
    stop_.on_turn_off([this] { begin_shutdown(); });
    if (!stopping_) accept_all();
  }

 private:
  void accept_all() {
    while (!stopping_) {
      if (options_.max_connections != 0 && connections_.size() >= options_.max_connections) {
        waiting_for_room_ = true;  // end_connection() accepts again
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
      start_connection(std::move(*accepted));
    }
  }

  void start_connection(std::unique_ptr<Flow> accepted) {
    auto served = service_.serve_flow(std::move(accepted), loop_);
    if (!served) return refused({}, served.error());  // the flow was dropped, and closed with it
    std::uint64_t id = next_connection_id_++;
    LiveConnection& live = connections_.add(id);
    run_connection(live, id, std::move(*served));
  }

  // Runs what the service made: the connection, or what will choose it.
  void run_connection(LiveConnection& live, std::uint64_t id, ServedConnection served) {
    if (served.pending) {
      live.pending = std::move(served.pending);
      live.pending->start(
          [this, id](Result<ServedConnection> ready) { on_ready(id, std::move(ready)); });
      return;
    }
    if (!served.connection) {  // nothing to run: the exchange is over (see ServedConnection)
      if (served.flow) served.flow->close();
      return end_connection(id);
    }
    live.flow = std::move(served.flow);
    live.connection = std::move(served.connection);
    live.runtime = std::make_unique<Runtime>(loop_, *live.connection, *live.flow);
    if (!served.first_input.empty()) live.runtime->give_first_input(served.first_input.bytes());
    live.runtime->start([this, id](RunOutcome) { end_connection(id); });
  }

  // From a PendingConnection: it is destroyed here, so not its flow, which
  // it handed over (or closed).
  void on_ready(std::uint64_t id, Result<ServedConnection> ready) {
    LiveConnection* found = connections_.find(id);
    if (found == nullptr) return;  // not expected: destroying a PendingConnection drops its call
    LiveConnection& live = *found;
    if (!ready) {
      refused(live.pending->peer(), ready.error());
      return end_connection(id);
    }
    std::unique_ptr<PendingConnection> done = std::move(live.pending);
    run_connection(live, id, std::move(*ready));
  }

  void refused(std::string_view peer, const Error& error) {
    if (options_.on_refused) options_.on_refused(peer, error);
  }

  void end_connection(std::uint64_t id) {
    connections_.erase(id);
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
    // shutdown() may end a run; its on_done comes later, from the loop. A
    // connection whose protocol is still being chosen has nothing in flight:
    // it ends at once.
    for (std::uint64_t id : connections_.ids()) {
      LiveConnection* found = connections_.find(id);
      if (found == nullptr) continue;
      if (found->runtime)
        found->runtime->shutdown();
      else
        connections_.erase(id);
    }
    if (!connections_.empty())
      grace_timer_ = loop_.add_timer_after(options_.shutdown_grace_ns, [this] {
        grace_timer_ = {};
        connections_.clear();  // closes the flows of those still running
        finish_if_done();
      });
    else
      // Never from within turn_off(): the owner may still be using the switch.
      loop_.post([this] { finish_if_done(); });
  }

  void finish_if_done() {
    if (!connections_.empty() || finished_) return;
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
  LiveConnections connections_;
  std::uint64_t next_connection_id_ = 1;
  TimerId retry_timer_, grace_timer_;
  bool stopping_ = false, waiting_for_room_ = false, finished_ = false;
};

}  // namespace

void serve(Loop& loop, Service service, Listener& listener, Switch& stop, ServeOptions options) {
  auto* server = new Server(loop, std::move(service), listener, stop, std::move(options));
  server->start();
}

}  // namespace paf
