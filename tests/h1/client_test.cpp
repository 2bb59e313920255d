// The HTTP/1.x client engine, alone and back to back with the server engine.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "driver.h"
#include "paf/h1.h"

namespace paf {
namespace {

using testing::as_string;
using testing::Driver;

// What the application saw of one response.
struct Seen {
  int status = 0;
  std::string headers, body, trailers;
  bool ended = false;
  std::optional<Errc> error;
  int errors = 0;  // how many times an error was delivered (at most once)
};

ResponseHandler collect(Seen* seen) {
  return [seen](Result<Response> response, BodyReader body) {
    if (!response) {
      seen->error = response.error().code;
      ++seen->errors;
      return;
    }
    seen->status = response->status;
    for (auto field : response->headers) seen->headers.append(field.name).append("=").append(field.value).append(";");
    body.on_data([seen](Bytes bytes) { seen->body += as_string(bytes); });
    body.on_end([seen, body](Result<void> end) {
      seen->ended = end.has_value();
      if (!end) {
        seen->error = end.error().code;
        ++seen->errors;
      }
      for (auto field : body.trailers()) seen->trailers.append(field.name).append("=").append(field.value);
    });
  };
}

class H1Client : public ::testing::Test {
 protected:
  H1Client() { start({}); }
  void start(H1Config config) {
    connection_ = H1ClientConnection::create(config, driver_.clock());
    driver_.attach(connection_.get());
  }
  BodyWriter send(Request request, Seen* seen) {
    auto writer = connection_->request(std::move(request), collect(seen));
    EXPECT_TRUE(writer);
    driver_.pump();
    return writer ? *writer : BodyWriter();
  }
  Request get(std::string_view target = "/") { return Request(Method::GET, target, {{"host", "a"}}); }

