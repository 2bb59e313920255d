// The demo application's request handler (DESIGN §6), shared by the hosted
// paf-server and its tests.
#ifndef PAF_TOOLS_PAF_SERVER_DEMO_HANDLER_H
#define PAF_TOOLS_PAF_SERVER_DEMO_HANDLER_H

#include "paf/reqd.h"

namespace paf::demo {

struct Options {
  // One line per request on stderr ("GET / 200 12"). A write(2) per request:
  // benchmarks turn it off, as they do the peers' access logs.
  bool access_log = true;
};

// GET / -> "Hello World!"; POST / -> a summary of the body; POST /echo -> the
// body streamed back; GET /large -> 1 MiB; GET /random?len=N&seed=S -> N
// deterministic bytes; else 404.
void handle(Reqd& reqd, const Options& options);

}  // namespace paf::demo

#endif
