// ALPN dispatch over MemoryFlow on simulated time: which protocol the first
// bytes or the TLS handshake pick, that no byte past what decides is read,
// and how a slow, silent or vanishing client ends.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "paf/alpn.h"
#include "paf/h1.h"
#include "paf/h2.h"
#include "paf/loop.h"
#include "paf/memory_flow.h"
#include "paf/tls.h"
#include "support/forwarding_flow.h"
#include "support/socket_test_support.h"
#include "tls/tls_test_support.h"

namespace paf {
namespace {

using posix::test::bytes_of;
using tls::test::ec;
using tls::test::ec_client;
using tls::test::ec_server;
using tls::test::expect_ok;
using tls::test::Handshaker;

std::string as_string(Bytes bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

TEST(ProtocolTest, AlpnNamesMapToHttpVersions) {
  EXPECT_EQ(version_for_alpn("h2"), HttpVersion::http_2);
  EXPECT_EQ(version_for_alpn("http/1.1"), HttpVersion::http_1_1);
  EXPECT_EQ(version_for_alpn("http/1.0"), HttpVersion::http_1_1);
  EXPECT_EQ(version_for_alpn(""), HttpVersion::http_1_1);
  EXPECT_EQ(version_for_alpn("h3"), std::nullopt);
  EXPECT_EQ(version_for_alpn("acme-tls/1"), std::nullopt);
}

TEST(ProtocolTest, FirstBytesDecideAsSoonAsTheyCan) {
  std::string preface(kHttp2Preface);
  for (std::size_t n = 0; n < preface.size(); ++n)
    EXPECT_EQ(version_for_first_bytes(bytes_of(preface.substr(0, n))), std::nullopt) << n;
  EXPECT_EQ(version_for_first_bytes(bytes_of(preface)), HttpVersion::http_2);
  EXPECT_EQ(version_for_first_bytes(bytes_of(preface + "more")), HttpVersion::http_2);
  EXPECT_EQ(version_for_first_bytes(bytes_of("G")), HttpVersion::http_1_1);
  EXPECT_EQ(version_for_first_bytes(bytes_of("PRI * HTTP/1.1")), HttpVersion::http_1_1);
  EXPECT_EQ(version_for_first_bytes(bytes_of("PRI * HTTP/2.1")), HttpVersion::http_1_1);
  // Past HTTP/2's request line, a broken preface is HTTP/2's to refuse (RFC 9113 §3.4).
  EXPECT_EQ(version_for_first_bytes(bytes_of("PRI * HTTP/2.0\r\n\r\nXX")), HttpVersion::http_2);
  EXPECT_EQ(version_for_first_bytes(bytes_of("PRI * HTTP/2.0\n")), HttpVersion::http_2);
}

// Runs one PendingConnection on a simulated loop and keeps what it gave.
class DispatchTest : public ::testing::Test {
 protected:
  // Makes real connections and remembers which.
  ConnectionFactory factory() {
    return [this](HttpVersion protocol) -> Result<std::unique_ptr<Connection>> {
      made.push_back(protocol);
      Clock clock = [this] { return loop.now_ns(); };
      if (protocol == HttpVersion::http_2)
        return std::unique_ptr<Connection>(
            H2ServerConnection::create({}, ignore, {}, std::move(clock)));
      return std::unique_ptr<Connection>(
          H1ServerConnection::create({}, ignore, {}, std::move(clock)));
    };
  }
  static void ignore(Reqd&) {}

  void run(std::unique_ptr<PendingConnection> pending) {
    pending_ = std::move(pending);
    pending_->start([this](Result<ServedConnection> ready) {
      peer = std::string(pending_->peer());
      result = std::move(ready);
      finished_at = loop.now_ns();
      pending_.reset();  // allowed from within: nothing of it is used after
    });
    (void)loop.run();
    ASSERT_TRUE(result.has_value()) << "the dispatch never finished";
  }

  SimulatedTimeBackend backend;
  Loop loop{backend};
  std::vector<HttpVersion> made;
  std::optional<Result<ServedConnection>> result;
  std::uint64_t finished_at = 0;
  std::string peer;

 private:
  std::unique_ptr<PendingConnection> pending_;
};

// --- Cleartext: the HTTP/2 preface or not -----------------------------------

class PrefaceDispatchTest : public DispatchTest {
 protected:
  void dispatch(MemoryFlowOptions options = {}, PrefaceTimeouts timeouts = {}) {
    MemoryFlowPair wires = MemoryFlow::pair(loop, options);
    client = std::move(wires.client);
    server_end = wires.server.get();
    for (const std::string& chunk : to_send) ASSERT_TRUE(client->write(bytes_of(chunk)));
    if (shut_after_sending) {
      ASSERT_TRUE(client->shutdown_write());
    }
    run(dispatch_by_preface(loop, std::move(wires.server), timeouts, factory()));
  }

  std::vector<std::string> to_send;
  bool shut_after_sending = false;
  std::unique_ptr<MemoryFlow> client;
  MemoryFlow* server_end = nullptr;
};

TEST_F(PrefaceDispatchTest, ThePrefaceGoesToHttp2AndNothingAfterItIsRead) {
  to_send = {std::string(kHttp2Preface) + "SETTINGS FRAME BYTES"};
  dispatch();
  ASSERT_TRUE(*result) << (*result).error().message;
  EXPECT_EQ(made, std::vector{HttpVersion::http_2});
  EXPECT_EQ(as_string((*result)->first_input.bytes()), kHttp2Preface);
  EXPECT_EQ((*result)->flow.get(), server_end) << "the flow itself is handed over";
  EXPECT_NE((*result)->connection, nullptr);
  EXPECT_EQ(server_end->unread_bytes(), std::string_view("SETTINGS FRAME BYTES").size());
}

TEST_F(PrefaceDispatchTest, ARequestGoesToHttp1AfterAtMostThePrefacesLength) {
  std::string request = "GET /some/longer/path HTTP/1.1\r\nHost: x\r\n\r\n";
  to_send = {request};
  dispatch();
  ASSERT_TRUE(*result);
  EXPECT_EQ(made, std::vector{HttpVersion::http_1_1});
  EXPECT_EQ(as_string((*result)->first_input.bytes()), request.substr(0, kHttp2Preface.size()));
  EXPECT_EQ(server_end->unread_bytes(), request.size() - kHttp2Preface.size());
}

TEST_F(PrefaceDispatchTest, OneDifferingByteIsEnough) {
  to_send = {"G"};
  dispatch();
  ASSERT_TRUE(*result);
  EXPECT_EQ(made, std::vector{HttpVersion::http_1_1});
  EXPECT_EQ(as_string((*result)->first_input.bytes()), "G");
  EXPECT_EQ(finished_at, 0u) << "no waiting for more";
}

TEST_F(PrefaceDispatchTest, APrefaceArrivingByteByByteStillGoesToHttp2) {
  MemoryFlowPair wires = MemoryFlow::pair(loop);
  std::optional<Result<ServedConnection>> got;
  auto pending = dispatch_by_preface(loop, std::move(wires.server), {}, factory());
  pending->start([&](Result<ServedConnection> ready) { got = std::move(ready); });
  for (char byte : kHttp2Preface) {
    EXPECT_FALSE(got.has_value());
    ASSERT_TRUE(wires.client->write(bytes_of(std::string_view(&byte, 1))));
    (void)loop.run_until(loop.now_ns());
  }
  ASSERT_TRUE(got.has_value() && *got);
  EXPECT_EQ(made, std::vector{HttpVersion::http_2});
  EXPECT_EQ(as_string((*got)->first_input.bytes()), kHttp2Preface);
}

TEST_F(PrefaceDispatchTest, ASilentClientIsClosedAfterTheFirstByteTimeout) {
  dispatch({}, {.first_byte_ns = seconds(5), .decision_ns = seconds(1)});
  ASSERT_FALSE(*result);
  EXPECT_EQ((*result).error().code, Errc::timed_out);
  EXPECT_EQ(finished_at, seconds(5));
  EXPECT_EQ(peer, "memory:client");
  EXPECT_TRUE(made.empty());
  EXPECT_FALSE(client->read(MutableBytes{}).has_value()) << "the flow is closed";
}

TEST_F(PrefaceDispatchTest, AStalledPrefaceIsClosedAfterTheDecisionTimeout) {
  to_send = {"PRI * HTTP/2"};
  dispatch({}, {.first_byte_ns = seconds(5), .decision_ns = seconds(1)});
  ASSERT_FALSE(*result);
  EXPECT_EQ((*result).error().code, Errc::timed_out);
  EXPECT_EQ(finished_at, seconds(1));
  EXPECT_EQ(loop.timer_count(), 0u);
}

TEST_F(PrefaceDispatchTest, EndOfStreamGoesToHttp1WithWhatCame) {
  to_send = {"PR"};
  shut_after_sending = true;
  dispatch();
  ASSERT_TRUE(*result);
  EXPECT_EQ(made, std::vector{HttpVersion::http_1_1});
  EXPECT_EQ(as_string((*result)->first_input.bytes()), "PR");
  EXPECT_EQ(loop.timer_count(), 0u) << "the timeout is cancelled";
}

TEST_F(PrefaceDispatchTest, AResetFlowFails) {
  MemoryFlowPair wires = MemoryFlow::pair(loop);
  wires.client->reset();
  run(dispatch_by_preface(loop, std::move(wires.server), {}, factory()));
  ASSERT_FALSE(*result);
  EXPECT_EQ((*result).error().code, Errc::closed);
}

// --- TLS: ALPN's choice ------------------------------------------------------

class AlpnDispatchTest : public DispatchTest {
 protected:
  // A TLS client offering `alpn` against a server offering h2 then http/1.1;
  // `after_handshake` is sent by the client as soon as its handshake is done.
  void dispatch(std::initializer_list<std::string_view> alpn, std::string after_handshake = {}) {
    MemoryFlowPair wires = MemoryFlow::pair(loop);
    client = expect_ok(TlsFlow::client(loop, expect_ok(ec_client().alpn(alpn).build(), "client"),
                                       std::move(wires.client), "localhost"),
                       "client flow");
    auto server =
        expect_ok(TlsFlow::server(loop, server_config, std::move(wires.server)), "server");
    handshaker.emplace(*client);
    handshaker->start();
    client_sends = std::move(after_handshake);
    send_when_done();
    run(dispatch_by_alpn(std::move(server), factory()));
  }

  void send_when_done() {
    if (!handshaker->done) {
      loop.post([this] { send_when_done(); });
      return;
    }
    if (!client_sends.empty()) {
      ASSERT_TRUE(client->write(bytes_of(client_sends)));
    }
  }

  TlsConfig server_config = ec_server();
  std::unique_ptr<TlsFlow> client;
  std::optional<Handshaker> handshaker;
  std::string client_sends;
};

TEST_F(AlpnDispatchTest, H2GoesToHttp2) {
  dispatch({"h2", "http/1.1"});
  ASSERT_TRUE(*result) << (*result).error().message;
  EXPECT_EQ(made, std::vector{HttpVersion::http_2});
  EXPECT_TRUE((*result)->first_input.empty());
}

TEST_F(AlpnDispatchTest, Http11GoesToHttp1) {
  dispatch({"http/1.1"});
  ASSERT_TRUE(*result) << (*result).error().message;
  EXPECT_EQ(made, std::vector{HttpVersion::http_1_1});
}

TEST_F(AlpnDispatchTest, NoAlpnGoesToHttp1) {
  dispatch({});
  ASSERT_TRUE(*result) << (*result).error().message;
  EXPECT_EQ(made, std::vector{HttpVersion::http_1_1});
}

TEST_F(AlpnDispatchTest, WhatTheClientSentAfterTheHandshakeIsLeftForTheConnection) {
  dispatch({"h2"}, std::string(kHttp2Preface));
  ASSERT_TRUE(*result);
  // Read now, from the loop, as the connection's runtime would.
  std::string got;
  std::uint8_t buffer[64];
  for (int turn = 0; turn < 10 && got.size() < kHttp2Preface.size(); ++turn) {
    auto n = (*result)->flow->read(buffer);
    if (n && *n > 0) got.append(reinterpret_cast<const char*>(buffer), *n);
    (void)loop.run_until(loop.now_ns());
  }
  EXPECT_EQ(got, kHttp2Preface);
}

TEST_F(AlpnDispatchTest, AClientThatLeavesMidHandshakeFailsOnlyItsDispatch) {
  MemoryFlowPair wires = MemoryFlow::pair(loop);
  // A TLS record header announcing 512 bytes, a few of them, then the end.
  std::string half_hello("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11);
  ASSERT_TRUE(wires.client->write(bytes_of(half_hello)));
  wires.client->close();
  run(dispatch_by_alpn(
      expect_ok(TlsFlow::server(loop, server_config, std::move(wires.server)), "server"),
      factory()));
  ASSERT_FALSE(*result);
  EXPECT_EQ((*result).error().code, Errc::closed) << (*result).error().message;
  EXPECT_EQ(peer, "memory:client");
  EXPECT_TRUE(made.empty());
}

TEST_F(AlpnDispatchTest, ASilentClientFailsWhenTheHandshakeTimesOut) {
  server_config = expect_ok(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec"))
                                .handshake_timeout(seconds(2))
                                .build(),
                            "server config");
  MemoryFlowPair wires = MemoryFlow::pair(loop);
  run(dispatch_by_alpn(
      expect_ok(TlsFlow::server(loop, server_config, std::move(wires.server)), "server"),
      factory()));
  ASSERT_FALSE(*result);
  EXPECT_EQ((*result).error().code, Errc::timed_out);
  EXPECT_EQ(finished_at, seconds(2));
}

TEST_F(AlpnDispatchTest, DestroyingAPendingDispatchClosesItsFlowAndNeverCallsBack) {
  MemoryFlowPair wires = MemoryFlow::pair(loop);
  bool called = false;
  {
    auto pending = dispatch_by_alpn(
        expect_ok(TlsFlow::server(loop, server_config, std::move(wires.server)), "server"),
        factory());
    pending->start([&](Result<ServedConnection>) { called = true; });
    (void)loop.run_until(loop.now_ns());
  }
  (void)loop.run();
  EXPECT_FALSE(called);
  std::uint8_t byte;
  auto read = wires.client->read({&byte, 1});
  EXPECT_TRUE(!read || *read == 0) << "the peer sees the flow closed";
}

// --- Handshakes taking turns ---------------------------------------------------

TEST(HandshakeTurnsTest, OneStepPerTurnOfTheLoopInTheOrderAskedAndCancelledOnesNever) {
  SimulatedTimeBackend backend;
  Loop loop{backend};
  auto turns = HandshakeTurns::create(loop);
  std::vector<std::string> ran;
  int turn = 0;
  auto step = [&](std::string name) {
    return Function<void()>([&ran, &turn, name] { ran.push_back(name + "@" + std::to_string(turn)); });
  };
  std::uint64_t a = 99, b = 0, c = 0, d = 0;
  turns->take_turn(a, step("a"));
  EXPECT_EQ(a, 0u);  // the turn was free: at once
  turns->take_turn(b, step("b"));
  turns->take_turn(c, step("c"));
  turns->take_turn(d, step("d"));
  EXPECT_NE(b, 0u);
  EXPECT_NE(c, 0u);
  EXPECT_NE(c, b);
  turns->cancel(c);
  EXPECT_EQ(turns->waiting(), 2u);
  // Other work posted now runs on the next turn too, after the step waiting.
  loop.post([&] { ran.push_back("other@" + std::to_string(turn)); });
  for (turn = 1; turn <= 4; ++turn) (void)loop.run_until(loop.now_ns());
  EXPECT_EQ(ran, (std::vector<std::string>{"a@0", "b@1", "other@1", "d@2"}));
  EXPECT_EQ(turns->waiting(), 0u);
  // A free turn again: at once.
  std::uint64_t e = 99;
  turns->take_turn(e, step("e"));
  EXPECT_EQ(e, 0u);
  EXPECT_EQ(ran.back(), "e@5");
}

// A SecureFlow that notes the loop's turn at each handshake step.
class NotedFlow final : public testing::ForwardingSecureFlow {
 public:
  NotedFlow(std::unique_ptr<SecureFlow> inner, const int& turn, std::vector<int>& steps)
      : ForwardingSecureFlow(std::move(inner)), turn_(turn), steps_(steps) {}
  Result<void> handshake() override {
    steps_.push_back(turn_);
    return ForwardingSecureFlow::handshake();
  }

 private:
  const int& turn_;
  std::vector<int>& steps_;
};

// Eight TLS clients whose handshakes arrive at once: with turns, no two
// server handshake steps share a turn of the loop, and all eight finish;
// without, the steps of several run in one turn (what the turns prevent).
std::vector<int> handshake_steps_of_eight(bool take_turns) {
  SimulatedTimeBackend backend;
  Loop loop{backend};
  auto turns = take_turns ? HandshakeTurns::create(loop) : nullptr;
  TlsConfig server_config = ec_server();
  int turn = 0, done = 0;
  std::vector<int> steps;
  std::vector<std::unique_ptr<TlsFlow>> clients;
  std::vector<std::unique_ptr<Handshaker>> handshakers;
  std::vector<std::unique_ptr<PendingConnection>> pending;
  for (int i = 0; i < 8; ++i) {
    MemoryFlowPair wires = MemoryFlow::pair(loop);
    clients.push_back(expect_ok(TlsFlow::client(loop, expect_ok(ec_client().alpn({"h2"}).build(), "client"),
                                                std::move(wires.client), "localhost"),
                                "client flow"));
    handshakers.push_back(std::make_unique<Handshaker>(*clients.back()));
    handshakers.back()->start();
    auto server = std::make_unique<NotedFlow>(
        expect_ok(TlsFlow::server(loop, server_config, std::move(wires.server)), "server"), turn, steps);
    ConnectionFactory make = [](HttpVersion) -> Result<std::unique_ptr<Connection>> {
      return std::unique_ptr<Connection>(H2ServerConnection::create({}, [](Reqd&) {}, {}, [] { return std::uint64_t{0}; }));
    };
    pending.push_back(turns ? dispatch_by_alpn(std::move(server), std::move(make), turns)
                            : dispatch_by_alpn(std::move(server), std::move(make)));
    pending.back()->start([&done](Result<ServedConnection> ready) { done += ready.has_value(); });
  }
  for (turn = 1; turn < 400 && done < 8; ++turn) (void)loop.run_until(loop.now_ns());
  EXPECT_EQ(done, 8);
  return steps;
}

int most_steps_in_one_turn(const std::vector<int>& steps) {
  std::map<int, int> per_turn;
  int most = 0;
  for (int turn : steps) most = std::max(most, ++per_turn[turn]);
  return most;
}

TEST(HandshakeTurnsTest, AFloodOfHandshakesTakesOneStepPerTurn) {
  std::vector<int> with_turns = handshake_steps_of_eight(true);
  EXPECT_EQ(most_steps_in_one_turn(with_turns), 1);
  EXPECT_GE(with_turns.size(), 16u);  // two steps at least each (hello, finished)
  EXPECT_GE(most_steps_in_one_turn(handshake_steps_of_eight(false)), 4);
}

}  // namespace
}  // namespace paf
