// paf::Runtime over MemoryFlow, with a small echo protocol as the Connection:
// bytes move both ways with backpressure, deadlines fire, errors and upgrades
// end the run as documented.
#include "paf/runtime.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "paf/h1.h"
#include "paf/memory_flow.h"
#include "paf/reqd.h"
#include "support/echo_connection.h"
#include "support/text_bytes.h"

namespace paf {
namespace {

using test_support::EchoConnection;

using paf::testing::bytes_of;

class RuntimeTest : public ::testing::Test {
 protected:
  // Writes `input` from the client end as the flow takes it, shuts the write
  // side, and collects what comes back until end of stream — all from the loop.
  void client_exchange(Flow& client, std::string input, bool shut = true) {
    to_send_ = std::move(input);
    shut_ = shut;
    client_ = &client;
    send_more();
    receive_more();
  }
  void send_more() {
    while (sent_ < to_send_.size()) {
      auto n = client_->write(bytes_of(std::string_view(to_send_).substr(sent_)));
      if (!n) {
        ASSERT_EQ(n.error().code, Errc::would_block);
        client_->when_writable([this] { send_more(); });
        return;
      }
      sent_ += *n;
    }
    if (shut_) {
      ASSERT_TRUE(client_->shutdown_write());
    }
  }
  void receive_more() {
    std::uint8_t buffer[777];  // an odd size: reads straddle the echo's writes
    for (;;) {
      auto n = client_->read(buffer);
      if (!n) {
        if (n.error().code != Errc::would_block) return;
        client_->when_readable([this] { receive_more(); });
        return;
      }
      if (*n == 0) {
        client_saw_eof_ = true;
        return;
      }
      received_.append(reinterpret_cast<const char*>(buffer), *n);
    }
  }
  Result<LoopExit> run() { return loop.run_until(loop.now_ns() + seconds(60)); }

  SimulatedTimeBackend clock;
  Loop loop{clock};
  std::string to_send_, received_;
  std::size_t sent_ = 0;
  bool shut_ = true, client_saw_eof_ = false;
  Flow* client_ = nullptr;
};

TEST_F(RuntimeTest, EchoesBytesAndEndsWhenBothSidesClose) {
  auto [client, server] = MemoryFlow::pair(loop);
  EchoConnection echo;
  Runtime runtime(loop, echo, *server);
  std::optional<RunOutcome> outcome;
  runtime.start([&](RunOutcome o) { outcome = o; });
  client_exchange(*client, "hello, runtime");
  ASSERT_TRUE(run());
  EXPECT_EQ(received_, "hello, runtime");
  EXPECT_TRUE(client_saw_eof_);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, RunOutcome::closed);
}

TEST_F(RuntimeTest, AWaitingRunHoldsNoReadBuffer) {
  auto [client, server] = MemoryFlow::pair(loop);
  EchoConnection echo;
  Runtime runtime(loop, echo, *server);
  EXPECT_EQ(runtime.read_buffer_bytes(), 0u);
  std::optional<RunOutcome> outcome;
  runtime.start([&](RunOutcome o) { outcome = o; });
  client_exchange(*client, "first", /*shut=*/false);
  ASSERT_TRUE(loop.run_until(loop.now_ns() + seconds(1)));
  EXPECT_EQ(received_, "first");
  EXPECT_EQ(runtime.read_buffer_bytes(), 0u);  // read, echoed, and nothing more to read
  to_send_ += std::string(40000, 'x');  // more than a read buffer: it is taken again
  shut_ = true;
  send_more();
  ASSERT_TRUE(run());
  EXPECT_EQ(received_, "first" + std::string(40000, 'x'));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, RunOutcome::closed);
}

// A handler that pauses a request body on its last bytes, and resumes it a
// turn later, gets the body's end then, though no byte comes after: what the
// engine still holds (here llhttp's end of message, queued behind the body)
// is offered again after the pause, not only when more input comes. (A
// lossy-wire test found it: an HTTP/1.1 echo that paused on its last chunk
// ended only when the connection closed.)
TEST_F(RuntimeTest, APausedBodyEndsAfterItsResumeWithoutMoreInput) {
  auto [client, server] = MemoryFlow::pair(loop);
  bool ended = false;
  std::string body;
  auto connection = H1ServerConnection::create(
      {},
      [&](Reqd& reqd) {
        BodyReader reader = reqd.request_body();
        reader.on_data([&, reader](Bytes bytes) mutable {
          body.append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
          reader.pause();
          loop.post([reader]() mutable { reader.resume(); });
        });
        reader.on_end([&, reqd](Result<void>) mutable {
          ended = true;
          (void)reqd.respond_with_string({200, {}}, "done");
        });
      },
      nullptr, [this] { return loop.now_ns(); });
  Runtime runtime(loop, *connection, *server);
  runtime.start([](RunOutcome) {});
  client_exchange(*client, "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello", /*shut=*/false);
  ASSERT_TRUE(loop.run_until(loop.now_ns() + seconds(1)));
  EXPECT_EQ(body, "hello");
  EXPECT_TRUE(ended);
  EXPECT_TRUE(received_.ends_with("done")) << received_;
}

