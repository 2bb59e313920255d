// paf::Buffer, owned and borrowed, and the output queue, which sends a
// borrowed buffer without copying it and moves bytes between queues copying
// as little as it can.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <string_view>
#include <utility>

#include "http/output_queue.h"
#include "paf/buffer.h"
#include "support/text_bytes.h"

namespace paf {
namespace {

using paf::testing::bytes_of;

constexpr std::string_view kStatic = "static bytes, built into the program";

TEST(Buffer, ABorrowedBufferViewsItsBytesWithoutCopyingThem) {
  Buffer buffer = Buffer::borrow(bytes_of(kStatic));
  EXPECT_TRUE(buffer.is_borrowed());
  EXPECT_EQ(buffer.view(), kStatic);
  EXPECT_EQ(buffer.size(), kStatic.size());
  EXPECT_EQ(buffer.bytes().data(), bytes_of(kStatic).data());
}

TEST(Buffer, TheFirstChangeCopiesBorrowedBytesAndLeavesTheirSourceAlone) {
  std::array<std::uint8_t, 3> source = {'a', 'b', 'c'};
  Buffer buffer = Buffer::borrow(source);
  buffer.append("d");
  EXPECT_FALSE(buffer.is_borrowed());
  EXPECT_EQ(buffer.view(), "abcd");
  buffer.data()[0] = 'z';
  EXPECT_EQ(source[0], 'a');
  Buffer cleared = Buffer::borrow(source);
  cleared.clear();
  EXPECT_TRUE(cleared.empty());
}

TEST(Buffer, ABufferMovedFromIsEmptyOwnedOrBorrowed) {
  Buffer borrowed = Buffer::borrow(bytes_of(kStatic));
  Buffer taken = std::move(borrowed);
  EXPECT_EQ(taken.view(), kStatic);
  EXPECT_TRUE(borrowed.empty());  // NOLINT(bugprone-use-after-move): the contract under test
  Buffer owned("owned");
  Buffer assigned;
  assigned = std::move(owned);
  EXPECT_EQ(assigned.view(), "owned");
  EXPECT_TRUE(owned.empty());  // NOLINT(bugprone-use-after-move)
}

TEST(Buffer, CopiesOfABorrowedBufferBorrowTheSameBytes) {
  Buffer original = Buffer::borrow(bytes_of(kStatic));
  Buffer copy = original;
  EXPECT_EQ(copy.bytes().data(), original.bytes().data());
}

TEST(Buffer, ResizeZeroesWhatItAdds) {
  Buffer buffer(std::string_view("abcdef"));
  buffer.resize(1);
  buffer.resize(4);  // within its storage, where "bcd" was
  EXPECT_EQ(buffer.view(), std::string_view("a\0\0\0", 4));
  buffer.resize(1000);
  for (std::size_t i = 1; i < 1000; ++i) ASSERT_EQ(buffer.bytes()[i], 0) << i;
  buffer.append("xyz");
  EXPECT_EQ(buffer.view().substr(1000), "xyz");
}

TEST(OutputQueue, ALargeBorrowedBufferIsPresentedWhereItLies) {
  static const std::array<std::uint8_t, 64 * 1024> large{};
  http::OutputQueue queue;
  queue.append("HTTP/1.1 200 OK\r\n\r\n");
  queue.append(Buffer::borrow(large));
  auto iovecs = queue.iovecs();
  ASSERT_EQ(iovecs.size(), 2u);
  EXPECT_EQ(iovecs[1].data(), large.data());
  EXPECT_EQ(iovecs[1].size(), large.size());
  queue.consume(iovecs[0].size() + 100);
  EXPECT_EQ(queue.iovecs()[0].data(), large.data() + 100);
}

TEST(OutputQueue, ASmallBorrowedBufferIsCopiedWithItsNeighbours) {
  http::OutputQueue queue;
  queue.append("head ");
  queue.append(Buffer::borrow(bytes_of(kStatic)));
  auto iovecs = queue.iovecs();
  ASSERT_EQ(iovecs.size(), 1u);
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(iovecs[0].data()), iovecs[0].size()),
            "head " + std::string(kStatic));
}

TEST(OutputQueue, ASmallBorrowedBufferWithNothingToJoinIsQueuedWhereItLies) {
  http::OutputQueue queue;
  queue.append(Buffer::borrow(bytes_of(kStatic)));
  ASSERT_EQ(queue.iovecs().size(), 1u);
  EXPECT_EQ(queue.iovecs()[0].data(), bytes_of(kStatic).data());
  http::OutputQueue joined;
  joined.append(Buffer::borrow(bytes_of(kStatic)));
  joined.append(" and more");  // copied into storage of its own first
  ASSERT_EQ(joined.iovecs().size(), 1u);
  EXPECT_NE(joined.iovecs()[0].data(), bytes_of(kStatic).data());
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(joined.iovecs()[0].data()),
                             joined.iovecs()[0].size()),
            std::string(kStatic) + " and more");
}

