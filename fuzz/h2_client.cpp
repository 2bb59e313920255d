// HTTP/2 client engine: what a server sends (its SETTINGS, HEADERS with HPACK,
// DATA, PUSH_PROMISE, resets, GOAWAY...), split where the fuzzer chooses.
#include <cstddef>
#include <cstdint>

#include "client.h"
#include "engine.h"
#include "paf/h2.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace paf;
  testing::Driver driver;
  H2Config config;
  config.scheme = "http";
  auto connection = H2ClientConnection::create(config, driver.clock());
  driver.attach(connection.get());
  fuzz::Requests requests(*connection);
  requests.send_first();
  driver.pump();
  fuzz::play(fuzz::Steps(data, size), driver, [&](unsigned action) { requests.act(action); });
  return 0;
}
