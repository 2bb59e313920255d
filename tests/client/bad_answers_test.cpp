// Bad answers, stalls and stale connections from a raw-socket server: each
// fails that request only, with a clear error, and the next request goes on
// a new connection and is served.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "raw_server.h"
#include "support.h"

namespace paf {
namespace {

using namespace paf::testing;

const char kGood[] = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";

class BadAnswers : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = posix::EpollLoopBackend::create();
    ASSERT_TRUE(created);
    backend = std::move(*created);
    loop = std::make_unique<Loop>(*backend);
  }
  void TearDown() override {
    client.reset();
    loop.reset();
    backend.reset();
  }

  void make_client(ClientConfig config = {}) {
    client = std::make_unique<Client>(*loop, host_connector(*backend, *loop), config);
    client->on_connection([this](const ConnectionInfo&) { ++connections; });
  }
  Seen fetch(const RawServer& server, Method method = Method::GET, std::string_view target = "/") {
    Seen seen;
    auto sent = client->request(origin("http", "127.0.0.1", server.port()), Request(method, target),
                                record(&seen));
    EXPECT_TRUE(sent);
    EXPECT_TRUE(run_until(*loop, [&] { return seen.done(); }));
    return seen;
  }
  // The answer fails the first request with `code`; a second request, on a
  // new connection, is served.
  void expect_failure_then_recovery(std::string bad_answer, Errc code, ClientConfig config = {}) {
    RawServer server({RawServer::answer(std::move(bad_answer)), RawServer::answer(kGood)});
    make_client(config);
    Seen bad = fetch(server);
    ASSERT_TRUE(bad.error) << "status " << bad.status.value_or(0) << " body " << bad.body;
    EXPECT_EQ(bad.error->code, code) << bad.error->message;
    EXPECT_FALSE(bad.error->message.empty());
    Seen good = fetch(server);
    ASSERT_FALSE(good.error) << good.error->message;
    EXPECT_EQ(good.body, "ok");
    EXPECT_EQ(connections, 2);
  }

  std::unique_ptr<posix::EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::unique_ptr<Client> client;
  int connections = 0;
};

TEST_F(BadAnswers, MalformedStatusLine) {
  expect_failure_then_recovery("HTTP/1.1 2x0 OK\r\nContent-Length: 0\r\n\r\n",
                               Errc::protocol_error);
}

TEST_F(BadAnswers, MalformedHeaderField) {
  expect_failure_then_recovery("HTTP/1.1 200 OK\r\nBad Field: x\r\nContent-Length: 0\r\n\r\n",
                               Errc::protocol_error);
}

TEST_F(BadAnswers, OversizedHead) {
  expect_failure_then_recovery("HTTP/1.1 200 OK\r\nX-Big: " + std::string(20000, 'a') + "\r\n\r\n",
                               Errc::limit_exceeded);
}

TEST_F(BadAnswers, TruncatedBody) {
  expect_failure_then_recovery("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", Errc::closed);
}

TEST_F(BadAnswers, BodyOverTheLimit) {
  ClientConfig config;
  config.h1.max_body_bytes = 1000;
  expect_failure_then_recovery(
      "HTTP/1.1 200 OK\r\nContent-Length: 5000\r\n\r\n" + std::string(5000, 'b'),
      Errc::limit_exceeded, config);
}

TEST_F(BadAnswers, BadChunking) {
  expect_failure_then_recovery(
      "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n",
      Errc::protocol_error);
}

TEST_F(BadAnswers, BytesPastTheBodyEndTheConnectionNotTheNextRequest) {
  // The first answer is whole (Content-Length: 2); what follows it is no
  // response: that connection cannot go on, the next request takes another.
  RawServer server({RawServer::answer(std::string(kGood) + "GARBAGE"), RawServer::answer(kGood)});
  make_client();
  Seen first = fetch(server);
  ASSERT_FALSE(first.error) << first.error->message;
  EXPECT_EQ(first.body, "ok");
  ASSERT_TRUE(run_until(*loop, [&] { return client->connection_count() == 0; }));
  Seen second = fetch(server);
  ASSERT_FALSE(second.error) << second.error->message;
  EXPECT_EQ(second.body, "ok");
  EXPECT_EQ(connections, 2);
}

