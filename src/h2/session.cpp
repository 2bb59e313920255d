// An nghttp2 session driven sans-I/O (see session.h).
#include "session.h"

#include <nghttp2/nghttp2.h>

#include <algorithm>
#include <string_view>
#include <utility>

#include "stream.h"

namespace paf::h2 {
namespace {

// Frames are taken from nghttp2 until this much output waits to be written.
// DATA frames mostly point at the stream's buffers (send_data), so a large
// batch costs little memory and saves writes: 64 KiB -> 256 KiB gave h2c
// GET /large 3,450-3,550 -> 4,060-4,650 req/s (h2load -c32 -m10).
constexpr std::size_t kOutputChunk = 256 * 1024;

void wake(Wakeup& wakeup) {
  Wakeup callback = std::move(wakeup);
  wakeup = nullptr;
  if (callback) callback();
}

Session& session_of(void* user_data) { return *static_cast<Session*>(user_data); }

Stream* stream_of(nghttp2_session* session, std::int32_t id) {
  return static_cast<Stream*>(nghttp2_session_get_stream_user_data(session, id));
}

std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// --- nghttp2's callbacks: each passes the event on, none touches I/O ----------

int on_begin_headers(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  if (frame->hd.type != NGHTTP2_HEADERS) return 0;
  session_of(user_data).on_begin_headers(frame->hd.stream_id,
                                         frame->headers.cat == NGHTTP2_HCAT_REQUEST);
  return 0;
}

int on_header(nghttp2_session*, const nghttp2_frame* frame, const std::uint8_t* name,
              std::size_t name_length, const std::uint8_t* value, std::size_t value_length,
              std::uint8_t, void* user_data) {
  if (Stream* stream = session_of(user_data).header_block_stream(frame->hd.stream_id))
    stream->add_header(as_text(name, name_length), as_text(value, value_length));
  return 0;
}

int on_begin_frame(nghttp2_session*, const nghttp2_frame_hd* header, void* user_data) {
  if (header->type == NGHTTP2_SETTINGS && (header->flags & NGHTTP2_FLAG_ACK) == 0)
    session_of(user_data).on_settings_begin();
  if (header->type == NGHTTP2_HEADERS)
    session_of(user_data).on_headers_frame_begin(header->stream_id);
  return 0;
}

int on_frame_received(nghttp2_session* session, const nghttp2_frame* frame, void* user_data) {
  const bool end_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  switch (frame->hd.type) {
    case NGHTTP2_HEADERS:
      if (Stream* stream = session_of(user_data).header_block_stream(frame->hd.stream_id))
        stream->end_header_block(end_stream);
      break;
    case NGHTTP2_DATA:
      session_of(user_data).on_data_frame_received(frame->hd.length - frame->data.padlen, end_stream);
      if (Stream* stream = stream_of(session, frame->hd.stream_id); stream != nullptr && end_stream)
        stream->receive_end();
      break;
    case NGHTTP2_RST_STREAM:
      session_of(user_data).on_rst_stream_received(frame->hd.stream_id);
      break;
    case NGHTTP2_SETTINGS:
      for (std::size_t i = 0; i < frame->settings.niv; ++i)
        if (frame->settings.iv[i].settings_id == NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE)
          session_of(user_data).on_peer_initial_window_size(frame->settings.iv[i].value);
      break;
    default:
      break;
  }
  return 0;
}

int on_data_chunk(nghttp2_session* session, std::uint8_t, std::int32_t id, const std::uint8_t* data,
                  std::size_t length, void* user_data) {
  if (Stream* stream = stream_of(session, id)) {
    stream->receive_data({data, length});
  } else {
    session_of(user_data).consume(id, length);  // no one will read it
  }
  return 0;
}

int on_stream_close(nghttp2_session* session, std::int32_t id, std::uint32_t error_code,
                    void* user_data) {
  session_of(user_data).on_stream_closed(id, stream_of(session, id), error_code);
  return 0;
}

int on_frame_sent(nghttp2_session*, const nghttp2_frame* frame, void* user_data) {
  if (frame->hd.type == NGHTTP2_RST_STREAM)
    session_of(user_data).on_reset_sent(frame->hd.stream_id);
  return 0;
}

// A DATA frame of a stream's body (NGHTTP2_DATA_FLAG_NO_COPY): its header,
// then its bytes, into the output.
int send_data(nghttp2_session*, nghttp2_frame* frame, const std::uint8_t* header,
              std::size_t length, nghttp2_data_source* source, void* user_data) {
  return session_of(user_data).send_data(*static_cast<Stream*>(source->ptr), Bytes(header, 9),
                                         length, frame->data.padlen);
}

nghttp2_session_callbacks* make_callbacks() {
  nghttp2_session_callbacks* callbacks = nullptr;
  if (nghttp2_session_callbacks_new(&callbacks) != 0) return nullptr;
  nghttp2_session_callbacks_set_on_begin_headers_callback(callbacks, on_begin_headers);
  nghttp2_session_callbacks_set_on_header_callback(callbacks, on_header);
  nghttp2_session_callbacks_set_on_begin_frame_callback(callbacks, on_begin_frame);
  nghttp2_session_callbacks_set_on_frame_recv_callback(callbacks, on_frame_received);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(callbacks, on_data_chunk);
  nghttp2_session_callbacks_set_on_stream_close_callback(callbacks, on_stream_close);
  nghttp2_session_callbacks_set_on_frame_send_callback(callbacks, on_frame_sent);
  nghttp2_session_callbacks_set_send_data_callback(callbacks, send_data);
  return callbacks;
}

// nghttp2's own protections, set from the configuration.
nghttp2_option* make_options(const H2Config& config) {
  nghttp2_option* option = nullptr;
  if (nghttp2_option_new(&option) != 0) return nullptr;
  // Windows reopen only as the application reads (Session::consume).
  nghttp2_option_set_no_auto_window_update(option, 1);
  nghttp2_option_set_max_settings(option, config.max_settings_entries);
  nghttp2_option_set_max_outbound_ack(option, config.max_outbound_acks);
  nghttp2_option_set_max_continuations(option, config.max_continuations);
  nghttp2_option_set_max_deflate_dynamic_table_size(option, config.max_deflate_table_size);
  // Closed streams are forgotten at once: nothing keeps a pointer to them.
  nghttp2_option_set_no_closed_streams(option, 1);
  // Rapid reset is limited by the session itself, on paf's clock and with
  // ENHANCE_YOUR_CALM (nghttp2's limiter reads the OS clock and answers
  // INTERNAL_ERROR): nghttp2's is set out of reach.
  nghttp2_option_set_stream_reset_rate_limit(option, UINT64_MAX / 2, UINT64_MAX / 2);
  return option;
}

Error nghttp2_failure(int code) {
  return Error{code == NGHTTP2_ERR_NOMEM ? Errc::out_of_memory : Errc::protocol_error,
               nghttp2_strerror(code), code};
}

}  // namespace

void SessionRole::retire(Stream* stream) { stream->release(); }

Session::Session(Kind kind, const H2Config& config, Clock clock, SessionRole* role)
    : kind_(kind),
      config_(config),
      clock_(std::move(clock)),
      role_(role),
      frame_scanner_(NGHTTP2_CLIENT_MAGIC_LEN) {
  nghttp2_session_callbacks* callbacks = make_callbacks();
  nghttp2_option* option = make_options(config_);
  int created = NGHTTP2_ERR_NOMEM;
  if (callbacks != nullptr && option != nullptr) {
    created = kind == Kind::server
                  ? nghttp2_session_server_new3(&session_, callbacks, this, option, memory_.mem())
                  : nghttp2_session_client_new3(&session_, callbacks, this, option, memory_.mem());
  }
  nghttp2_session_callbacks_del(callbacks);
  nghttp2_option_del(option);
  if (created != 0) {
    session_ = nullptr;
    close_now(nghttp2_failure(created));
    return;
  }
  submit_settings();
  update_idle_deadline();
}

Session::~Session() {
  // nghttp2 calls nothing back while it is deleted; the streams learn after.
  if (session_ != nullptr) nghttp2_session_del(session_);
  session_ = nullptr;
  detach_streams(Error{Errc::closed, "the connection is gone"});
  std::vector<Stream*> streams = std::move(streams_);
  for (Stream* stream : streams) stream->release();
  std::vector<Stream*> scheduled = std::move(scheduled_);
  for (Stream* stream : scheduled) stream->release();
}

void Session::submit_settings() {
  std::vector<nghttp2_settings_entry> settings = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, config_.max_concurrent_streams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, config_.initial_window_size},
      {NGHTTP2_SETTINGS_MAX_FRAME_SIZE, config_.max_frame_size},
      {NGHTTP2_SETTINGS_HEADER_TABLE_SIZE, config_.header_table_size},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, config_.max_header_list_bytes},
  };
  if (kind_ == Kind::client) settings.push_back({NGHTTP2_SETTINGS_ENABLE_PUSH, 0});
  int submitted =
      nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings.data(), settings.size());
  if (submitted == 0)
    submitted = nghttp2_session_set_local_window_size(
        session_, NGHTTP2_FLAG_NONE, 0, static_cast<std::int32_t>(config_.connection_window_size));
  if (submitted != 0) close_now(nghttp2_failure(submitted));
}

