// Mimic's core on simulated time and in-memory flows: the context, the order
// protocols are tried in, fallback, timeouts, cancel, derivations, Happy
// Eyeballs' schedule, and with_uri.
#include "paf/mimic.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "paf/loop.h"
#include "paf/memory_flow.h"

namespace paf::mimic {
namespace {

inline const Key<int> number_key{"number"};
inline const Key<Buffer> text_key{"text"};
inline const Key<Buffer> memory_key{"memory-endpoint"};
inline const Key<Buffer> other_key{"other"};

// A step that never ends by itself; `destroyed` tells that resolve dropped it.
class Forever final : public Pending {
 public:
  explicit Forever(bool* destroyed) : destroyed_(destroyed) {}
  ~Forever() override {
    if (destroyed_ != nullptr) *destroyed_ = true;
  }

 private:
  bool* destroyed_;
};

// Calls `done` from the loop with what it was given, unless dropped first.
class Soon final : public Pending {
 public:
  Soon(Loop& loop, Function<void()> call) {
    loop.post([alive = std::weak_ptr<char>(alive_), call = std::move(call)]() mutable {
      if (!alive.expired()) call();
    });
  }

 private:
  std::shared_ptr<char> alive_ = std::make_shared<char>();
};

class MimicTest : public ::testing::Test {
 protected:
  // A protocol connecting to an in-memory server end kept in `servers`.
  Protocol memory_protocol(std::string_view name, int priority) {
    return Protocol{
        name,
        priority,
        {&memory_key},
        {},
        [this](const Ctx&, Loop& on,
               Function<void(Result<Connected>)> done) -> Result<std::unique_ptr<Pending>> {
          auto pair = MemoryFlow::pair(on);
          servers.push_back(std::move(pair.server));
          return std::unique_ptr<Pending>(std::make_unique<Soon>(
              on, [done = std::move(done), flow = std::move(pair.client)]() mutable {
                done(Connected{std::move(flow), nullptr, {}});
              }));
        }};
  }
  // A protocol that fails from the loop with `error`.
  static Protocol failing_protocol(std::string_view name, int priority, Error error,
                                   std::vector<const KeyBase*> needs = {}) {
    return Protocol{
        name,
        priority,
        std::move(needs),
        {},
        [error](const Ctx&, Loop& loop,
                Function<void(Result<Connected>)> done) -> Result<std::unique_ptr<Pending>> {
          return std::unique_ptr<Pending>(std::make_unique<Soon>(
              loop, [done = std::move(done), error]() mutable { done(std::unexpected(error)); }));
        }};
  }
  static Protocol forever_protocol(std::string_view name, int priority, bool* destroyed) {
    return Protocol{
        name,
        priority,
        {},
        {},
        [destroyed](const Ctx&, Loop&,
                    Function<void(Result<Connected>)>) -> Result<std::unique_ptr<Pending>> {
          return std::unique_ptr<Pending>(std::make_unique<Forever>(destroyed));
        }};
  }

  // Resolves `ctx` and runs the loop until the answer (bounded).
  std::optional<Resolution> resolve_now(const Ctx& ctx) {
    std::optional<Resolution> answer;
    Resolving resolving = resolve(ctx, loop, [&](Resolution r) { answer = std::move(r); });
    for (int turn = 0; turn < 1000 && !answer; ++turn)
      (void)loop.run_until(loop.now_ns() + seconds(1));
    return answer;
  }

