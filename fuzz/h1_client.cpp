// HTTP/1.x client engine: responses (status lines, headers, bodies framed by
// length, chunked or by the close, 1xx interim responses) as a server sends
// them, split where the fuzzer chooses.
#include <cstddef>
#include <cstdint>

#include "client.h"
#include "engine.h"
#include "paf/h1.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace paf;
  testing::Driver driver;
  auto connection = H1ClientConnection::create({}, driver.clock());
  driver.attach(connection.get());
  fuzz::Requests requests(*connection);
  requests.send_first();
  driver.pump();
  fuzz::play(fuzz::Steps(data, size), driver, [&](unsigned action) { requests.act(action); });
  return 0;
}
