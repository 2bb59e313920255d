// The HTTPS port after the handshake: a paf TlsFlow client completes a
// handshake with the server in-process (as serve(https_service) runs it, over
// a MemoryFlow, on simulated time), then the input's records go in: HTTP
// bytes as application data (encrypted by the client, so they reach the
// engine ALPN chose), records of any content type encrypted under the
// client's keys (alerts, post-handshake handshake messages, unknown types),
// and raw bytes on the wire (garbage records the server cannot decrypt).
// The input is plaintext-level, so it replays whatever keys the handshake
// agrees on (PSA's generator is seeded by the host, not paf_entropy).
//
// Input: a configuration byte (bit 0: ALPN h2, else http/1.1; bit 1: TLS 1.2,
// else 1.3), then steps (fuzz/steps.h): a feed is application data through
// the client; actions: 0 the next feed goes raw on the wire, 1 the next feed
// is one encrypted record whose content type is its first byte, 2 the
// client sends close_notify, 3 the server stops (graceful shutdown). End of
// input shuts the wire's write side (no close_notify); the client stops
// reading (the server's writes back up) and reads again at 0xF9.
#define MBEDTLS_ALLOW_PRIVATE_ACCESS  // the record being written: out_msgtype, out_msg...
#include <mbedtls/ssl.h>

// mbedTLS's record layer (its library/ssl_misc.h, which is C only): writes
// ssl->out_msg as one record of ssl->out_msgtype, encrypted once keys are in use.
extern "C" int mbedtls_ssl_write_record(mbedtls_ssl_context* ssl, int force_flush);

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>

#include "engine.h"
#include "flow_peer.h"
#include "paf/memory_flow.h"
#include "paf/service.h"
#include "paf/switch.h"
#include "paf/tls.h"
#include "steps.h"
#include "test_identity.h"
#include "tls/engine.h"

namespace paf {

// Sends `bytes` as one record of `type`, encrypted as the client's records
// are: what a client that is not paf's could send once keys are agreed.
struct MbedtlsFlowProbe {
  static void write_record(TlsFlow& flow, std::uint8_t type, Bytes bytes) {
    auto& mbedtls_flow = static_cast<MbedtlsFlow&>(flow);
    if (!mbedtls_flow.engine_ || !mbedtls_flow.handshake_done_) return;
    mbedtls_ssl_context& ssl = mbedtls_flow.engine_->ssl;
    const int room = mbedtls_ssl_get_max_out_record_payload(&ssl);
    if (room <= 0) return;
    const std::size_t n = std::min(bytes.size(), static_cast<std::size_t>(room));
    ssl.out_msgtype = type;
    ssl.out_msglen = n;
    std::memcpy(ssl.out_msg, bytes.data(), n);
    (void)mbedtls_ssl_write_record(&ssl, 1);
    (void)mbedtls_flow.flush_ciphertext();
  }
};

}  // namespace paf

namespace {

using namespace paf;

std::optional<TlsConfig> server_config;
std::optional<TlsConfig> client_configs[4];  // by the configuration byte's two bits

class Target {
 public:
  explicit Target(std::uint8_t configuration)
      : pair_(MemoryFlow::pair(loop_)), wire_(pair_.client.get()) {
    serve(loop_, https_service(*server_config, fuzz::server_handler(&log_), nullptr), listener_,
          stop_);
    auto client = TlsFlow::client(loop_, *client_configs[configuration & 3],
                                  std::move(pair_.client), "localhost");
    if (!client) std::abort();
    client_ = std::move(*client);
  }

  ~Target() {
    stop_.turn_off();
    client_.reset();
    for (int turn = 0; turn < 100 && loop_.has_work(); ++turn)
      (void)loop_.run_until(loop_.now_ns() + seconds(10));
  }

  // Until the client's handshake is done (bounded): false if it never is.
  bool handshake() {
    for (int turn = 0; turn < 100; ++turn) {
      auto done = client_->handshake();
      if (done) return true;
      if (done.error().code != Errc::would_block) return false;
      settle();
    }
    return false;
  }

  void play(fuzz::Steps steps) {
    enum class Next { application_data, raw, record } next = Next::application_data;
    for (fuzz::Step step = steps.next(); step.kind != fuzz::Step::Kind::done; step = steps.next()) {
      switch (step.kind) {
        case fuzz::Step::Kind::feed:
          if (next == Next::raw)
            (void)wire_->writev(std::span(&step.bytes, 1));
          else if (next == Next::record && !step.bytes.empty())
            MbedtlsFlowProbe::write_record(*client_, step.bytes[0], step.bytes.subspan(1));
          else
            (void)client_->writev(std::span(&step.bytes, 1));
          next = Next::application_data;
          break;
        case fuzz::Step::Kind::advance:
          backend_.advance(step.ns);
          break;
        case fuzz::Step::Kind::end_of_input:
          (void)wire_->shutdown_write();
          break;
        case fuzz::Step::Kind::toggle_reading:
          reading_ = !reading_;
          break;
        case fuzz::Step::Kind::action:
          if (step.action == 0) next = Next::raw;
          if (step.action == 1) next = Next::record;
          if (step.action == 2) (void)client_->shutdown_write();
          if (step.action == 3) stop_.turn_off();
          break;
        default:
          break;
      }
      settle();
    }
  }

 private:
  // Runs what is due now; the client reads (and drops) what the server sent.
  void settle() {
    for (int turn = 0; turn < 16; ++turn) {
      (void)loop_.run_until(loop_.now_ns() + 1);
      if (!reading_) return;
      std::uint8_t sink[16 * 1024];
      bool read_any = false;
      for (int reads = 0; reads < 64; ++reads) {
        auto n = client_->read(sink);
        if (!n || *n == 0) break;
        read_any = true;
      }
      if (!read_any && !loop_.has_work()) return;
    }
  }

  SimulatedTimeBackend backend_;
  Loop loop_{backend_};
  MemoryFlowPair pair_;
  MemoryFlow* wire_;  // the client's inner flow: raw bytes to the server
  fuzz::OneFlowListener listener_{std::move(pair_.server)};
  Switch stop_;
  std::string log_;
  std::unique_ptr<TlsFlow> client_;
  bool reading_ = true;
};

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  fuzz::TestIdentity identity = fuzz::make_test_identity();
  auto server = TlsConfig::server(identity.certificate_pem, identity.key_pem)
                    .handshake_timeout(seconds(10))
                    .build();
  if (!server) std::abort();  // the target would test nothing
  server_config.emplace(std::move(*server));
  for (unsigned configuration = 0; configuration < 4; ++configuration) {
    const TlsVersion version = configuration & 2 ? TlsVersion::tls1_2 : TlsVersion::tls1_3;
    auto builder = TlsConfig::client().insecure_for_tests().versions(version, version);
    if (configuration & 1)
      builder.alpn({"h2"});
    else
      builder.alpn({"http/1.1"});
    auto client = builder.build();
    if (!client) std::abort();
    client_configs[configuration].emplace(std::move(*client));
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Target target(data[0]);
  // The server's handshake is in-process and sound: a failure is a bug.
  if (!target.handshake()) std::abort();
  target.play(fuzz::Steps(data + 1, size - 1));
  return 0;
}