  SimulatedTimeBackend backend;
  Loop loop{backend};
  std::vector<std::unique_ptr<MemoryFlow>> servers;
};

TEST_F(MimicTest, AContextIsImmutableAndTyped) {
  Ctx empty;
  Ctx one = empty.with(number_key, 1);
  Ctx two = one.with(number_key, 2).with(text_key, Buffer("hello"));
  EXPECT_EQ(empty.find(number_key), nullptr);
  ASSERT_NE(one.find(number_key), nullptr);
  EXPECT_EQ(*one.find(number_key), 1);  // unchanged by what was added to a copy
  EXPECT_EQ(*two.find(number_key), 2);
  EXPECT_EQ(two.find(text_key)->view(), "hello");
  Ctx removed = two.without(number_key);
  EXPECT_FALSE(removed.contains(number_key));
  EXPECT_TRUE(removed.contains(text_key));
  EXPECT_TRUE(two.contains(number_key));
  EXPECT_EQ(number_key.name(), "number");
}

TEST_F(MimicTest, ProtocolsAreOrderedByPriorityThenRegistration) {
  Ctx ctx = Ctx{}
                .with_protocol(failing_protocol("c", 20, Error{}))
                .with_protocol(failing_protocol("a", 10, Error{}))
                .with_protocol(failing_protocol("d", 20, Error{}))
                .with_protocol(failing_protocol("b", 10, Error{}));
  std::string order;
  for (const Protocol* protocol : ctx.protocols()) order += protocol->name;
  EXPECT_EQ(order, "abcd");
}

TEST_F(MimicTest, ACustomProtocolConnectsAnInMemoryFlow) {
  Ctx ctx = Ctx{}.with_protocol(memory_protocol("memory", 0)).with(memory_key, Buffer("here"));
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer);
  ASSERT_TRUE(*answer) << answer->error().describe();
  EXPECT_EQ((*answer)->protocol, "memory");
  EXPECT_EQ((*answer)->secure, nullptr);
  // The flow is the one the protocol made: bytes reach its server end.
  ASSERT_TRUE((*answer)->flow->write(Bytes(reinterpret_cast<const std::uint8_t*>("ping"), 4)));
  (void)loop.run_until(loop.now_ns() + milliseconds(1));
  ASSERT_EQ(servers.size(), 1u);
  EXPECT_EQ(servers[0]->unread_bytes(), 4u);
}

TEST_F(MimicTest, FallsBackWhenTheFirstProtocolFails) {
  Ctx ctx = Ctx{}
                .with_protocol(memory_protocol("memory", 20))
                .with_protocol(failing_protocol("first", 10, Error{Errc::closed, "first: refused"},
                                                {&memory_key}))
                .with(memory_key, Buffer("here"));
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && *answer);
  EXPECT_EQ((*answer)->protocol, "memory");
}

TEST_F(MimicTest, ProtocolsWithoutTheirKeysOrWithAKeyTheyStepAsideForAreSkipped) {
  Protocol aside = memory_protocol("aside", 0);
  aside.unless = {&other_key};
  Ctx ctx = Ctx{}
                .with_protocol(std::move(aside))
                .with_protocol(failing_protocol("needs-number", 1, Error{}, {&number_key}))
                .with_protocol(memory_protocol("memory", 2))
                .with(memory_key, Buffer("here"))
                .with(other_key, Buffer("x"));
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && *answer);
  EXPECT_EQ((*answer)->protocol, "memory");
  EXPECT_EQ(servers.size(), 1u);  // "aside" never connected
}

TEST_F(MimicTest, WhenAllFailTheErrorListsEachProtocolAndWhy) {
  Ctx ctx =
      Ctx{}
          .with_protocol(failing_protocol("unix", 10, Error{Errc::io_error, "no such socket"}))
          .with_protocol(failing_protocol("tcp", 20, Error{Errc::closed, "refused"}))
          .with_protocol(Protocol{"cannot-start",
                                  30,
                                  {},
                                  {},
                                  [](const Ctx&, Loop&, Function<void(Result<Connected>)>)
                                      -> Result<std::unique_ptr<Pending>> {
                                    return fail(Errc::invalid_argument, "bad address");
                                  }});
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer);
  ASSERT_FALSE(*answer);
  const ResolveFailure& failure = answer->error();
  EXPECT_EQ(failure.describe(), "unix: no such socket; tcp: refused; cannot-start: bad address");
  ASSERT_EQ(failure.attempts.size(), 3u);
  EXPECT_EQ(failure.attempts[1].name, "tcp");
  EXPECT_EQ(failure.attempts[1].error.code, Errc::closed);
  EXPECT_EQ(failure.error.code, Errc::invalid_argument);  // the last one's
}