TEST_F(RuntimeTest, StartNeverCallsBackFromWithinStart) {
  auto [client, server] = MemoryFlow::pair(loop);
  EchoConnection echo;
  Runtime runtime(loop, echo, *server);
  ASSERT_TRUE(client->shutdown_write());
  bool done = false;
  runtime.start([&](RunOutcome) { done = true; });
  EXPECT_FALSE(done);
  ASSERT_TRUE(run());
  EXPECT_TRUE(done);
}

TEST_F(RuntimeTest, MovesAMegabyteThroughSmallBuffersWithBackpressure) {
  // 1 KiB per direction on the wire, a 512-byte window in the connection and a
  // 300-byte read buffer: every stage fills up and must wait for the next.
  auto [client, server] = MemoryFlow::pair(loop, {.capacity = 1024});
  EchoConnection echo;
  echo.window = 512;
  Runtime runtime(loop, echo, *server, {.read_buffer_size = 300});
  std::string input;
  for (int i = 0; input.size() < 1024 * 1024; ++i) input += "line " + std::to_string(i) + "\n";
  bool done = false;
  runtime.start([&](RunOutcome) { done = true; });
  client_exchange(*client, input);
  ASSERT_TRUE(run());
  EXPECT_TRUE(done);
  EXPECT_EQ(received_.size(), input.size());
  EXPECT_TRUE(received_ == input);
}

// Keeps what is written to itself until release(), as a TLS flow keeps the
// records its inner flow had no room for: write_pending() says so meanwhile.
class HoldingFlow final : public Flow {
 public:
  HoldingFlow(Loop& loop, Flow& inner) : loop_(loop), inner_(inner) {}
  void release() {
    (void)inner_.write(bytes_of(held_));
    held_.clear();
    if (shut_) (void)inner_.shutdown_write();
    if (auto wakeup = std::move(writable_)) loop_.post(std::move(wakeup));
  }
  Result<std::size_t> read(MutableBytes buffer) override { return inner_.read(buffer); }
  Result<std::size_t> writev(std::span<const Bytes> buffers) override {
    std::size_t n = 0;
    for (Bytes b : buffers) held_.append(reinterpret_cast<const char*>(b.data()), b.size()), n += b.size();
    return n;
  }
  Result<void> shutdown_write() override {
    shut_ = true;
    if (held_.empty()) return inner_.shutdown_write();
    return {};
  }
  void close() override {
    closed_ = true;
    inner_.close();
  }
  void when_readable(Function<void()> wakeup) override { inner_.when_readable(std::move(wakeup)); }
  void when_writable(Function<void()> wakeup) override {
    if (held_.empty()) return loop_.post(std::move(wakeup));
    writable_ = std::move(wakeup);
  }
  bool write_pending() const override { return !closed_ && !held_.empty(); }
  std::string_view peer() const override { return "holding"; }

 private:
  Loop& loop_;
  Flow& inner_;
  std::string held_;
  bool shut_ = false, closed_ = false;
  Function<void()> writable_;
};

TEST_F(RuntimeTest, WaitsForTheFlowToPassOnWhatItHoldsBeforeClosingIt) {
  auto [client, server] = MemoryFlow::pair(loop);
  HoldingFlow holding(loop, *server);
  EchoConnection echo;
  Runtime runtime(loop, echo, holding);
  std::optional<RunOutcome> outcome;
  runtime.start([&](RunOutcome o) { outcome = o; });
  client_exchange(*client, "the last words");
  (void)loop.run_until(loop.now_ns() + seconds(1));
  EXPECT_FALSE(outcome) << "closed while the flow still held the reply";
  holding.release();
  ASSERT_TRUE(run());
  EXPECT_EQ(received_, "the last words");
  EXPECT_TRUE(client_saw_eof_);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, RunOutcome::closed);
}

// Counts the writes that reach the flow.
class CountingFlow final : public Flow {
 public:
  explicit CountingFlow(Flow& inner) : inner_(inner) {}
  int writes = 0;
  Result<std::size_t> read(MutableBytes buffer) override { return inner_.read(buffer); }
  Result<std::size_t> writev(std::span<const Bytes> buffers) override {
    ++writes;
    return inner_.writev(buffers);
  }
  Result<void> shutdown_write() override { return inner_.shutdown_write(); }
  void close() override { inner_.close(); }
  void when_readable(Function<void()> wakeup) override { inner_.when_readable(std::move(wakeup)); }
  void when_writable(Function<void()> wakeup) override { inner_.when_writable(std::move(wakeup)); }
  std::string_view peer() const override { return "counting"; }

 private:
  Flow& inner_;
};

