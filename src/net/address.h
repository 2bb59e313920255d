// Conversions between paf's address values and lwIP's.
#ifndef PAF_SRC_NET_ADDRESS_H
#define PAF_SRC_NET_ADDRESS_H

#include <cstdint>

#include "lwip/ip_addr.h"
#include "paf/net.h"

namespace paf::net {

ip4_addr_t to_lwip(const Ipv4Address& address);
// "10.0.2.15", "fe80::1"
AddressText address_text(const ip_addr_t& address);
// "10.0.2.15:80", "[fe80::1]:80"
AddressText endpoint_text(const ip_addr_t& address, std::uint16_t port);

}  // namespace paf::net

#endif