TEST_F(MimicTest, WithNoProtocolApplicableTheErrorSaysWhichKeysAreMissing) {
  Protocol aside = memory_protocol("aside", 0);
  aside.unless = {&other_key};
  Ctx ctx = Ctx{}
                .with_protocol(failing_protocol("tcp", 20, Error{}, {&number_key, &text_key}))
                .with_protocol(std::move(aside))
                .with(memory_key, Buffer("x"))
                .with(other_key, Buffer("y"));
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && !*answer);
  EXPECT_EQ(answer->error().error.code, Errc::not_supported);
  EXPECT_TRUE(answer->error().attempts.empty());
  EXPECT_EQ(answer->error().describe(),
            "no protocol has its keys: aside steps aside for other; tcp lacks number, text");
}

TEST_F(MimicTest, AStepThatHangsTimesOutAndTheNextIsTried) {
  bool dropped = false;
  Ctx ctx = Ctx{}
                .with_protocol(forever_protocol("hangs", 0, &dropped))
                .with_protocol(memory_protocol("memory", 1))
                .with(memory_key, Buffer("x"))
                .with(keys::step_timeout, milliseconds(300));
  std::uint64_t start = loop.now_ns();
  std::optional<Resolution> answer;
  Resolving resolving = resolve(ctx, loop, [&](Resolution r) { answer = std::move(r); });
  (void)loop.run_until(start + milliseconds(299));
  EXPECT_FALSE(answer);
  for (int turn = 0; turn < 100 && !answer; ++turn)
    (void)loop.run_until(loop.now_ns() + milliseconds(10));
  ASSERT_TRUE(answer && *answer);
  EXPECT_EQ((*answer)->protocol, "memory");
  EXPECT_GE(loop.now_ns() - start, milliseconds(300));
  EXPECT_LT(loop.now_ns() - start, milliseconds(400));
  EXPECT_TRUE(dropped);
}

TEST_F(MimicTest, CancellingAPendingResolveStopsItsStepAndNeverCallsBack) {
  bool dropped = false, called = false;
  Ctx ctx = Ctx{}.with_protocol(forever_protocol("hangs", 0, &dropped));
  Resolving resolving = resolve(ctx, loop, [&](Resolution) { called = true; });
  (void)loop.run_until(loop.now_ns() + milliseconds(10));
  EXPECT_TRUE(resolving.pending());
  EXPECT_FALSE(dropped);
  resolving.cancel();
  EXPECT_TRUE(dropped);
  EXPECT_FALSE(resolving.pending());
  (void)loop.run_until(loop.now_ns() + seconds(60));  // past every timeout
  EXPECT_FALSE(called);
  EXPECT_EQ(loop.timer_count(), 0u);

  // Destroying the handle before the first step started cancels too.
  {
    Resolving gone =
        resolve(ctx.with_protocol(memory_protocol("memory", 1)).with(memory_key, Buffer("x")), loop,
                [&](Resolution) { called = true; });
  }
  (void)loop.run_until(loop.now_ns() + seconds(60));
  EXPECT_FALSE(called);
}

TEST_F(MimicTest, TheCallbackMayDestroyItsResolving) {
  auto resolving = std::make_unique<Resolving>();
  bool called = false;
  Ctx ctx = Ctx{}.with_protocol(memory_protocol("memory", 0)).with(memory_key, Buffer("x"));
  *resolving = resolve(ctx, loop, [&](Resolution r) {
    called = r.has_value();
    resolving.reset();
  });
  (void)loop.run_until(loop.now_ns() + milliseconds(10));
  EXPECT_TRUE(called);
  EXPECT_EQ(resolving, nullptr);
}

