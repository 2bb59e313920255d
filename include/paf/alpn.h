// ALPN dispatch (docs/ARCHITECTURE.md, "Layers"): which HTTP version serves
// a flow, learnt from a TLS handshake's ALPN choice or from a cleartext flow's
// first bytes (h2c with prior knowledge). No TLS library in sight: a secured flow is seen through
// paf::SecureFlow only. The services of paf/service.h are built on these;
// they are public for a server that mixes its own protocols in.
#ifndef PAF_ALPN_H
#define PAF_ALPN_H

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string_view>

#include "paf/bytes.h"
#include "paf/connection.h"
#include "paf/flow.h"
#include "paf/function.h"
#include "paf/http.h"
#include "paf/loop.h"
#include "paf/result.h"
#include "paf/secure_flow.h"
#include "paf/service.h"

namespace paf {

// The HTTP/2 client connection preface (RFC 9113 §3.4).
inline constexpr std::string_view kHttp2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n";

// The HTTP version ALPN's choice names: "h2" -> http_2; "http/1.1",
// "http/1.0" or none (empty) -> http_1_1, which stands for HTTP/1.x here (the
// HTTP/1.x engine reads each request's own version); anything else -> nullopt
// (not HTTP).
std::optional<HttpVersion> version_for_alpn(std::string_view alpn);

// What a cleartext flow's first bytes say: http_2 once they hold the whole
// preface, http_1_1 (HTTP/1.x) as soon as one byte of "PRI * HTTP/2.0"
// differs, nullopt while they are a proper prefix of the preface (read more;
// at most kHttp2Preface.size() in all). Past that request line a differing
// byte is a broken HTTP/2 preface: http_2, whose engine refuses it (RFC 9113 §3.4).
std::optional<HttpVersion> version_for_first_bytes(Bytes first);

// Makes the connection that serves a flow whose HTTP version is known.
using ConnectionFactory = Function<Result<std::unique_ptr<Connection>>(HttpVersion version)>;

// Waits (without blocking: handshake() is retried from the flow's readable
// wakeups) for `flow`'s handshake, then makes its connection for ALPN's
// choice. The handshake's failure — its deadline is the SecureFlow's own —
// or a protocol that is not HTTP is the PendingConnection's error. A
// handshake that was the whole exchange (SecureFlow::handshake_only()) closes
// the flow and makes no connection: ready gets an empty ServedConnection.
std::unique_ptr<PendingConnection> dispatch_by_alpn(std::unique_ptr<SecureFlow> flow,
                                                    ConnectionFactory make);

// Handshakes taking turns on one loop: one step of one handshake per turn of
// the loop, the others waiting, in order, for the turns after it. A step can
// hold the loop for milliseconds (ECDHE and a signature; about 90 ms in an
// image under TCG), and without turns a flood of handshakes arriving together
// ran all of theirs before anything else the loop had to do: every other
// connection waited for all of them, not for one (tests/attacks,
// tls_handshake_flood). The services of paf/service.h give all the
// connections of one service one HandshakeTurns.
class HandshakeTurns : public std::enable_shared_from_this<HandshakeTurns> {
 public:
  static std::shared_ptr<HandshakeTurns> create(Loop& loop);
  HandshakeTurns(const HandshakeTurns&) = delete;
  HandshakeTurns& operator=(const HandshakeTurns&) = delete;

  // Runs `step` now when no step has run in this turn of the loop, else on
  // the first turn free for it. `ticket` is set first (0 when it runs now;
  // else what cancel() takes), so that a step may destroy its owner.
  void take_turn(std::uint64_t& ticket, Function<void()> step);
  // Forgets a step still waiting (its owner is gone).
  void cancel(std::uint64_t ticket);
  std::size_t waiting() const { return waiting_.size(); }

 private:
  explicit HandshakeTurns(Loop& loop) : loop_(loop) {}
  void run(Function<void()> step);
  void next_turn();

  Loop& loop_;
  bool turn_taken_ = false;
  std::uint64_t next_ticket_ = 1;
  std::deque<std::pair<std::uint64_t, Function<void()>>> waiting_;
};

// dispatch_by_alpn whose handshake steps take their turns in `turns`.
std::unique_ptr<PendingConnection> dispatch_by_alpn(std::unique_ptr<SecureFlow> flow,
                                                    ConnectionFactory make,
                                                    std::shared_ptr<HandshakeTurns> turns);

// How long a cleartext flow may take to show its first bytes.
struct PrefaceTimeouts {
  std::uint64_t first_byte_ns = 60 * kSecond;  // from the start (an idle client)
  std::uint64_t decision_ns = 10 * kSecond;    // from the first byte (a slow preface)
};

// Reads `flow`'s first bytes — the preface's 24 at most, and no more once one
// differs — and makes its connection for what they say; those bytes are the
// ServedConnection's first_input. A peer that ends its stream early gets an
// HTTP/1.x connection (which sees the end); one that is too slow is closed
// with timed_out.
std::unique_ptr<PendingConnection> dispatch_by_preface(Loop& loop, std::unique_ptr<Flow> flow,
                                                       PrefaceTimeouts timeouts,
                                                       ConnectionFactory make);

}  // namespace paf

#endif
