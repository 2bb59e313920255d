// IPv6 stateless address autoconfiguration (SLAAC) on the simulated Ethernet: a
// router device sends one router advertisement, and both Stacks form a global
// address from its prefix and their MAC, then connect over them. (Against a
// real router: check-tap.sh, with dnsmasq.)
#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "two_stacks.h"

namespace paf::net_test {
namespace {

constexpr MacAddress kRouterMac{0x02, 0, 0, 0, 0, 0x10};

void put16(std::vector<std::uint8_t>& out, std::uint16_t value) {
  out.push_back(static_cast<std::uint8_t>(value >> 8));
  out.push_back(static_cast<std::uint8_t>(value));
}

void put32(std::vector<std::uint8_t>& out, std::uint32_t value) {
  put16(out, static_cast<std::uint16_t>(value >> 16));
  put16(out, static_cast<std::uint16_t>(value));
}

// The Internet checksum of the ICMPv6 message with its pseudo-header.
std::uint16_t icmpv6_checksum(const std::array<std::uint8_t, 16>& source,
                              const std::array<std::uint8_t, 16>& destination,
                              const std::vector<std::uint8_t>& message) {
  std::vector<std::uint8_t> data(source.begin(), source.end());
  data.insert(data.end(), destination.begin(), destination.end());
  put32(data, static_cast<std::uint32_t>(message.size()));
  put32(data, 58);  // next header: ICMPv6
  data.insert(data.end(), message.begin(), message.end());
  if (data.size() % 2) data.push_back(0);
  std::uint32_t sum = 0;
  for (std::size_t i = 0; i < data.size(); i += 2) sum += std::uint32_t(data[i] << 8 | data[i + 1]);
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return static_cast<std::uint16_t>(~sum);
}

// A router advertisement from fe80::10 to all nodes, with one prefix
// (2001:db8:1::/64, on-link and autonomous).
std::vector<std::uint8_t> router_advertisement() {
  std::array<std::uint8_t, 16> source{0xfe, 0x80}, all_nodes{0xff, 0x02};
  source[15] = 0x10;
  all_nodes[15] = 0x01;
  std::vector<std::uint8_t> icmp{134, 0, 0, 0, 64, 0};  // type, code, checksum, hop limit, flags
  put16(icmp, 1800);                                    // router lifetime (s)
  put32(icmp, 0);                                       // reachable time
  put32(icmp, 0);                                       // retransmission timer
  icmp.insert(icmp.end(), {3, 4, 64, 0xc0});            // prefix option: /64, L and A flags
  put32(icmp, 86400);                                   // valid lifetime
  put32(icmp, 14400);                                   // preferred lifetime
  put32(icmp, 0);
  icmp.insert(icmp.end(), {0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0});
  std::uint16_t checksum = icmpv6_checksum(source, all_nodes, icmp);
  icmp[2] = static_cast<std::uint8_t>(checksum >> 8);
  icmp[3] = static_cast<std::uint8_t>(checksum);

  std::vector<std::uint8_t> frame{0x33, 0x33, 0, 0, 0, 1};  // all-nodes multicast MAC
  frame.insert(frame.end(), kRouterMac.begin(), kRouterMac.end());
  put16(frame, 0x86dd);
  put32(frame, 0x60000000);  // version 6
  put16(frame, static_cast<std::uint16_t>(icmp.size()));
  frame.insert(frame.end(), {58, 255});  // next header, hop limit (ND requires 255)
  frame.insert(frame.end(), source.begin(), source.end());
  frame.insert(frame.end(), all_nodes.begin(), all_nodes.end());
  frame.insert(frame.end(), icmp.begin(), icmp.end());
  return frame;
}

TEST(Slaac, NoAddressWithoutARouter) {
  TwoStacks net;
  ASSERT_FALSE(net.run_until([&] { return !net.client->ipv6_address().empty(); }, seconds(10)));
  EXPECT_FALSE(net.client->ipv6_link_local_address().empty());
}

TEST(Slaac, FormsAnAddressFromARouterAdvertisementAndConnectsOverIt) {
  TwoStacks net;
  SimulatedEthernetDevice& router = net.ethernet.plug(kRouterMac);
  bool client_ready = false;
  net.client->when_ipv6_ready([&] { client_ready = true; });
  std::vector<std::uint8_t> advertisement = router_advertisement();
  Bytes frame(advertisement);
  ASSERT_TRUE(router.send({&frame, 1}));
  std::uint64_t start = net.loop.now_ns();
  ASSERT_TRUE(net.run_until([&] { return client_ready && !net.server->ipv6_address().empty(); },
                            seconds(10)));
  // Duplicate detection: one probe, then the address is valid on the next
  // tick of lwIP's 1-second neighbor-discovery timer.
  EXPECT_LE(net.loop.now_ns() - start, seconds(3));
  // The prefix and the modified EUI-64 of the MACs 02:00:00:00:00:01 and :02.
  EXPECT_EQ(net.client->ipv6_address().view(), "2001:db8:1::ff:fe00:1");
  EXPECT_EQ(net.server->ipv6_address().view(), "2001:db8:1::ff:fe00:2");

  auto listener = net.server->listen(8080);
  ASSERT_TRUE(listener);
  auto client = net.client->connect(net.server->ipv6_address().view(), 8080);
  ASSERT_TRUE(client) << client.error().message;
  ASSERT_TRUE(net.wait_writable(**client));
  ASSERT_TRUE((*client)->write(bytes_of("global")));
  std::unique_ptr<Flow> server = net.accept(**listener);
  ASSERT_NE(server, nullptr);
  EXPECT_EQ(server->peer().substr(0, server->peer().rfind(':')), "[2001:db8:1::ff:fe00:1]");
  std::string received;
  ASSERT_TRUE(net.run_until([&] { return (received += read_available(*server)) == "global"; }));
}

}  // namespace
}  // namespace paf::net_test