Result<void> Session::set_initial_window_size(std::uint32_t size) {
  if (session_ == nullptr || writing_done_) return fail(Errc::closed, "the connection is closed");
  nghttp2_settings_entry setting{NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, size};
  if (nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, &setting, 1) != 0)
    return fail(Errc::invalid_argument, "invalid initial window size");
  config_.initial_window_size = size;
  wake_writer();
  return {};
}

std::uint64_t Session::after(std::uint64_t timeout_ns) {
  return deadline_after(clock_, timeout_ns);
}

void Session::wake_reader() { wake(reader_wakeup_); }
// While nghttp2 parses input, the responses it prompts only mark the writer
// due: it runs once, after the whole input was taken, and sends the frames of
// every stream together (one write per read, not one per response).
void Session::wake_writer() {
  if (in_read_) {
    writer_due_ = true;
    return;
  }
  wake(writer_wakeup_);
}

// --- reading -------------------------------------------------------------------

ReadOperation Session::next_read_operation() {
  if (!reading_done_ && !nghttp2_session_want_read(session_)) reading_done_ = true;
  return reading_done_ ? ReadOperation::close : ReadOperation::read;
}

std::size_t Session::read(Bytes bytes) {
  if (reading_done_) return bytes.size();
  in_read_ = true;
  if (kind_ == Kind::server) {
    // nghttp2 acts on a frame's header when its last byte arrives: a frame
    // that may come late for a closed stream is looked at before that byte
    // goes. Other frames go on to nghttp2 with the rest of the input.
    std::size_t given = 0;
    std::size_t scanned = 0;
    FrameHeader header;
    bool complete = false;
    // The frames picked are judged from what was known as the read began
    // (a superset of the late ones); on_frame_header judges them on what
    // nghttp2 knows when each comes.
    const std::int64_t opened_before = client_stream_ids_.next();
    std::int64_t next_new_id = opened_before;
    bool may_close = false;  // a frame of this read may close a stream
    auto may_be_late = [&](const FrameHeader& frame) {
      const bool is_data = frame.type == NGHTTP2_DATA;
      if (!is_data && frame.type != NGHTTP2_HEADERS) {
        may_close |= frame.type == NGHTTP2_RST_STREAM;
        return false;
      }
      bool pick = false;
      if (frame.stream_id % 2 == 1) {
        if (frame.stream_id >= next_new_id) {
          pick = is_data;  // DATA on an idle stream: nghttp2's error to find
          if (!is_data) next_new_id = std::int64_t{frame.stream_id} + 2;  // a new stream
        } else {
          // A stream opened (or skipped) in this read, one a frame of this
          // read may have closed, or one closed before it.
          pick = frame.stream_id >= opened_before || may_close || !stream_open(frame.stream_id);
        }
      }
      may_close |= (frame.flags & NGHTTP2_FLAG_END_STREAM) != 0;
      return pick;
    };
    while (scanned < bytes.size()) {
      scanned = frame_scanner_.scan(bytes, scanned, header, complete);
      if (!complete) break;
      if (!may_be_late(header)) continue;
      if (!receive(bytes.subspan(given, scanned - 1 - given))) break;
      given = scanned - 1;
      on_frame_header(header);
    }
    receive(bytes.subspan(given));
  } else {
    receive(bytes);
  }
  run_scheduled();
  settle_shutdown();
  in_read_ = false;
  writer_due_ = false;
  wake_writer();
  return bytes.size();
}

