// A cleartext server port as serve(http_service) runs it: the first bytes
// choose HTTP/1.x or HTTP/2 (h2c with prior knowledge, RFC 9113 §3.4), then
// that engine reads the rest, over a MemoryFlow on simulated time.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine.h"
#include "flow_peer.h"
#include "paf/service.h"
#include "paf/switch.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace paf;
  std::string log;
  fuzz::FlowPeer peer;
  fuzz::OneFlowListener listener(peer.take_server_end());
  Switch stop;
  serve(peer.loop(), http_service(fuzz::server_handler(&log), nullptr), listener, stop);
  // Action 0: the server stops (graceful shutdown of what it serves).
  peer.play(fuzz::Steps(data, size), [&](unsigned action) {
    if (action == 0) stop.turn_off();
  });
  stop.turn_off();
  peer.finish();
  return 0;
}
