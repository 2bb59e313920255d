// The HTTP/2 client and server engines back to back, and one handler served
// over HTTP/1.1 and HTTP/2 alike.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver.h"
#include "frames.h"
#include "paf/h1.h"
#include "paf/h2.h"

namespace paf {
namespace {

using testing::as_string;
using testing::Driver;
using testing::pump_pair;

// A response as the client saw it.
struct Reply {
  int status = 0;
  std::string body, trailers, error;
  bool ended = false;
  std::optional<Errc> code;  // the error's
  int errors = 0;            // how many were delivered (at most one)
};

ResponseHandler collect(Reply* reply) {
  return [reply](Result<Response> response, BodyReader body) {
    if (!response) {
      reply->error = response.error().message;
      reply->code = response.error().code;
      ++reply->errors;
      return;
    }
    reply->status = response->status;
    body.on_data([reply](Bytes bytes) { reply->body += as_string(bytes); });
    body.on_end([reply, body](Result<void> end) {
      reply->ended = static_cast<bool>(end);
      if (!end) {
        reply->error = end.error().message;
        reply->code = end.error().code;
        ++reply->errors;
      }
      for (auto field : body.trailers())
        reply->trailers.append(field.name).append(": ").append(field.value).append("\n");
    });
  };
}

// One handler for both protocols: the demo application's routes.
void application(Reqd& reqd) {
  const Request& request = reqd.request();
  if (request.method == Method::GET && request.path() == "/")
    return (void)reqd.respond_with_string({200, {{"content-type", "text/plain"}}}, "Hello World!");
  if (request.method == Method::POST && request.path() == "/echo") {
    BodyWriter writer = *reqd.respond_with_streaming(
        {200, {{"x-protocol", reqd.version() == HttpVersion::http_2 ? "h2" : "h1"}}});
    BodyReader body = reqd.request_body();
    body.on_data([writer](Bytes bytes) mutable {
      // Backpressure: stop reading while the response is full.
      (void)writer.write(bytes);
    });
    body.on_end([writer, body](Result<void>) mutable { (void)writer.close(body.trailers()); });
    return;
  }
  if (request.path() == "/fail")
    return reqd.report_error(Error{Errc::invalid_argument, "handler failed"});
  (void)reqd.respond_with_string({404, {}}, "no such page");
}

class H2Pair : public ::testing::Test {
 protected:
  void start(RequestHandler handler, H2Config server_config = {}, H2Config client_config = {}) {
    client_config.scheme = "http";
    server_ = H2ServerConnection::create(server_config, std::move(handler), nullptr,
                                         server_driver_.clock());
    client_ = H2ClientConnection::create(client_config, client_driver_.clock());
    server_driver_.attach(server_.get());
    client_driver_.attach(client_.get());
  }
  void pump() { pump_pair(client_driver_, server_driver_, &client_wrote_); }
  // The frames the client has sent so far (after its connection preface).
  std::vector<testing::Frame> client_frames() {
    testing::FrameReader reader;
    return reader.read(std::string_view(client_wrote_).substr(testing::kClientMagic.size()));
  }
  // The code of the RST_STREAM the client sent on `stream`, if it sent one.
  std::optional<std::uint32_t> client_reset(std::uint32_t stream) {
    for (const testing::Frame& frame : client_frames())
      if (frame.type == testing::kRstStream && frame.stream == stream) return frame.error_code();
    return std::nullopt;
  }
  BodyWriter send(Request request, Reply* reply) {
    auto writer = client_->request(std::move(request), collect(reply));
    EXPECT_TRUE(writer.has_value());
    return writer ? *writer : BodyWriter();
  }

