// The demo application's request handler (docs/ARCHITECTURE.md, "The demo
// contract"): one application, two front ends — the unikernel image
// (hello.elf, main.cpp here) and the hosted paf-server (tools/paf-server).
// Freestanding code: it builds for both.
#ifndef PAF_UNIKERNEL_HELLO_DEMO_HANDLER_H
#define PAF_UNIKERNEL_HELLO_DEMO_HANDLER_H

#include "paf/reqd.h"

namespace paf::demo {

struct Options {
  // One line per request on stderr ("GET / 200 12"): the serial console in
  // the image. A write per request: benchmarks turn it off, as they do the
  // peers' access logs.
  bool access_log = true;
};

// GET / -> "Hello World!"; POST / -> a summary of the body; POST /echo -> the
// body streamed back; GET /large -> 1 MiB; GET /random?len=N&seed=S -> N
// deterministic bytes; else 404.
void handle(Reqd& reqd, const Options& options);

}  // namespace paf::demo

#endif
