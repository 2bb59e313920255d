// Plays a fuzz input's steps (steps.h) on a sans-I/O connection through the
// engine tests' Driver (tests/h1/driver.h): time is the Driver's, moved only
// by the input; what the connection writes is read and dropped as it comes.
#ifndef PAF_FUZZ_ENGINE_H
#define PAF_FUZZ_ENGINE_H

#include <string>
#include <string_view>

#include "driver.h"
#include "echo_handler.h"
#include "paf/function.h"
#include "paf/reqd.h"
#include "steps.h"

namespace paf::fuzz {

// Calls `on_action` for the input's own actions (0 to 3), then pumps.
inline void play(Steps steps, testing::Driver& driver, Function<void(unsigned)> on_action = {}) {
  bool reading = true, ended = false;
  for (Step step = steps.next(); step.kind != Step::Kind::done; step = steps.next()) {
    switch (step.kind) {
      case Step::Kind::feed:
        // Nothing comes after the end of input (the Connection contract).
        if (!ended)
          driver.feed({reinterpret_cast<const char*>(step.bytes.data()), step.bytes.size()});
        break;
      case Step::Kind::advance:
        driver.advance(step.ns);
        break;
      case Step::Kind::end_of_input:
        if (!ended) driver.feed_eof();
        ended = true;
        break;
      case Step::Kind::toggle_reading:
        reading = !reading;
        driver.set_writes_blocked(!reading);
        break;
      case Step::Kind::write_limit:
        driver.set_write_limit(step.limit);
        break;
      case Step::Kind::action:
        if (on_action) on_action(step.action);
        driver.pump();
        break;
      case Step::Kind::done:
        break;
    }
    (void)driver.take_output();
  }
}

// The engine tests' echo handler (GET and HEAD: "Hello World!"; other
// methods: the body streamed back, trailers too), except that a target
// starting with "/early" is answered before its body is read (the server
// then drains or closes).
inline RequestHandler server_handler(std::string* log) {
  return [echo = testing::echo_handler(log)](Reqd& reqd) mutable {
    if (reqd.request().target().starts_with("/early")) {
      (void)reqd.respond_with_string({200, {}}, "early");
      return;
    }
    echo(reqd);
  };
}

}  // namespace paf::fuzz

#endif
