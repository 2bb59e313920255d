// The HTTP/2 server engine played by hand-made frames: bytes in, frames out,
// no network. Conformance tests are named after the RFC 9113 section they check.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "driver.h"
#include "echo_handler.h"
#include "frames.h"
#include "paf/h2.h"

namespace paf {
namespace {

using namespace paf::testing;

// Frames joined in order: a braced list is evaluated left to right, as the
// HPACK encoder's state needs (operands of + are not).
std::string frames(std::initializer_list<std::string> parts) {
  std::string joined;
  for (const std::string& part : parts) joined += part;
  return joined;
}


// A response as the frames told it.
struct Answer {
  std::string status, body, trailers;
  bool ended = false;
  std::uint32_t reset = UINT32_MAX;  // RST_STREAM's code, if reset
  bool operator==(const Answer&) const = default;
};

class H2Server : public ::testing::Test {
 protected:
  void start(RequestHandler handler, H2Config config = {}, ErrorHandler on_error = nullptr) {
    connection_ = H2ServerConnection::create(config, std::move(handler), std::move(on_error),
                                             driver_.clock());
    driver_.attach(connection_.get());
    driver_.pump();
  }
  void start_echo(H2Config config = {}) { start(echo_handler(&log_), config); }
  // The client's preface, and its acknowledgement of the server's SETTINGS.
  void handshake(const std::vector<std::pair<std::uint16_t, std::uint32_t>>& settings = {}) {
    send(client_preface(settings) + settings_ack());
  }
  void send(const std::string& bytes) { driver_.feed(bytes); }
  std::string headers(std::uint32_t stream, const Fields& fields, bool end_stream) {
    return frame(kHeaders, kEndHeaders | (end_stream ? kEndStream : 0), stream,
                 hpack_.encode(fields));
  }
  std::string get(std::uint32_t stream, std::string_view path = "/") {
    return headers(stream, request_fields("GET", path), true);
  }
  // Frames written since the last call, gathered into frames_ and answers_.
  std::vector<Frame> receive() {
    std::vector<Frame> frames = reader_.read(driver_.take_output());
    for (const Frame& f : frames) {
      Answer& answer = answers_[f.stream];
      if (f.type == kHeaders && answer.status.empty())
        answer.status = f.field(":status");
      else if (f.type == kHeaders)
        for (const auto& [name, value] : f.fields) answer.trailers += name + ": " + value + "\n";
      if (f.type == kData) answer.body += f.payload;
      if (f.end_stream()) answer.ended = true;
      if (f.type == kRstStream) answer.reset = f.error_code();
      frames_.push_back(f);
    }
    return frames;
  }
  const Frame* last(std::uint8_t type) {
    receive();
    for (auto f = frames_.rbegin(); f != frames_.rend(); ++f)
      if (f->type == type) return &*f;
    return nullptr;
  }
  std::size_t count(std::uint8_t type, std::uint32_t stream) {
    receive();
    std::size_t n = 0;
    for (const Frame& f : frames_) n += f.type == type && f.stream == stream;
    return n;
  }
  Answer answer(std::uint32_t stream) {
    receive();
    return answers_[stream];
  }
  // The GOAWAY's error code, or UINT32_MAX without one.
  std::uint32_t goaway_code() {
    const Frame* goaway = last(kGoaway);
    return goaway == nullptr ? UINT32_MAX : goaway->error_code();
  }

