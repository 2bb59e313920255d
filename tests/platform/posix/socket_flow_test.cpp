// SocketFlow over TCP/IPv4, TCP/IPv6 and Unix domain sockets: bytes both ways,
// end of stream, backpressure, errors, and the wakeup rules of paf/flow.h.
#include "paf/posix/socket_flow.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "paf/runtime.h"
#include "support/socket_test_support.h"
#include "support/echo_connection.h"

namespace paf::posix::test {
namespace {

using SocketFlowTest = SocketTest;

// Small socket buffers make writers wait for room often. (A receive buffer
// shrunk below a few loopback segments, 64 KiB each, stalls TCP on Linux:
// segments are dropped and retransmitted with backoff.)
void set_buffer_sizes(int fd, int send_size, int receive_size) {
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &send_size, sizeof send_size), 0);
  ASSERT_EQ(::setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &receive_size, sizeof receive_size), 0);
}

TEST_P(SocketFlowTest, MovesBytesBothWaysAndNamesThePeers) {
  Connection pair = connect_pair();
  PAF_RETURN_IF_SKIPPED_OR_FAILED();
  Writer client_writer(*pair.client, "hello from the client");
  Writer server_writer(*pair.server, "hello from the server");
  Reader client_reader(*pair.client), server_reader(*pair.server);
  for (auto* writer : {&client_writer, &server_writer}) writer->start();
  for (auto* reader : {&client_reader, &server_reader}) reader->start();
  ASSERT_TRUE(run_until([&] { return client_reader.finished() && server_reader.finished(); }));
  EXPECT_EQ(server_reader.received, "hello from the client");
  EXPECT_EQ(client_reader.received, "hello from the server");
  EXPECT_TRUE(client_reader.end_of_stream && server_reader.end_of_stream);

  EXPECT_EQ(pair.client->peer(), pair.listener->local_address());
  std::string_view server_sees = pair.server->peer();
  switch (transport()) {
    case Transport::tcp4:
      EXPECT_TRUE(server_sees.starts_with("127.0.0.1:")) << server_sees;
      break;
    case Transport::tcp6:
      EXPECT_TRUE(server_sees.starts_with("[::1]:")) << server_sees;
      break;
    case Transport::unix_socket:
      EXPECT_EQ(server_sees, "unix:" + socket_path());
      break;
  }
}

TEST_P(SocketFlowTest, ShutdownWriteGivesThePeerEndOfStreamAndReadingGoesOn) {
  Connection pair = connect_pair();
  PAF_RETURN_IF_SKIPPED_OR_FAILED();
  ASSERT_TRUE(pair.client->shutdown_write());
  ASSERT_TRUE(pair.client->shutdown_write());  // idempotent
  Reader server_reader(*pair.server);
  server_reader.start();
  ASSERT_TRUE(run_until([&] { return server_reader.finished(); }));
  EXPECT_TRUE(server_reader.end_of_stream);
  std::uint8_t byte;
  EXPECT_EQ(pair.server->read({&byte, 1}), 0u);  // end of stream stays

  auto refused = pair.client->write(bytes_of("too late"));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::closed);

  Writer server_writer(*pair.server, "still heard");
  Reader client_reader(*pair.client);
  server_writer.start();
  client_reader.start();
  ASSERT_TRUE(run_until([&] { return client_reader.finished(); }));
  EXPECT_EQ(client_reader.received, "still heard");
}

TEST_P(SocketFlowTest, SixteenMebibytesEachWayThroughSmallSocketBuffers) {
  Connection pair = connect_pair();
  PAF_RETURN_IF_SKIPPED_OR_FAILED();
  constexpr int kSend = 4096, kReceive = 128 * 1024;
  auto& server =
      static_cast<SocketFlow&>(*pair.server);  // accept() of a SocketListener gives SocketFlows
  set_buffer_sizes(pair.client->fd(), kSend, kReceive);
  set_buffer_sizes(server.fd(), kSend, kReceive);
  const std::string data = pattern(16 * 1024 * 1024);
  Writer client_writer(*pair.client, data), server_writer(server, data);
  Reader client_reader(*pair.client), server_reader(server);
  for (auto* writer : {&client_writer, &server_writer}) writer->start();
  for (auto* reader : {&client_reader, &server_reader}) reader->start();
  ASSERT_TRUE(
      run_until([&] { return client_reader.finished() && server_reader.finished(); }, seconds(60)));
  EXPECT_FALSE(client_writer.error || server_writer.error || client_reader.error ||
               server_reader.error);
  EXPECT_EQ(server_reader.received.size(), data.size());
  EXPECT_TRUE(server_reader.received == data);
  EXPECT_TRUE(client_reader.received == data);
  // The buffers were small: writers had to wait for room, again and again.
  EXPECT_GT(client_writer.would_blocks, 10u);
  EXPECT_GT(server_writer.would_blocks, 10u);
}

