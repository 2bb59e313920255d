// HTTP/2 connections (sans-I/O, on nghttp2): a server that serves requests
// with the same paf::RequestHandler as HTTP/1.x, and a client that sends
// requests and streams their responses. A paf::Runtime drives either over any
// flow (paf/runtime.h). Streams run concurrently, each with its own
// flow-control window: a body the application does not read keeps its window
// closed, so the peer stops sending instead of paf buffering.
#ifndef PAF_H2_H
#define PAF_H2_H

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "paf/connection.h"
#include "paf/function.h"
#include "paf/http.h"
#include "paf/reqd.h"
#include "paf/result.h"

namespace paf {

// Settings, windows and limits of one HTTP/2 connection. The limits protect
// an endpoint from its peer; what going over one does is in brackets
// (GOAWAY: the connection closes with that error code; RST_STREAM: only the
// stream ends).
struct H2Config {
  // --- SETTINGS advertised to the peer (RFC 9113 §6.5.2) ---
  // Streams the peer may open at once. [RST_STREAM REFUSED_STREAM while the
  // peer has not acknowledged the setting; GOAWAY PROTOCOL_ERROR after]
  std::uint32_t max_concurrent_streams = 100;
  // Each stream's receive window (SETTINGS_INITIAL_WINDOW_SIZE): how much of
  // a body the peer may send before the application reads it.
  std::uint32_t initial_window_size = 256 * 1024;
  // The whole connection's receive window, over all its streams.
  std::uint32_t connection_window_size = 1024 * 1024;
  // The largest frame payload the peer may send (16 KiB to 16 MiB - 1).
  std::uint32_t max_frame_size = 16 * 1024;
  // The HPACK decoder's dynamic table (SETTINGS_HEADER_TABLE_SIZE): what one
  // header block may refer back to.
  std::uint32_t header_table_size = 4096;
  // A header (or trailer) block, decoded, counted as RFC 9113 §6.5.2 does
  // (name + value + 32 per field); also bounds HPACK bombs, whose decoded
  // size dwarfs the bytes sent. [server: 431; client: RST_STREAM]
  std::uint32_t max_header_list_bytes = 16 * 1024;

  // --- floods (the connection closes: GOAWAY ENHANCE_YOUR_CALM) ---
  // Entries in one SETTINGS frame.
  std::size_t max_settings_entries = 32;
  // SETTINGS and PING acknowledgements waiting to go out: a peer that sends
  // them faster than it reads the answers.
  std::size_t max_outbound_acks = 1000;
  // CONTINUATION frames after one HEADERS frame.
  std::size_t max_continuations = 8;
  // Streams the peer may reset per interval (rapid reset, CVE-2023-44487).
  std::uint32_t max_resets_per_interval = 200;
  std::uint64_t reset_interval_ns = 1 * kSecond;
  // DATA frames in a row that carry no data and do not end their stream: a
  // flood that costs the peer nothing (the flow-control windows do not see
  // it). Any DATA frame with data starts the count again.
  std::size_t max_empty_data_frames = 100;

  // --- bodies and time ---
  // Request (client: response) body, in bytes. [server: 413 then
  // RST_STREAM; client: RST_STREAM]
  std::uint64_t max_body_bytes = 64 * 1024 * 1024;
  // A connection with no stream open closes (GOAWAY NO_ERROR) after this.
  std::uint64_t idle_timeout_ns = 60 * kSecond;
  // Output buffered for one body writer past which write() reports `full`.
  std::size_t write_high_water_mark = 64 * 1024;
  // HPACK encoder's dynamic table: memory spent compressing what we send.
  std::size_t max_deflate_table_size = 4096;
  // Client only: the :scheme of requests ("http" for cleartext h2c).
  std::string_view scheme = "https";
};

class H2ServerConnection : public Connection {
 public:
  // The connection expects the client's preface (h2 after ALPN, or h2c with
  // prior knowledge) and sends its SETTINGS at once.
  static std::unique_ptr<H2ServerConnection> create(H2Config config, RequestHandler handler,
                                                    ErrorHandler error_handler, Clock clock);
  // Streams open now (requests being read or answered).
  virtual std::size_t streams_in_flight() const = 0;
  // Changes the receive window of streams open and to come
  // (SETTINGS_INITIAL_WINDOW_SIZE, RFC 9113 §6.9.2).
  virtual Result<void> set_initial_window_size(std::uint32_t size) = 0;
};

class H2ClientConnection : public Connection {
 public:
  static std::unique_ptr<H2ClientConnection> create(H2Config config, Clock clock);

  // Opens a stream for `request`: :authority from request.authority() (the
  // Host field otherwise), :path from its target. The returned writer streams
  // the request body (its trailers too); for methods without a body (GET,
  // HEAD, DELETE, OPTIONS, TRACE) or with Content-Length 0 it is closed already.
  // cancel() on the writer (or the response's BodyReader) resets this stream
  // only (RST_STREAM CANCEL; nothing is sent if its HEADERS had not gone out
  // yet) and fails the request with Errc::cancelled; the other streams and
  // the connection go on.
  virtual Result<BodyWriter> request(Request request, ResponseHandler on_response) = 0;
  // Requests sent or queued whose response has not ended.
  virtual std::size_t requests_in_flight() const = 0;
  // As H2ServerConnection's.
  virtual Result<void> set_initial_window_size(std::uint32_t size) = 0;
};

}  // namespace paf

#endif