std::size_t Session::read_eof(Bytes bytes) {
  std::size_t consumed = read(bytes);
  if (reading_done_) return consumed;
  // The peer sends nothing more: what it has not finished sending never comes.
  reading_done_ = true;
  detach_streams(Error{Errc::closed, "the peer closed the connection"});
  terminate(NGHTTP2_NO_ERROR);
  return consumed;
}

bool Session::receive(Bytes bytes) {
  if (reading_done_) return false;
  if (bytes.empty()) return true;
  nghttp2_ssize consumed = nghttp2_session_mem_recv2(session_, bytes.data(), bytes.size());
  if (consumed < 0) fail_session(static_cast<int>(consumed));
  return !reading_done_;
}

// RFC 9113 §5.1: a DATA or HEADERS frame on a client's stream that is
// closed. nghttp2 has forgotten the stream and would ignore the frame: the
// record of closed streams answers first (see closed_streams.h). nghttp2
// still decodes an ignored HEADERS's fields (the HPACK state) and counts an
// ignored DATA against the connection's window.
void Session::on_frame_header(const FrameHeader& header) {
  const bool is_data = header.type == NGHTTP2_DATA;
  const std::int32_t id = header.stream_id;
  // Idle streams, and stream 0, are nghttp2's to refuse.
  if ((!is_data && header.type != NGHTTP2_HEADERS) || id % 2 == 0 ||
      !client_stream_ids_.opened_or_skipped(id) || stream_open(id))
    return;
  switch (closed_streams_.late_frame(id, is_data)) {
    case ClosedStreams::Answer::connection_error:
      return terminate(NGHTTP2_STREAM_CLOSED);
    case ClosedStreams::Answer::stream_error:
      // Answered once; a peer that sends on and never reads is cut off.
      closed_streams_.note(id, ClosedStreams::Closing::by_server_reset);
      if (nghttp2_session_get_outbound_queue_size(session_) >= config_.max_outbound_acks)
        return terminate(NGHTTP2_ENHANCE_YOUR_CALM);
      nghttp2_submit_rst_stream(session_, NGHTTP2_FLAG_NONE, id, NGHTTP2_STREAM_CLOSED);
      return;
    case ClosedStreams::Answer::ignore:
      return;
  }
}

