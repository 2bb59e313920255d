// setsockopt for the integer options the host sockets use (SO_REUSEADDR,
// IPV6_V6ONLY, TCP_NODELAY), with the failure as a paf::Error.
#ifndef PAF_POSIX_SOCKET_OPTIONS_H
#define PAF_POSIX_SOCKET_OPTIONS_H

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <cerrno>

#include "socket_error.h"

namespace paf::posix {

inline Result<void> set_socket_option(int fd, int level, int name, int value) {
  if (setsockopt(fd, level, name, &value, sizeof value) != 0)
    return std::unexpected(socket_error(errno));
  return {};
}

// paf hands the socket whole messages; Nagle's delay would only add latency.
inline Result<void> disable_nagle(int fd) {
  return set_socket_option(fd, IPPROTO_TCP, TCP_NODELAY, 1);
}

}  // namespace paf::posix

#endif
