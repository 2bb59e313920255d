#include "paf/memory_flow.h"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "support/text_bytes.h"

namespace paf {
namespace {

using paf::testing::bytes_of;

// Reads what is there now (never blocks); "" when nothing.
std::string read_available(Flow& flow, std::size_t at_most = 4096) {
  std::vector<std::uint8_t> buffer(at_most);
  auto n = flow.read(buffer);
  if (!n) return "";
  return std::string(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
}

class MemoryFlowTest : public ::testing::Test {
 protected:
  MemoryFlowPair make(MemoryFlowOptions options = {}) { return MemoryFlow::pair(loop, options); }
  void run() {
    auto exit = loop.run_until(loop.now_ns() + seconds(10));
    ASSERT_TRUE(exit);
    ASSERT_EQ(*exit, LoopExit::no_more_work);
  }

  SimulatedTimeBackend clock;
  Loop loop{clock};
};

TEST_F(MemoryFlowTest, BytesWrittenAtOneEndAreReadAtTheOther) {
  auto [client, server] = make();
  ASSERT_EQ(client->write(bytes_of("hello")).value(), 5u);
  ASSERT_EQ(server->write(bytes_of("world!")).value(), 6u);
  EXPECT_EQ(server->unread_bytes(), 5u);
  EXPECT_EQ(read_available(*server), "hello");
  EXPECT_EQ(read_available(*client), "world!");
  EXPECT_EQ(client->peer(), "memory:server");
  EXPECT_EQ(server->peer(), "memory:client");
}

TEST_F(MemoryFlowTest, ReadWouldBlockWhenNothingArrived) {
  auto [client, server] = make();
  std::array<std::uint8_t, 8> buffer{};
  auto n = server->read(buffer);
  ASSERT_FALSE(n);
  EXPECT_EQ(n.error().code, Errc::would_block);
  EXPECT_EQ(server->read(MutableBytes{}).error().code, Errc::invalid_argument);
}

TEST_F(MemoryFlowTest, WritevKeepsOrderAcrossBuffers) {
  auto [client, server] = make();
  std::array<Bytes, 3> buffers{bytes_of("ab"), bytes_of(""), bytes_of("cde")};
  ASSERT_EQ(client->writev(buffers).value(), 5u);
  EXPECT_EQ(read_available(*server), "abcde");
  std::array<Bytes, 1> nothing{bytes_of("")};
  EXPECT_EQ(client->writev(nothing).value(), 0u);
}

TEST_F(MemoryFlowTest, FullBufferTakesPartOfAWriteThenWouldBlock) {
  auto [client, server] = make({.capacity = 8});
  std::array<Bytes, 2> buffers{bytes_of("01234"), bytes_of("56789")};
  ASSERT_EQ(client->writev(buffers).value(), 8u);  // stops inside the second buffer
  auto full = client->write(bytes_of("x"));
  ASSERT_FALSE(full);
  EXPECT_EQ(full.error().code, Errc::would_block);
  EXPECT_EQ(read_available(*server, 3), "012");
  EXPECT_EQ(client->write(bytes_of("89xyz")).value(), 3u);
  EXPECT_EQ(read_available(*server), "3456789x");
}

TEST_F(MemoryFlowTest, MaxTransferForcesShortReadsAndWrites) {
  auto [client, server] = make({.max_transfer = 4});
  EXPECT_EQ(client->write(bytes_of("0123456789")).value(), 4u);
  EXPECT_EQ(client->write(bytes_of("456789")).value(), 4u);
  EXPECT_EQ(read_available(*server), "0123");
  EXPECT_EQ(read_available(*server), "4567");
}

TEST_F(MemoryFlowTest, WritableWakeupComesOnceTheReaderMakesRoom) {
  auto [client, server] = make({.capacity = 4});
  ASSERT_EQ(client->write(bytes_of("abcd")).value(), 4u);
  int wakeups = 0;
  client->when_writable([&] { ++wakeups; });
  run();
  EXPECT_EQ(wakeups, 0) << "no room yet";
  EXPECT_EQ(read_available(*server, 1), "a");
  EXPECT_EQ(wakeups, 0) << "never called from inside the peer's read";
  run();
  EXPECT_EQ(wakeups, 1);
  EXPECT_EQ(read_available(*server), "bcd");
  run();
  EXPECT_EQ(wakeups, 1) << "one-shot";
}

TEST_F(MemoryFlowTest, ReadableWakeupComesFromTheLoopOnce) {
  auto [client, server] = make();
  int wakeups = 0;
  server->when_readable([&] { ++wakeups; });
  ASSERT_TRUE(client->write(bytes_of("x")));
  ASSERT_TRUE(client->write(bytes_of("y")));
  EXPECT_EQ(wakeups, 0);
  run();
  EXPECT_EQ(wakeups, 1);
  EXPECT_EQ(read_available(*server), "xy");
}

TEST_F(MemoryFlowTest, WakeupArmedWhileAlreadyReadableComesOnTheNextTurn) {
  auto [client, server] = make();
  ASSERT_TRUE(client->write(bytes_of("x")));
  bool woken = false;
  server->when_readable([&] { woken = true; });
  EXPECT_FALSE(woken);
  run();
  EXPECT_TRUE(woken);
}

TEST_F(MemoryFlowTest, WakeupDrainedBeforeDeliveryStaysPending) {
  auto [client, server] = make();
  int wakeups = 0;
  server->when_readable([&] { ++wakeups; });
  ASSERT_TRUE(client->write(bytes_of("x")));
  EXPECT_EQ(read_available(*server), "x");  // drained before the loop delivers
  run();
  EXPECT_EQ(wakeups, 0);
  ASSERT_TRUE(client->write(bytes_of("y")));
  run();
  EXPECT_EQ(wakeups, 1);
}

TEST_F(MemoryFlowTest, ShutdownWriteGivesTheReaderEndOfStreamAfterTheData) {
  auto [client, server] = make();
  ASSERT_TRUE(client->write(bytes_of("last")));
  bool woken = false;
  ASSERT_TRUE(client->shutdown_write());
  ASSERT_TRUE(client->shutdown_write()) << "idempotent";
  EXPECT_EQ(read_available(*server), "last");
  server->when_readable([&] { woken = true; });
  run();
  EXPECT_TRUE(woken) << "end of stream is readable";
  std::array<std::uint8_t, 8> buffer{};
  EXPECT_EQ(server->read(buffer).value(), 0u);
  EXPECT_EQ(server->read(buffer).value(), 0u);
  EXPECT_EQ(client->write(bytes_of("more")).error().code, Errc::closed);
  // Half-close: the other direction still works.
  ASSERT_EQ(server->write(bytes_of("reply")).value(), 5u);
  EXPECT_EQ(read_available(*client), "reply");
}

TEST_F(MemoryFlowTest, CloseEndsBothDirectionsAndDropsItsWakeups) {
  auto [client, server] = make();
  bool client_woken = false, server_readable = false, server_writable = false;
  client->when_readable([&] { client_woken = true; });
  server->when_readable([&] { server_readable = true; });
  ASSERT_TRUE(server->write(bytes_of("unread")));  // lost with the close
  client->close();
  client->close();  // idempotent
  run();
  EXPECT_FALSE(client_woken) << "a closed flow calls no wakeup";
  EXPECT_TRUE(server_readable);
  std::array<std::uint8_t, 8> buffer{};
  EXPECT_EQ(server->read(buffer).value(), 0u);
  server->when_writable([&] { server_writable = true; });
  run();
  EXPECT_TRUE(server_writable) << "woken to learn the peer is gone";
  EXPECT_EQ(server->write(bytes_of("x")).error().code, Errc::closed);
  EXPECT_EQ(client->read(buffer).error().code, Errc::closed);
  EXPECT_EQ(client->write(bytes_of("x")).error().code, Errc::closed);
  EXPECT_FALSE(client->shutdown_write());
}

TEST_F(MemoryFlowTest, DestroyingAnEndClosesIt) {
  auto [client, server] = make();
  ASSERT_TRUE(client->write(bytes_of("bye")));
  client.reset();
  EXPECT_EQ(read_available(*server), "bye");
  std::array<std::uint8_t, 8> buffer{};
  EXPECT_EQ(server->read(buffer).value(), 0u);
}

TEST_F(MemoryFlowTest, ResetFailsEveryOperationOnBothEndsAndWakesThem) {
  auto [client, server] = make({.capacity = 2});
  ASSERT_TRUE(client->write(bytes_of("ab")));
  ASSERT_TRUE(server->write(bytes_of("cd")));
  bool client_writable = false, server_readable = false;
  client->when_writable([&] { client_writable = true; });
  server->when_readable([&] { server_readable = true; });
  server->reset();
  run();
  EXPECT_TRUE(client_writable);
  EXPECT_TRUE(server_readable);
  std::array<std::uint8_t, 8> buffer{};
  for (MemoryFlow* end : {client.get(), server.get()}) {
    EXPECT_EQ(end->read(buffer).error().code, Errc::closed) << "unread bytes are lost";
    EXPECT_EQ(end->write(bytes_of("x")).error().code, Errc::closed);
  }
}

// Pumps 100 KiB through a 1000-byte pipe in odd-sized pieces, each side driven
// only by its wakeups, as the runtime will drive a connection.
TEST_F(MemoryFlowTest, StreamThroughASmallPipeDrivenByWakeups) {
  auto [client, server] = make({.capacity = 1000, .max_transfer = 333});
  std::string sent;
  for (int i = 0; sent.size() < 100 * 1024; ++i) sent += static_cast<char>('a' + i % 26);
  std::size_t offset = 0;
  std::string received;
  int turns = 0;
  bool end_of_stream = false;

  Function<void()> pump_writer = [&] {
    ++turns;
    while (offset < sent.size()) {
      auto n = client->write(bytes_of(std::string_view(sent).substr(offset)));
      if (!n) {
        ASSERT_EQ(n.error().code, Errc::would_block);
        client->when_writable([&] { pump_writer(); });
        return;
      }
      offset += *n;
    }
    ASSERT_TRUE(client->shutdown_write());
  };
  Function<void()> pump_reader = [&] {
    ++turns;
    std::array<std::uint8_t, 700> buffer{};
    for (;;) {
      auto n = server->read(buffer);
      if (!n) {
        ASSERT_EQ(n.error().code, Errc::would_block);
        server->when_readable([&] { pump_reader(); });
        return;
      }
      if (*n == 0) {
        end_of_stream = true;
        return;
      }
      received.append(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(*n));
    }
  };
  loop.post([&] { pump_writer(); });
  loop.post([&] { pump_reader(); });
  run();
  EXPECT_TRUE(end_of_stream);
  EXPECT_EQ(received.size(), sent.size());
  EXPECT_TRUE(received == sent);
  EXPECT_LT(turns, 2000) << "each wakeup made progress";
}

}  // namespace
}  // namespace paf
