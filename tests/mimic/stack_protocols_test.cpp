// Mimic over paf's lwIP stack: two Stacks on a simulated Ethernet, on simulated
// time. What the image does to reach a server from a URI.
#include <gtest/gtest.h>

#include <optional>

#include "net/two_stacks.h"
#include "paf/mimic.h"

namespace paf::mimic {
namespace {

using net_test::TwoStacks;

std::optional<Resolution> resolve_now(TwoStacks& net, const Ctx& ctx) {
  std::optional<Resolution> answer;
  Resolving resolving = resolve(ctx, net.loop, [&](Resolution r) { answer = std::move(r); });
  EXPECT_TRUE(net.run_until([&] { return answer.has_value(); })) << "resolve hangs";
  return answer;
}

TEST(MimicOverLwip, AUriReachesAServerOnTheOtherStack) {
  TwoStacks net;
  auto listener = net.server->listen(8080);
  ASSERT_TRUE(listener);
  auto ctx =
      with_uri(with_stack_protocols(Ctx{}, *net.client), *Uri::parse("http://10.0.0.2:8080/"));
  ASSERT_TRUE(ctx);
  auto answer = resolve_now(net, *ctx);
  ASSERT_TRUE(answer && *answer) << answer->error().describe();
  EXPECT_EQ((*answer)->protocol, "tcp");
  EXPECT_NE(net.accept(**listener), nullptr);
}

TEST(MimicOverLwip, ARefusedPortIsReportedByTheTcpProtocol) {
  TwoStacks net;
  auto ctx = with_uri(with_stack_protocols(Ctx{}, *net.client), *Uri::parse("http://10.0.0.2:9/"));
  ASSERT_TRUE(ctx);
  auto answer = resolve_now(net, *ctx);
  ASSERT_TRUE(answer && !*answer);
  ASSERT_EQ(answer->error().attempts.size(), 1u);
  EXPECT_EQ(answer->error().attempts[0].name, "tcp");
  EXPECT_EQ(answer->error().attempts[0].error.code, Errc::closed);
}

TEST(MimicOverLwip, TheStacksDnsStepTurnsAHostIntoAnAddress) {
  TwoStacks net;
  auto listener = net.server->listen(8080);
  ASSERT_TRUE(listener);
  // A host given without addresses goes through the "dns" step (Stack::resolve:
  // an IP address in text resolves to itself, without a server).
  Ctx ctx = with_stack_protocols(Ctx{}, *net.client)
                .with(keys::host, Buffer("10.0.0.2"))
                .with(keys::port, 8080);  // the key names the type
  auto answer = resolve_now(net, ctx);
  ASSERT_TRUE(answer && *answer) << answer->error().describe();
  EXPECT_EQ((*answer)->protocol, "tcp");
  EXPECT_NE(net.accept(**listener), nullptr);

  // A name with no DNS server configured: the dns step fails, and says so.
  auto failed = resolve_now(net, ctx.with(keys::host, Buffer("example.invalid")));
  ASSERT_TRUE(failed && !*failed);
  EXPECT_EQ(failed->error().attempts[0].name, "dns");
}

}  // namespace
}  // namespace paf::mimic