TEST_F(BadAnswers, ResponseHeadTimeout) {
  RawServer server({[](int fd) {
                      RawServer::read_head(fd);
                      RawServer::wait_for_peer(fd);  // never answers
                    },
                    RawServer::answer(kGood)});
  ClientConfig config;
  config.response_timeout_ns = milliseconds(200);
  make_client(config);
  Seen slow = fetch(server);
  ASSERT_TRUE(slow.error);
  EXPECT_EQ(slow.error->code, Errc::timed_out) << slow.error->message;
  Seen next = fetch(server);
  ASSERT_FALSE(next.error) << next.error->message;
  EXPECT_EQ(next.body, "ok");
}

TEST_F(BadAnswers, BodyIdleTimeout) {
  RawServer server({[](int fd) {
                      RawServer::read_head(fd);
                      RawServer::write_all(fd, "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf");
                      RawServer::wait_for_peer(fd);  // the rest never comes
                    },
                    RawServer::answer(kGood)});
  ClientConfig config;
  config.body_idle_timeout_ns = milliseconds(200);
  make_client(config);
  Seen stalled = fetch(server);
  EXPECT_EQ(stalled.status, 200);
  EXPECT_EQ(stalled.body, "half");
  ASSERT_TRUE(stalled.error);
  EXPECT_EQ(stalled.error->code, Errc::timed_out) << stalled.error->message;
  Seen next = fetch(server);
  EXPECT_EQ(next.body, "ok");
}

TEST_F(BadAnswers, ConnectTimeoutCoversTheTlsHandshake) {
  RawServer server(
      {[](int fd) { RawServer::drain_until_closed(fd); }});  // takes the ClientHello, says nothing
  auto tls = TlsConfig::client().insecure_for_tests().build();
  ASSERT_TRUE(tls);
  ClientConfig config;
  config.connect_timeout_ns = milliseconds(200);
  Client tls_client(*loop, host_connector(*backend, *loop, *tls), config);
  Seen seen;
  ASSERT_TRUE(tls_client.request(origin("https", "127.0.0.1", server.port()),
                                 Request(Method::GET, "/"), record(&seen)));
  ASSERT_TRUE(run_until(*loop, [&] { return seen.done(); }));
  ASSERT_TRUE(seen.error);
  EXPECT_EQ(seen.error->code, Errc::timed_out) << seen.error->message;
}

TEST_F(BadAnswers, NotTlsAnswersATlsClientWithTlsError) {
  RawServer server({RawServer::answer_first_bytes("HTTP/1.1 400 Bad Request\r\n\r\n")});
  auto tls = TlsConfig::client().insecure_for_tests().build();
  ASSERT_TRUE(tls);
  Client tls_client(*loop, host_connector(*backend, *loop, *tls));
  Seen seen;
  ASSERT_TRUE(tls_client.request(origin("https", "127.0.0.1", server.port()),
                                 Request(Method::GET, "/"), record(&seen)));
  ASSERT_TRUE(run_until(*loop, [&] { return seen.done(); }));
  ASSERT_TRUE(seen.error);
  EXPECT_EQ(seen.error->code, Errc::tls_error) << seen.error->message;
}

// The server answers one request, then closes the connection as the second
// arrives: the second, idempotent and unanswered, is retried on a new one.
RawServer::Script answer_once_then_close() {
  return [](int fd) {
    RawServer::read_head(fd);
    RawServer::write_all(fd, kGood);
    RawServer::read_head(fd);  // the next request: closed unanswered
  };
}