bool Session::stream_open(std::int32_t id) {
  nghttp2_stream* stream = nghttp2_session_find_stream(session_, id);
  if (stream == nullptr) return false;
  const nghttp2_stream_proto_state state = nghttp2_stream_get_state(stream);
  return state != NGHTTP2_STREAM_STATE_IDLE && state != NGHTTP2_STREAM_STATE_CLOSED;
}

void Session::on_reset_sent(std::int32_t id) {
  // A stream nghttp2 never opened (refused): its closing is noted here. An
  // open one is noted as it closes, next.
  if (kind_ == Kind::server && id % 2 == 1 && !stream_open(id))
    closed_streams_.note(id, ClosedStreams::Closing::by_server_reset);
}

void Session::on_begin_headers(std::int32_t id, bool request) {
  // A request's stream is new: nghttp2 opened it for this block, and no one
  // took it yet.
  Stream* stream = request ? role_->accept_stream(id) : stream_of(session_, id);
  if (stream != nullptr) stream->begin_header_block();
  header_block_id_ = id;
  header_block_stream_ = stream;
}

Stream* Session::header_block_stream(std::int32_t id) {
  if (id != header_block_id_) return stream_of(session_, id);
  return header_block_stream_;
}

// RFC 9113 §5.1.1: a HEADERS on an id the client skipped would open a stream
// below one it opened already, a connection error PROTOCOL_ERROR. nghttp2
// ignores it: it cannot tell it from a late HEADERS on a stream it forgot.
// Ids are noted here, before nghttp2 may refuse the stream (REFUSED_STREAM,
// or after GOAWAY): a refused id was used all the same, it is no gap.
// Terminating before the field block is decoded is safe: nghttp2 then
// ignores all input, so the HPACK state no longer matters.
void Session::on_headers_frame_begin(std::int32_t id) {
  if (kind_ == Kind::server && id % 2 == 1 && !client_stream_ids_.accept_headers(id))
    terminate(NGHTTP2_PROTOCOL_ERROR);
}

