// errno of a socket call, as a paf::Error: the Errc a caller tests, a message
// a person reads, and the errno itself as detail.
#ifndef PAF_POSIX_SOCKET_ERROR_H
#define PAF_POSIX_SOCKET_ERROR_H

#include "paf/result.h"

namespace paf::posix {

Error socket_error(int errno_value);

// Whether the error ends the connection for good (reset, refused, timed out):
// the flow then keeps reporting it.
bool ends_connection(const Error& error);

}  // namespace paf::posix

#endif
