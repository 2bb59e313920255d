// A SecureFlow: a Flow with a handshake in front of its bytes (TLS over
// another flow), as the layers above TLS see it. The ALPN dispatcher and the
// services use this interface only, so they depend on no TLS library:
// paf::TlsFlow (paf/tls.h, on mbedTLS) implements it, and so could a flow
// over another TLS library.
//
// The handshake runs lazily: read() and writev() drive it and fail with
// would_block while it waits, exactly as they do while the inner flow waits.
// handshake() drives it alone, for a caller that wants the negotiated
// protocol before the first byte (an ALPN dispatcher); on would_block, arm
// when_readable() and call it again from the wakeup.
#ifndef PAF_SECURE_FLOW_H
#define PAF_SECURE_FLOW_H

#include <string_view>

#include "paf/flow.h"
#include "paf/result.h"

namespace paf {

class SecureFlow : public Flow {
 public:
  // Drives the handshake: succeeds once it is done (and at once thereafter);
  // fails with would_block while it waits on the peer, timed_out when its
  // deadline passed, closed when the peer went away, tls_error when the peer
  // or its certificate was refused. A failed handshake has already released
  // everything the flow held but itself.
  virtual Result<void> handshake() = 0;
  virtual bool handshake_done() const = 0;

  // The application protocol ALPN chose ("h2", "http/1.1"), empty if none
  // (or the handshake is not done). Valid as long as the flow.
  virtual std::string_view alpn() const = 0;

  // The host name the client asked for (TLS SNI), empty if none: on a
  // server, what the client sent; on a client, what it sent.
  virtual std::string_view server_name() const = 0;

  // Whether the handshake was the whole exchange: the protocol negotiated is
  // one the TLS layer answered by itself (a certificate for RFC 8737's
  // acme-tls/1, see paf::TlsHandshakeAnswers). Nothing is to be read or
  // written then: close the flow.
  virtual bool handshake_only() const { return false; }
};

// What an ALPN dispatcher asks of a flow: its negotiated protocol, empty if none.
inline std::string_view alpn(const SecureFlow& flow) { return flow.alpn(); }

}  // namespace paf

#endif
