// The HTTP/1.x server engine: bytes in, bytes out, no network.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver.h"
#include "echo_handler.h"
#include "paf/h1.h"

namespace paf {
namespace {

using testing::bytes_of;
using testing::as_string;
using testing::echo_handler;
using testing::Driver;

std::string hello_response() {
  return "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\n\r\nHello World!";
}


class H1Server : public ::testing::Test {
 protected:
  void start(RequestHandler handler, H1Config config = {}, ErrorHandler on_error = nullptr) {
    connection_ = H1ServerConnection::create(config, std::move(handler), std::move(on_error), driver_.clock());
    driver_.attach(connection_.get());
  }
  void start_echo(H1Config config = {}) { start(echo_handler(&log_), config); }

  Driver driver_;
  std::unique_ptr<H1ServerConnection> connection_;
  std::string log_;
};

// --- every input split at every boundary --------------------------------------

const std::string kConversation =
    "GET / HTTP/1.1\r\nHost: a\r\n\r\n"
    "POST /length HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello"
    "POST /chunked HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
    "3;ext=1\r\nabc\r\n10\r\n0123456789abcdef\r\n0\r\nX-Sum: 19\r\nX-Other: y\r\n\r\n"
    "\r\nGET /last HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n";

struct Transcript {
  std::string output, log;
  bool closed;
  bool operator==(const Transcript&) const = default;
};

Transcript serve_in_chunks(const std::vector<std::string>& chunks) {
  Driver driver;
  std::string log;
  auto connection = H1ServerConnection::create({}, echo_handler(&log), nullptr, driver.clock());
  driver.attach(connection.get());
  for (const std::string& chunk : chunks) driver.feed(chunk);
  return {driver.output(), log, driver.write_closed() && connection->is_closed()};
}

TEST_F(H1Server, ConversationGetsEveryResponseInOrder) {
  Transcript whole = serve_in_chunks({kConversation});
  EXPECT_EQ(whole.log,
            "GET /\nPOST /length\ndata hello\nend\nPOST /chunked\ndata abc\ndata 0123456789abcdef\nend\n"
            "trailer X-Sum: 19\ntrailer X-Other: y\nGET /last\n");
  EXPECT_EQ(whole.output,
            hello_response() +
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n10\r\n0123456789abcdef\r\n"
            "0\r\nX-Sum: 19\r\nX-Other: y\r\n\r\n"
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\nconnection: close\r\n\r\n"
            "Hello World!");
  EXPECT_TRUE(whole.closed);
}

// Body data may arrive in more pieces, each echoed as its own chunk; the
// request bodies, the responses' heads and the closing must not change.
std::string bodies_of(const std::string& log) {
  std::string bodies;
  std::size_t at = 0;
  while ((at = log.find("data ", at)) != std::string::npos) {
    std::size_t end = log.find('\n', at);
    bodies.append(log, at + 5, end - at - 5);
    at = end;
  }
  return bodies;
}

std::string without_data_lines(const std::string& log) {
  std::string kept;
  std::size_t at = 0;
  while (at < log.size()) {
    std::size_t end = log.find('\n', at) + 1;
    if (log.compare(at, 5, "data ") != 0) kept.append(log, at, end - at);
    at = end;
  }
  return kept;
}

// Found by fuzz/h1_server: on a request without a body, an on_data callback
// was kept for good, and with it what it held — the echo handler's
// BodyWriter, a handle to the exchange, which was then never freed.
TEST_F(H1Server, FuzzOnDataOfARequestWithoutBodyIsNotKept) {
  std::weak_ptr<int> held;
  start([&](Reqd& reqd) {
    auto token = std::make_shared<int>(0);
    held = token;
    reqd.request_body().on_data([token](Bytes) {});
    (void)reqd.respond_with_string({200, {}}, "ok");
  });
  driver_.feed("POST / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_TRUE(held.expired());
  EXPECT_EQ(driver_.take_output(), "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
}

TEST_F(H1Server, EverySplitInTwoGivesTheSameRequestsAndBodies) {
  Transcript whole = serve_in_chunks({kConversation});
  for (std::size_t at = 0; at <= kConversation.size(); ++at) {
    Transcript split = serve_in_chunks({kConversation.substr(0, at), kConversation.substr(at)});
    EXPECT_EQ(without_data_lines(split.log), without_data_lines(whole.log)) << "split at " << at;
    EXPECT_EQ(bodies_of(split.log), bodies_of(whole.log)) << "split at " << at;
    EXPECT_TRUE(split.closed) << "split at " << at;
  }
}

TEST_F(H1Server, OneByteAtATimeGivesTheSameRequestsAndBodies) {
  Transcript whole = serve_in_chunks({kConversation});
  std::vector<std::string> bytes;
  for (char c : kConversation) bytes.emplace_back(1, c);
  Transcript split = serve_in_chunks(bytes);
  EXPECT_EQ(without_data_lines(split.log), without_data_lines(whole.log));
  EXPECT_EQ(bodies_of(split.log), bodies_of(whole.log));
  EXPECT_TRUE(split.closed);
}

TEST_F(H1Server, EverySplitOfBodylessRequestsGivesIdenticalOutput) {
  const std::string input =
      "GET /a HTTP/1.1\r\nHost: a\r\n\r\nHEAD /b HTTP/1.1\r\nHost: a\r\n\r\n"
      "GET /c HTTP/1.0\r\n\r\n";
  Transcript whole = serve_in_chunks({input});
  for (std::size_t at = 0; at <= input.size(); ++at)
    EXPECT_EQ(serve_in_chunks({input.substr(0, at), input.substr(at)}), whole) << "split at " << at;
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);
  EXPECT_EQ(serve_in_chunks(bytes), whole);
}

TEST_F(H1Server, EverySplitOfABadRequestGivesTheSame400) {
  const std::string input = "GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\nX: a\r\n b\r\n\r\n";
  Transcript whole = serve_in_chunks({input});
  EXPECT_NE(whole.output.find("400 Bad Request"), std::string::npos);
  for (std::size_t at = 0; at <= input.size(); ++at)
    EXPECT_EQ(serve_in_chunks({input.substr(0, at), input.substr(at)}), whole) << "split at " << at;
}

// --- features ------------------------------------------------------------------

TEST_F(H1Server, KeepAliveServesSeveralRequestsOnOneConnection) {
  start_echo();
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(driver_.take_output(), hello_response());
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(driver_.take_output(), hello_response());
  EXPECT_FALSE(driver_.write_closed());
  EXPECT_FALSE(connection_->is_closed());
}

TEST_F(H1Server, PipelinedResponsesComeInRequestOrder) {
  std::vector<Reqd> waiting;
  start([&](Reqd& reqd) { waiting.push_back(reqd); });
  driver_.feed("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(waiting.size(), 3u);
  // Answered last to first; written first to last.
  for (int i = 2; i >= 0; --i) (void)waiting[i].respond_with_string({200, {}}, waiting[i].request().target());
  driver_.pump();
  EXPECT_EQ(driver_.output(),
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n/1"
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n/2"
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n/3");
}

TEST_F(H1Server, PipeliningReadsNoMoreThanTheLimitAhead) {
  std::vector<Reqd> waiting;
  H1Config config;
  config.max_pipelined_requests = 2;
  start([&](Reqd& reqd) { waiting.push_back(reqd); }, config);
  driver_.feed("GET /1 HTTP/1.1\r\nHost: a\r\n\r\nGET /2 HTTP/1.1\r\nHost: a\r\n\r\nGET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(waiting.size(), 2u);
  EXPECT_EQ(driver_.unread_input(), "GET /3 HTTP/1.1\r\nHost: a\r\n\r\n");
  (void)waiting[0].respond_with_string({200, {}}, "");
  driver_.pump();
  EXPECT_EQ(waiting.size(), 3u);
}

TEST_F(H1Server, ContentLengthBodyIsStreamedToTheHandler) {
  start_echo();
  driver_.feed("POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\n01234");
  EXPECT_EQ(log_, "POST /x\ndata 01234\n");
  driver_.feed("56789");
  EXPECT_EQ(log_, "POST /x\ndata 01234\ndata 56789\nend\n");
  EXPECT_EQ(driver_.take_output(),
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\n01234\r\n5\r\n56789\r\n0\r\n\r\n");
}

TEST_F(H1Server, ChunkedBodyWithTrailers) {
  start_echo();
  driver_.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n"
               "4\r\nwiki\r\n5\r\npedia\r\n0\r\nChecksum: abc\r\n\r\n");
  EXPECT_EQ(log_, "POST /\ndata wiki\ndata pedia\nend\ntrailer Checksum: abc\n");
  EXPECT_EQ(driver_.take_output(),
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4\r\nwiki\r\n5\r\npedia\r\n"
            "0\r\nChecksum: abc\r\n\r\n");
}

TEST_F(H1Server, ExpectContinueSends100WhenTheHandlerReadsTheBody) {
  start_echo();
  driver_.feed("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(driver_.take_output(),
            "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
  driver_.feed("ok");
  EXPECT_EQ(driver_.take_output(), "2\r\nok\r\n0\r\n\r\n");
}

TEST_F(H1Server, ExpectContinueAnsweredWithoutReadingClosesInsteadOf100) {
  start([](Reqd& reqd) { (void)reqd.respond_with_string({417, {}}, ""); });
  driver_.feed("PUT / HTTP/1.1\r\nHost: a\r\nExpect: 100-continue\r\nContent-Length: 2\r\n\r\n");
  EXPECT_EQ(driver_.take_output(), "HTTP/1.1 417 Expectation Failed\r\ncontent-length: 0\r\n\r\n");
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H1Server, HeadGetsTheHeadersWithoutTheBody) {
  start_echo();
  driver_.feed("HEAD / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(driver_.take_output(),
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\n\r\n" + hello_response());
}

TEST_F(H1Server, HeadStreamingResponseSendsNoBody) {
  start([](Reqd& reqd) {
    BodyWriter writer = *reqd.respond_with_streaming({200, {}});
    EXPECT_TRUE(writer.write("dropped"));
    EXPECT_TRUE(writer.close());
  });
  driver_.feed("HEAD / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(driver_.take_output(), "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n");
  EXPECT_FALSE(driver_.write_closed());
}

TEST_F(H1Server, Http10RequestClosesAfterTheResponse) {
  start_echo();
  driver_.feed("GET / HTTP/1.0\r\n\r\nGET / HTTP/1.0\r\n\r\n");
  EXPECT_EQ(driver_.take_output(),
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\nconnection: close\r\n\r\n"
            "Hello World!");
  EXPECT_TRUE(driver_.write_closed());
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H1Server, Http10KeepAliveIsHonoured) {
  start_echo();
  driver_.feed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(driver_.take_output(),
            "HTTP/1.1 200 OK\r\ncontent-type: text/plain\r\ncontent-length: 12\r\nconnection: keep-alive\r\n\r\n"
            "Hello World!");
  EXPECT_FALSE(driver_.write_closed());
}

TEST_F(H1Server, Http10StreamingResponseEndsWithTheConnection) {
  start([](Reqd& reqd) {
    BodyWriter writer = *reqd.respond_with_streaming({200, {}});
    (void)writer.write("abc");
    (void)writer.close();
  });
  driver_.feed("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
  EXPECT_EQ(driver_.take_output(), "HTTP/1.1 200 OK\r\nconnection: close\r\n\r\nabc");
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H1Server, ConnectionCloseClosesAfterTheResponse) {
  start_echo();
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_NE(driver_.take_output().find("connection: close\r\n\r\nHello World!"), std::string::npos);
  EXPECT_TRUE(driver_.write_closed());
  EXPECT_TRUE(driver_.read_closed());
}

TEST_F(H1Server, StreamingResponseAppliesBackpressure) {
  H1Config config;
  config.write_high_water_mark = 100;
  BodyWriter writer;
  start([&](Reqd& reqd) { writer = *reqd.respond_with_streaming({200, {}}); }, config);
  driver_.set_writes_blocked(true);
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  const std::string piece(40, 'x');
  EXPECT_EQ(*writer.write(piece), Backpressure::ready);
  EXPECT_EQ(*writer.write(piece), Backpressure::full);  // past 100 with the head and chunk framing
  bool writable = false;
  writer.on_writable([&] { writable = true; });
  EXPECT_FALSE(writable);
  driver_.set_write_limit(10);  // the client drains slowly
  driver_.set_writes_blocked(false);
  EXPECT_TRUE(writable);
  EXPECT_LE(driver_.offered(), 100u);
  (void)writer.close();
  driver_.pump();
  EXPECT_NE(driver_.output().find("0\r\n\r\n"), std::string::npos);
}

TEST_F(H1Server, UnreadRequestBodyStopsReading) {
  BodyReader body;
  std::string received;
  start([&](Reqd& reqd) { body = reqd.request_body(); });
  driver_.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 6\r\n\r\nabcdef");
  EXPECT_EQ(driver_.unread_input(), "abcdef");
  EXPECT_EQ(connection_->next_read_operation(), ReadOperation::yield);
  body.on_data([&](Bytes bytes) {
    received += as_string(bytes);
    body.pause();
  });
  driver_.pump();
  EXPECT_EQ(received, "abcdef");
}

TEST_F(H1Server, PausedReaderStopsReadingUntilResumed) {
  BodyReader body;
  std::string received;
  start([&](Reqd& reqd) {
    body = reqd.request_body();
    body.on_data([&](Bytes bytes) {
      received += as_string(bytes);
      body.pause();
    });
  });
  driver_.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n1\r\nb\r\n0\r\n\r\n");
  EXPECT_EQ(received, "a");
  EXPECT_EQ(driver_.unread_input(), "\r\n1\r\nb\r\n0\r\n\r\n");
  body.resume();
  driver_.pump();
  EXPECT_EQ(received, "ab");
}

TEST_F(H1Server, EarlyResponseDrainsTheUnreadBodyAndKeepsTheConnection) {
  start([](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {}}, reqd.request().target());
  });
  driver_.feed("POST /1 HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhel");
  driver_.feed("loPOST /2 HTTP/1.1\r\nHost: a\r\nContent-Length: 1\r\n\r\nx");
  EXPECT_EQ(driver_.take_output(),
            "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n/1HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\n/2");
  EXPECT_FALSE(driver_.write_closed());
}

TEST_F(H1Server, EarlyResponseWithTooMuchBodyLeftCloses) {
  H1Config config;
  config.max_drain_bytes = 4;
  start([](Reqd& reqd) { (void)reqd.respond_with_string({200, {}}, "ok"); }, config);
  driver_.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 100\r\n\r\n0123456789");
  EXPECT_EQ(driver_.take_output(), "HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok");
  EXPECT_TRUE(driver_.write_closed());
  EXPECT_TRUE(driver_.read_closed());
}

TEST_F(H1Server, HandlerFailureGets500FromTheErrorHandler) {
  start([](Reqd& reqd) { reqd.report_error(Error{Errc::io_error, "disk on fire"}); }, {},
        [](int status, const Error& error, const Request* request) {
          ErrorReply reply{{status, {}}, {}};
          reply.body.append(error.message);
          reply.body.append(request != nullptr ? " for " : "");
          if (request != nullptr) reply.body.append(request->target());
          return reply;
        });
  driver_.feed("GET /x HTTP/1.1\r\nHost: a\r\n\r\nGET /x HTTP/1.1\r\nHost: a\r\n\r\n");
  const std::string reply = "HTTP/1.1 500 Internal Server Error\r\ncontent-length: 19\r\n\r\ndisk on fire for /x";
  EXPECT_EQ(driver_.take_output(), reply + reply);
  EXPECT_FALSE(driver_.write_closed());
}

TEST_F(H1Server, HandlerDroppingTheRequestGets500) {
  start([](Reqd&) {});
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(driver_.take_output().rfind("HTTP/1.1 500 Internal Server Error\r\n", 0), 0u);
}

TEST_F(H1Server, HandlerFailingMidResponseCutsTheConnection) {
  start([](Reqd& reqd) {
    BodyWriter writer = *reqd.respond_with_streaming({200, {}});
    (void)writer.write("partial");
    reqd.report_error(Error{Errc::io_error, "lost the file"});
  });
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(driver_.take_output(), "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n7\r\npartial\r\n");
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H1Server, UpgradeHandsTheFlowOverAfter101) {
  start([](Reqd& reqd) {
    EXPECT_TRUE(reqd.respond_with_upgrade({101, {{"connection", "upgrade"}, {"upgrade", "websocket"}}}));
  });
  driver_.feed("GET /ws HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: websocket\r\n\r\nRAW BYTES");
  EXPECT_EQ(driver_.take_output(),
            "HTTP/1.1 101 Switching Protocols\r\nconnection: upgrade\r\nupgrade: websocket\r\n\r\n");
  EXPECT_TRUE(driver_.upgraded());
  EXPECT_EQ(driver_.unread_input(), "RAW BYTES");
}

TEST_F(H1Server, DeclinedUpgradeCarriesOnWithHttp) {
  start_echo();
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n"
               "GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(driver_.take_output(), hello_response() + hello_response());
  EXPECT_FALSE(driver_.upgraded());
}

TEST_F(H1Server, RequestWithoutUpgradeCannotBeUpgraded) {
  Result<void> upgraded;
  start([&](Reqd& reqd) {
    upgraded = reqd.respond_with_upgrade({101, {}});
    (void)reqd.respond_with_string({200, {}}, "");
  });
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_FALSE(upgraded);
  EXPECT_EQ(upgraded.error().code, Errc::invalid_argument);
}

TEST_F(H1Server, ResponseHeadersWithLineBreaksAreRefused) {
  Result<void> responded;
  start([&](Reqd& reqd) {
    responded = reqd.respond_with_string({200, {{"x", "a\r\nInjected: yes"}}}, "");
    (void)reqd.respond_with_string({200, {}}, "");
  });
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_FALSE(responded);
  EXPECT_EQ(driver_.output().find("Injected"), std::string::npos);
}

TEST_F(H1Server, ShutdownFinishesTheRequestInFlightThenCloses) {
  std::vector<Reqd> waiting;
  start([&](Reqd& reqd) { waiting.push_back(reqd); });
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  connection_->shutdown();
  driver_.feed("GET /late HTTP/1.1\r\nHost: a\r\n\r\n");
  ASSERT_EQ(waiting.size(), 1u);
  (void)waiting[0].respond_with_string({200, {}}, "");
  driver_.pump();
  EXPECT_EQ(driver_.output(), "HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n");
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H1Server, PeerResetFailsTheStreamingWriter) {
  BodyWriter writer;
  start([&](Reqd& reqd) { writer = *reqd.respond_with_streaming({200, {}}); });
  driver_.set_writes_blocked(true);
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  driver_.fail_writes();
  auto written = writer.write("late");
  ASSERT_FALSE(written);
  EXPECT_EQ(written.error().code, Errc::closed);
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H1Server, ReqdOutlivesTheConnection) {
  std::vector<Reqd> waiting;
  start([&](Reqd& reqd) { waiting.push_back(reqd); });
  driver_.feed("GET /kept HTTP/1.1\r\nHost: a\r\n\r\n");
  connection_.reset();
  ASSERT_EQ(waiting.size(), 1u);
  EXPECT_EQ(waiting[0].request().target(), "/kept");
  EXPECT_FALSE(waiting[0].respond_with_string({200, {}}, ""));
}

TEST_F(H1Server, RequestPathQueryAndAuthority) {
  std::string seen;
  start([&](Reqd& reqd) {
    const Request& request = reqd.request();
    seen = std::string(request.path()) + "|" + std::string(request.query()) + "|" +
           std::string(request.authority());
    (void)reqd.respond_with_string({200, {}}, "");
  });
  driver_.feed("GET /random?len=4&seed=2 HTTP/1.1\r\nHost: example.org\r\n\r\n");
  EXPECT_EQ(seen, "/random|len=4&seed=2|example.org");
  driver_.feed("GET http://other.org:8080/p?q HTTP/1.1\r\nHost: example.org\r\n\r\n");
  EXPECT_EQ(seen, "/p|q|other.org:8080");
}

// --- bad input -------------------------------------------------------------------

class H1ServerBadInput : public H1Server {
 protected:
  // Feeds `input`, expects `status` and a closed connection; the handler never runs.
  void expect_rejected(std::string_view input, int status, H1Config config = {}) {
    start_echo(config);
    driver_.feed(input);
    std::string expected = "HTTP/1.1 " + std::to_string(status) + " ";
    EXPECT_EQ(driver_.output().rfind(expected, 0), 0u) << driver_.output();
    EXPECT_NE(driver_.output().find("connection: close"), std::string::npos);
    EXPECT_TRUE(driver_.write_closed());
    EXPECT_TRUE(connection_->is_closed());
    EXPECT_EQ(log_, "");
  }
};

TEST_F(H1ServerBadInput, MalformedRequestLineGets400) {
  expect_rejected("GET /a b c\r\nHost: a\r\n\r\n", 400);
}

TEST_F(H1ServerBadInput, InvalidMethodGets400) { expect_rejected("G@T / HTTP/1.1\r\nHost: a\r\n\r\n", 400); }

TEST_F(H1ServerBadInput, MalformedHeaderGets400) {
  expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nNo colon here\r\n\r\n", 400);
}

TEST_F(H1ServerBadInput, SpaceBeforeColonGets400) { expect_rejected("GET / HTTP/1.1\r\nHost : a\r\n\r\n", 400); }

TEST_F(H1ServerBadInput, MissingHostGets400) { expect_rejected("GET / HTTP/1.1\r\n\r\n", 400); }

TEST_F(H1ServerBadInput, UnsupportedVersionGets505) { expect_rejected("GET / HTTP/2.0\r\nHost: a\r\n\r\n", 505); }

TEST_F(H1ServerBadInput, HeaderSectionOverTheLimitGets431) {
  H1Config config;
  config.max_header_bytes = 64;
  expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + std::string(64, 'x') + "\r\n\r\n", 431, config);
}

TEST_F(H1ServerBadInput, HeaderSectionOverTheLimitGets431BeforeItEnds) {
  H1Config config;
  config.max_header_bytes = 64;
  expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nX-Long: " + std::string(100, 'x'), 431, config);
}

TEST_F(H1ServerBadInput, TooManyHeaderFieldsGets431) {
  H1Config config;
  config.max_header_count = 3;
  expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nA: 1\r\nB: 2\r\nC: 3\r\n\r\n", 431, config);
}

TEST_F(H1ServerBadInput, ContentLengthOverTheLimitGets413) {
  H1Config config;
  config.max_body_bytes = 10;
  expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 11\r\n\r\n", 413, config);
}

TEST_F(H1ServerBadInput, ContentLengthWithTransferEncodingGets400) {
  expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n"
                  "3\r\nabc\r\n0\r\n\r\n",
                  400);
}

TEST_F(H1ServerBadInput, TransferEncodingWithContentLengthGets400) {
  expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n"
                  "3\r\nabc\r\n0\r\n\r\n",
                  400);
}

TEST_F(H1ServerBadInput, DifferingContentLengthsGet400) {
  expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd", 400);
}

TEST_F(H1ServerBadInput, UnknownTransferEncodingGets400) {
  expect_rejected("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\nabc", 400);
}

TEST_F(H1ServerBadInput, ObsFoldGets400) {
  expect_rejected("GET / HTTP/1.1\r\nHost: a\r\nX-Folded: a\r\n b\r\n\r\n", 400);
}

TEST_F(H1ServerBadInput, BareLineFeedGets400) { expect_rejected("GET / HTTP/1.1\nHost: a\n\n", 400); }

// Errors inside a body reach a handler that already runs: its reader fails,
// and the error reply goes out if it had not answered.
TEST_F(H1Server, BadChunkSizeGets400) {
  start_echo();
  std::vector<Reqd> waiting;
  start([&](Reqd& reqd) {
    waiting.push_back(reqd);
    reqd.request_body().on_data([](Bytes) {});
  });
  driver_.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n");
  EXPECT_EQ(driver_.output().rfind("HTTP/1.1 400 Bad Request\r\n", 0), 0u);
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H1Server, ChunkedBodyOverTheLimitGets413) {
  H1Config config;
  config.max_body_bytes = 4;
  Result<void> end;
  start(
      [&](Reqd& reqd) {
        BodyReader body = reqd.request_body();
        body.on_data([](Bytes) {});
        // The reader answers once the body is in: it keeps the request.
        body.on_end([&, reqd](Result<void> result) mutable {
          end = result;
          (void)reqd.respond_with_string({200, {}}, "");
        });
      },
      config);
  driver_.feed("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n3\r\ndef\r\n0\r\n\r\n");
  ASSERT_FALSE(end);
  EXPECT_EQ(end.error().code, Errc::limit_exceeded);
  EXPECT_EQ(driver_.output().rfind("HTTP/1.1 413 Content Too Large\r\n", 0), 0u);
  EXPECT_TRUE(driver_.write_closed());
}

// --- time --------------------------------------------------------------------------

TEST_F(H1Server, HeadersNotCompleteInTimeGet408AndClose) {
  H1Config config;
  config.header_timeout_ns = 5 * kSecond;
  start_echo(config);
  driver_.feed("GET / HTTP/1.1\r\nHo");
  driver_.advance(4 * kSecond);
  driver_.feed("st: a\r\n");  // trickling in does not reset the timer
  EXPECT_EQ(driver_.output(), "");
  driver_.advance(1 * kSecond);
  EXPECT_EQ(driver_.output().rfind("HTTP/1.1 408 Request Timeout\r\n", 0), 0u);
  EXPECT_TRUE(driver_.write_closed());
  EXPECT_TRUE(connection_->is_closed());
}

// What body_collector saw; shared with its callbacks, so that it outlives
// the connection whatever the order of destruction.
struct Collected {
  BodyReader reader;
  std::string body;
  std::optional<Error> failure;
};

// Reads the whole body, then answers with its size.
RequestHandler body_collector(std::shared_ptr<Collected> seen) {
  return [seen](Reqd& reqd) {
    seen->reader = reqd.request_body();
    seen->reader.on_data([seen](Bytes bytes) { seen->body.append(as_string(bytes)); });
    seen->reader.on_end([seen, reqd](Result<void> end) mutable {
      seen->reader = {};  // the reader holds this callback: no cycle past the end
      if (!end) return void(seen->failure = end.error());
      (void)reqd.respond_with_string({200, {}}, std::to_string(seen->body.size()));
    });
  };
}

TEST_F(H1Server, ARequestBodyTricklingTooSlowlyGets408AndClose) {
  H1Config config;
  config.body_timeout_ns = 30 * kSecond;
  auto seen = std::make_shared<Collected>();
  start(body_collector(seen), config);
  driver_.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
  driver_.advance(29 * kSecond);
  driver_.feed("de");  // each piece starts the clock again
  driver_.advance(29 * kSecond);
  EXPECT_EQ(driver_.output(), "");
  EXPECT_FALSE(connection_->is_closed());
  driver_.advance(1 * kSecond);
  EXPECT_EQ(driver_.output().rfind("HTTP/1.1 408 Request Timeout\r\n", 0), 0u) << driver_.output();
  ASSERT_TRUE(seen->failure);
  EXPECT_EQ(seen->failure->code, Errc::timed_out);
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H1Server, ABodyThatTheHandlerPausesHasNoClockUntilItResumes) {
  H1Config config;
  config.body_timeout_ns = 30 * kSecond;
  auto seen = std::make_shared<Collected>();
  start(body_collector(seen), config);
  driver_.feed("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 10\r\n\r\nabc");
  seen->reader.pause();
  driver_.advance(100 * kSecond);  // the handler's choice, not the client's slowness
  EXPECT_EQ(driver_.output(), "");
  EXPECT_FALSE(seen->failure);
  seen->reader.resume();
  driver_.pump();
  EXPECT_EQ(connection_->deadline(), driver_.now() + 30 * kSecond);
  driver_.feed("defghij");
  EXPECT_EQ(seen->body, "abcdefghij");
  EXPECT_EQ(driver_.output().rfind("HTTP/1.1 200 OK\r\n", 0), 0u) << driver_.output();
}

TEST_F(H1Server, IdleKeepAliveConnectionClosesAfterTheTimeout) {
  H1Config config;
  config.idle_timeout_ns = 30 * kSecond;
  start_echo(config);
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(driver_.take_output(), hello_response());
  driver_.advance(29 * kSecond);
  EXPECT_FALSE(connection_->is_closed());
  driver_.advance(1 * kSecond);
  EXPECT_EQ(driver_.take_output(), "");
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H1Server, NoTimeoutWhileARequestIsInFlight) {
  H1Config config;
  config.idle_timeout_ns = 1 * kSecond;
  std::vector<Reqd> waiting;
  start([&](Reqd& reqd) { waiting.push_back(reqd); }, config);
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(connection_->deadline(), kNoDeadline);
  driver_.advance(10 * kSecond);
  (void)waiting[0].respond_with_string({200, {}}, "");
  driver_.pump();
  EXPECT_FALSE(connection_->is_closed());
  EXPECT_EQ(connection_->deadline(), driver_.now() + kSecond);
}

TEST_F(H1Server, EndOfInputMidRequestClosesWithoutAnswer) {
  start_echo();
  driver_.feed("GET / HTTP/1.1\r\nHo");
  driver_.feed_eof();
  EXPECT_EQ(driver_.output(), "");
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H1Server, EndOfInputAfterARequestStillAnswersIt) {
  start_echo();
  driver_.feed("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  driver_.feed_eof();
  EXPECT_EQ(driver_.output(), hello_response());
  EXPECT_TRUE(connection_->is_closed());
}

}  // namespace
}  // namespace paf
