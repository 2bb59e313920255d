// The two halves of an HTTP/1.x exchange's bodies, shared by the server's and
// the client's exchanges: the incoming body as the application reads it, and
// the outgoing body (head included) as it writes it, framed by BodyEncoder.
// Both are the protocol-neutral ones of src/http.
#ifndef PAF_H1_BODY_H
#define PAF_H1_BODY_H

#include "../http/incoming_body.h"
#include "../http/outgoing_body.h"
#include "framing.h"

namespace paf::h1 {

using http::IncomingBody;
using OutgoingBody = http::OutgoingBody<BodyEncoder>;

}  // namespace paf::h1

#endif
