#include "address.h"

#include <algorithm>
#include <charconv>
#include <cstring>

namespace paf {

AddressText::AddressText(std::string_view text) : size_(std::min(text.size(), kCapacity)) {
  std::memcpy(text_.data(), text.data(), size_);
  text_[size_] = '\0';
}

Result<Ipv4Address> Ipv4Address::parse(std::string_view text) {
  Ipv4Address address;
  const char* at = text.data();
  const char* end = text.data() + text.size();
  for (std::size_t i = 0; i < address.octets.size(); ++i) {
    if (i > 0) {
      if (at == end || *at != '.') return fail(Errc::invalid_argument, "not an IPv4 address");
      ++at;
    }
    unsigned value = 0;
    auto [next, error] = std::from_chars(at, end, value);
    if (error != std::errc() || next == at || next - at > 3 || value > 255)
      return fail(Errc::invalid_argument, "not an IPv4 address");
    address.octets[i] = static_cast<std::uint8_t>(value);
    at = next;
  }
  if (at != end) return fail(Errc::invalid_argument, "not an IPv4 address");
  return address;
}

namespace net {

ip4_addr_t to_lwip(const Ipv4Address& address) {
  ip4_addr_t lwip;
  IP4_ADDR(&lwip, address.octets[0], address.octets[1], address.octets[2], address.octets[3]);
  return lwip;
}

namespace {

// Writes `address` at `out` as text; returns its length (0 if it does not fit).
// lwIP writes IPv6 in capitals; RFC 5952 wants lowercase.
std::size_t write_address(const ip_addr_t& address, char* out, std::size_t room) {
  if (ipaddr_ntoa_r(&address, out, static_cast<int>(room)) == nullptr) return 0;
  std::size_t size = std::strlen(out);
  for (std::size_t i = 0; i < size; ++i)
    if (out[i] >= 'A' && out[i] <= 'F') out[i] = static_cast<char>(out[i] - 'A' + 'a');
  return size;
}

}  // namespace

AddressText address_text(const ip_addr_t& address) {
  char text[AddressText::kCapacity + 1];
  return AddressText(std::string_view(text, write_address(address, text, sizeof text)));
}

AddressText endpoint_text(const ip_addr_t& address, std::uint16_t port) {
  char text[AddressText::kCapacity + 1];
  std::size_t size = 0;
  bool bracket = IP_IS_V6(&address);
  if (bracket) text[size++] = '[';
  std::size_t length = write_address(address, text + size, sizeof text - size - 8);  // 8: "]:65535"
  if (length == 0) return {};
  size += length;
  if (bracket) text[size++] = ']';
  text[size++] = ':';
  size = static_cast<std::size_t>(std::to_chars(text + size, text + sizeof text, port).ptr - text);
  return AddressText(std::string_view(text, size));
}

}  // namespace net
}  // namespace paf
