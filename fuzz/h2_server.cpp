// HTTP/2 server engine: the frames after the client's preface (HPACK blocks,
// CONTINUATION, flow control, resets, late frames on closed streams that the
// engine judges before nghttp2 sees them), split where the fuzzer chooses.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine.h"
#include "paf/h2.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace paf;
  testing::Driver driver;
  std::string log;
  auto connection =
      H2ServerConnection::create({}, fuzz::server_handler(&log), nullptr, driver.clock());
  driver.attach(connection.get());
  driver.pump();
  // Action 0: graceful shutdown (GOAWAY); 1: a smaller stream window (the
  // streams open shrink theirs); 2: a larger one.
  fuzz::play(fuzz::Steps(data, size), driver, [&](unsigned action) {
    if (action == 0) connection->shutdown();
    if (action == 1) (void)connection->set_initial_window_size(16);
    if (action == 2) (void)connection->set_initial_window_size(1 << 20);
  });
  return 0;
}