TEST_F(BadAnswers, AnIdempotentRequestOnAStaleConnectionIsRetriedOnce) {
  RawServer server({answer_once_then_close(), RawServer::answer(kGood)});
  make_client();
  Seen first = fetch(server);
  ASSERT_FALSE(first.error) << first.error->message;
  Seen retried = fetch(server);
  ASSERT_FALSE(retried.error) << retried.error->message;
  EXPECT_EQ(retried.body, "ok");
  EXPECT_EQ(connections, 2);
}

TEST_F(BadAnswers, APostOnAStaleConnectionIsNotRetried) {
  RawServer server({answer_once_then_close(), RawServer::answer(kGood)});
  make_client();
  Seen first = fetch(server);
  ASSERT_FALSE(first.error) << first.error->message;
  Seen post = fetch(server, Method::POST);
  ASSERT_TRUE(post.error);
  EXPECT_EQ(post.error->code, Errc::closed) << post.error->message;
  Seen next = fetch(server);
  EXPECT_EQ(next.body, "ok");
}

TEST_F(BadAnswers, AFreshConnectionClosedUnansweredIsNotRetried) {
  RawServer server({[](int fd) { RawServer::read_head(fd); }, RawServer::answer(kGood)});
  make_client();
  Seen closed = fetch(server);
  ASSERT_TRUE(closed.error);
  EXPECT_EQ(closed.error->code, Errc::closed) << closed.error->message;
  EXPECT_EQ(server.accepted(), 1);
}

TEST_F(BadAnswers, ChunkedTrailersReachTheReader) {
  RawServer server(
      {RawServer::answer("HTTP/1.1 200 OK\r\nTransfer-Encoding: "
                         "chunked\r\n\r\n2\r\nok\r\n3\r\n!!!\r\n0\r\nX-Sum: 5\r\n\r\n")});
  make_client();
  Seen seen = fetch(server);
  ASSERT_FALSE(seen.error) << seen.error->message;
  EXPECT_EQ(seen.body, "ok!!!");
  EXPECT_EQ(seen.trailers, "X-Sum=5;");
}

TEST_F(BadAnswers, CancellingARequestInFlightClosesItsConnectionOnly) {
  RawServer server({[](int fd) {
                      RawServer::read_head(fd);
                      RawServer::write_all(fd,
                                           "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nsome");
                      RawServer::drain_until_closed(fd);
                    },
                    RawServer::answer(kGood)});
  make_client();
  Seen seen;
  std::optional<Error> ended;
  ASSERT_TRUE(client->request(origin("http", "127.0.0.1", server.port()), Request(Method::GET, "/"),
                              [&](Result<Response> response, BodyReader body) {
                                ASSERT_TRUE(response);
                                body.on_data([body](Bytes) mutable { body.cancel(); });
                                body.on_end([&](Result<void> end) {
                                  ended = end ? Error{Errc::ok} : end.error();
                                });
                              }));
  ASSERT_TRUE(run_until(*loop, [&] { return ended.has_value(); }));
  EXPECT_EQ(ended->code, Errc::cancelled);
  Seen next = fetch(server);
  EXPECT_EQ(next.body, "ok");
  EXPECT_EQ(connections, 2);  // HTTP/1.1 cannot skip a response: its connection went
}

// A body callback that holds its own reader (to cancel it, as the URI client
// does) is released when the body ends, and what it holds with it.
TEST_F(BadAnswers, BodyCallbacksHoldingTheirReaderAreReleasedAtTheEnd) {
  RawServer server({RawServer::answer(kGood), RawServer::answer(kGood)});
  make_client();
  for (bool cancel : {false, true}) {
    auto token = std::make_shared<int>(0);
    std::weak_ptr<int> watch = token;
    std::optional<Error> ended;
    ASSERT_TRUE(client->request(
        origin("http", "127.0.0.1", server.port()), Request(Method::GET, "/"),
        [&, token = std::move(token)](Result<Response> response, BodyReader body) mutable {
          ASSERT_TRUE(response);
          body.on_data([body, token, cancel](Bytes) mutable {
            if (cancel) body.cancel();
          });
          body.on_end([&](Result<void> end) { ended = end ? Error{Errc::ok} : end.error(); });
        }));
    ASSERT_TRUE(run_until(*loop, [&] { return ended.has_value(); }));
    EXPECT_EQ(ended->code, cancel ? Errc::cancelled : Errc::ok);
    EXPECT_TRUE(run_until(*loop, [&] { return watch.expired(); }, 2)) << "cancel=" << cancel;
  }
}

