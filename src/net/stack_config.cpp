#include <charconv>

#include "paf/cmdline.h"
#include "paf/net.h"

namespace paf {
namespace {

// "10.0.2.15/24" or "10.0.2.15" (prefix 24).
Result<void> parse_ip(std::string_view value, StackConfig& config) {
  std::size_t slash = value.find('/');
  auto address = Ipv4Address::parse(value.substr(0, slash));
  if (!address) return fail(Errc::invalid_argument, "net: ip= wants an IPv4 address, as 10.0.2.15/24");
  config.ipv4 = *address;
  if (slash == std::string_view::npos) return {};
  std::string_view prefix = value.substr(slash + 1);
  unsigned length = 0;
  auto [end, error] = std::from_chars(prefix.data(), prefix.data() + prefix.size(), length);
  if (error != std::errc() || end != prefix.data() + prefix.size() || prefix.empty() || length > 32)
    return fail(Errc::invalid_argument, "net: ip= wants a prefix length from 0 to 32");
  config.ipv4_prefix_length = static_cast<std::uint8_t>(length);
  return {};
}

Result<void> parse_setting(std::string_view key, std::string_view value, StackConfig& config) {
  if (key == "ip") return parse_ip(value, config);
  if (key == "gw") {
    auto gateway = Ipv4Address::parse(value);
    if (!gateway) return fail(Errc::invalid_argument, "net: gw= wants an IPv4 address");
    config.gateway = *gateway;
  } else if (key == "dns") {
    auto server = Ipv4Address::parse(value);
    if (!server) return fail(Errc::invalid_argument, "net: dns= wants an IPv4 address");
    if (config.dns_servers.size() == 2) return fail(Errc::invalid_argument, "net: at most two dns= servers");
    config.dns_servers.push_back(*server);
  } else if (key == "ipv6") {
    if (value != "on" && value != "off") return fail(Errc::invalid_argument, "net: ipv6= wants on or off");
    config.ipv6 = value == "on";
  }
  return {};  // not a network setting: the application's
}

}  // namespace

Result<StackConfig> StackConfig::parse(std::string_view cmdline) {
  StackConfig config;
  for (std::string_view word = next_cmdline_word(cmdline); !word.empty();
       word = next_cmdline_word(cmdline)) {
    std::size_t equals = word.find('=');
    if (equals == std::string_view::npos) continue;
    if (auto set = parse_setting(word.substr(0, equals), word.substr(equals + 1), config); !set)
      return std::unexpected(set.error());
  }
  return config;
}

}  // namespace paf