  Driver server_driver_, client_driver_;
  std::string client_wrote_;
  std::unique_ptr<H2ServerConnection> server_;
  std::unique_ptr<H2ClientConnection> client_;
};

TEST_F(H2Pair, GetAndPostOnOneConnection) {
  start(application);
  Reply hello, echo;
  send({Method::GET, "/", {{"host", "example.test"}}}, &hello);
  BodyWriter body = send({Method::POST, "/echo", {{"host", "example.test"}}}, &echo);
  (void)body.write("ping");
  (void)body.close();
  pump();
  EXPECT_EQ(hello.status, 200);
  EXPECT_EQ(hello.body, "Hello World!");
  EXPECT_TRUE(hello.ended);
  EXPECT_EQ(echo.body, "ping");
  EXPECT_TRUE(echo.ended);
  EXPECT_EQ(client_->requests_in_flight(), 0u);
}

// Found by fuzz/h2_client: closing a writer closed already (a GET's, as
// request() documents, or a second close) reset the stream (INTERNAL_ERROR)
// and failed its request.
TEST_F(H2Pair, FuzzClosingAClosedWriterKeepsTheStream) {
  start(application);
  Reply hello, echo;
  BodyWriter get = send({Method::GET, "/", {{"host", "example.test"}}}, &hello);
  EXPECT_EQ(get.close().error().code, Errc::closed);  // it says so, and nothing more
  BodyWriter post = send({Method::POST, "/echo", {{"host", "example.test"}}}, &echo);
  (void)post.write("ping");
  EXPECT_TRUE(post.close());
  EXPECT_EQ(post.close().error().code, Errc::closed);
  pump();
  EXPECT_EQ(hello.body, "Hello World!");
  EXPECT_TRUE(hello.ended);
  EXPECT_EQ(echo.body, "ping");
  EXPECT_TRUE(echo.ended);
  EXPECT_EQ(client_reset(1), std::nullopt);
  EXPECT_EQ(client_reset(3), std::nullopt);
}

TEST_F(H2Pair, ConcurrentStreamsCompleteIndependently) {
  std::vector<Reqd> waiting;
  start([&](Reqd& reqd) { waiting.push_back(reqd); });
  std::vector<Reply> replies(10);
  for (std::size_t i = 0; i < replies.size(); ++i)
    send({Method::GET, "/" + std::to_string(i), {{"host", "a"}}}, &replies[i]);
  pump();
  ASSERT_EQ(waiting.size(), 10u);
  EXPECT_EQ(server_->streams_in_flight(), 10u);
  for (std::size_t i = 0; i < waiting.size(); i += 2)
    (void)waiting[i].respond_with_string({200, {}}, waiting[i].request().path());
  pump();
  for (std::size_t i = 0; i < replies.size(); ++i) EXPECT_EQ(replies[i].ended, i % 2 == 0) << i;
  for (std::size_t i = 1; i < waiting.size(); i += 2)
    (void)waiting[i].respond_with_string({200, {}}, waiting[i].request().path());
  pump();
  for (std::size_t i = 0; i < replies.size(); ++i)
    EXPECT_EQ(replies[i].body, "/" + std::to_string(i));
}

std::string pattern(std::size_t size) {
  std::string bytes(size, '\0');
  std::uint32_t state = 12345;
  for (char& c : bytes) {
    state = state * 1103515245 + 12345;
    c = static_cast<char>(state >> 16);
  }
  return bytes;
}

TEST_F(H2Pair, TenMebibytesEchoedWithFlowControlBothWays) {
  start(application);
  const std::string sent = pattern(10 * 1024 * 1024);
  Reply echo;
  BodyWriter body = send({Method::POST, "/echo", {{"host", "a"}}}, &echo);
  // The writer follows backpressure: it writes while ready, waits for on_writable.
  std::size_t offset = 0;
  Function<void()> write_more;
  write_more = [&] {
    while (offset < sent.size()) {
      std::size_t n = std::min<std::size_t>(16 * 1024, sent.size() - offset);
      auto written = body.write(std::string_view(sent).substr(offset, n));
      ASSERT_TRUE(written.has_value());
      offset += n;
      if (*written == Backpressure::full) return body.on_writable([&] { write_more(); });
    }
    (void)body.close();
  };
  write_more();
  pump();
  EXPECT_EQ(offset, sent.size());
  EXPECT_TRUE(echo.ended);
  EXPECT_EQ(echo.body.size(), sent.size());
  EXPECT_TRUE(echo.body == sent);
}

TEST_F(H2Pair, TrailersBothWays) {
  start(application);
  Reply echo;
  BodyWriter body = send({Method::POST, "/echo", {{"host", "a"}}}, &echo);
  (void)body.write("data");
  (void)body.close({{"X-Digest", "abc"}});
  pump();
  EXPECT_EQ(echo.body, "data");
  EXPECT_EQ(echo.trailers, "x-digest: abc\n");
}

TEST_F(H2Pair, Rfc9113_6_9_2_ClientWidensItsWindowMidConnection) {
  H2Config client_config;
  client_config.initial_window_size = 16;
  start(
      [](Reqd& reqd) {
        (void)reqd.respond_with_string({200, {}}, std::string(1000, 'w'));
      },
      {}, client_config);
  Reply reply;
  send({Method::GET, "/", {{"host", "a"}}}, &reply);
  BodyReader held;
  // The client does not read the body at first: its window (16 bytes) stays shut.
  client_->request({Method::GET, "/held", {{"host", "a"}}},
                   [&](Result<Response>, BodyReader body) { held = body; });
  pump();
  EXPECT_EQ(reply.body.size(), 1000u);  // read as it comes: the window keeps reopening
  ASSERT_TRUE(static_cast<bool>(held));
  ASSERT_TRUE(client_->set_initial_window_size(64 * 1024).has_value());
  std::string later;
  held.on_data([&](Bytes bytes) { later += as_string(bytes); });
  pump();
  EXPECT_EQ(later.size(), 1000u);
}

TEST_F(H2Pair, Rfc9113_6_8_ShutdownFinishesTheInFlightRequestThenCloses) {
  Reqd waiting;
  start([&](Reqd& reqd) { waiting = reqd; });
  Reply reply;
  send({Method::GET, "/slow", {{"host", "a"}}}, &reply);
  pump();
  server_->shutdown();
  pump();
  EXPECT_FALSE(server_->is_closed());
  (void)waiting.respond_with_string({200, {}}, "finished");
  waiting = Reqd();
  pump();
  EXPECT_EQ(reply.body, "finished");
  EXPECT_TRUE(reply.ended);
  EXPECT_TRUE(server_->is_closed());
  EXPECT_TRUE(client_->is_closed());
}

// --- cancellation ----------------------------------------------------------------------

TEST_F(H2Pair, CancelOfOneOfTwoStreamsResetsItAloneAndTheOtherCompletes) {
  std::vector<Reqd> waiting;
  start([&](Reqd& reqd) { waiting.push_back(reqd); });
  Reply cancelled, kept;
  BodyWriter first = send({Method::GET, "/1", {{"host", "a"}}}, &cancelled);
  send({Method::GET, "/2", {{"host", "a"}}}, &kept);
  pump();
  ASSERT_EQ(waiting.size(), 2u);
  first.cancel();
  EXPECT_EQ(cancelled.code, Errc::cancelled);
  pump();
  EXPECT_EQ(client_reset(1), NGHTTP2_CANCEL);
  EXPECT_EQ(client_reset(3), std::nullopt);
  EXPECT_EQ(server_->streams_in_flight(), 1u);
  (void)waiting[0].respond_with_string({200, {}}, "too late");
  (void)waiting[1].respond_with_string({200, {}}, "kept");
  waiting.clear();
  pump();
  EXPECT_EQ(kept.body, "kept");
  EXPECT_TRUE(kept.ended);
  EXPECT_EQ(cancelled.status, 0);
  EXPECT_EQ(cancelled.body, "");
  EXPECT_EQ(cancelled.errors, 1);
  first.cancel();  // again: nothing more
  EXPECT_EQ(cancelled.errors, 1);
  EXPECT_EQ(client_->requests_in_flight(), 0u);
  EXPECT_EQ(server_->streams_in_flight(), 0u);
  EXPECT_FALSE(client_->is_closed());
  EXPECT_FALSE(server_->is_closed());
}

TEST_F(H2Pair, CancelOfAStreamingUploadMidBody) {
  std::string received;
  std::optional<Errc> server_end;
  Reqd held;
  start([&](Reqd& reqd) {
    if (reqd.request().method == Method::GET)
      return (void)reqd.respond_with_string({200, {}}, "still here");
    held = reqd;
    BodyReader body = reqd.request_body();
    body.on_data([&](Bytes bytes) { received += as_string(bytes); });
    body.on_end([&](Result<void> end) { server_end = end ? Errc::ok : end.error().code; });
  });
  Reply reply;
  BodyWriter upload = send({Method::POST, "/up", {{"host", "a"}}}, &reply);
  ASSERT_TRUE(upload.write("first part").has_value());
  pump();
  EXPECT_EQ(received, "first part");
  upload.cancel();
  EXPECT_FALSE(upload.write("more").has_value());
  EXPECT_FALSE(upload.close().has_value());
  pump();
  EXPECT_EQ(reply.code, Errc::cancelled);
  EXPECT_EQ(reply.errors, 1);
  EXPECT_EQ(client_reset(1), NGHTTP2_CANCEL);
  EXPECT_EQ(server_end, Errc::closed);  // the server's reader hears the stream was reset
  EXPECT_EQ(received, "first part");
  held = Reqd();
  // The connection goes on.
  Reply next;
  send({Method::GET, "/", {{"host", "a"}}}, &next);
  pump();
  EXPECT_EQ(next.body, "still here");
  EXPECT_TRUE(next.ended);
}

TEST_F(H2Pair, CancelOfAnUploadWhoseFramesWaitForTheNetwork) {
  Reqd held;
  std::size_t received = 0;
  std::optional<Errc> server_end;
  start([&](Reqd& reqd) {
    held = reqd;
    BodyReader body = reqd.request_body();
    body.on_data([&](Bytes bytes) { received += bytes.size(); });
    body.on_end([&](Result<void> end) { server_end = end ? Errc::ok : end.error().code; });
  });
  Reply reply;
  BodyWriter upload = send({Method::POST, "/up", {{"host", "a"}}}, &reply);
  ASSERT_TRUE(upload.write("start").has_value());
  pump();
  // The network stops taking the client's bytes while a large body is written.
  client_driver_.set_writes_blocked(true);
  for (int i = 0; i < 8; ++i) (void)upload.write(std::string(32 * 1024, 'u'));
  pump();
  upload.cancel();
  client_driver_.set_writes_blocked(false);
  pump();
  EXPECT_EQ(reply.code, Errc::cancelled);
  EXPECT_EQ(reply.errors, 1);
  EXPECT_EQ(client_reset(1), NGHTTP2_CANCEL);
  EXPECT_EQ(server_end, Errc::closed);
  std::size_t resets = 0;
  for (const testing::Frame& frame : client_frames()) resets += frame.type == testing::kRstStream;
  EXPECT_EQ(resets, 1u);
  EXPECT_FALSE(client_->is_closed());
  EXPECT_FALSE(server_->is_closed());
  held = Reqd();
}

TEST_F(H2Pair, CancelAfterTheResponseIsANoOp) {
  start(application);
  Reply reply;
  BodyReader reader;
  auto writer = client_->request({Method::GET, "/", {{"host", "a"}}},
                                 [&](Result<Response> response, BodyReader body) {
                                   reader = body;
                                   collect(&reply)(std::move(response), body);
                                 });
  ASSERT_TRUE(writer.has_value());
  pump();
  ASSERT_TRUE(reply.ended);
  const std::size_t sent = client_wrote_.size();
  writer->cancel();
  reader.cancel();
  pump();
  EXPECT_EQ(client_wrote_.size(), sent);  // no RST_STREAM
  EXPECT_EQ(reply.errors, 0);
  EXPECT_EQ(reply.body, "Hello World!");
  EXPECT_FALSE(client_->is_closed());
}

TEST_F(H2Pair, CancelAfterAnEarlyResponseOnlyStopsTheUpload) {
  start(application);
  Reply reply;
  BodyWriter upload = send({Method::POST, "/nowhere", {{"host", "a"}}}, &reply);
  ASSERT_TRUE(upload.write("unread").has_value());
  pump();
  ASSERT_TRUE(reply.ended);  // answered (404) before the request ended
  upload.cancel();
  pump();
  EXPECT_EQ(reply.errors, 0);
  EXPECT_EQ(reply.body, "no such page");
  EXPECT_FALSE(upload.write("more").has_value());
  EXPECT_EQ(client_->requests_in_flight(), 0u);
  EXPECT_FALSE(client_->is_closed());
}

TEST_F(H2Pair, CancelBeforeTheRequestWentOutSendsNothingForIt) {
  start(application);
  Reply cancelled, kept;
  BodyWriter writer = send({Method::GET, "/", {{"host", "a"}}}, &cancelled);
  send({Method::GET, "/", {{"host", "a"}}}, &kept);
  writer.cancel();
  pump();
  EXPECT_EQ(cancelled.code, Errc::cancelled);
  EXPECT_EQ(cancelled.errors, 1);
  EXPECT_TRUE(kept.ended);
  for (const testing::Frame& frame : client_frames())
    EXPECT_NE(frame.stream, 1u) << int(frame.type);
  EXPECT_EQ(client_->requests_in_flight(), 0u);
}

TEST_F(H2Pair, CancelFromTheResponseHandlerFailsTheBodyOnce) {
  start([](Reqd& reqd) { (void)reqd.respond_with_string({200, {}}, std::string(100'000, 'x')); });
  int ends = 0;
  std::size_t bytes = 0;
  std::optional<Errc> code;
  auto writer = client_->request({Method::GET, "/", {{"host", "a"}}},
                                 [&](Result<Response> response, BodyReader body) {
                                   ASSERT_TRUE(response.has_value());
                                   body.cancel();
                                   body.on_data([&](Bytes data) { bytes += data.size(); });
                                   body.on_end([&](Result<void> end) {
                                     ++ends;
                                     if (!end) code = end.error().code;
                                   });
                                 });
  ASSERT_TRUE(writer.has_value());
  pump();
  EXPECT_EQ(ends, 1);
  EXPECT_EQ(code, Errc::cancelled);
  EXPECT_EQ(bytes, 0u);
  EXPECT_EQ(client_reset(1), NGHTTP2_CANCEL);
  EXPECT_EQ(client_->requests_in_flight(), 0u);
  EXPECT_FALSE(client_->is_closed());
  EXPECT_FALSE(server_->is_closed());
}

// --- one handler for both protocols ---------------------------------------------------

struct Seen {
  int status;
  std::string content_type, body;
  bool operator==(const Seen&) const = default;
};

template <typename Server, typename Client, typename Config>
std::vector<Seen> ask(Config config) {
  Driver server_driver, client_driver;
  auto server = Server::create(config, application, nullptr, server_driver.clock());
  auto client = Client::create(config, client_driver.clock());
  server_driver.attach(server.get());
  client_driver.attach(client.get());
  std::vector<Seen> seen(4);
  std::vector<Request> requests = {
      {Method::GET, "/", {{"host", "a"}}},
      {Method::POST, "/echo", {{"host", "a"}, {"content-length", "5"}}},
      {Method::GET, "/fail", {{"host", "a"}}},
      {Method::GET, "/nowhere", {{"host", "a"}}}};
  for (std::size_t i = 0; i < requests.size(); ++i) {
    auto writer = client->request(
        std::move(requests[i]), [&seen, i](Result<Response> response, BodyReader body) {
          seen[i].status = response->status;
          seen[i].content_type = std::string(response->headers.get("content-type").value_or(""));
          body.on_data([&seen, i](Bytes bytes) { seen[i].body += as_string(bytes); });
        });
    if (i == 1) {
      (void)writer->write("hello");
      (void)writer->close();
    }
    pump_pair(client_driver, server_driver);
  }
  return seen;
}

TEST(OneHandler, AnswersIdenticallyOverHttp1AndHttp2) {
  H2Config h2;
  h2.scheme = "http";
  std::vector<Seen> over_h1 = ask<H1ServerConnection, H1ClientConnection>(H1Config{});
  std::vector<Seen> over_h2 = ask<H2ServerConnection, H2ClientConnection>(h2);
  EXPECT_EQ(over_h1, over_h2);
  EXPECT_EQ(over_h2[0], (Seen{200, "text/plain", "Hello World!"}));
  EXPECT_EQ(over_h2[1].body, "hello");
  EXPECT_EQ(over_h2[2].status, 500);
  EXPECT_EQ(over_h2[3], (Seen{404, "", "no such page"}));
}

}  // namespace
}  // namespace paf
