// The HTTPS port as serve(https_service) runs it: TLS records from the
// client (ClientHello with its extensions: ALPN, SNI, key shares, ...) into
// a TlsFlow server over a MemoryFlow, on simulated time, then ALPN's choice
// of engine. mbedTLS's own randomness is not the input's: a handshake's
// later flights cannot be replayed, so this reaches the server before its
// keys are agreed (what any client reaches unauthenticated).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string>

#include "engine.h"
#include "flow_peer.h"
#include "paf/service.h"
#include "paf/switch.h"
#include "paf/tls.h"
#include "test_identity.h"

namespace {
std::optional<paf::TlsConfig> tls_config;
}

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  paf::fuzz::TestIdentity identity = paf::fuzz::make_test_identity();
  auto config = paf::TlsConfig::server(identity.certificate_pem, identity.key_pem)
                    .handshake_timeout(paf::seconds(10))
                    .build();
  if (!config) std::abort();  // the target would test nothing
  tls_config.emplace(std::move(*config));
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace paf;
  std::string log;
  fuzz::FlowPeer peer;
  fuzz::OneFlowListener listener(peer.take_server_end());
  Switch stop;
  serve(peer.loop(), https_service(*tls_config, fuzz::server_handler(&log), nullptr), listener,
        stop);
  // Action 0: the server stops (graceful shutdown of what it serves).
  peer.play(fuzz::Steps(data, size), [&](unsigned action) {
    if (action == 0) stop.turn_off();
  });
  stop.turn_off();
  peer.finish();
  return 0;
}
