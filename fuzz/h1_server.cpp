// HTTP/1.x server engine: requests (pipelined, bodies framed by length or
// chunked, trailers) as a client sends them, split where the fuzzer chooses.
#include <cstddef>
#include <cstdint>
#include <string>

#include "engine.h"
#include "paf/h1.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace paf;
  testing::Driver driver;
  std::string log;
  auto connection =
      H1ServerConnection::create({}, fuzz::server_handler(&log), nullptr, driver.clock());
  driver.attach(connection.get());
  driver.pump();
  // Action 0: graceful shutdown (the server finishes what is in flight).
  fuzz::play(fuzz::Steps(data, size), driver, [&](unsigned action) {
    if (action == 0) connection->shutdown();
  });
  return 0;
}