  Driver driver_;
  std::unique_ptr<H2ServerConnection> connection_;
  HpackEncoder hpack_;
  FrameReader reader_;
  std::vector<Frame> frames_;
  std::map<std::uint32_t, Answer> answers_;
  std::string log_;
};

// --- the connection's start -----------------------------------------------------

TEST_F(H2Server, Rfc9113_3_4_Preface_ServerSendsItsSettingsFirst) {
  H2Config config;
  config.max_concurrent_streams = 7;
  config.initial_window_size = 12345;
  start_echo(config);
  auto frames = receive();
  ASSERT_FALSE(frames.empty());
  EXPECT_EQ(frames[0].type, kSettings);
  const std::string& payload = frames[0].payload;
  bool streams = false, window = false;
  for (std::size_t at = 0; at + 6 <= payload.size(); at += 6) {
    auto id =
        (static_cast<std::uint8_t>(payload[at]) << 8) | static_cast<std::uint8_t>(payload[at + 1]);
    streams =
        streams || (id == NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS && get32(payload, at + 2) == 7);
    window =
        window || (id == NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE && get32(payload, at + 2) == 12345);
  }
  EXPECT_TRUE(streams);
  EXPECT_TRUE(window);
}

TEST_F(H2Server, Rfc9113_3_4_Preface_BadMagicClosesTheConnection) {
  start_echo();
  send("GET / HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_TRUE(driver_.write_closed());
  EXPECT_TRUE(connection_->is_closed());
}

// What the cleartext port hands to HTTP/2 once "PRI * HTTP/2.0" matched
// (alpn's version_for_first_bytes): a preface broken after it is refused
// with frames an HTTP/2 client reads.
TEST_F(H2Server, Rfc9113_3_4_Preface_BrokenAfterTheRequestLineIsGoawayProtocolError) {
  start_echo();
  send("PRI * HTTP/2.0\r\n\r\nXX\r\n\r\n");
  EXPECT_EQ(goaway_code(), std::uint32_t{NGHTTP2_PROTOCOL_ERROR});
  EXPECT_TRUE(driver_.write_closed());
  EXPECT_TRUE(connection_->is_closed());
}

TEST_F(H2Server, Rfc9113_8_1_GetIsAnsweredOnItsStream) {
  start_echo();
  handshake();
  send(get(1));
  Answer a = answer(1);
  EXPECT_EQ(a.status, "200");
  EXPECT_EQ(a.body, "Hello World!");
  EXPECT_TRUE(a.ended);
  EXPECT_EQ(log_, "GET /\n");
  const Frame* head = last(kHeaders);
  EXPECT_EQ(head->field("content-type"), "text/plain");
  EXPECT_EQ(head->field("content-length"), "12");
}

TEST_F(H2Server, Rfc9113_6_7_PingIsAcknowledged) {
  start_echo();
  handshake();
  send(ping_frame("abcdefgh"));
  const Frame* ping = last(kPing);
  ASSERT_NE(ping, nullptr);
  EXPECT_EQ(ping->flags & kAck, kAck);
  EXPECT_EQ(ping->payload, "abcdefgh");
}

// --- every input split at every boundary --------------------------------------

struct Transcript {
  std::map<std::uint32_t, Answer> answers;
  std::string log;
  bool operator==(const Transcript&) const = default;
};

// Body data may arrive in more pieces; the log's data lines are compared joined.
std::string joined_log(const std::string& log) {
  std::string events, bodies;
  std::size_t at = 0;
  while (at < log.size()) {
    std::size_t end = log.find('\n', at) + 1;
    if (log.compare(at, 5, "data ") == 0)
      bodies.append(log, at + 5, end - at - 6);
    else
      events.append(log, at, end - at);
    at = end;
  }
  return events + "bodies " + bodies;
}

std::string conversation() {
  HpackEncoder hpack;
  return frames(
      {client_preface(), settings_ack(),
       frame(kHeaders, kEndHeaders | kEndStream, 1, hpack.encode(request_fields("GET", "/1"))),
       frame(kHeaders, kEndHeaders, 3, hpack.encode(request_fields("POST", "/echo"))), ping_frame(),
       data_frame(3, "hello "), data_frame(3, "world"),
       frame(kHeaders, kEndHeaders | kEndStream, 3, hpack.encode({{"x-sum", "11"}})),
       frame(kHeaders, kEndHeaders | kEndStream, 5, hpack.encode(request_fields("GET", "/5")))});
}

Transcript serve_in_chunks(const std::vector<std::string>& chunks) {
  Driver driver;
  std::string log;
  auto connection = H2ServerConnection::create({}, echo_handler(&log), nullptr, driver.clock());
  driver.attach(connection.get());
  for (const std::string& chunk : chunks) driver.feed(chunk);
  FrameReader reader;
  Transcript transcript{{}, joined_log(log)};
  for (const Frame& f : reader.read(driver.output())) {
    Answer& answer = transcript.answers[f.stream];
    if (f.type == kHeaders && answer.status.empty())
      answer.status = f.field(":status");
    else if (f.type == kHeaders)
      for (const auto& [name, value] : f.fields) answer.trailers += name + ": " + value + "\n";
    if (f.type == kData) answer.body += f.payload;
    if (f.end_stream()) answer.ended = true;
  }
  transcript.answers.erase(0);  // SETTINGS, PING and WINDOW_UPDATE vary with the splits
  return transcript;
}

TEST(H2ServerSplits, ConversationGetsEveryResponse) {
  Transcript whole = serve_in_chunks({conversation()});
  EXPECT_EQ(whole.log, "GET /1\nPOST /echo\nend\ntrailer x-sum: 11\nGET /5\nbodies hello world");
  EXPECT_EQ(whole.answers[1], (Answer{"200", "Hello World!", "", true}));
  EXPECT_EQ(whole.answers[3], (Answer{"200", "hello world", "x-sum: 11\n", true}));
  EXPECT_EQ(whole.answers[5], (Answer{"200", "Hello World!", "", true}));
}

TEST(H2ServerSplits, EverySplitInTwoGivesTheSameResponses) {
  const std::string input = conversation();
  Transcript whole = serve_in_chunks({input});
  for (std::size_t at = 0; at <= input.size(); ++at)
    EXPECT_EQ(serve_in_chunks({input.substr(0, at), input.substr(at)}), whole) << "split at " << at;
}

TEST(H2ServerSplits, OneByteAtATimeGivesTheSameResponses) {
  const std::string input = conversation();
  std::vector<std::string> bytes;
  for (char c : input) bytes.emplace_back(1, c);
  EXPECT_EQ(serve_in_chunks(bytes), serve_in_chunks({input}));
}

// --- streams --------------------------------------------------------------------

TEST_F(H2Server, Rfc9113_5_1_StreamStates_ConcurrentStreamsAnsweredInAnyOrder) {
  std::vector<Reqd> waiting;
  start([&](Reqd& reqd) { waiting.push_back(reqd); });
  handshake();
  send(frames({get(1, "/a"), get(3, "/b"), get(5, "/c")}));
  ASSERT_EQ(waiting.size(), 3u);
  EXPECT_EQ(connection_->streams_in_flight(), 3u);
  for (int i = 2; i >= 0; --i)
    (void)waiting[i].respond_with_string({200, {}}, waiting[i].request().path());
  driver_.pump();
  EXPECT_EQ(answer(1).body, "/a");
  EXPECT_EQ(answer(3).body, "/b");
  EXPECT_EQ(answer(5).body, "/c");
  // Answered last first: stream 5's DATA went out before stream 1's.
  std::vector<std::uint32_t> order;
  for (const Frame& f : frames_)
    if (f.type == kData) order.push_back(f.stream);
  EXPECT_EQ(order, (std::vector<std::uint32_t>{5, 3, 1}));
  waiting.clear();
  EXPECT_EQ(connection_->streams_in_flight(), 0u);
}

TEST_F(H2Server, Rfc9113_5_1_2_StreamConcurrency_OverTheLimitIsRefused) {
  std::vector<Reqd> waiting;
  H2Config config;
  config.max_concurrent_streams = 2;
  start([&](Reqd& reqd) { waiting.push_back(reqd); }, config);
  // The client opens streams before it has seen, and so acknowledged, the limit.
  send(frames({client_preface(), get(1), get(3), get(5)}));
  EXPECT_EQ(waiting.size(), 2u);
  EXPECT_EQ(answer(5).reset, static_cast<std::uint32_t>(NGHTTP2_REFUSED_STREAM));
  // A refused stream costs the connection nothing: answered streams free their slots.
  for (Reqd& reqd : waiting) (void)reqd.respond_with_string({200, {}}, "ok");
  waiting.clear();
  driver_.pump();
  send(settings_ack() + get(7));
  EXPECT_EQ(waiting.size(), 1u);
  EXPECT_EQ(goaway_code(), UINT32_MAX);
}

TEST_F(H2Server, Rfc9113_8_1_RequestTrailersReachTheHandlerAndResponseTrailersGoOut) {
  start_echo();
  handshake();
  send(frames({headers(1, request_fields("POST", "/echo"), false), data_frame(1, "abc"),
               headers(1, {{"x-checksum", "42"}}, true)}));
  Answer a = answer(1);
  EXPECT_EQ(a.body, "abc");
  EXPECT_EQ(a.trailers, "x-checksum: 42\n");
  EXPECT_TRUE(a.ended);
  EXPECT_EQ(log_, "POST /echo\ndata abc\nend\ntrailer x-checksum: 42\n");
}

// The exchanges of a connection's streams are made new in place and used
// again (ServerConnectionImpl::retire): nothing of a request, its body or its
// response shows in the next one.
TEST_F(H2Server, EachStreamSeesOnlyItsOwnRequest) {
  std::string seen;
  start([&](Reqd& reqd) {
    const Request& request = reqd.request();
    seen += std::string(request.method_name()) + " " + std::string(request.target()) + " " +
            std::string(request.authority());
    for (const Headers::Field field : request.headers)
      seen += " " + std::string(field.name) + "=" + std::string(field.value);
    seen += "\n";
    Reqd held = reqd;
    reqd.request_body().on_data([&](Bytes bytes) { seen += "data " + std::to_string(bytes.size()) + "\n"; });
    reqd.request_body().on_end([&seen, held](Result<void> end) mutable {
      seen += end ? "end" : "failed";
      for (const Headers::Field field : held.request_body().trailers())
        seen += " " + std::string(field.name) + "=" + std::string(field.value);
      seen += "\n";
      (void)held.respond_with_string({201, {{"x-stream", std::string(held.request().target())}}},
                                     std::string(held.request().target()));
      held = {};
    });
  });
  handshake();
  std::uint32_t stream = 1;
  for (int round = 0; round < 12; ++round) {  // more rounds than spare exchanges
    send(frames({headers(stream, request_fields("PROPFIND", "/p" + std::to_string(round),
                                                {{"x-first", "1"}, {"cookie", "a=1"}, {"cookie", "b=2"}}),
                         false),
                 data_frame(stream, "abc"), headers(stream, {{"x-trailer", "t"}}, true)}));
    send(get(stream + 2, "/g"));
    Answer propfind = answer(stream), get = answer(stream + 2);
    EXPECT_EQ(propfind.status, "201");
    EXPECT_EQ(propfind.body, "/p" + std::to_string(round));
    EXPECT_EQ(get.status, "201");
    EXPECT_EQ(get.body, "/g");
    stream += 4;
  }
  EXPECT_EQ(connection_->streams_in_flight(), 0u);
  std::string expected;
  for (int round = 0; round < 12; ++round)
    expected += "PROPFIND /p" + std::to_string(round) +
                " example.test x-first=1 cookie=a=1; b=2\ndata 3\nend x-trailer=t\n"
                "GET /g example.test\nend\n";
  EXPECT_EQ(seen, expected);
}

TEST_F(H2Server, AStringResponsesContentLengthIsItsBodysWhateverTheFieldsSaid) {
  start([](Reqd& reqd) {
    const bool head = reqd.request().method == Method::HEAD;
    (void)reqd.respond_with_string(
        {200, {{"Content-Length", "999"}, {"x-a", "1"}, {"content-length", "7"}}}, head ? "" : "abc");
  });
  handshake();
  send(get(1));
  send(headers(3, request_fields("HEAD", "/"), true));
  receive();
  std::vector<std::string> lengths[2];
  for (const Frame& f : frames_) {
    if (f.type != kHeaders) continue;
    for (const auto& [name, value] : f.fields)
      if (name == "content-length") lengths[f.stream == 3].push_back(value);
  }
  EXPECT_EQ(lengths[0], std::vector<std::string>{"3"});
  EXPECT_EQ(answer(1).body, "abc");
  // HEAD: the fields say what a GET would get; none is replaced.
  EXPECT_EQ(lengths[1], (std::vector<std::string>{"999", "7"}));
  EXPECT_TRUE(answer(3).ended);
}

TEST_F(H2Server, Rfc9113_8_2_2_ConnectionSpecificFieldsAreNotSent) {
  start([](Reqd& reqd) {
    (void)reqd.respond_with_string(
        {200, {{"Connection", "close"}, {"X-Name", "v"}, {"Transfer-Encoding", "chunked"}}}, "x");
  });
  handshake();
  send(get(1));
  const Frame* head = last(kHeaders);
  ASSERT_NE(head, nullptr);
  EXPECT_EQ(head->field("connection"), "");
  EXPECT_EQ(head->field("transfer-encoding"), "");
  EXPECT_EQ(head->field("x-name"), "v");  // lowercased (§8.2.1)
}

TEST_F(H2Server, Rfc9113_8_1_1_BodyLongerThanContentLengthResetsTheStream) {
  start_echo();
  handshake();
  send(headers(1, request_fields("POST", "/echo", {{"content-length", "2"}}), false) +
       data_frame(1, "abc", true));
  EXPECT_EQ(answer(1).reset, static_cast<std::uint32_t>(NGHTTP2_PROTOCOL_ERROR));
  EXPECT_EQ(goaway_code(), UINT32_MAX);
}

TEST_F(H2Server, Rfc9113_5_4_2_PeerResetFailsTheRequestBody) {
  std::string ended;
  start([&](Reqd& reqd) {
    reqd.request_body().on_data([](Bytes) {});
    reqd.request_body().on_end([&](Result<void> end) { ended = end ? "ok" : "failed"; });
  });
  handshake();
  send(headers(1, request_fields("POST", "/"), false) + rst_stream_frame(1, NGHTTP2_CANCEL));
  EXPECT_EQ(ended, "failed");
  EXPECT_EQ(connection_->streams_in_flight(), 0u);
}

// --- flow control -----------------------------------------------------------------

TEST_F(H2Server, Rfc9113_6_9_FlowControl_UnreadBodyStopsWindowUpdatesAndReadingResumesThem) {
  H2Config config;
  config.initial_window_size = 1024;
  BodyReader body;
  std::string received;
  start([&](Reqd& reqd) { body = reqd.request_body(); }, config);
  handshake();
  send(headers(1, request_fields("POST", "/upload"), false) +
       data_frame(1, std::string(1024, 'x')));
  EXPECT_EQ(count(kWindowUpdate, 1), 0u);  // the window stays closed: the handler has not read
  body.on_data([&](Bytes bytes) { received += as_string(bytes); });
  driver_.pump();
  EXPECT_EQ(received.size(), 1024u);
  const Frame* update = last(kWindowUpdate);
  ASSERT_NE(update, nullptr);
  EXPECT_EQ(update->stream, 1u);
  EXPECT_EQ(get32(update->payload, 0), 1024u);
  // Paused again, the window stays closed again.
  body.pause();
  send(data_frame(1, std::string(1024, 'y')));
  EXPECT_EQ(count(kWindowUpdate, 1), 1u);
  body.resume();
  driver_.pump();
  EXPECT_EQ(count(kWindowUpdate, 1), 2u);
  EXPECT_EQ(received.size(), 2048u);
}

TEST_F(H2Server, Rfc9113_6_9_FlowControl_DataBeyondTheWindowIsAFlowControlError) {
  H2Config config;
  config.initial_window_size = 1024;
  start([](Reqd&) {}, config);
  handshake();
  send(headers(1, request_fields("POST", "/"), false) + data_frame(1, std::string(1024, 'x')) +
       data_frame(1, "over"));
  EXPECT_NE(answer(1).reset, UINT32_MAX);
}

TEST_F(H2Server, Rfc9113_6_9_2_InitialWindowSizeChangeMidConnectionResumesDeferredData) {
  start([](Reqd& reqd) { (void)reqd.respond_with_string({200, {}}, std::string(100, 'z')); });
  handshake({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 10}});
  send(get(1));
  EXPECT_EQ(answer(1).body.size(), 10u);
  EXPECT_FALSE(answer(1).ended);
  // The client widens every stream's window: the blocked response goes on.
  send(settings_frame({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 1000}}));
  EXPECT_EQ(answer(1).body, std::string(100, 'z'));
  EXPECT_TRUE(answer(1).ended);
}

TEST_F(H2Server, Rfc9113_6_9_1_StreamingResponseWaitsForTheWindowAndWriterFeelsBackpressure) {
  H2Config config;
  config.write_high_water_mark = 100;
  BodyWriter writer;
  start([&](Reqd& reqd) { writer = *reqd.respond_with_streaming({200, {}}); }, config);
  handshake({{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, 50}});
  send(get(1));
  EXPECT_EQ(*writer.write(std::string(200, 'a')), Backpressure::full);
  bool writable = false;
  writer.on_writable([&] { writable = true; });
  driver_.pump();
  EXPECT_EQ(answer(1).body.size(), 50u);
  EXPECT_FALSE(writable);  // 150 bytes still queued: over the mark
  send(window_update_frame(1, 60));
  EXPECT_EQ(answer(1).body.size(), 110u);
  EXPECT_TRUE(writable);
  (void)writer.close();
  send(window_update_frame(1, 1000));
  EXPECT_EQ(answer(1).body.size(), 200u);
  EXPECT_TRUE(answer(1).ended);
}

// --- shutdown and time ----------------------------------------------------------------

TEST_F(H2Server, Rfc9113_6_8_Goaway_ShutdownLetsTheInFlightStreamFinish) {
  Reqd waiting;
  start([&](Reqd& reqd) { waiting = reqd; });
  handshake();
  send(get(1));
  connection_->shutdown();
  driver_.pump();
  const Frame* notice = last(kGoaway);
  ASSERT_NE(notice, nullptr);
  EXPECT_EQ(get32(notice->payload, 0), 0x7fffffffu);  // a warning: nothing refused yet
  EXPECT_FALSE(driver_.write_closed());
  (void)waiting.respond_with_string({200, {}}, "done");
  driver_.pump();
  EXPECT_EQ(answer(1).body, "done");
  const Frame* goaway = last(kGoaway);
  EXPECT_EQ(get32(goaway->payload, 0), 1u);  // the last stream served
  EXPECT_EQ(goaway->error_code(), static_cast<std::uint32_t>(NGHTTP2_NO_ERROR));
  EXPECT_TRUE(driver_.write_closed());
  EXPECT_TRUE(connection_->is_closed());
}

// A response waiting for its handler (here, an echo waiting for the rest of
// the request body) must not keep waking the writer with nothing to send: a
// runtime pumping its writer while the wakeup is armed (as a graceful
// shutdown does) spun at 100% CPU and never reached its grace deadline.
TEST_F(H2Server, ADeferredResponseDoesNotWakeTheWriterWithNothingToSend) {
  start_echo();
  handshake();
  send(headers(1, request_fields("POST", "/echo"), false) + data_frame(1, "abc"));
  EXPECT_EQ(answer(1).body, "abc");
  const std::size_t before = driver_.writer_wakeups();
  driver_.pump();
  connection_->shutdown();
  driver_.pump();
  driver_.pump();
  EXPECT_LE(driver_.writer_wakeups() - before, 2u);  // the shutdown's GOAWAY, at most
  send(data_frame(1, "def", true));
  EXPECT_EQ(answer(1).body, "abcdef");
  EXPECT_TRUE(answer(1).ended);
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H2Server, IdleConnectionSendsGoawayAndCloses) {
  H2Config config;
  config.idle_timeout_ns = 5 * kSecond;
  start_echo(config);
  handshake();
  send(get(1));
  driver_.advance(4 * kSecond);
  EXPECT_FALSE(driver_.write_closed());
  driver_.advance(2 * kSecond);
  EXPECT_EQ(goaway_code(), static_cast<std::uint32_t>(NGHTTP2_NO_ERROR));
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H2Server, PeerClosingFailsWhatIsInFlight) {
  std::string ended;
  start([&](Reqd& reqd) {
    reqd.request_body().on_data([](Bytes) {});
    reqd.request_body().on_end([&](Result<void> end) { ended = end ? "ok" : end.error().message; });
  });
  handshake();
  send(headers(1, request_fields("POST", "/"), false));
  driver_.feed_eof();
  EXPECT_EQ(ended, "the peer closed the connection");
  EXPECT_TRUE(connection_->is_closed());
}

// --- errors ---------------------------------------------------------------------------

TEST_F(H2Server, HandlerFailureAnswers500ThroughTheErrorHandler) {
  start(
      [](Reqd& reqd) {
        reqd.report_error(Error{Errc::invalid_argument, "oops"});
      },
      {},
      [](int status, const Error& error, const Request* request) {
        ErrorReply reply{{status, {{"x-error", "yes"}}}, Buffer(error.message)};
        if (request != nullptr) reply.body.append(request->path());
        return reply;
      });
  handshake();
  send(get(1, "/p"));
  EXPECT_EQ(answer(1), (Answer{"500", "oops/p", "", true}));
  EXPECT_EQ(last(kHeaders)->field("x-error"), "yes");
}

TEST_F(H2Server, HandlerDroppingTheRequestAnswers500) {
  start([](Reqd&) {});
  handshake();
  send(get(1));
  EXPECT_EQ(answer(1).status, "500");
  EXPECT_TRUE(answer(1).ended);
}

TEST_F(H2Server, StreamingHandlerFailureResetsTheStream) {
  start([](Reqd& reqd) {
    BodyWriter writer = *reqd.respond_with_streaming({200, {}});
    (void)writer.write("partial");
    reqd.report_error(Error{Errc::io_error, "backend gone"});
  });
  handshake();
  send(get(1));
  EXPECT_EQ(answer(1).reset, static_cast<std::uint32_t>(NGHTTP2_INTERNAL_ERROR));
  EXPECT_EQ(goaway_code(), UINT32_MAX);
}

// --- limits ------------------------------------------------------------------------

TEST_F(H2Server, Rfc9113_6_5_2_OversizedHeaderListAnswers431AndTheConnectionSurvives) {
  H2Config config;
  config.max_header_list_bytes = 1000;
  start_echo(config);
  handshake();
  send(headers(1, request_fields("GET", "/", {{"x-big", std::string(2000, 'b')}}), true));
  EXPECT_EQ(answer(1).status, "431");
  EXPECT_EQ(log_, "");  // the handler never saw it
  send(get(3));
  EXPECT_EQ(answer(3).status, "200");
}

TEST_F(H2Server, HpackBombIsCountedDecodedAndAnswered431) {
  H2Config config;
  config.max_header_list_bytes = 8 * 1024;
  start_echo(config);
  handshake();
  // A 4000-byte field enters the dynamic table (index 62)...
  Fields pseudo = request_fields("GET", "/");
  std::string block =
      hpack_.encode(pseudo, false) + literal_with_indexing("x-bomb", std::string(4000, 'b'));
  send(frame(kHeaders, kEndHeaders | kEndStream, 1, block));
  EXPECT_EQ(answer(1).status, "200");
  // ...then 3000 one-byte references to it: 12 MB decoded from 3 KB sent.
  std::string bomb = hpack_.encode(pseudo, false) + std::string(3000, static_cast<char>(0x80 | 62));
  send(frame(kHeaders, kEndHeaders | kEndStream, 3, bomb));
  EXPECT_EQ(answer(3).status, "431");
  send(get(5));
  EXPECT_EQ(answer(5).status, "200");
  EXPECT_EQ(goaway_code(), UINT32_MAX);
}

TEST_F(H2Server, RapidResetClosesTheConnectionWithEnhanceYourCalm) {
  H2Config config;
  config.max_resets_per_interval = 10;
  start_echo(config);
  handshake();
  std::string attack;
  for (std::uint32_t stream = 1; stream <= 2 * 11; stream += 2)
    attack += headers(stream, request_fields("POST", "/"), false) +
              rst_stream_frame(stream, NGHTTP2_CANCEL);
  send(attack);
  EXPECT_EQ(goaway_code(), static_cast<std::uint32_t>(NGHTTP2_ENHANCE_YOUR_CALM));
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H2Server, ResetsSpreadOverIntervalsAreAllowed) {
  H2Config config;
  config.max_resets_per_interval = 10;
  config.reset_interval_ns = kSecond;
  start_echo(config);
  handshake();
  std::uint32_t stream = 1;
  for (int interval = 0; interval < 5; ++interval) {
    for (int i = 0; i < 10; ++i, stream += 2)
      send(headers(stream, request_fields("POST", "/"), false) +
           rst_stream_frame(stream, NGHTTP2_CANCEL));
    driver_.advance(kSecond);
  }
  EXPECT_EQ(goaway_code(), UINT32_MAX);
  send(get(stream));
  EXPECT_EQ(answer(stream).status, "200");
}

TEST_F(H2Server, EmptyDataFloodClosesTheConnectionWithEnhanceYourCalm) {
  H2Config config;
  config.max_empty_data_frames = 10;
  start_echo(config);
  handshake();
  std::string flood = headers(1, request_fields("POST", "/"), false);
  for (int i = 0; i < 11; ++i) flood += frame(kData, 0, 1, "");
  send(flood);
  EXPECT_EQ(goaway_code(), static_cast<std::uint32_t>(NGHTTP2_ENHANCE_YOUR_CALM));
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H2Server, EmptyDataFramesBetweenDataAreNoFlood) {
  H2Config config;
  config.max_empty_data_frames = 10;
  start_echo(config);
  handshake();
  std::string body = headers(1, request_fields("POST", "/"), false);
  for (int round = 0; round < 5; ++round) {
    for (int i = 0; i < 10; ++i) body += frame(kData, 0, 1, "");
    body += frame(kData, 0, 1, "x");
  }
  send(body + frame(kData, kEndStream, 1, ""));
  EXPECT_EQ(answer(1).status, "200");
  EXPECT_EQ(goaway_code(), UINT32_MAX);
}

TEST_F(H2Server, ContinuationFloodClosesTheConnectionWithEnhanceYourCalm) {
  H2Config config;
  config.max_continuations = 4;
  start_echo(config);
  handshake();
  std::string block = hpack_.encode(request_fields("GET", "/"));
  std::string flood = frame(kHeaders, kEndStream, 1, block);
  for (int i = 0; i < 10; ++i) flood += frame(kContinuation, 0, 1, "");
  send(flood);
  EXPECT_EQ(goaway_code(), static_cast<std::uint32_t>(NGHTTP2_ENHANCE_YOUR_CALM));
  EXPECT_TRUE(driver_.write_closed());
  EXPECT_EQ(log_, "");
}

TEST_F(H2Server, ContinuationsWithinTheLimitAreServed) {
  H2Config config;
  config.max_continuations = 4;
  start_echo(config);
  handshake();
  std::string block = hpack_.encode(request_fields("GET", "/"));
  send(frame(kHeaders, kEndStream, 1, block.substr(0, 3)) +
       frame(kContinuation, 0, 1, block.substr(3, 3)) +
       frame(kContinuation, kEndHeaders, 1, block.substr(6)));
  EXPECT_EQ(answer(1).status, "200");
}

TEST_F(H2Server, SettingsWithTooManyEntriesCloseTheConnectionWithEnhanceYourCalm) {
  H2Config config;
  config.max_settings_entries = 8;
  start_echo(config);
  std::vector<std::pair<std::uint16_t, std::uint32_t>> entries(9,
                                                               {NGHTTP2_SETTINGS_ENABLE_PUSH, 0});
  send(std::string(kClientMagic) + settings_frame(entries));
  EXPECT_EQ(goaway_code(), static_cast<std::uint32_t>(NGHTTP2_ENHANCE_YOUR_CALM));
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H2Server, SettingsFloodClosesTheConnectionWithEnhanceYourCalm) {
  H2Config config;
  config.max_outbound_acks = 100;
  start_echo(config);
  handshake();
  std::string flood;
  for (int i = 0; i < 200; ++i) flood += settings_frame({});
  send(flood);
  EXPECT_EQ(goaway_code(), static_cast<std::uint32_t>(NGHTTP2_ENHANCE_YOUR_CALM));
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H2Server, PingFloodClosesTheConnectionWithEnhanceYourCalm) {
  H2Config config;
  config.max_outbound_acks = 100;
  start_echo(config);
  handshake();
  std::string flood;
  for (int i = 0; i < 200; ++i) flood += ping_frame();
  send(flood);
  EXPECT_EQ(goaway_code(), static_cast<std::uint32_t>(NGHTTP2_ENHANCE_YOUR_CALM));
  EXPECT_TRUE(driver_.write_closed());
}

TEST_F(H2Server, PingsAnsweredAsTheyComeAreNoFlood) {
  H2Config config;
  config.max_outbound_acks = 100;
  start_echo(config);
  handshake();
  for (int i = 0; i < 200; ++i) send(ping_frame());
  EXPECT_EQ(count(kPing, 0), 200u);
  EXPECT_EQ(goaway_code(), UINT32_MAX);
}

TEST_F(H2Server, BodyOverTheLimitAnswers413) {
  H2Config config;
  config.max_body_bytes = 10;
  std::string ended;
  Reqd uploading;
  start(
      [&](Reqd& reqd) {
        uploading = reqd;
        reqd.request_body().on_data([](Bytes) {});
        reqd.request_body().on_end([&](Result<void> end) { ended = end ? "ok" : "failed"; });
      },
      config);
  handshake();
  send(headers(1, request_fields("POST", "/"), false) + data_frame(1, std::string(11, 'x'), true));
  EXPECT_EQ(answer(1).status, "413");
  EXPECT_EQ(ended, "failed");
}

}  // namespace
}  // namespace paf
