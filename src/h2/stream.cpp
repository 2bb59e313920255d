// The parts of an HTTP/2 exchange the server and the client share (see stream.h).
#include "stream.h"

#include <algorithm>
#include <array>
#include <utility>

#include "session.h"

namespace paf::h2 {
namespace {

Error closed_error() { return Error{Errc::closed, "the stream is closed"}; }

// RFC 9113 §6.5.2: a field counts its name, its value and 32 bytes.
constexpr std::size_t kFieldOverhead = 32;

// Fields a head leaves out: those of HTTP/1.x's connection (RFC 9113
// §8.2.2), TE unless it says "trailers", and Host (:authority says it).
bool is_left_out(std::string_view name, std::string_view value) {
  switch (name.size()) {  // most fields are none of these: one comparison says so
    case 2: return ascii_iequals(name, "te") && value != "trailers";
    case 4: return ascii_iequals(name, "host");
    case 7: return ascii_iequals(name, "upgrade");
    case 10: return ascii_iequals(name, "connection") || ascii_iequals(name, "keep-alive");
    case 16: return ascii_iequals(name, "proxy-connection");
    case 17: return ascii_iequals(name, "transfer-encoding");
    default: return false;
  }
}

bool has_uppercase(std::string_view name) {
  bool uppercase = false;
  for (char c : name) uppercase |= static_cast<unsigned char>(c - 'A') < 26;
  return uppercase;
}

// RFC 9113 §8.2.1: a value must not start or end with whitespace, which is
// not part of a field's value anyway (RFC 9110 §5.5).
std::string_view without_edge_whitespace(std::string_view value) {
  auto blank = [](char c) { return c == ' ' || c == '\t'; };
  while (!value.empty() && blank(value.front())) value.remove_prefix(1);
  while (!value.empty() && blank(value.back())) value.remove_suffix(1);
  return value;
}

}  // namespace

// --- DataEncoder ---------------------------------------------------------------

Result<bool> DataEncoder::admit(std::size_t size) {
  if (!has_body_) return false;
  if (length_ && size > *length_ - written_)
    return fail(Errc::invalid_argument, "body longer than its Content-Length");
  written_ += size;
  return true;
}

Result<void> DataEncoder::write(http::OutputQueue& out, std::span<const std::uint8_t> bytes) {
  auto admitted = admit(bytes.size());
  if (!admitted) return std::unexpected(admitted.error());
  if (*admitted) out.append(bytes);
  return {};
}

Result<void> DataEncoder::write(http::OutputQueue& out, Buffer&& bytes) {
  auto admitted = admit(bytes.size());
  if (!admitted) return std::unexpected(admitted.error());
  if (*admitted) out.append(std::move(bytes));
  return {};
}

Result<void> DataEncoder::finish(http::OutputQueue&, const Headers&) {
  if (has_body_ && length_ && written_ < *length_)
    return fail(Errc::invalid_argument, "body shorter than its Content-Length");
  return {};
}

// --- FieldList -----------------------------------------------------------------

void FieldList::add(std::string_view name, std::string_view value, bool pinned) {
  std::uint8_t flags = NGHTTP2_NV_FLAG_NONE;
  if (pinned) {
    flags |= NGHTTP2_NV_FLAG_NO_COPY_VALUE;
    if (!has_uppercase(name)) flags |= NGHTTP2_NV_FLAG_NO_COPY_NAME;
  }
  const nghttp2_nv field{reinterpret_cast<std::uint8_t*>(const_cast<char*>(name.data())),
                         reinterpret_cast<std::uint8_t*>(const_cast<char*>(value.data())),
                         name.size(), value.size(), flags};
  if (size_ < kInlineFields && spilled_.empty()) {
    inline_[size_++] = field;
    return;
  }
  if (spilled_.empty()) spilled_.assign(inline_.begin(), inline_.end());
  spilled_.push_back(field);
  ++size_;
}

void FieldList::add_fields(const Headers& fields, bool pinned, std::string_view except) {
  for (const Headers::Field field : fields)
    if (!is_left_out(field.name, field.value) && !ascii_iequals(field.name, except))
      add(field.name, without_edge_whitespace(field.value), pinned);
}

// --- the incoming message --------------------------------------------------------

void Stream::begin_header_block() {
  block_.clear();
  block_bytes_ = 0;
}

void Stream::add_header(std::string_view name, std::string_view value) {
  // Past the limit the fields are counted, not kept: an HPACK bomb costs time, not memory.
  block_bytes_ += name.size() + value.size() + kFieldOverhead;
  if (block_bytes_ > session_->config().max_header_list_bytes) return;
  if (!head_received_ && name.starts_with(':') && take_pseudo_field(name, value)) return;
  block_.add(name, value);
}

void Stream::end_header_block(bool end_stream) {
  const bool oversized = block_bytes_ > session_->config().max_header_list_bytes;
  Headers fields = std::move(block_);
  block_.clear();
  if (!head_received_) {
    head_received_ = on_head(std::move(fields), oversized);
  } else if (request().method == Method::CONNECT) {
    // RFC 9113 §8.5: a tunnel carries DATA only; a field block on it is a stream error.
    return reset(NGHTTP2_PROTOCOL_ERROR);
  } else if (oversized) {
    on_too_large(431, Error{Errc::limit_exceeded, "trailer fields too large"});
  } else {
    trailers_in_ = std::move(fields);
  }
  if (end_stream && session_ != nullptr) receive_end();
}

void Stream::receive_data(std::span<const std::uint8_t> bytes) {
  body_bytes_ += bytes.size();
  if (body_bytes_ > session_->config().max_body_bytes && !body_.ended()) {
    session_->consume(id_, bytes.size());
    return on_too_large(413, Error{Errc::limit_exceeded, "body too large"});
  }
  if (body_.discarding() || body_.ended()) return session_->consume(id_, bytes.size());
  pending_.append(bytes);
  flush_incoming();
}

void Stream::receive_end() {
  end_received_ = true;
  flush_incoming();
}

void Stream::flush_incoming() {
  if (delivering_) return;  // a callback paused or resumed: the loop below carries on
  delivering_ = true;
  while (!pending_.empty() && body_.wants_data()) {
    Buffer chunk = std::exchange(pending_, Buffer());
    body_.deliver(chunk.bytes());
    if (session_ != nullptr) session_->consume(id_, chunk.size());
  }
  delivering_ = false;
  if (pending_.empty() && end_received_ && !body_.ended()) body_.end({}, std::move(trailers_in_));
}

void Stream::set_on_data(Function<void(std::span<const std::uint8_t>)> on_data) {
  body_.set_on_data(std::move(on_data));
  flush_incoming();
}

void Stream::pause_body(bool paused) {
  body_.set_paused(paused);
  if (!paused) flush_incoming();
}

void Stream::discard_body() {
  body_.discard();
  flush_incoming();
}

// --- the outgoing message --------------------------------------------------------

const nghttp2_data_provider2* Stream::open_outgoing(DataEncoder encoder,
                                                    nghttp2_data_provider2* provider) {
  const bool has_body = encoder.has_body();
  outgoing_.open(encoder);
  if (!has_body) return nullptr;
  provider->source.ptr = this;
  provider->read_callback = [](nghttp2_session*, std::int32_t, std::uint8_t*, std::size_t length,
                               std::uint32_t* data_flags, nghttp2_data_source* source, void*) {
    return static_cast<Stream*>(source->ptr)->read_data(length, data_flags);
  };
  return provider;
}

nghttp2_ssize Stream::read_data(std::size_t length, std::uint32_t* data_flags) {
  // Nothing is copied here: send_data() moves the bytes into the session's
  // output when nghttp2 sends the frame (NGHTTP2_DATA_FLAG_NO_COPY).
  const std::size_t queued = outgoing_.output().size();
  const std::size_t n = std::min(queued, length);
  if (n > 0) *data_flags |= NGHTTP2_DATA_FLAG_NO_COPY;
  if (outgoing_.is_open() || queued > n) {
    if (n > 0) return static_cast<nghttp2_ssize>(n);
    deferred_ = true;
    return NGHTTP2_ERR_DEFERRED;
  }
  *data_flags |= NGHTTP2_DATA_FLAG_EOF;
  if (!trailers_out_.empty() && session_ != nullptr) {
    FieldList fields;
    fields.add_fields(trailers_out_, /*pinned=*/true);
    auto nva = fields.nva();
    if (nghttp2_submit_trailer(session_->nghttp2(), id_, nva.data(), nva.size()) == 0)
      *data_flags |= NGHTTP2_DATA_FLAG_NO_END_STREAM;
  }
  return static_cast<nghttp2_ssize>(n);
}

bool Stream::send_data(http::OutputQueue& out, Bytes frame_header, std::size_t length) {
  // Dropped since read_data() (the stream was cancelled or reset): nghttp2
  // drops the frame, and resets the stream unless a reset is on its way.
  if (outgoing_.output().size() < length) return false;
  out.append(frame_header);
  outgoing_.output().move_front_to(out, length);
  // A waiting writer may have room now. (Scheduling with nothing taken would
  // resume this stream only to defer it again, waking the writer forever.)
  if (length > 0 && session_ != nullptr && outgoing_.awaits_room()) session_->schedule(this);
  return true;
}

void Stream::run_scheduled() {
  // Resumed only with something to send: bytes, or the end of the body.
  const bool news = !outgoing_.output().empty() || !outgoing_.is_open();
  if (deferred_ && news && session_ != nullptr) {
    deferred_ = false;
    nghttp2_session_resume_data(session_->nghttp2(), id_);
  }
  outgoing_.notify_if_writable();
}

Result<Backpressure> Stream::after_write(Result<Backpressure> written) {
  if (written && deferred_) session_->schedule(this);
  return written;
}

Result<Backpressure> Stream::write_body(std::span<const std::uint8_t> bytes) {
  if (session_ == nullptr) return std::unexpected(closed_error());
  return after_write(outgoing_.write(bytes));
}

Result<Backpressure> Stream::write_body(Buffer&& bytes) {
  if (session_ == nullptr) return std::unexpected(closed_error());
  return after_write(outgoing_.write(std::move(bytes)));
}

Result<void> Stream::close_body(Headers trailers) {
  if (session_ == nullptr) return std::unexpected(closed_error());
  // Closed already (a body-less request's writer, a second close): nothing is cut short.
  if (!outgoing_.is_open()) return std::unexpected(OutgoingBody::closed_body());
  Result<void> finished = outgoing_.close(trailers);
  if (!finished && outgoing_.is_open()) return finished;  // bad trailers: the body stays open
  if (!finished) {
    // Short of its Content-Length: only a reset tells the peer.
    reset(NGHTTP2_INTERNAL_ERROR);
    return finished;
  }
  trailers_out_ = std::move(trailers);
  // nghttp2 learns of the end from the data source: resumed if deferred, or
  // asked at the next send.
  if (deferred_)
    session_->schedule(this);
  else
    session_->wake_writer();
  return {};
}

void Stream::reset(std::uint32_t error_code) {
  if (session_ == nullptr) return;
  outgoing_.cut_short();
  nghttp2_submit_rst_stream(session_->nghttp2(), NGHTTP2_FLAG_NONE, id_, error_code);
  session_->wake_writer();
}

// --- the end ---------------------------------------------------------------------

void Stream::closed(std::uint32_t error_code) {
  if (session_ == nullptr) return;  // detached: the application knows
  // The window of what the application has not read goes back to the
  // connection now; a complete body stays readable.
  session_->consume_connection(pending_.size());
  session_ = nullptr;
  outgoing_.abandon();
  if (end_received_ && error_code == NGHTTP2_NO_ERROR) return flush_incoming();
  pending_.clear();
  // detail: the RST_STREAM's error code. REFUSED_STREAM says the peer did
  // not process the request at all: a client may send it again.
  if (!body_.ended())
    on_cut_short(Error{Errc::closed,
                       error_code == NGHTTP2_REFUSED_STREAM ? "the stream was refused" : "the stream was reset",
                       static_cast<int>(error_code)});
}

void Stream::detach(const Error& error) {
  if (session_ == nullptr) return;
  session_ = nullptr;
  pending_.clear();
  outgoing_.abandon();
  if (!body_.ended()) on_cut_short(error);
}

}  // namespace paf::h2
