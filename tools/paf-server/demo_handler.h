// The demo application's request handler (DESIGN §6), shared by the hosted
// paf-server and its tests.
#ifndef PAF_TOOLS_PAF_SERVER_DEMO_HANDLER_H
#define PAF_TOOLS_PAF_SERVER_DEMO_HANDLER_H

#include "paf/reqd.h"

namespace paf::demo {

// GET / -> "Hello World!"; POST / -> a summary of the body; POST /echo -> the
// body streamed back; GET /large -> 1 MiB; GET /random?len=N&seed=S -> N
// deterministic bytes; else 404. Logs one line per request to stderr.
void handle(Reqd& reqd);

}  // namespace paf::demo

#endif