TEST_F(BadAnswers, AnIdleConnectionClosesAfterItsTimeout) {
  RawServer server({[](int fd) {
    RawServer::read_head(fd);
    RawServer::write_all(fd, kGood);
    RawServer::drain_until_closed(fd);
  }});
  ClientConfig config;
  config.h1.idle_timeout_ns = milliseconds(200);
  make_client(config);
  Seen seen = fetch(server);
  EXPECT_EQ(seen.body, "ok");
  EXPECT_EQ(client->connection_count(), 1u);
  ASSERT_TRUE(run_until(
      *loop, [&] { return client->connection_count() == 0; }, 3));
}

// --- HTTP/2 ---------------------------------------------------------------------

// A minimal HTTP/2 server by prior knowledge: it resets stream 1 and answers
// any other stream with an empty 200.
// What a minimal HTTP/2 server by prior knowledge does with a request's
// HEADERS on `stream` (`id`: its four bytes): writes its answer, or returns
// false to stop reading and close.
using H2Answer = std::function<bool(int fd, std::uint32_t stream, const std::string& id)>;

// HEADERS END_STREAM|END_HEADERS, :status 200 (static index 8).
std::string h2_ok(const std::string& id) { return std::string("\0\0\x01\x01\x05", 5) + id + "\x88"; }

RawServer::Script h2_server(H2Answer answer) {
  return [answer = std::move(answer)](int fd) {
    if (RawServer::read_exactly(fd, 24).size() != 24) return;          // the client preface
    RawServer::write_all(fd, std::string("\0\0\0\x04\0\0\0\0\0", 9));  // SETTINGS
    for (int frames = 0; frames < 40; ++frames) {
      std::string head = RawServer::read_exactly(fd, 9);
      if (head.size() != 9) return;
      auto byte = [&](int i) { return static_cast<std::uint8_t>(head[i]); };
      const std::size_t length = byte(0) << 16 | byte(1) << 8 | byte(2);
      const std::uint8_t type = byte(3), flags = byte(4);
      const std::uint32_t stream = (byte(5) & 0x7f) << 24 | byte(6) << 16 | byte(7) << 8 | byte(8);
      RawServer::read_exactly(fd, length);
      if (type == 0x4 && !(flags & 0x1))  // SETTINGS: acknowledged
        RawServer::write_all(fd, std::string("\0\0\0\x04\x01\0\0\0\0", 9));
      if (type != 0x1) continue;  // HEADERS
      std::string id{char(stream >> 24), char(stream >> 16), char(stream >> 8), char(stream)};
      if (!answer(fd, stream, id)) return;
    }
  };
}

RawServer::Script h2_reset_first_stream() {
  return h2_server([](int fd, std::uint32_t stream, const std::string& id) {
    if (stream == 1)  // RST_STREAM INTERNAL_ERROR
      RawServer::write_all(fd, std::string("\0\0\x04\x03\0", 5) + id + std::string("\0\0\0\x02", 4));
    else
      RawServer::write_all(fd, h2_ok(id));
    return true;
  });
}

