#include "socket_address.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/un.h>

#include <cstddef>
#include <cstring>

namespace paf::posix {
namespace {

std::string_view without_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    return host.substr(1, host.size() - 2);
  return host;
}

std::string ip_text(const SocketAddress& address) {
  char text[INET6_ADDRSTRLEN + IF_NAMESIZE + 1] = {};
  char service[8] = {};
  if (getnameinfo(address.get(), address.length, text, sizeof text, service, sizeof service,
                  NI_NUMERICHOST | NI_NUMERICSERV) != 0)
    return "?";
  std::string host = text;
  if (address.family() == AF_INET6) host = "[" + host + "]";
  return host + ":" + service;
}

}  // namespace

Result<SocketAddress> ip_address(std::string_view host, std::uint16_t port) {
  std::string numeric(without_brackets(host));
  std::string service = std::to_string(port);
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  if (getaddrinfo(numeric.c_str(), service.c_str(), &hints, &found) != 0 || found == nullptr)
    return fail(Errc::invalid_argument, "socket: not a numeric IPv4 or IPv6 address");
  SocketAddress address;
  std::memcpy(&address.storage, found->ai_addr, found->ai_addrlen);
  address.length = found->ai_addrlen;
  freeaddrinfo(found);
  return address;
}

Result<SocketAddress> unix_address(std::string_view path) {
  SocketAddress address;
  auto* un = reinterpret_cast<sockaddr_un*>(&address.storage);
  if (path.empty()) return fail(Errc::invalid_argument, "socket: empty Unix socket path");
  if (path.size() >= sizeof un->sun_path)
    return fail(Errc::invalid_argument, "socket: Unix socket path too long");
  if (path.find('\0') != std::string_view::npos)
    return fail(Errc::invalid_argument, "socket: Unix socket path with a NUL byte");
  un->sun_family = AF_UNIX;
  std::memcpy(un->sun_path, path.data(), path.size());
  address.length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + path.size() + 1);
  return address;
}

std::string describe(const SocketAddress& address, std::string_view unnamed_path) {
  if (address.family() != AF_UNIX) return ip_text(address);
  const auto* un = reinterpret_cast<const sockaddr_un*>(&address.storage);
  std::size_t room = address.length > offsetof(sockaddr_un, sun_path)
                         ? address.length - offsetof(sockaddr_un, sun_path)
                         : 0;
  std::string_view path(un->sun_path, strnlen(un->sun_path, room));
  return "unix:" + std::string(path.empty() ? unnamed_path : path);
}

std::uint16_t port_of(const SocketAddress& address) {
  if (address.family() == AF_INET)
    return ntohs(reinterpret_cast<const sockaddr_in*>(&address.storage)->sin_port);
  if (address.family() == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6*>(&address.storage)->sin6_port);
  return 0;
}

}  // namespace paf::posix
