// The client's streams the server closed lately, and how (RFC 9113 §5.1
// "closed"): what the session answers to a DATA or HEADERS frame that still
// comes for one. nghttp2 forgets a stream as it closes (the session sets
// no_closed_streams, so that nothing points at it) and alone ignores such
// frames. The record keeps the last kCapacity closings, five bytes each,
// inline; for a stream closed before those, the period of grace is over
// (§5.1 lets an endpoint limit it): DATA is a stream error, HEADERS ignored.
#ifndef PAF_H2_CLOSED_STREAMS_H
#define PAF_H2_CLOSED_STREAMS_H

#include <array>
#include <cstddef>
#include <cstdint>

namespace paf::h2 {

class ClosedStreams {
 public:
  static constexpr std::size_t kCapacity = 32;

  // How a stream closed, as far as the client's frames on it go.
  enum class Closing : std::uint8_t {
    none,  // an empty slot
    // The server reset it (refused it, or found it malformed) while the
    // client could still send: what was on its way is ignored (§5.1 "MUST
    // ignore frames that it receives on closed streams after it has sent a
    // RST_STREAM frame").
    by_server_reset,
    // The client reset it: any frame but PRIORITY is a stream error
    // STREAM_CLOSED (RFC 7540 §5.1's MUST; RFC 9113 allows it).
    by_client_reset,
    // The client ended its side (END_STREAM): DATA or HEADERS is a connection
    // error STREAM_CLOSED (§5.1 half-closed (remote), then closed).
    by_client_end,
  };

  // What a DATA or HEADERS frame on a closed stream calls for.
  enum class Answer : std::uint8_t { ignore, stream_error, connection_error };

  // Stream `id` closed, as nghttp2 closes each stream once: recorded as new.
  void note_closed(std::int32_t id, Closing closing);
  // Stream `id` is closed `closing`, whether or not the record has it already.
  void note(std::int32_t id, Closing closing);
  // The client sent RST_STREAM on `id`, which was closed already: if the
  // stream is in the record, its frames are now the reset's stream errors.
  void note_client_reset(std::int32_t id);
  // A DATA (`is_data`) or HEADERS frame for `id`, a closed stream. A stream
  // error is answered once: the server has then reset the stream, and
  // ignores what follows.
  Answer late_frame(std::int32_t id, bool is_data);

 private:
  std::array<std::int32_t, kCapacity> ids_{};
  std::array<Closing, kCapacity> closings_{};
  std::uint8_t next_ = 0;  // the slot the next closing takes (the oldest)
};

}  // namespace paf::h2

#endif
