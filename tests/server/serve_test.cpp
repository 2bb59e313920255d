// serve() with http_service over a real TCP listener on 127.0.0.1, driven by
// paf's own HTTP/1.x client: keep-alive reuse, graceful shutdown finishing an
// in-flight streaming response, and the grace deadline closing what remains.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "paf/h1.h"
#include "paf/loop.h"
#include "paf/posix/epoll_loop_backend.h"
#include "paf/posix/socket_flow.h"
#include "paf/posix/socket_listener.h"
#include "paf/runtime.h"
#include "paf/service.h"
#include "paf/switch.h"

namespace paf {
namespace {

using posix::EpollLoopBackend;

// One response as the client saw it.
struct Received {
  std::optional<int> status;
  std::string body;
  bool ended = false;
  bool failed = false;
};

// An HTTP/1.x client over one TCP connection, driven by a Runtime.
struct Client {
  std::unique_ptr<posix::SocketFlow> flow;
  std::unique_ptr<H1ClientConnection> connection;
  std::unique_ptr<Runtime> runtime;
  bool done = false;

  void get(std::string_view target, Received& into) {
    auto sent = connection->request(Request(Method::GET, target, {{"host", "test"}}),
                                    [&into](Result<Response> response, BodyReader body) {
                                      if (!response) {
                                        into.failed = into.ended = true;
                                        return;
                                      }
                                      into.status = response->status;
                                      body.on_data([&into](Bytes bytes) {
                                        into.body.append(reinterpret_cast<const char*>(bytes.data()),
                                                         bytes.size());
                                      });
                                      body.on_end([&into](Result<void> ended) {
                                        into.failed = !ended;
                                        into.ended = true;
                                      });
                                    });
    ASSERT_TRUE(sent) << sent.error().message;
  }
};

class ServeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = EpollLoopBackend::create();
    ASSERT_TRUE(created);
    backend = std::move(*created);
    loop = std::make_unique<Loop>(*backend);
    auto listening = posix::TcpListener::listen(*backend, "127.0.0.1", 0);
    ASSERT_TRUE(listening) << listening.error().message;
    listener = std::move(*listening);
  }
  void TearDown() override {
    clients.clear();
    listener.reset();
    loop.reset();
    backend.reset();
  }

  // A service that counts the connections it serves.
  Service counting_http_service(RequestHandler handler) {
    auto inner = std::make_shared<Service>(http_service(std::move(handler), default_error_reply));
    return Service([this, inner](std::unique_ptr<Flow> flow, Loop& on) {
      ++connections_served;
      return inner->serve_flow(std::move(flow), on);
    });
  }

  void serve_with(RequestHandler handler, std::uint64_t grace = seconds(5)) {
    ServeOptions options;
    options.shutdown_grace_ns = grace;
    options.on_stopped = [this] { stopped = true; };
    serve(*loop, counting_http_service(std::move(handler)), *listener, stop, std::move(options));
  }

  Client& connect() {
    auto& client = *clients.emplace_back(std::make_unique<Client>());
    auto flow = posix::connect_tcp(*backend, "127.0.0.1", *listener->port());
    EXPECT_TRUE(flow) << flow.error().message;
    client.flow = std::move(*flow);
    client.connection = H1ClientConnection::create({}, [this] { return loop->now_ns(); });
    client.runtime = std::make_unique<Runtime>(*loop, *client.connection, *client.flow);
    client.runtime->start([&client](RunOutcome) { client.done = true; });
    return client;
  }

  bool run_until(const std::function<bool()>& done, std::uint64_t timeout = seconds(10)) {
    std::uint64_t deadline = loop->now_ns() + timeout;
    while (!done()) {
      if (loop->now_ns() >= deadline) return false;
      auto ran = loop->run_until(std::min(deadline, loop->now_ns() + milliseconds(5)));
      if (!ran) return false;
    }
    return true;
  }

  std::unique_ptr<EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::unique_ptr<posix::TcpListener> listener;
  Switch stop;
  bool stopped = false;
  int connections_served = 0;
  std::vector<std::unique_ptr<Client>> clients;
};

void hello(Reqd& reqd) {
  std::string body = "you asked for " + std::string(reqd.request().target());
  (void)reqd.respond_with_string({200, {{"content-type", "text/plain"}}}, body);
}

TEST_F(ServeTest, ServesTwoRequestsOnOneConnection) {
  serve_with(hello);
  Client& client = connect();
  Received first, second;
  client.get("/one", first);
  client.get("/two", second);
  ASSERT_TRUE(run_until([&] { return first.ended && second.ended; }));
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, "you asked for /one");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "you asked for /two");
  EXPECT_EQ(connections_served, 1);

  // The idle keep-alive connection closes at once on stop.
  stop.turn_off();
  ASSERT_TRUE(run_until([&] { return stopped && client.done; }, seconds(2)));
}

TEST_F(ServeTest, StopFinishesAnInFlightStreamingResponse) {
  std::optional<BodyWriter> writer;
  serve_with([&](Reqd& reqd) {
    auto streaming = reqd.respond_with_streaming({200, {}});
    ASSERT_TRUE(streaming);
    (void)streaming->write(std::string_view("first half, "));
    writer = std::move(*streaming);
  });
  Client& client = connect();
  Received response;
  client.get("/stream", response);
  ASSERT_TRUE(run_until([&] { return response.body == "first half, "; }));

  stop.turn_off();
  run_until([] { return false; }, milliseconds(50));  // shutdown starts; nothing cut yet
  EXPECT_FALSE(response.ended);
  EXPECT_FALSE(stopped);
  // The listener is closed: a new client is refused.
  Client& late = connect();
  Received refused;
  late.get("/", refused);
  ASSERT_TRUE(run_until([&] { return late.done || refused.ended; }, seconds(2)));
  EXPECT_FALSE(refused.status.has_value());

  (void)writer->write(std::string_view("second half"));
  ASSERT_TRUE(writer->close());
  writer.reset();
  ASSERT_TRUE(run_until([&] { return response.ended && stopped && client.done; }, seconds(2)));
  EXPECT_FALSE(response.failed);
  EXPECT_EQ(response.body, "first half, second half");
  EXPECT_EQ(connections_served, 1);
}

TEST_F(ServeTest, GraceDeadlineClosesWhatRemains) {
  std::optional<BodyWriter> writer;
  serve_with(
      [&](Reqd& reqd) {
        auto streaming = reqd.respond_with_streaming({200, {}});
        ASSERT_TRUE(streaming);
        (void)streaming->write(std::string_view("never finished"));
        writer = std::move(*streaming);
      },
      milliseconds(200));
  Client& client = connect();
  Received response;
  client.get("/stuck", response);
  ASSERT_TRUE(run_until([&] { return !response.body.empty(); }));

  std::uint64_t stopped_at = loop->now_ns();
  stop.turn_off();
  ASSERT_TRUE(run_until([&] { return stopped && client.done; }, seconds(3)));
  EXPECT_GE(loop->now_ns() - stopped_at, milliseconds(200));
  EXPECT_TRUE(response.ended);
  EXPECT_TRUE(response.failed);
  // The handle outlived its connection: writes now fail.
  EXPECT_FALSE(writer->write(std::string_view("late")));
}

TEST_F(ServeTest, StopBeforeAnyConnectionReportsAtOnce) {
  serve_with(hello);
  stop.turn_off();
  ASSERT_TRUE(run_until([&] { return stopped; }, seconds(1)));
}

}  // namespace
}  // namespace paf
