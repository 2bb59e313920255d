// One HTTP/2 connection's nghttp2 session, driven sans-I/O: bytes read go to
// nghttp2_session_mem_recv2, bytes to write come from nghttp2_session_mem_send2.
// The session does what the server and the client share: the Connection
// operations, SETTINGS, windows, the limits, idle time, shutdown (GOAWAY), and
// the dispatch of nghttp2's events to the streams. The role (server or client)
// only opens streams.
#ifndef PAF_H2_SESSION_H
#define PAF_H2_SESSION_H

#include <cstddef>
#include <cstdint>
#include <vector>

#include "../http/output_queue.h"
#include "client_stream_ids.h"
#include "closed_streams.h"
#include "frame_scanner.h"
#include "session_memory.h"
#include "paf/connection.h"
#include "paf/h2.h"

struct nghttp2_session;

namespace paf::h2 {

class Stream;

// What differs between the server's session and the client's.
class SessionRole {
 public:
  // The peer opens stream `id` with a request (server only; a client returns null).
  virtual Stream* accept_stream(std::int32_t id) = 0;
  // The session gives up a reference on `stream` (nghttp2 closed it, or its
  // scheduled work ran).
  virtual void retire(Stream* stream);

 protected:
  ~SessionRole() = default;
};

class Session {
 public:
  enum class Kind { server, client };
  Session(Kind kind, const H2Config& config, Clock clock, SessionRole* role);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // --- the Connection operations, forwarded by the role ---
  ReadOperation next_read_operation();
  std::size_t read(Bytes bytes);
  std::size_t read_eof(Bytes bytes);
  void yield_reader(Wakeup wakeup) { reader_wakeup_ = std::move(wakeup); }
  WriteOperation next_write_operation();
  void report_write_result(WriteResult result);
  void yield_writer(Wakeup wakeup) { writer_wakeup_ = std::move(wakeup); }
  std::uint64_t deadline() const { return idle_deadline_; }
  void on_deadline(std::uint64_t now_ns);
  void report_error(const Error& error) { close_now(error); }
  void shutdown();
  bool is_closed() const { return reading_done_ && writing_done_; }

  // --- for the role and the streams ---
  nghttp2_session* nghttp2() { return session_; }
  const H2Config& config() const { return config_; }
  bool accepting_streams() const { return !shutting_down_ && !reading_done_; }
  std::size_t open_streams() const { return streams_.size(); }
  // The session keeps a reference on `stream` until nghttp2 closes it.
  void adopt(Stream* stream);
  // `stream` has work to do outside nghttp2's callbacks (resume its data,
  // tell its writer there is room): done before the next frames are sent.
  void schedule(Stream* stream);
  // The application took `n` bytes of stream `id`'s body: the window reopens.
  void consume(std::int32_t id, std::size_t n);
  void consume_connection(std::size_t n);
  Result<void> set_initial_window_size(std::uint32_t size);
  void wake_reader();
  void wake_writer();

  // --- nghttp2's events (session.cpp's callbacks call these) ---
  void on_begin_headers(std::int32_t id, bool request);
  // The stream a header block's fields go to (null: none takes them). The
  // block's stream is remembered from on_begin_headers, so that each field
  // costs no lookup in nghttp2's stream map.
  Stream* header_block_stream(std::int32_t id);
  // A HEADERS frame begins, before nghttp2 looks at it.
  void on_headers_frame_begin(std::int32_t id);
  // A DATA frame came whole: `data_bytes` of data (padding aside).
  void on_data_frame_received(std::size_t data_bytes, bool end_stream);
  void on_rst_stream_received(std::int32_t id);
  // The server sent RST_STREAM on stream `id`.
  void on_reset_sent(std::int32_t id);
  void on_settings_begin();
  void on_peer_initial_window_size(std::uint32_t size);
  // nghttp2 closes stream `id` (`stream`: its exchange, null if none).
  void on_stream_closed(std::int32_t id, Stream* stream, std::uint32_t error_code);
  // A DATA frame of `stream` goes out (send_data_callback: no copy).
  int send_data(Stream& stream, Bytes frame_header, std::size_t length, std::size_t padding);

 private:
  void submit_settings();
  // Gives `bytes` to nghttp2; false once reading is done.
  bool receive(Bytes bytes);
  // A frame's header arrived, before nghttp2 has it (the server's only).
  void on_frame_header(const FrameHeader& header);
  // Whether nghttp2 has stream `id` open (or half-closed), not idle nor forgotten.
  bool stream_open(std::int32_t id);
  void fill_output();
  void run_scheduled();
  // nghttp2 failed fatally (a flood, a broken peer): send GOAWAY and close.
  void fail_session(int nghttp2_error);
  void terminate(std::uint32_t error_code);
  void detach_streams(const Error& error);
  void close_now(const Error& error);
  // Graceful shutdown's last step: GOAWAY once nothing is in flight.
  void settle_shutdown();
  void update_idle_deadline();
  std::uint64_t after(std::uint64_t timeout_ns);

  Kind kind_;
  H2Config config_;
  Clock clock_;
  SessionRole* role_;
  SessionMemory memory_;  // nghttp2's; outlives session_, deleted in ~Session
  nghttp2_session* session_ = nullptr;

  http::OutputQueue output_;      // frames from mem_send, until written
  std::vector<Stream*> streams_;  // open in nghttp2; each holds a reference
  std::vector<Stream*> scheduled_;
  // The stream of the header block being received (see header_block_stream).
  std::int32_t header_block_id_ = 0;
  Stream* header_block_stream_ = nullptr;

  bool reading_done_ = false;
  bool writing_done_ = false;
  bool shutting_down_ = false;
  bool goaway_submitted_ = false;
  bool in_read_ = false;  // inside read(): wake_writer() only marks the writer due
  bool writer_due_ = false;
  std::uint64_t idle_deadline_ = kNoDeadline;
  // Rapid reset: RST_STREAM frames received in the current interval.
  std::uint64_t reset_interval_start_ = 0;
  std::uint32_t resets_in_interval_ = 0;
  std::size_t empty_data_frames_ = 0;  // in a row (H2Config::max_empty_data_frames)
  // The peer's initial window and largest stream window before its SETTINGS apply.
  std::uint32_t peer_initial_window_ = 0;
  std::int64_t largest_peer_window_ = 0;
  // The server's only: the ids its client used, the streams it closed lately
  // (§5.1: late frames on them get their answer), and where its frames begin.
  ClientStreamIds client_stream_ids_;
  ClosedStreams closed_streams_;
  FrameScanner frame_scanner_;
  std::int32_t peer_reset_id_ = 0;  // the stream of the RST_STREAM being received
  Wakeup reader_wakeup_;
  Wakeup writer_wakeup_;
};

}  // namespace paf::h2

#endif