// Ten pieces of output made one after another in one turn of the loop (an
// HTTP/2 client's requests): one write with coalesce_output, ten without.
TEST_F(RuntimeTest, CoalescedOutputGoesOutInOneWritePerTurn) {
  for (bool coalesce : {true, false}) {
    auto [client, server] = MemoryFlow::pair(loop);
    CountingFlow counting(*server);
    EchoConnection connection;
    RuntimeOptions options;
    options.coalesce_output = coalesce;
    Runtime runtime(loop, connection, counting, options);
    runtime.start([](RunOutcome) {});
    (void)loop.run_until(loop.now_ns() + milliseconds(1));
    ASSERT_EQ(counting.writes, 0);
    loop.post([&connection] {
      for (int i = 0; i < 10; ++i) connection.say("request\n");
    });
    (void)loop.run_until(loop.now_ns() + milliseconds(1));
    EXPECT_EQ(counting.writes, coalesce ? 1 : 10) << "coalesce=" << coalesce;
    std::uint8_t buffer[256];
    auto n = client->read(buffer);
    ASSERT_TRUE(n);
    EXPECT_EQ(*n, 80u);
    client->close();
    (void)loop.run_until(loop.now_ns() + milliseconds(1));
  }
}

TEST_F(RuntimeTest, ClosesAFlowThatHoldsOnPastTheLinger) {
  auto [client, server] = MemoryFlow::pair(loop);
  HoldingFlow holding(loop, *server);
  EchoConnection echo;
  Runtime runtime(loop, echo, holding, {.linger_ns = seconds(3)});
  std::optional<RunOutcome> outcome;
  runtime.start([&](RunOutcome o) { outcome = o; });
  client_exchange(*client, "never delivered");
  (void)loop.run_until(loop.now_ns() + seconds(2));
  EXPECT_FALSE(outcome);
  (void)loop.run_until(loop.now_ns() + seconds(2));
  ASSERT_TRUE(outcome) << "the linger bounds the wait";
  EXPECT_EQ(*outcome, RunOutcome::closed);
  EXPECT_EQ(received_, "");
}

TEST_F(RuntimeTest, CallsOnDeadlineAtTheConnectionsDeadline) {
  auto [client, server] = MemoryFlow::pair(loop);
  EchoConnection echo;
  echo.deadline_ns = loop.now_ns() + seconds(5);
  Runtime runtime(loop, echo, *server);
  std::uint64_t ended_at = 0;
  runtime.start([&](RunOutcome) { ended_at = loop.now_ns(); });
  client_exchange(*client, "idle soon", /*shut=*/false);
  ASSERT_TRUE(run());
  EXPECT_EQ(echo.deadlines_seen, 1);
  EXPECT_EQ(ended_at, seconds(5));
  EXPECT_EQ(received_, "idle soon");
  EXPECT_TRUE(client_saw_eof_);
}

TEST_F(RuntimeTest, AResetFlowIsReportedAndEndsTheRun) {
  auto [client, server] = MemoryFlow::pair(loop);
  EchoConnection echo;
  Runtime runtime(loop, echo, *server);
  std::optional<RunOutcome> outcome;
  runtime.start([&](RunOutcome o) { outcome = o; });
  client_exchange(*client, "then reset", /*shut=*/false);
  loop.post([&] { client->reset(); });
  ASSERT_TRUE(run());
  ASSERT_TRUE(echo.error);
  EXPECT_EQ(echo.error->code, Errc::closed);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, RunOutcome::closed);
}

TEST_F(RuntimeTest, GracefulShutdownClosesAnIdleConnection) {
  auto [client, server] = MemoryFlow::pair(loop);
  EchoConnection echo;
  Runtime runtime(loop, echo, *server);
  bool done = false;
  runtime.start([&](RunOutcome) { done = true; });
  client_exchange(*client, "before shutdown", /*shut=*/false);
  loop.add_timer_after(seconds(1), [&] { runtime.shutdown(); });
  ASSERT_TRUE(run());
  EXPECT_TRUE(done);
  EXPECT_EQ(received_, "before shutdown");
  EXPECT_TRUE(client_saw_eof_);
}

TEST_F(RuntimeTest, UpgradeFlushesThe101AndHandsTheFlowOver) {
  auto [client, server] = MemoryFlow::pair(loop);
  EchoConnection echo;
  echo.upgrade_on = "UPGRADE\n";
  Runtime runtime(loop, echo, *server);
  std::optional<RunOutcome> outcome;
  std::string leftover;
  runtime.start([&](RunOutcome o) {
    outcome = o;
    leftover.assign(reinterpret_cast<const char*>(runtime.leftover().data()),
                    runtime.leftover().size());
  });
  client_exchange(*client, "UPGRADE\nraw bytes after", /*shut=*/false);
  ASSERT_TRUE(run());
  ASSERT_TRUE(outcome);
  EXPECT_EQ(*outcome, RunOutcome::upgraded);
  EXPECT_EQ(received_, "101\n");
  EXPECT_EQ(leftover, "raw bytes after");
  // The flow stays open for the application: it can still write.
  auto n = server->write(bytes_of("from the app"));
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 12u);
}

}  // namespace
}  // namespace paf