TEST_F(MimicTest, DerivationsAddValuesBeforeProtocolsAndTheirFailuresAreReported) {
  Derivation double_it{"double",
                       {&number_key},
                       &text_key,
                       [](const Ctx& ctx, Loop& on,
                          Function<void(Result<Ctx>)> done) -> Result<std::unique_ptr<Pending>> {
                         int twice = *ctx.find(number_key) * 2;
                         Ctx derived = ctx.with(text_key, Buffer(twice == 42 ? "42" : "?"));
                         return std::unique_ptr<Pending>(std::make_unique<Soon>(
                             on, [done = std::move(done), derived]() mutable { done(derived); }));
                       }};
  Derivation broken{"broken",
                    {&number_key},
                    &other_key,
                    [](const Ctx&, Loop& on,
                       Function<void(Result<Ctx>)> done) -> Result<std::unique_ptr<Pending>> {
                      return std::unique_ptr<Pending>(
                          std::make_unique<Soon>(on, [done = std::move(done)]() mutable {
                            done(std::unexpected(Error{Errc::io_error, "broken: no answer"}));
                          }));
                    }};
  // "memory" needs what double_it gives; "needs-other" what broken fails to give.
  Protocol memory = memory_protocol("memory", 1);
  memory.needs = {&text_key};
  Ctx ctx = Ctx{}
                .with_derivation(std::move(broken))
                .with_derivation(std::move(double_it))
                .with_protocol(failing_protocol("needs-other", 0, Error{}, {&other_key}))
                .with_protocol(std::move(memory))
                .with(number_key, 21);
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && *answer);
  EXPECT_EQ((*answer)->protocol, "memory");

  // A derivation whose value is there already is not run.
  auto again = resolve_now(ctx.without(number_key).with(text_key, Buffer("given")));
  ASSERT_TRUE(again && *again);

  // Failing everything shows the derivation's failure first.
  auto failed =
      resolve_now(Ctx{}
                      .with_derivation(Derivation{"broken",
                                                  {},
                                                  &other_key,
                                                  [](const Ctx&, Loop&, Function<void(Result<Ctx>)>)
                                                      -> Result<std::unique_ptr<Pending>> {
                                                    return fail(Errc::io_error, "dns: down");
                                                  }})
                      .with_protocol(failing_protocol("tcp", 0, Error{Errc::closed, "refused"})));
  ASSERT_TRUE(failed && !*failed);
  EXPECT_EQ(failed->error().describe(), "broken: dns: down; tcp: refused");
}

// A flow whose connect never completes (a black hole): never writable.
class BlackHoleFlow final : public Flow {
 public:
  Result<std::size_t> read(MutableBytes) override { return fail(Errc::would_block, "connecting"); }
  Result<std::size_t> writev(std::span<const Bytes>) override {
    return fail(Errc::would_block, "connecting");
  }
  Result<void> shutdown_write() override { return {}; }
  void close() override {}
  void when_readable(Function<void()>) override {}
  void when_writable(Function<void()>) override {}
  std::string_view peer() const override { return "black hole"; }
};

