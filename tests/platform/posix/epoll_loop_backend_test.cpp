#include "paf/posix/epoll_loop_backend.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <unistd.h>

#include <memory>

#include "paf/loop.h"

namespace paf::posix {
namespace {

// A connected, non-blocking socket pair, closed at the end of the test.
struct SocketPair {
  SocketPair() { EXPECT_EQ(socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, fds), 0); }
  ~SocketPair() {
    for (int fd : fds)
      if (fd >= 0) ::close(fd);
  }
  int fds[2] = {-1, -1};
};

class EpollLoopBackendTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = EpollLoopBackend::create();
    ASSERT_TRUE(created);
    backend = std::move(*created);
    loop = std::make_unique<Loop>(*backend);
  }
  Result<LoopExit> run_bounded() { return loop->run_until(loop->now_ns() + seconds(5)); }

  std::unique_ptr<EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
};

TEST_F(EpollLoopBackendTest, WakesWhenTheSocketBecomesReadable) {
  SocketPair pair;
  int reader = pair.fds[0], writer = pair.fds[1];
  char received = 0;
  IoEvents seen;
  ASSERT_TRUE(backend->watch(reader, [&](IoEvents events) {
    seen = events;
    ASSERT_EQ(::read(reader, &received, 1), 1);
    loop->stop();
  }));
  ASSERT_TRUE(backend->set_interest(reader, true, false));
  EXPECT_TRUE(backend->has_io_sources());
  std::uint64_t written_at = 0;
  loop->add_timer_after(milliseconds(20), [&] {
    written_at = loop->now_ns();
    ASSERT_EQ(::write(writer, "z", 1), 1);
  });
  std::uint64_t start = loop->now_ns();
  auto exit = run_bounded();
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::stopped);
  EXPECT_EQ(received, 'z');
  EXPECT_TRUE(seen.readable);
  EXPECT_FALSE(seen.writable);
  EXPECT_GE(written_at - start, milliseconds(20));
  EXPECT_LT(loop->now_ns() - start, seconds(2));
  backend->unwatch(reader);
}

TEST_F(EpollLoopBackendTest, TimersKeepTheirDeadlinesWithEpoll) {
  std::uint64_t start = loop->now_ns();
  std::uint64_t fired_at = 0;
  loop->add_timer_after(milliseconds(30), [&] { fired_at = loop->now_ns(); });
  auto exit = run_bounded();
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::no_more_work);
  EXPECT_GE(fired_at - start, milliseconds(30));
  EXPECT_LT(fired_at - start, seconds(2));
}

TEST_F(EpollLoopBackendTest, DescriptorWithoutInterestIsNotWork) {
  SocketPair pair;
  ASSERT_TRUE(backend->watch(pair.fds[0], [](IoEvents) { FAIL() << "no interest was set"; }));
  ASSERT_EQ(::write(pair.fds[1], "z", 1), 1);
  EXPECT_FALSE(backend->has_io_sources());
  auto exit = run_bounded();
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::no_more_work);
  EXPECT_FALSE(backend->watch(pair.fds[0], [](IoEvents) {})) << "watched twice";
  EXPECT_FALSE(backend->set_interest(pair.fds[1], true, false)) << "not watched";
  backend->unwatch(pair.fds[0]);
}

TEST_F(EpollLoopBackendTest, WritableInterestFiresAndHandlerMayUnwatchItself) {
  SocketPair pair;
  int calls = 0;
  ASSERT_TRUE(backend->watch(pair.fds[0], [&](IoEvents events) {
    ++calls;
    EXPECT_TRUE(events.writable);
    backend->unwatch(pair.fds[0]);
  }));
  ASSERT_TRUE(backend->set_interest(pair.fds[0], false, true));
  auto exit = run_bounded();
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::no_more_work) << "unwatching removed the last source";
  EXPECT_EQ(calls, 1);
}

TEST_F(EpollLoopBackendTest, PeerCloseIsReportedAsReadableHangup) {
  SocketPair pair;
  IoEvents seen;
  ASSERT_TRUE(backend->watch(pair.fds[0], [&](IoEvents events) {
    seen = events;
    ASSERT_TRUE(backend->set_interest(pair.fds[0], false, false));
  }));
  ASSERT_TRUE(backend->set_interest(pair.fds[0], true, false));
  ::close(pair.fds[1]);
  pair.fds[1] = -1;
  auto exit = run_bounded();
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::no_more_work);
  EXPECT_TRUE(seen.readable);
  EXPECT_TRUE(seen.hangup);
  backend->unwatch(pair.fds[0]);
}

TEST_F(EpollLoopBackendTest, EdgesComeOnceEachAndInterestOnlyCountsTheSource) {
  SocketPair pair;
  int reader = pair.fds[0], writer = pair.fds[1];
  int edges = 0;
  IoEvents seen;
  ASSERT_TRUE(backend->watch_edges(reader, [&](IoEvents events) {
    ++edges;
    seen = events;
  }));
  // Watched, but no one waits: not a source, though epoll reports its edges.
  EXPECT_FALSE(backend->has_io_sources());
  ASSERT_TRUE(backend->set_interest(reader, true, false));
  EXPECT_TRUE(backend->has_io_sources());
  ASSERT_EQ(::write(writer, "z", 1), 1);
  ASSERT_TRUE(loop->run_until(loop->now_ns() + milliseconds(50)));
  EXPECT_GE(edges, 1);
  EXPECT_TRUE(seen.readable);
  // The byte is still unread, yet edge-triggered: no new edge, no new call.
  int before = edges;
  ASSERT_TRUE(loop->run_until(loop->now_ns() + milliseconds(50)));
  EXPECT_EQ(edges, before);
  ASSERT_EQ(::write(writer, "y", 1), 1);  // new bytes: a new edge
  ASSERT_TRUE(loop->run_until(loop->now_ns() + milliseconds(50)));
  EXPECT_EQ(edges, before + 1);
  ASSERT_TRUE(backend->set_interest(reader, false, false));
  EXPECT_FALSE(backend->has_io_sources());
  backend->unwatch(reader);
}

TEST_F(EpollLoopBackendTest, NotifySoonCallsFromTheNextWaitWithoutBlocking) {
  SocketPair pair;
  int calls = 0;
  IoEvents seen{.readable = true};
  ASSERT_TRUE(backend->watch_edges(pair.fds[0], [&](IoEvents events) {
    ++calls;
    seen = events;
  }));
  // Let the edge of the registration itself (room to write) go by: a poll.
  ASSERT_TRUE(backend->wait(backend->now_ns()));
  calls = 0;
  backend->notify_soon(pair.fds[0]);
  EXPECT_EQ(calls, 0) << "never from within notify_soon()";
  EXPECT_TRUE(backend->has_io_sources());
  std::uint64_t start = loop->now_ns();
  ASSERT_TRUE(backend->wait(start + seconds(5)));
  EXPECT_EQ(calls, 1);
  EXPECT_FALSE(seen.readable || seen.writable || seen.hangup || seen.error);
  EXPECT_LT(loop->now_ns() - start, seconds(1)) << "a due notification does not block";
  EXPECT_FALSE(backend->has_io_sources());
  backend->unwatch(pair.fds[0]);
  backend->notify_soon(pair.fds[0]);  // not watched: ignored
  EXPECT_FALSE(backend->has_io_sources());
}

}  // namespace
}  // namespace paf::posix