std::string contents(http::OutputQueue& queue) {
  std::string text;
  for (Bytes iovec : queue.iovecs()) text.append(reinterpret_cast<const char*>(iovec.data()), iovec.size());
  return text;
}

TEST(OutputQueue, MovingTheFrontKeepsBorrowedBytesBorrowed) {
  static const std::array<std::uint8_t, 64 * 1024> large{};
  http::OutputQueue from, to;
  from.append(Buffer::borrow(large));
  from.move_front_to(to, 16 * 1024);
  ASSERT_EQ(to.iovecs().size(), 1u);
  EXPECT_EQ(to.iovecs()[0].data(), large.data());
  EXPECT_EQ(to.size(), 16u * 1024);
  EXPECT_EQ(from.size(), 48u * 1024);
  EXPECT_EQ(from.iovecs()[0].data(), large.data() + 16 * 1024);
}

TEST(OutputQueue, MovingTheFrontMovesAWholeOwnedBufferWithoutCopyingIt) {
  http::OutputQueue from, to;
  Buffer owned(std::string(8192, 'x'));
  const std::uint8_t* where = owned.bytes().data();
  from.append(std::move(owned));
  from.append("tail");
  from.move_front_to(to, 8192);
  EXPECT_EQ(to.iovecs()[0].data(), where);
  EXPECT_EQ(contents(from), "tail");
}

TEST(OutputQueue, MovingTheFrontInPiecesKeepsEveryByteInOrder) {
  http::OutputQueue from, to;
  std::string expected = "head";
  from.append("head");
  std::string middle(10000, 'm');
  for (std::size_t i = 0; i < middle.size(); ++i) middle[i] = static_cast<char>('a' + i % 26);
  from.append(Buffer(middle));
  expected += middle;
  from.append(Buffer::borrow(bytes_of(kStatic)));
  expected += kStatic;
  for (int i = 0; i < 100 && !from.empty(); ++i) from.move_front_to(to, 999);
  EXPECT_TRUE(from.empty());
  EXPECT_EQ(contents(to), expected);
}

TEST(OutputQueue, ABufferAlreadyPresentedIsCopiedNotMoved) {
  http::OutputQueue from, to;
  from.append(Buffer(std::string(8192, 'p')));
  Bytes presented = from.iovecs()[0];  // a writev may still be using it
  from.move_front_to(to, 8192);
  EXPECT_NE(to.iovecs()[0].data(), presented.data());
  EXPECT_EQ(contents(to), std::string(8192, 'p'));
}

TEST(OutputQueue, ASmallOwnedBufferWithNothingToJoinIsQueuedWithoutACopy) {
  http::OutputQueue queue;
  Buffer body;
  body.reserve(64);
  body.append("Hello World!");
  const std::uint8_t* where = body.bytes().data();
  queue.append(std::move(body));
  queue.append(" Bye");  // not presented yet: it joins the buffer
  ASSERT_EQ(queue.iovecs().size(), 1u);
  EXPECT_EQ(queue.iovecs()[0].data(), where);
  EXPECT_EQ(contents(queue), "Hello World! Bye");
  queue.consume(10);
  queue.append(" and more");  // behind a presented buffer: a new one
  EXPECT_EQ(queue.iovecs().size(), 2u);
  EXPECT_EQ(contents(queue), "d! Bye and more");
}

TEST(OutputQueue, ASmallOwnedBufferJoinsAnOpenTail) {
  http::OutputQueue queue;
  queue.append("head ");
  Buffer body(std::string_view("body"));
  const std::uint8_t* where = body.bytes().data();
  queue.append(std::move(body));
  ASSERT_EQ(queue.iovecs().size(), 1u);
  EXPECT_NE(queue.iovecs()[0].data(), where);
  EXPECT_EQ(contents(queue), "head body");
}

TEST(OutputQueue, NothingIsAddedToASmallBufferOncePresented) {
  http::OutputQueue queue;
  queue.append(Buffer(std::string_view("first")));
  Bytes presented = queue.iovecs()[0];
  queue.append(Buffer(std::string_view(" second")));  // after a large one's seal, or not
  queue.append(Buffer(std::string(8192, 'l')));
  queue.append(Buffer(std::string_view(" third")));
  EXPECT_EQ(std::string_view(reinterpret_cast<const char*>(presented.data()), presented.size()), "first");
  EXPECT_EQ(contents(queue), "first second" + std::string(8192, 'l') + " third");
  queue.consume(queue.size());
  EXPECT_TRUE(queue.empty());
  queue.append(Buffer(std::string_view("again")));
  EXPECT_EQ(contents(queue), "again");
}

}  // namespace
}  // namespace paf