void Session::adopt(Stream* stream) {
  stream->retain();
  streams_.push_back(stream);
  nghttp2_session_set_stream_user_data(session_, stream->id(), stream);
  idle_deadline_ = kNoDeadline;
}

void Session::on_rst_stream_received(std::int32_t id) {
  if (kind_ != Kind::server) return;
  // nghttp2 closes an open stream next; one closed already is now reset.
  if (stream_open(id)) {
    peer_reset_id_ = id;
  } else {
    closed_streams_.note_client_reset(id);
  }
  std::uint64_t now = clock_ ? clock_() : 0;
  if (now - reset_interval_start_ >= config_.reset_interval_ns) {
    reset_interval_start_ = now;
    resets_in_interval_ = 0;
  }
  if (++resets_in_interval_ > config_.max_resets_per_interval) terminate(NGHTTP2_ENHANCE_YOUR_CALM);
}

void Session::on_data_frame_received(std::size_t data_bytes, bool end_stream) {
  if (data_bytes > 0 || end_stream) {
    empty_data_frames_ = 0;
  } else if (++empty_data_frames_ > config_.max_empty_data_frames) {
    terminate(NGHTTP2_ENHANCE_YOUR_CALM);
  }
}

// RFC 9113 §6.9.2: a SETTINGS_INITIAL_WINDOW_SIZE that would take a stream's
// window past 2^31 - 1 is a connection error FLOW_CONTROL_ERROR; nghttp2 only
// resets that stream. The windows are noted before the SETTINGS apply.
void Session::on_settings_begin() {
  peer_initial_window_ =
      nghttp2_session_get_remote_settings(session_, NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE);
  largest_peer_window_ = 0;
  for (Stream* stream : streams_)
    largest_peer_window_ = std::max<std::int64_t>(
        largest_peer_window_,
        nghttp2_session_get_stream_remote_window_size(session_, stream->id()));
}

void Session::on_peer_initial_window_size(std::uint32_t size) {
  const std::int64_t grown = largest_peer_window_ + size - std::int64_t{peer_initial_window_};
  if (!streams_.empty() && grown > NGHTTP2_MAX_WINDOW_SIZE) terminate(NGHTTP2_FLOW_CONTROL_ERROR);
}

void Session::on_stream_closed(std::int32_t id, Stream* stream, std::uint32_t error_code) {
  if (kind_ == Kind::server && id % 2 == 1) {
    using Closing = ClosedStreams::Closing;
    const bool client_ended = stream != nullptr
                                  ? stream->end_received()
                                  : nghttp2_session_get_stream_remote_close(session_, id) != 0;
    closed_streams_.note_closed(id, id == peer_reset_id_ ? Closing::by_client_reset
                                    : client_ended       ? Closing::by_client_end
                                                         : Closing::by_server_reset);
  }
  peer_reset_id_ = 0;
  if (stream == nullptr) return;
  if (stream == header_block_stream_) header_block_stream_ = nullptr;
  nghttp2_session_set_stream_user_data(session_, stream->id(), nullptr);
  std::erase(streams_, stream);
  stream->closed(error_code);
  role_->retire(stream);
  update_idle_deadline();
  settle_shutdown();
}

void Session::consume(std::int32_t id, std::size_t n) {
  if (session_ != nullptr && n > 0) nghttp2_session_consume(session_, id, n);
  wake_writer();
}

void Session::consume_connection(std::size_t n) {
  if (session_ != nullptr && n > 0) nghttp2_session_consume_connection(session_, n);
}

// --- writing -------------------------------------------------------------------

WriteOperation Session::next_write_operation() {
  if (writing_done_) return WriteOperation::close();
  if (output_.empty()) fill_output();
  if (!output_.empty()) return WriteOperation::write(output_.iovecs());
  if (!nghttp2_session_want_read(session_) && !nghttp2_session_want_write(session_)) {
    // Both sides are done (GOAWAY exchanged, or the session terminated).
    reading_done_ = writing_done_ = true;
    detach_streams(Error{Errc::closed, "the connection closed"});
    wake_reader();
    return WriteOperation::close();
  }
  return WriteOperation::yield();
}

