// TcpListener and UnixListener: accepting many connections at once, ports,
// addresses, the Unix socket file's life, and the wakeup rules of listener.h.
#include "paf/posix/socket_listener.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <vector>

#include "paf/runtime.h"
#include "support/socket_test_support.h"
#include "support/echo_connection.h"

namespace paf::posix::test {
namespace {

using SocketListenerTest = SocketTest;

bool is_socket_file(const std::string& path) {
  struct stat status;
  return ::lstat(path.c_str(), &status) == 0 && S_ISSOCK(status.st_mode);
}

// An echo server: every accepted flow is driven by a Runtime over an EchoConnection.
class EchoServer {
 public:
  EchoServer(Loop& loop, Listener& listener) : loop_(loop), listener_(listener) {}
  void start() { accept_all(); }
  int finished = 0;

 private:
  struct Session {
    std::unique_ptr<Flow> flow;
    test_support::EchoConnection echo;
    std::unique_ptr<Runtime> runtime;
  };
  void accept_all() {
    for (;;) {
      auto flow = listener_.accept();
      if (!flow) {
        if (flow.error().code == Errc::would_block)
          listener_.when_acceptable([this] { accept_all(); });
        else
          ADD_FAILURE() << "accept: " << flow.error().message;
        return;
      }
      auto& session = sessions_.emplace_back(std::make_unique<Session>());
      session->flow = std::move(*flow);
      session->runtime = std::make_unique<Runtime>(loop_, session->echo, *session->flow);
      session->runtime->start([this](RunOutcome) { ++finished; });
    }
  }
  Loop& loop_;
  Listener& listener_;
  std::vector<std::unique_ptr<Session>> sessions_;
};

TEST_P(SocketListenerTest, ServesSixtyFourConcurrentConnections) {
  constexpr int kClients = 64;
  auto listener = listen();
  if (!listener && transport() == Transport::tcp6) GTEST_SKIP() << "no IPv6 loopback here";
  ASSERT_TRUE(listener) << listener.error().message;
  EchoServer server(*loop, **listener);
  server.start();
  struct Client {
    std::unique_ptr<SocketFlow> flow;
    std::string message;
    std::unique_ptr<Writer> writer;
    std::unique_ptr<Reader> reader;
  };
  std::vector<Client> clients(kClients);
  for (int i = 0; i < kClients; ++i) {
    auto flow = connect_to(**listener);
    ASSERT_TRUE(flow) << flow.error().message;
    Client& client = clients[i];
    client.flow = std::move(*flow);
    for (int line = 0; line < 100; ++line)
      client.message += "client " + std::to_string(i) + " line " + std::to_string(line) + "\n";
    client.writer = std::make_unique<Writer>(*client.flow, client.message);
    client.reader = std::make_unique<Reader>(*client.flow);
    client.writer->start();  // would_block until connected: it waits for writable
    client.reader->start();
  }
  ASSERT_TRUE(run_until([&] {
    for (const Client& client : clients)
      if (!client.reader->finished()) return false;
    return server.finished == kClients;
  }));
  for (const Client& client : clients) {
    EXPECT_TRUE(client.reader->end_of_stream);
    EXPECT_EQ(client.reader->received, client.message);
  }
}

TEST_P(SocketListenerTest, CloseDropsThePendingWakeupAndRefusesAccept) {
  auto listener = listen();
  if (!listener && transport() == Transport::tcp6) GTEST_SKIP() << "no IPv6 loopback here";
  ASSERT_TRUE(listener);
  Listener& l = **listener;
  bool woken = false;
  l.when_acceptable([&] { woken = true; });
  auto client = connect_to(l);  // a connection is pending, and the wakeup with it
  ASSERT_TRUE(client);
  std::string address(l.local_address());
  l.close();
  l.close();                                 // idempotent
  l.when_acceptable([&] { woken = true; });  // ignored once closed
  run_for(milliseconds(100));
  EXPECT_FALSE(woken);
  EXPECT_FALSE(backend->has_io_sources());
  auto accepted = l.accept();
  ASSERT_FALSE(accepted);
  EXPECT_EQ(accepted.error().code, Errc::closed);
  EXPECT_EQ(l.local_address(), address);  // still says where it was
}

TEST_P(SocketListenerTest, AcceptWithNothingPendingWouldBlock) {
  auto listener = listen();
  if (!listener && transport() == Transport::tcp6) GTEST_SKIP() << "no IPv6 loopback here";
  ASSERT_TRUE(listener);
  auto accepted = (*listener)->accept();
  ASSERT_FALSE(accepted);
  EXPECT_EQ(accepted.error().code, Errc::would_block);
}

INSTANTIATE_TEST_SUITE_P(Transports, SocketListenerTest,
                         ::testing::Values(Transport::tcp4, Transport::tcp6,
                                           Transport::unix_socket),
                         transport_name);

using TcpListenerTest = LoopTest;

TEST_F(TcpListenerTest, PortZeroGivesARealPort) {
  auto listener = TcpListener::listen(*backend, "127.0.0.1", 0);
  ASSERT_TRUE(listener) << listener.error().message;
  ASSERT_TRUE((*listener)->port());
  std::uint16_t port = *(*listener)->port();
  EXPECT_NE(port, 0);
  EXPECT_EQ((*listener)->local_address(), "127.0.0.1:" + std::to_string(port));
}

TEST_F(TcpListenerTest, Ipv6AddressesAreBracketed) {
  auto listener = TcpListener::listen(*backend, "[::1]", 0);
  if (!listener) GTEST_SKIP() << "no IPv6 loopback here";
  EXPECT_EQ((*listener)->local_address(), "[::1]:" + std::to_string(*(*listener)->port()));
}

TEST_F(TcpListenerTest, Ipv6AndIpv4WildcardsShareAPort) {
  auto v6 = TcpListener::listen(*backend, "::", 0);
  if (!v6) GTEST_SKIP() << "no IPv6 here";
  auto v4 = TcpListener::listen(*backend, "0.0.0.0", *(*v6)->port());
  ASSERT_TRUE(v4) << v4.error().message;  // IPV6_V6ONLY: "::" leaves IPv4 free
  EXPECT_EQ((*v4)->port(), (*v6)->port());
}

TEST_F(TcpListenerTest, APortInUseIsAnError) {
  auto first = TcpListener::listen(*backend, "127.0.0.1", 0);
  ASSERT_TRUE(first);
  auto second = TcpListener::listen(*backend, "127.0.0.1", *(*first)->port());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().detail, EADDRINUSE);
}

TEST_F(TcpListenerTest, HostNamesAreRefused) {
  auto listener = TcpListener::listen(*backend, "localhost", 0);
  ASSERT_FALSE(listener);
  EXPECT_EQ(listener.error().code, Errc::invalid_argument);
}

using UnixListenerTest = LoopTest;

TEST_F(UnixListenerTest, TheSocketFileLivesAsLongAsTheListener) {
  auto listener = UnixListener::listen(*backend, socket_path());
  ASSERT_TRUE(listener) << listener.error().message;
  EXPECT_EQ((*listener)->local_address(), "unix:" + socket_path());
  EXPECT_FALSE((*listener)->port());
  EXPECT_TRUE(is_socket_file(socket_path()));
  (*listener)->close();
  EXPECT_FALSE(std::filesystem::exists(socket_path()));
}

TEST_F(UnixListenerTest, TheDestructorRemovesTheSocketFileToo) {
  {
    auto listener = UnixListener::listen(*backend, socket_path());
    ASSERT_TRUE(listener);
  }
  EXPECT_FALSE(std::filesystem::exists(socket_path()));
}

TEST_F(UnixListenerTest, AStaleSocketFileIsReplaced) {
  int stale = ::socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::strcpy(address.sun_path, socket_path().c_str());
  ASSERT_EQ(::bind(stale, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);
  ::close(stale);  // the file stays: no one listens on it
  ASSERT_TRUE(is_socket_file(socket_path()));
  auto listener = UnixListener::listen(*backend, socket_path());
  ASSERT_TRUE(listener) << listener.error().message;
}

TEST_F(UnixListenerTest, ALiveListenerIsNotStolen) {
  auto first = UnixListener::listen(*backend, socket_path());
  ASSERT_TRUE(first);
  auto second = UnixListener::listen(*backend, socket_path());
  ASSERT_FALSE(second);
  EXPECT_EQ(second.error().detail, EADDRINUSE);
  EXPECT_TRUE(is_socket_file(socket_path()));  // the first one's file is untouched
}

TEST_F(UnixListenerTest, AFileThatIsNotASocketIsLeftAlone) {
  std::ofstream(socket_path()) << "precious";
  auto listener = UnixListener::listen(*backend, socket_path());
  ASSERT_FALSE(listener);
  EXPECT_TRUE(std::filesystem::is_regular_file(socket_path()));
}

TEST_F(UnixListenerTest, CloseLeavesAFileThatReplacedOurs) {
  auto listener = UnixListener::listen(*backend, socket_path());
  ASSERT_TRUE(listener);
  ASSERT_EQ(::unlink(socket_path().c_str()), 0);
  std::ofstream(socket_path()) << "someone else's";
  (*listener)->close();
  EXPECT_TRUE(std::filesystem::is_regular_file(socket_path()));
}

}  // namespace
}  // namespace paf::posix::test