TEST_F(MimicTest, HappyEyeballsStaggersAttemptsInterleavesFamiliesAndTakesTheFirstUp) {
  struct Call {
    std::string ip;
    std::uint64_t at;
  };
  auto calls = std::make_shared<std::vector<Call>>();
  Loop* the_loop = &loop;
  auto* server_ends = &servers;
  // 10.0.0.3 fails at once; ::3 connects; the others hang.
  Protocol tcp = tcp_protocol(
      "tcp", 0,
      [calls, the_loop, server_ends](std::string_view ip,
                                     std::uint16_t) -> Result<std::unique_ptr<Flow>> {
        calls->push_back({std::string(ip), the_loop->now_ns()});
        if (ip == "10.0.0.3") return fail(Errc::closed, "refused");
        if (ip == "::3") {
          auto pair = MemoryFlow::pair(*the_loop);
          server_ends->push_back(std::move(pair.server));
          return std::unique_ptr<Flow>(std::move(pair.client));
        }
        return std::unique_ptr<Flow>(std::make_unique<BlackHoleFlow>());
      },
      HappyEyeballs{milliseconds(250), seconds(2)});
  std::vector<Buffer> addresses = {Buffer("10.0.0.1"), Buffer("10.0.0.2"), Buffer("10.0.0.3"),
                                   Buffer("::1"),      Buffer("::2"),      Buffer("::3")};
  Ctx ctx = Ctx{}
                .with_protocol(std::move(tcp))
                .with(keys::addresses, addresses)
                .with(keys::port, std::uint16_t{80});
  std::uint64_t start = loop.now_ns();
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && *answer) << answer->error().describe();
  std::vector<std::string> order;
  for (const Call& call : *calls) order.push_back(call.ip);
  // Families alternate; 10.0.0.3's failure starts ::3 at once, not 250 ms later.
  EXPECT_EQ(order,
            (std::vector<std::string>{"10.0.0.1", "::1", "10.0.0.2", "::2", "10.0.0.3", "::3"}));
  ASSERT_EQ(calls->size(), 6u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ((*calls)[i].at - start, milliseconds(250) * i) << i;
  EXPECT_EQ((*calls)[5].at, (*calls)[4].at);
}

TEST_F(MimicTest, HappyEyeballsBoundsEachAttemptAndReportsTheLastFailure) {
  Protocol tcp = tcp_protocol(
      "tcp", 0,
      [](std::string_view, std::uint16_t) -> Result<std::unique_ptr<Flow>> {
        return std::unique_ptr<Flow>(std::make_unique<BlackHoleFlow>());
      },
      HappyEyeballs{milliseconds(250), seconds(1)});
  Ctx ctx = Ctx{}
                .with_protocol(std::move(tcp))
                .with(keys::addresses, std::vector<Buffer>{Buffer("10.0.0.1"), Buffer("10.0.0.2")})
                .with(keys::port, std::uint16_t{80});
  std::uint64_t start = loop.now_ns();
  auto answer = resolve_now(ctx);
  ASSERT_TRUE(answer && !*answer);
  EXPECT_EQ(answer->error().describe(), "tcp: tcp: connect timed out");
  EXPECT_EQ(answer->error().error.code, Errc::timed_out);
  // The second attempt started at 250 ms and timed out a second later.
  EXPECT_EQ(loop.now_ns() - start, milliseconds(1250));
}

TEST_F(MimicTest, WithUriFillsTheKeysFromTheScheme) {
  auto tls = TlsConfig::client().insecure_for_tests().build();
  ASSERT_TRUE(tls);
  Ctx base = Ctx{}.with(keys::tls, *tls);

  auto http = with_uri(base, *Uri::parse("http://Example.com:8080/x"));
  ASSERT_TRUE(http);
  EXPECT_EQ(http->find(keys::host)->view(), "example.com");
  EXPECT_EQ(*http->find(keys::port), 8080);
  EXPECT_FALSE(http->contains(keys::tls));        // plain: TLS removed
  EXPECT_FALSE(http->contains(keys::addresses));  // a name: looked up later

  auto https = with_uri(base, *Uri::parse("https://[::1]/"));
  ASSERT_TRUE(https);
  EXPECT_EQ(*https->find(keys::port), 443);
  EXPECT_TRUE(https->contains(keys::tls));
  EXPECT_EQ(https->find(keys::tls_server_name)->view(), "::1");
  ASSERT_NE(https->find(keys::addresses), nullptr);
  ASSERT_EQ(https->find(keys::addresses)->size(), 1u);
  EXPECT_EQ(https->find(keys::addresses)->front().view(), "::1");

  // A name after a literal drops the literal's addresses.
  auto again = with_uri(*https, *Uri::parse("https://example.org/"));
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->contains(keys::addresses));

  auto no_tls = with_uri(Ctx{}, *Uri::parse("https://example.com/"));
  ASSERT_FALSE(no_tls);
  EXPECT_EQ(no_tls.error().code, Errc::invalid_argument);
}

}  // namespace
}  // namespace paf::mimic