void Session::fill_output() {
  run_scheduled();
  while (output_.size() < kOutputChunk && !writing_done_) {
    const std::uint8_t* data = nullptr;
    nghttp2_ssize n = nghttp2_session_mem_send2(session_, &data);
    if (n < 0) return close_now(nghttp2_failure(static_cast<int>(n)));
    if (n > 0) output_.append(Bytes(data, static_cast<std::size_t>(n)));
    // Sending may have made room for a writer, or ended streams.
    run_scheduled();
    if (n == 0) return;
  }
}

int Session::send_data(Stream& stream, Bytes frame_header, std::size_t length,
                       std::size_t padding) {
  // A full output waits to drain; nghttp2 calls again with the same frame.
  if (output_.size() >= kOutputChunk) return NGHTTP2_ERR_WOULDBLOCK;
  // No padding is ever asked for (no select_padding callback).
  if (padding > 0 || !stream.send_data(output_, frame_header, length))
    return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;  // nghttp2 resets the stream
  return 0;
}

void Session::report_write_result(WriteResult result) {
  if (result.closed) return close_now(Error{Errc::closed, "the peer closed the connection"});
  output_.consume(result.bytes);
}

void Session::schedule(Stream* stream) {
  if (!stream->scheduled) {
    stream->scheduled = true;
    stream->retain();
    scheduled_.push_back(stream);
  }
  wake_writer();
}

void Session::run_scheduled() {
  while (!scheduled_.empty()) {
    // Streams may schedule themselves again while they run: those wait for the next round.
    std::vector<Stream*> streams;
    streams.swap(scheduled_);
    for (Stream* stream : streams) {
      stream->scheduled = false;
      stream->run_scheduled();
      role_->retire(stream);  // this reference may be the last, the stream closed
    }
    // Keep the list's storage for the next round rather than allocate again.
    streams.clear();
    if (scheduled_.empty() && scheduled_.capacity() < streams.capacity()) scheduled_.swap(streams);
  }
}

// --- errors, time, shutdown ------------------------------------------------------

void Session::fail_session(int nghttp2_error) {
  const bool flood =
      nghttp2_error == NGHTTP2_ERR_FLOODED || nghttp2_error == NGHTTP2_ERR_TOO_MANY_CONTINUATIONS;
  reading_done_ = true;
  detach_streams(nghttp2_failure(nghttp2_error));
  terminate(flood ? NGHTTP2_ENHANCE_YOUR_CALM : NGHTTP2_PROTOCOL_ERROR);
}

void Session::terminate(std::uint32_t error_code) {
  if (session_ != nullptr) nghttp2_session_terminate_session(session_, error_code);
  goaway_submitted_ = true;
  wake_reader();
  wake_writer();
}

void Session::detach_streams(const Error& error) {
  // The references stay with the session until it ends: nghttp2 may still
  // name the streams (a data source) before it does.
  std::vector<Stream*> streams = streams_;
  for (Stream* stream : streams) stream->detach(error);
}

void Session::close_now(const Error& error) {
  reading_done_ = writing_done_ = true;
  idle_deadline_ = kNoDeadline;
  output_.clear();
  detach_streams(error);
  wake_reader();
  wake_writer();
}

void Session::update_idle_deadline() {
  idle_deadline_ =
      streams_.empty() && !reading_done_ ? after(config_.idle_timeout_ns) : kNoDeadline;
}

void Session::on_deadline(std::uint64_t now_ns) {
  if (now_ns < idle_deadline_) return;
  idle_deadline_ = kNoDeadline;
  terminate(NGHTTP2_NO_ERROR);
}

void Session::shutdown() {
  if (shutting_down_ || session_ == nullptr) return;
  shutting_down_ = true;
  // A server warns first: requests already on their way are still served.
  if (kind_ == Kind::server) nghttp2_submit_shutdown_notice(session_);
  settle_shutdown();
  wake_reader();
  wake_writer();
}

void Session::settle_shutdown() {
  if (!shutting_down_ || goaway_submitted_ || !streams_.empty() || session_ == nullptr) return;
  goaway_submitted_ = true;
  if (kind_ == Kind::server) {
    nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                          nghttp2_session_get_last_proc_stream_id(session_), NGHTTP2_NO_ERROR,
                          nullptr, 0);
  } else {
    nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
  }
  wake_writer();
}

}  // namespace paf::h2
