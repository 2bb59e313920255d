#include "socket_error.h"

#include <cerrno>

namespace paf::posix {

Error socket_error(int errno_value) {
  auto error = [errno_value](Errc code, std::string_view message) {
    return Error{code, message, errno_value};
  };
  switch (errno_value) {
    case EAGAIN:
      return error(Errc::would_block, "socket: not ready yet");
    case ECONNREFUSED:
      return error(Errc::closed, "socket: connection refused");
    case ECONNRESET:
      return error(Errc::closed, "socket: connection reset by peer");
    case ECONNABORTED:
      return error(Errc::closed, "socket: connection aborted");
    case EPIPE:
      return error(Errc::closed, "socket: the peer is gone (broken pipe)");
    case ENOTCONN:
      return error(Errc::closed, "socket: not connected");
    case ETIMEDOUT:
      return error(Errc::timed_out, "socket: connection timed out");
    case EHOSTUNREACH:
      return error(Errc::io_error, "socket: host unreachable");
    case ENETUNREACH:
      return error(Errc::io_error, "socket: network unreachable");
    case EADDRINUSE:
      return error(Errc::io_error, "socket: address already in use");
    case EADDRNOTAVAIL:
      return error(Errc::io_error, "socket: address not available on this host");
    case EAFNOSUPPORT:
      return error(Errc::not_supported, "socket: address family not supported");
    case EACCES:
    case EPERM:
      return error(Errc::io_error, "socket: permission denied");
    case ENOENT:
      return error(Errc::io_error, "socket: no such file or directory");
    case EMFILE:
    case ENFILE:
      return error(Errc::limit_exceeded, "socket: too many open files");
    case ENOBUFS:
    case ENOMEM:
      return error(Errc::out_of_memory, "socket: out of memory");
    default:
      return error(Errc::io_error, "socket: operation failed (see detail for errno)");
  }
}

bool ends_connection(const Error& error) {
  return error.code == Errc::closed || error.code == Errc::timed_out;
}

}  // namespace paf::posix