TEST_P(SocketFlowTest, ConnectRefusedIsReportedByTheFlow) {
  std::uint16_t port = 0;
  if (transport() == Transport::unix_socket) {
    // A socket file no one listens on, as a crashed server leaves behind.
    int stale = ::socket(AF_UNIX, SOCK_STREAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, socket_path().c_str());
    ASSERT_EQ(::bind(stale, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
    ::close(stale);
  } else {
    auto listener = listen();  // then closed: its port refuses
    if (!listener && transport() == Transport::tcp6) GTEST_SKIP() << "no IPv6 loopback here";
    ASSERT_TRUE(listener);
    port = *(*listener)->port();
  }
  auto client = connect_to(port);
  ASSERT_TRUE(client) << client.error().message;
  bool woken = false;
  (*client)->when_writable([&] { woken = true; });
  ASSERT_TRUE(run_until([&] { return woken; }));
  for (int attempt = 0; attempt < 2; ++attempt) {  // the error stays
    auto written = (*client)->write(bytes_of("anyone?"));
    ASSERT_FALSE(written);
    EXPECT_EQ(written.error().code, Errc::closed);
    EXPECT_EQ(written.error().detail, ECONNREFUSED) << written.error().message;
    std::uint8_t byte;
    auto read = (*client)->read({&byte, 1});
    ASSERT_FALSE(read);
    EXPECT_EQ(read.error().detail, ECONNREFUSED);
  }
}

TEST_P(SocketFlowTest, APeerResetIsClosed) {
  Connection pair = connect_pair();
  PAF_RETURN_IF_SKIPPED_OR_FAILED();
  // Unread bytes on close, and SO_LINGER 0 for TCP: the kernel resets.
  ASSERT_TRUE(pair.client->write(bytes_of("never read")));
  bool arrived = false;
  pair.server->when_readable([&] { arrived = true; });
  ASSERT_TRUE(run_until([&] { return arrived; }));
  linger abort_on_close{.l_onoff = 1, .l_linger = 0};
  ::setsockopt(static_cast<SocketFlow&>(*pair.server).fd(), SOL_SOCKET, SO_LINGER, &abort_on_close,
               sizeof abort_on_close);
  pair.server->close();

  Reader client_reader(*pair.client);
  client_reader.start();
  ASSERT_TRUE(run_until([&] { return client_reader.finished(); }));
  ASSERT_TRUE(client_reader.error);
  EXPECT_EQ(client_reader.error->code, Errc::closed) << client_reader.error->message;
  auto written = pair.client->write(bytes_of("hello?"));
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, Errc::closed);
}

TEST_P(SocketFlowTest, CloseDropsPendingWakeups) {
  Connection pair = connect_pair();
  PAF_RETURN_IF_SKIPPED_OR_FAILED();
  ASSERT_TRUE(pair.server->write(bytes_of("unread")));
  ASSERT_TRUE(pair.server->shutdown_write());
  int fired = 0;
  // Both are due on the next wait: bytes and end of stream to read, room to write.
  pair.client->when_readable([&] { ++fired; });
  pair.client->when_writable([&] { ++fired; });
  pair.client->close();
  pair.client->close();                          // idempotent
  pair.client->when_readable([&] { ++fired; });  // ignored once closed
  run_for(milliseconds(100));
  EXPECT_EQ(fired, 0);
  EXPECT_EQ(pair.client->fd(), -1);
  std::uint8_t byte;
  EXPECT_EQ(pair.client->read({&byte, 1}).error().code, Errc::closed);
  EXPECT_EQ(pair.client->write(bytes_of("x")).error().code, Errc::closed);
  EXPECT_EQ(pair.client->shutdown_write().error().code, Errc::closed);
}

TEST_P(SocketFlowTest, WakeupsComeFromTheLoopNeverFromTheCall) {
  Connection pair = connect_pair();
  PAF_RETURN_IF_SKIPPED_OR_FAILED();
  ASSERT_TRUE(pair.server->write(bytes_of("ready")));
  bool arrived = false;
  pair.client->when_readable([&] { arrived = true; });
  ASSERT_TRUE(run_until([&] { return arrived; }));
  // Data is waiting now, and still the wakeup waits for the loop.
  bool woken = false;
  pair.client->when_readable([&] { woken = true; });
  pair.client->when_writable([&] { woken = true; });
  EXPECT_FALSE(woken);
  ASSERT_TRUE(run_until([&] { return woken; }));
}

TEST_P(SocketFlowTest, EndOfStreamBehindBytesReadShortIsStillSeen) {
  Connection pair = connect_pair();
  PAF_RETURN_IF_SKIPPED_OR_FAILED();
  // Bytes and the end of stream arrive, and their one edge is taken, before
  // the server reads: its first read is short, and the end of stream behind
  // the bytes must still be read, with no edge to come.
  ASSERT_TRUE(pair.client->write(bytes_of("last words")));
  ASSERT_TRUE(pair.client->shutdown_write());
  run_for(milliseconds(20));  // both are there
  bool arrived = false;
  pair.server->when_readable([&] { arrived = true; });
  ASSERT_TRUE(run_until([&] { return arrived; }));
  Reader server_reader(*pair.server);
  server_reader.start();
  ASSERT_TRUE(run_until([&] { return server_reader.finished(); }));
  EXPECT_EQ(server_reader.received, "last words");
  EXPECT_TRUE(server_reader.end_of_stream);
}

TEST_P(SocketFlowTest, IdleFlowsLeaveTheLoopIdle) {
  Connection pair = connect_pair();
  PAF_RETURN_IF_SKIPPED_OR_FAILED();
  // No wakeup pending: no interest armed, so nothing can spin the loop.
  EXPECT_FALSE(backend->has_io_sources());
  auto exit = loop->run_until(loop->now_ns() + seconds(5));
  ASSERT_TRUE(exit);
  EXPECT_EQ(*exit, LoopExit::no_more_work);
  // A wakeup that fires disarms its interest again.
  bool woken = false;
  pair.client->when_writable([&] { woken = true; });
  EXPECT_TRUE(backend->has_io_sources());
  ASSERT_TRUE(run_until([&] { return woken; }));
  EXPECT_FALSE(backend->has_io_sources());
}

TEST_P(SocketFlowTest, ShutdownWriteWhileConnectingTakesEffectOnceConnected) {
  auto listener = listen();
  if (!listener && transport() == Transport::tcp6) GTEST_SKIP() << "no IPv6 loopback here";
  ASSERT_TRUE(listener);
  auto client = connect_to(**listener);
  ASSERT_TRUE(client);
  ASSERT_TRUE((*client)->shutdown_write());  // perhaps before the handshake is done
  std::unique_ptr<Flow> server = accept_one(**listener);
  ASSERT_TRUE(server);
  Reader server_reader(*server);
  server_reader.start();
  ASSERT_TRUE(run_until([&] { return server_reader.finished(); }));
  EXPECT_TRUE(server_reader.end_of_stream);
  EXPECT_EQ(server_reader.received, "");
}

TEST_P(SocketFlowTest, RuntimeEchoesThroughARealFlow) {
  Connection pair = connect_pair();
  PAF_RETURN_IF_SKIPPED_OR_FAILED();
  test_support::EchoConnection echo;
  Runtime runtime(*loop, echo, *pair.server);
  std::optional<RunOutcome> outcome;
  runtime.start([&](RunOutcome how) { outcome = how; });
  std::string input;
  for (int line = 0; input.size() < 1024 * 1024; ++line)
    input += "line " + std::to_string(line) + "\n";
  Writer client_writer(*pair.client, input);
  Reader client_reader(*pair.client);
  client_writer.start();
  client_reader.start();
  ASSERT_TRUE(run_until([&] { return client_reader.finished() && outcome.has_value(); }));
  EXPECT_TRUE(client_reader.end_of_stream);
  EXPECT_TRUE(client_reader.received == input);
  EXPECT_EQ(*outcome, RunOutcome::closed);
}

INSTANTIATE_TEST_SUITE_P(Transports, SocketFlowTest,
                         ::testing::Values(Transport::tcp4, Transport::tcp6,
                                           Transport::unix_socket),
                         transport_name);

TEST(SocketFlowAddressTest, ConnectTakesNumericAddressesOnly) {
  auto backend = EpollLoopBackend::create();
  ASSERT_TRUE(backend);
  auto flow = connect_tcp(**backend, "localhost", 80);
  ASSERT_FALSE(flow);
  EXPECT_EQ(flow.error().code, Errc::invalid_argument);
  auto too_long = connect_unix(**backend, std::string(200, 'x'));
  ASSERT_FALSE(too_long);
  EXPECT_EQ(too_long.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace paf::posix::test
