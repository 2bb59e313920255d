// paf::Stack: configuration, addresses, IPv6 link-local, name resolution.
#include <gtest/gtest.h>

#include <string>

#include "paf/platform_net_device.h"
#include "two_stacks.h"

namespace paf::net_test {
namespace {

TEST(StackConfig, ReadsTheNetworkWordsOfACommandLine) {
  auto config = StackConfig::parse("app=1 ip=10.0.2.15/16 gw=10.0.2.2  dns=10.0.2.3 dns=1.1.1.1 ipv6=off x");
  ASSERT_TRUE(config) << config.error().message;
  EXPECT_EQ(config->ipv4, Ipv4Address::parse("10.0.2.15").value());
  EXPECT_EQ(config->ipv4_prefix_length, 16);
  EXPECT_EQ(config->gateway, Ipv4Address::parse("10.0.2.2").value());
  ASSERT_EQ(config->dns_servers.size(), 2u);
  EXPECT_EQ(config->dns_servers[1], Ipv4Address::parse("1.1.1.1").value());
  EXPECT_FALSE(config->ipv6);
}

TEST(StackConfig, DefaultsToDhcpAndIpv6) {
  auto config = StackConfig::parse("");
  ASSERT_TRUE(config);
  EXPECT_FALSE(config->ipv4);
  EXPECT_TRUE(config->ipv6);
  EXPECT_EQ(StackConfig::parse("ip=10.0.2.15")->ipv4_prefix_length, 24);
}

TEST(StackConfig, RejectsMalformedValues) {
  for (const char* bad : {"ip=10.0.2", "ip=10.0.2.256", "ip=10.0.2.15/33", "ip=10.0.2.15/", "gw=x",
                          "dns=1.1.1.1 dns=1.0.0.1 dns=8.8.8.8", "ipv6=maybe", "ip=1.2.3.4.5"}) {
    auto config = StackConfig::parse(bad);
    EXPECT_FALSE(config) << bad;
    if (!config) {
      EXPECT_EQ(config.error().code, Errc::invalid_argument);
    }
  }
}

TEST(Stack, StaticAddressIsReadyAtOnce) {
  TwoStacks net;
  EXPECT_TRUE(net.client->ready());
  EXPECT_EQ(net.client->ipv4_address().view(), "10.0.0.1");
  bool called = false;
  net.client->when_ready([&] { called = true; });
  EXPECT_FALSE(called);  // from the loop, not from within when_ready()
  ASSERT_TRUE(net.run_until([&] { return called; }));
}

TEST(Stack, AllStacksOfAProcessShareOneLoop) {
  TwoStacks net;
  SimulatedTimeBackend other_backend;
  Loop other_loop(other_backend);
  SimulatedEthernetDevice& device = net.ethernet.plug({0x02, 0, 0, 0, 0, 0x03});
  auto stack = Stack::create(other_loop, device, static_config("10.0.0.3"));
  ASSERT_FALSE(stack);
  EXPECT_EQ(stack.error().code, Errc::invalid_argument);
}

TEST(Stack, ConnectsOverIpv6LinkLocalAddresses) {
  TwoStacks net;
  ASSERT_TRUE(net.run_until([&] {
    return !net.client->ipv6_link_local_address().empty() && !net.server->ipv6_link_local_address().empty();
  }));
  std::string server_address(net.server->ipv6_link_local_address().view());
  EXPECT_EQ(server_address, "fe80::ff:fe00:2");  // from the MAC 02:00:00:00:00:02
  auto listener = net.server->listen(8443);
  ASSERT_TRUE(listener);
  auto client = net.client->connect(server_address, 8443);
  ASSERT_TRUE(client) << client.error().message;
  ASSERT_TRUE(net.wait_writable(**client));
  ASSERT_TRUE((*client)->write(bytes_of("over v6")));
  std::unique_ptr<Flow> server = net.accept(**listener);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->peer(), "[" + std::string(net.client->ipv6_link_local_address().view()) + "]:" +
                                std::string(server->peer().substr(server->peer().rfind(':') + 1)));
  std::string received;
  ASSERT_TRUE(net.run_until([&] { return (received += read_available(*server)) == "over v6"; }));
}

TEST(Stack, ResolvesAnAddressToItself) {
  TwoStacks net;
  std::optional<Result<AddressText>> answer;
  net.client->resolve("10.0.0.2", [&](Result<AddressText> result) { answer = result; });
  EXPECT_FALSE(answer);  // from the loop
  ASSERT_TRUE(net.run_until([&] { return answer.has_value(); }));
  ASSERT_TRUE(*answer);
  EXPECT_EQ((*answer)->view(), "10.0.0.2");
}

TEST(Stack, ResolvingWithoutADnsServerFails) {
  TwoStacks net;
  std::optional<Result<AddressText>> answer;
  net.client->resolve("example.invalid", [&](Result<AddressText> result) { answer = result; });
  ASSERT_TRUE(net.run_until([&] { return answer.has_value(); }));
  EXPECT_FALSE(*answer);
}

// A device name the POSIX platform has not bound to a TAP interface
// (--net:NAME=IFACE) cannot be acquired, and nothing is watched.
TEST(PlatformNetDevice, AcquiringAnUnknownDeviceFails) {
  PlatformLoopBackend backend;
  auto device = PlatformNetDevice::acquire(backend, "net0");
  ASSERT_FALSE(device);
  EXPECT_EQ(device.error().code, Errc::invalid_argument);
  EXPECT_FALSE(backend.has_io_sources());
}

}  // namespace
}  // namespace paf::net_test