TEST_F(BadAnswers, AStreamResetFailsThatRequestOnlyOverHttp2) {
  RawServer server({h2_reset_first_stream()});
  ClientConfig config;
  config.h2_prior_knowledge = true;
  make_client(config);
  Seen reset = fetch(server);
  ASSERT_TRUE(reset.error);
  EXPECT_EQ(reset.error->code, Errc::closed);
  EXPECT_NE(reset.error->message.find("reset"), std::string_view::npos) << reset.error->message;
  Seen next = fetch(server);
  ASSERT_FALSE(next.error) << next.error->message;
  EXPECT_EQ(next.status, 200);
  EXPECT_EQ(connections, 1);  // a reset ends a stream, not the connection
  client.reset();             // the server's script ends when the connection does
}

// A server going away (GOAWAY, last stream 1) before it read streams 3 and
// 5 processed neither (RFC 9113 §6.8): both go again on a new connection,
// whatever their method, and are answered there.
TEST_F(BadAnswers, RequestsAboveAGoawaysLastStreamGoAgainOnANewConnection) {
  RawServer server({h2_server([](int fd, std::uint32_t stream, const std::string& id) {
                      if (stream == 1) {
                        RawServer::write_all(fd, h2_ok(id));
                        return true;
                      }
                      // GOAWAY: last stream 1, NO_ERROR; then the connection closes.
                      RawServer::write_all(fd, std::string("\0\0\x08\x07\0\0\0\0\0", 9) +
                                                   std::string("\0\0\0\x01\0\0\0\0", 8));
                      RawServer::drain_until_closed(fd);
                      return false;
                    }),
                    h2_server([](int fd, std::uint32_t, const std::string& id) {
                      RawServer::write_all(fd, h2_ok(id));
                      return true;
                    })});
  ClientConfig config;
  config.h2_prior_knowledge = true;
  make_client(config);
  std::vector<Seen> seen(3);
  const Method methods[] = {Method::GET, Method::GET, Method::POST};
  for (std::size_t i = 0; i < seen.size(); ++i) {
    Request request(methods[i], "/");
    if (methods[i] == Method::POST) request.headers.set("content-length", "0");
    ASSERT_TRUE(client->request(origin("http", "127.0.0.1", server.port()), std::move(request),
                                record(&seen[i])));
  }
  ASSERT_TRUE(run_until(*loop, [&] {
    return std::all_of(seen.begin(), seen.end(), [](const Seen& s) { return s.done(); });
  }));
  for (const Seen& one : seen) {
    ASSERT_FALSE(one.error) << one.error->message;
    EXPECT_EQ(one.status, 200);
  }
  EXPECT_EQ(connections, 2);
  client.reset();  // the second script ends when its connection does
}

// A stream the server refused (RST_STREAM REFUSED_STREAM: it processed
// nothing, as a server over its MAX_CONCURRENT_STREAMS does) goes once more,
// here on the same connection; refused again, the request fails.
TEST_F(BadAnswers, ARefusedStreamGoesOnceMore) {
  auto refuse = [](int fd, const std::string& id) {
    RawServer::write_all(fd, std::string("\0\0\x04\x03\0", 5) + id + std::string("\0\0\0\x07", 4));
  };
  RawServer server({h2_server([refuse](int fd, std::uint32_t stream, const std::string& id) {
    // Streams 1 and 5 refused; 3 (stream 1 again) and 7 (stream 5 again) too.
    if (stream == 1 || stream >= 5)
      refuse(fd, id);
    else
      RawServer::write_all(fd, h2_ok(id));
    return true;
  })});
  ClientConfig config;
  config.h2_prior_knowledge = true;
  make_client(config);
  Seen retried = fetch(server);
  ASSERT_FALSE(retried.error) << retried.error->message;
  EXPECT_EQ(retried.status, 200);
  Seen refused = fetch(server);
  ASSERT_TRUE(refused.error);
  EXPECT_EQ(refused.error->code, Errc::closed);
  EXPECT_EQ(connections, 1);
  client.reset();  // the server's script ends when the connection does
}

}  // namespace
}  // namespace paf