  Driver driver_;
  std::unique_ptr<H1ClientConnection> connection_;
};

TEST_F(H1Client, GetWritesTheRequestAndReadsAContentLengthResponse) {
  Seen seen;
  send(get("/x?y"), &seen);
  EXPECT_EQ(driver_.take_output(), "GET /x?y HTTP/1.1\r\nhost: a\r\n\r\n");
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhel");
  EXPECT_EQ(seen.status, 200);
  EXPECT_FALSE(seen.ended);
  driver_.feed("lo");
  EXPECT_EQ(seen.body, "hello");
  EXPECT_TRUE(seen.ended);
  EXPECT_EQ(connection_->requests_in_flight(), 0u);
}

// Found by fuzz/h1_client: closing a writer closed already (a GET's, as
// request() documents, or a second close) failed the request and closed
// the connection.
TEST_F(H1Client, FuzzClosingAClosedWriterKeepsTheRequest) {
  Seen first, second;
  BodyWriter fetch = send(get("/"), &first);
  EXPECT_EQ(fetch.close().error().code, Errc::closed);  // it says so, and nothing more
  BodyWriter post =
      send(Request(Method::POST, "/p", {{"host", "a"}, {"content-length", "2"}}), &second);
  (void)post.write("hi");
  EXPECT_TRUE(post.close());
  EXPECT_EQ(post.close().error().code, Errc::closed);
  driver_.pump();
  EXPECT_EQ(driver_.take_output(),
            "GET / HTTP/1.1\r\nhost: a\r\n\r\nPOST /p HTTP/1.1\r\nhost: a\r\ncontent-length: "
            "2\r\n\r\nhi");
  driver_.feed(
      "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nb");
  EXPECT_EQ(first.body, "a");
  EXPECT_EQ(second.body, "b");
  EXPECT_TRUE(first.ended && second.ended);
  EXPECT_EQ(first.errors + second.errors, 0);
}

TEST_F(H1Client, ChunkedResponseWithTrailers) {
  Seen seen;
  send(get(), &seen);
  driver_.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\nX-Sum: 5\r\n\r\n");
  EXPECT_EQ(seen.body, "abcde");
  EXPECT_EQ(seen.trailers, "X-Sum=5");
  EXPECT_TRUE(seen.ended);
}

TEST_F(H1Client, HeadResponseHasNoBodyWhateverItsLength) {
  Seen head, next;
  send(Request(Method::HEAD, "/", {{"host", "a"}}), &head);
  send(get(), &next);
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_TRUE(head.ended);
  EXPECT_EQ(head.body, "");
  EXPECT_EQ(next.body, "ok");
  EXPECT_TRUE(next.ended);
}

TEST_F(H1Client, NoContentAndNotModifiedHaveNoBody) {
  Seen no_content, not_modified, next;
  send(get("/1"), &no_content);
  send(get("/2"), &not_modified);
  send(get("/3"), &next);
  driver_.feed("HTTP/1.1 204 No Content\r\nContent-Length: 3\r\n\r\n"
               "HTTP/1.1 304 Not Modified\r\nContent-Length: 3\r\n\r\n"
               "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
  EXPECT_EQ(no_content.status, 204);
  EXPECT_TRUE(no_content.ended);
  EXPECT_EQ(not_modified.status, 304);
  EXPECT_TRUE(not_modified.ended);
  EXPECT_EQ(next.body, "abc");
}

TEST_F(H1Client, InterimResponsesAreSkipped) {
  Seen seen;
  send(get(), &seen);
  driver_.feed("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
               "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_EQ(seen.status, 200);
  EXPECT_EQ(seen.body, "ok");
}

TEST_F(H1Client, KeepAliveConnectionIsReused) {
  Seen first, second;
  send(get("/1"), &first);
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1");
  send(get("/2"), &second);
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2");
  EXPECT_EQ(driver_.output(), "GET /1 HTTP/1.1\r\nhost: a\r\n\r\nGET /2 HTTP/1.1\r\nhost: a\r\n\r\n");
  EXPECT_EQ(first.body, "1");
  EXPECT_EQ(second.body, "2");
  EXPECT_FALSE(connection_->is_closed());
}

TEST_F(H1Client, BodyWithoutLengthIsReadUntilClose) {
  Seen seen;
  send(get(), &seen);
  driver_.feed("HTTP/1.1 200 OK\r\n\r\nall of ");
  driver_.feed("it");
  EXPECT_FALSE(seen.ended);
  driver_.feed_eof();
  EXPECT_EQ(seen.body, "all of it");
  EXPECT_TRUE(seen.ended);
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H1Client, ResponseCutShortFailsTheBody) {
  Seen seen;
  send(get(), &seen);
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  driver_.feed_eof();
  EXPECT_FALSE(seen.ended);
  EXPECT_EQ(seen.error, Errc::closed);
}

TEST_F(H1Client, ConnectionCloseResponseEndsTheConnection) {
  Seen seen;
  send(get(), &seen);
  driver_.feed("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_TRUE(seen.ended);
  EXPECT_TRUE(connection_->is_closed());
  auto refused = connection_->request(get(), collect(&seen));
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().code, Errc::closed);
}

TEST_F(H1Client, RequestBodyIsStreamedChunked) {
  Seen seen;
  BodyWriter writer = send(Request(Method::POST, "/up", {{"host", "a"}}), &seen);
  EXPECT_EQ(driver_.take_output(), "POST /up HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n");
  EXPECT_TRUE(writer.write("abc"));
  EXPECT_TRUE(writer.close({{"x-done", "1"}}));
  driver_.pump();
  EXPECT_EQ(driver_.take_output(), "3\r\nabc\r\n0\r\nx-done: 1\r\n\r\n");
  // No response came: the connection going away fails the request.
  connection_.reset();
  EXPECT_EQ(seen.error, Errc::closed);
}

TEST_F(H1Client, RequestBodyWithContentLength) {
  Seen seen;
  BodyWriter writer = send(Request(Method::PUT, "/", {{"host", "a"}, {"content-length", "4"}}), &seen);
  EXPECT_TRUE(writer.write("ab"));
  auto too_much = writer.write("cde");
  EXPECT_FALSE(too_much);
  EXPECT_TRUE(writer.write("cd"));
  EXPECT_TRUE(writer.close());
  driver_.pump();
  EXPECT_EQ(driver_.output(), "PUT / HTTP/1.1\r\nhost: a\r\ncontent-length: 4\r\n\r\nabcd");
  connection_.reset();
  EXPECT_EQ(seen.error, Errc::closed);
}

TEST_F(H1Client, MalformedResponseFailsTheRequest) {
  Seen seen;
  send(get(), &seen);
  driver_.feed("HTTP/1.1 2OO OK\r\n\r\n");
  EXPECT_EQ(seen.error, Errc::protocol_error);
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H1Client, EverySplitOfTheResponsesGivesTheSameResult) {
  const std::string input =
      "HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
      "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nde\r\n0\r\nT: 1\r\n\r\n"
      "HTTP/1.1 200 OK\r\n\r\nuntil close";
  auto run = [&](const std::vector<std::string>& chunks) {
    Driver driver;
    auto connection = H1ClientConnection::create({}, driver.clock());
    driver.attach(connection.get());
    std::vector<Seen> seen(3);
    for (Seen& each : seen) (void)connection->request(get(), collect(&each));
    for (const std::string& chunk : chunks) driver.feed(chunk);
    driver.feed_eof();
    std::string summary;
    for (const Seen& each : seen)
      summary += std::to_string(each.status) + "|" + each.body + "|" + each.trailers + "|" +
                 (each.ended ? "ended" : "open") + (each.error ? "E" + std::to_string(int(*each.error)) : "") + "\n";
    return summary;
  };
  const std::string whole = run({input});
  EXPECT_EQ(whole, "200|abc||ended\n200|de|T=1|ended\n200|until close||ended\n");
  for (std::size_t at = 0; at <= input.size(); ++at)
    EXPECT_EQ(run({input.substr(0, at), input.substr(at)}), whole) << "split at " << at;
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);
  EXPECT_EQ(run(bytes), whole);
}

// --- cancellation ------------------------------------------------------------------

TEST_F(H1Client, CancelOfARequestNotYetSentOnlyLeavesTheQueue) {
  Seen upload, queued;
  BodyWriter body = send(Request(Method::POST, "/up", {{"host", "a"}}), &upload);
  // The GET waits behind the open upload: nothing of it has gone out.
  BodyWriter get_writer = send(get("/later"), &queued);
  get_writer.cancel();
  EXPECT_EQ(queued.error, Errc::cancelled);
  EXPECT_EQ(queued.errors, 1);
  EXPECT_EQ(connection_->requests_in_flight(), 1u);
  (void)body.write("x");
  (void)body.close();
  driver_.pump();
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  EXPECT_EQ(upload.body, "ok");
  EXPECT_TRUE(upload.ended);
  EXPECT_EQ(driver_.output().find("/later"), std::string::npos);
  EXPECT_FALSE(connection_->is_closed());
  get_writer.cancel();  // twice: nothing more
  EXPECT_EQ(queued.errors, 1);
}

TEST_F(H1Client, CancelOfASentRequestClosesTheConnection) {
  Seen first, second;
  BodyWriter writer = send(get("/1"), &first);
  send(get("/2"), &second);  // pipelined behind it
  writer.cancel();
  driver_.pump();
  EXPECT_EQ(first.error, Errc::cancelled);
  EXPECT_EQ(first.errors, 1);
  EXPECT_EQ(second.error, Errc::closed);
  EXPECT_EQ(second.errors, 1);
  EXPECT_TRUE(connection_->is_closed());
  EXPECT_TRUE(driver_.write_closed());
  EXPECT_EQ(connection_->requests_in_flight(), 0u);
  EXPECT_FALSE(connection_->request(get(), collect(&second)));
}

TEST_F(H1Client, CancelDuringTheResponseBodyFailsItsEndOnce) {
  Seen seen;
  BodyReader reader;
  auto writer = connection_->request(get(), [&](Result<Response> response, BodyReader body) {
    ASSERT_TRUE(response);
    reader = body;
    body.on_data([&seen](Bytes bytes) { seen.body += as_string(bytes); });
    body.on_end([&seen](Result<void> end) {
      ASSERT_FALSE(end);
      seen.error = end.error().code;
      ++seen.errors;
    });
  });
  ASSERT_TRUE(writer);
  driver_.pump();
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc");
  reader.cancel();
  driver_.feed("defg");
  EXPECT_EQ(seen.body, "abc");
  EXPECT_EQ(seen.error, Errc::cancelled);
  EXPECT_EQ(seen.errors, 1);
  EXPECT_TRUE(connection_->is_closed());
  EXPECT_EQ(connection_->requests_in_flight(), 0u);
}

TEST_F(H1Client, CancelFromInsideTheBodyReader) {
  Seen seen;
  auto writer = connection_->request(get(), [&](Result<Response>, BodyReader body) {
    body.on_data([&seen, body](Bytes bytes) mutable {
      seen.body += as_string(bytes);
      body.cancel();
    });
    body.on_end([&seen](Result<void> end) {
      if (!end) seen.error = end.error().code;
      ++seen.errors;
    });
  });
  driver_.pump();
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 6\r\n\r\nabcdef");
  EXPECT_EQ(seen.body, "abcdef");  // one chunk, then no more reading
  EXPECT_EQ(seen.error, Errc::cancelled);
  EXPECT_EQ(seen.errors, 1);
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H1Client, CancelAfterTheResponseIsANoOp) {
  Seen first, second;
  BodyWriter writer = send(get("/1"), &first);
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1");
  ASSERT_TRUE(first.ended);
  writer.cancel();
  EXPECT_EQ(first.errors, 0);
  EXPECT_FALSE(connection_->is_closed());
  send(get("/2"), &second);
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n2");
  EXPECT_EQ(second.body, "2");
  BodyWriter().cancel();  // an empty handle cancels nothing
}

// --- the response timeout ------------------------------------------------------------

TEST_F(H1Client, ResponseTimeoutFiresWhenTheHeadIsLateAndNotBefore) {
  H1Config config;
  config.response_timeout_ns = 5 * kSecond;
  start(config);
  Seen seen;
  send(get(), &seen);
  driver_.advance(5 * kSecond - 1);
  EXPECT_FALSE(seen.error);
  EXPECT_FALSE(connection_->is_closed());
  driver_.advance(1);
  EXPECT_EQ(seen.error, Errc::timed_out);
  EXPECT_EQ(seen.errors, 1);
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H1Client, ResponseTimeoutRunsFromTheEndOfTheRequestToTheHead) {
  H1Config config;
  config.response_timeout_ns = 5 * kSecond;
  start(config);
  Seen seen;
  BodyWriter body = send(Request(Method::POST, "/up", {{"host", "a"}}), &seen);
  driver_.advance(60 * kSecond);  // a slow upload is not a late response
  EXPECT_FALSE(seen.error);
  (void)body.close();
  driver_.pump();
  driver_.advance(4 * kSecond);
  driver_.feed("HTTP/1.1 100 Continue\r\n\r\n");  // an interim response starts the wait again
  driver_.advance(4 * kSecond);
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\no");
  driver_.advance(60 * kSecond);  // the head came: the body may take its time
  driver_.feed("k");
  EXPECT_EQ(seen.body, "ok");
  EXPECT_TRUE(seen.ended);
  EXPECT_EQ(seen.errors, 0);
  EXPECT_FALSE(connection_->is_closed());
}

TEST_F(H1Client, ResponseTimeoutOfAPipelinedRequestStartsAfterTheResponseBeforeIt) {
  H1Config config;
  config.response_timeout_ns = 5 * kSecond;
  start(config);
  Seen first, second;
  send(get("/1"), &first);
  send(get("/2"), &second);
  driver_.advance(4 * kSecond);
  driver_.feed("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\n1");
  driver_.advance(4 * kSecond);
  EXPECT_FALSE(second.error);
  driver_.advance(1 * kSecond);
  EXPECT_TRUE(first.ended);
  EXPECT_EQ(second.error, Errc::timed_out);
}

// --- server and client engines back to back -----------------------------------------

class H1BackToBack : public ::testing::Test {
 protected:
  H1BackToBack() {
    server_ = H1ServerConnection::create(
        {},
        [](Reqd& reqd) {
          if (reqd.request().method != Method::POST) {
            (void)reqd.respond_with_string({200, {{"content-type", "text/plain"}}}, "Hello World!");
            return;
          }
          BodyWriter writer = *reqd.respond_with_streaming({200, {}});
          BodyReader body = reqd.request_body();
          body.on_data([writer](Bytes bytes) mutable { (void)writer.write(bytes); });
          body.on_end([writer, body](Result<void>) mutable { (void)writer.close(body.trailers()); });
        },
        nullptr, server_side_.clock());
    client_ = H1ClientConnection::create({}, client_side_.clock());
    server_side_.attach(server_.get());
    client_side_.attach(client_.get());
  }
  void pump() { testing::pump_pair(server_side_, client_side_); }

  Driver server_side_, client_side_;
  std::unique_ptr<H1ServerConnection> server_;
  std::unique_ptr<H1ClientConnection> client_;
};

TEST_F(H1BackToBack, GetHeadAndPostOnOneConnection) {
  Seen get, head, post;
  ASSERT_TRUE(client_->request(Request(Method::GET, "/", {{"host", "a"}}), collect(&get)));
  ASSERT_TRUE(client_->request(Request(Method::HEAD, "/", {{"host", "a"}}), collect(&head)));
  auto writer = client_->request(Request(Method::POST, "/echo", {{"host", "a"}}), collect(&post));
  ASSERT_TRUE(writer);
  pump();
  (void)writer->write("streamed ");
  pump();
  (void)writer->write(std::string(100'000, 'x'));
  (void)writer->close({{"x-check", "ok"}});
  pump();
  EXPECT_EQ(get.body, "Hello World!");
  EXPECT_TRUE(get.ended);
  EXPECT_EQ(head.status, 200);
  EXPECT_EQ(head.body, "");
  EXPECT_TRUE(head.ended);
  EXPECT_EQ(post.body, "streamed " + std::string(100'000, 'x'));
  EXPECT_EQ(post.trailers, "x-check=ok");
  EXPECT_TRUE(post.ended);
  EXPECT_FALSE(client_->is_closed());
  EXPECT_FALSE(server_->is_closed());
}

TEST_F(H1BackToBack, ClientShutdownClosesBothEnds) {
  Seen get;
  ASSERT_TRUE(client_->request(Request(Method::GET, "/", {{"host", "a"}}), collect(&get)));
  pump();
  client_->shutdown();
  pump();
  client_side_.pump();
  server_side_.feed_eof();
  EXPECT_TRUE(get.ended);
  EXPECT_TRUE(client_->is_closed());
  EXPECT_TRUE(server_->is_closed());
}

TEST_F(H1BackToBack, CancelOfAnUploadClosesTheConnectionAndTheServerHearsIt) {
  Seen post;
  auto writer = client_->request(Request(Method::POST, "/echo", {{"host", "a"}}), collect(&post));
  ASSERT_TRUE(writer);
  (void)writer->write("part of it");
  pump();
  EXPECT_EQ(post.body, "part of it");  // echoed as it streams
  writer->cancel();
  pump();
  EXPECT_EQ(post.error, Errc::cancelled);
  EXPECT_EQ(post.errors, 1);
  EXPECT_TRUE(client_->is_closed());
  ASSERT_TRUE(client_side_.write_closed());
  server_side_.feed_eof();
  EXPECT_TRUE(server_->is_closed());
}

}  // namespace
}  // namespace paf
