// Socket addresses of the host flows and listeners: numeric IPv4/IPv6 and Unix
// paths in, sockaddr out; and back to the text of peer() and local_address().
#ifndef PAF_POSIX_SOCKET_ADDRESS_H
#define PAF_POSIX_SOCKET_ADDRESS_H

#include <sys/socket.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "paf/result.h"

namespace paf::posix {

struct SocketAddress {
  sockaddr_storage storage{};
  socklen_t length = 0;

  const sockaddr* get() const { return reinterpret_cast<const sockaddr*>(&storage); }
  sockaddr* get() { return reinterpret_cast<sockaddr*>(&storage); }
  int family() const { return storage.ss_family; }
};

// A numeric IPv4 or IPv6 address ("127.0.0.1", "::1", "[::1]", "fe80::1%eth0")
// and a port. Host names are refused: resolving them is not this layer's job.
Result<SocketAddress> ip_address(std::string_view host, std::uint16_t port);

// A Unix domain socket path; fails if it does not fit in sun_path.
Result<SocketAddress> unix_address(std::string_view path);

// "127.0.0.1:8080", "[::1]:8443", "unix:/run/x.sock"; a Unix address without a
// path (an unbound client) gives "unix:" followed by `unnamed_path`.
std::string describe(const SocketAddress& address, std::string_view unnamed_path = {});

// The port of an IP address.
std::uint16_t port_of(const SocketAddress& address);

}  // namespace paf::posix

#endif
