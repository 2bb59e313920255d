// One HTTP/2 stream as an exchange: what the server's and the client's
// exchanges share. The incoming body is held as nghttp2 delivers it and handed
// to the application as it reads; only then is its window given back, so an
// unread body stops the peer. The outgoing body is nghttp2's data source:
// when it runs dry the stream is deferred, and the next write resumes it.
#ifndef PAF_H2_STREAM_H
#define PAF_H2_STREAM_H

#include <nghttp2/nghttp2.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "../http/incoming_body.h"
#include "../http/outgoing_body.h"
#include "paf/detail/exchange.h"
#include "paf/reqd.h"

namespace paf::h2 {

class Session;

// Frames a body as DATA: the bytes as written, none at all for a message that
// has no body (HEAD, 204, 304), never more or fewer than a declared Content-Length.
class DataEncoder {
 public:
  DataEncoder() = default;
  DataEncoder(bool has_body, std::optional<std::uint64_t> length)
      : has_body_(has_body), length_(length) {}

  Result<void> write(http::OutputQueue& out, std::span<const std::uint8_t> bytes);
  Result<void> write(http::OutputQueue& out, Buffer&& bytes);
  Result<void> finish(http::OutputQueue& out, const Headers& trailers);
  bool has_body() const { return has_body_; }

 private:
  Result<bool> admit(std::size_t size);

  bool has_body_ = true;
  std::optional<std::uint64_t> length_;
  std::uint64_t written_ = 0;
};

using OutgoingBody = http::OutgoingBody<DataEncoder>;

// Outgoing header fields as nghttp2 takes them, the connection-specific
// fields of HTTP/1.x left out (RFC 9113 §8.2.2). nghttp2 lowercases names as
// it copies them (§8.2.1). Fields added `pinned` point at text that stays
// where it is, unchanged, until the stream is closed: nghttp2 then copies
// only the names it must lowercase, nothing else. Other fields' text must
// outlive nva()'s use: nghttp2 copies it on submit.
class FieldList {
 public:
  FieldList() = default;
  FieldList(const FieldList&) = delete;
  FieldList& operator=(const FieldList&) = delete;

  void add(std::string_view name, std::string_view value, bool pinned = false);
  // The fields a head may carry, but for those named `except` (field names
  // are checked tokens: an empty `except` names none).
  void add_fields(const Headers& fields, bool pinned = false, std::string_view except = {});
  std::span<const nghttp2_nv> nva() { return {fields(), size_}; }

 private:
  // A head's fields are few: the list lives on the stack until it outgrows this.
  static constexpr std::size_t kInlineFields = 12;
  nghttp2_nv* fields() { return spilled_.empty() ? inline_.data() : spilled_.data(); }

  std::array<nghttp2_nv, kInlineFields> inline_;
  std::vector<nghttp2_nv> spilled_;  // all of them, once there are more
  std::size_t size_ = 0;
};

class Stream : public Exchange {
 public:
  HttpVersion version() const override { return HttpVersion::http_2; }
  // --- the incoming body (Exchange) ---
  void set_on_data(Function<void(std::span<const std::uint8_t>)> on_data) override;
  void set_on_end(Function<void(Result<void>)> on_end) override {
    body_.set_on_end(std::move(on_end));
  }
  void pause_body(bool paused) override;
  void discard_body() override;
  const Headers& body_trailers() const override { return body_.trailers(); }
  // --- the outgoing body (Exchange) ---
  Result<Backpressure> write_body(std::span<const std::uint8_t> bytes) override;
  Result<Backpressure> write_body(Buffer&& bytes) override;
  void on_body_writable(Function<void()> callback) override {
    outgoing_.on_writable(std::move(callback));
  }
  Result<void> close_body(Headers trailers) override;

  // --- for the session ---
  std::int32_t id() const { return id_; }
  void begin_header_block();
  void add_header(std::string_view name, std::string_view value);
  // A HEADERS frame (and its CONTINUATIONs) is complete.
  void end_header_block(bool end_stream);
  void receive_data(std::span<const std::uint8_t> bytes);
  void receive_end();
  // Whether the peer ended its side of the stream (END_STREAM).
  bool end_received() const { return end_received_; }
  // nghttp2's data source: how many of the outgoing body's next bytes the
  // next DATA frame carries (at most `length`); send_data() then moves them.
  nghttp2_ssize read_data(std::size_t length, std::uint32_t* data_flags);
  // Appends a DATA frame to `out`: its header, then the `length` bytes
  // read_data() promised, moved without copying what need not be (see
  // OutputQueue::move_front_to); false if they are not there.
  bool send_data(http::OutputQueue& out, Bytes frame_header, std::size_t length);
  // Work scheduled with Session::schedule: resume deferred data, notify the writer.
  void run_scheduled();
  bool scheduled = false;
  // nghttp2 closed the stream (`error_code` is RST_STREAM's, or NO_ERROR).
  void closed(std::uint32_t error_code);
  // The connection is gone: every pending operation fails with `error`.
  void detach(const Error& error);

 protected:
  Stream(Session* session, std::size_t high_water_mark)
      : session_(session), outgoing_(high_water_mark) {}
  ~Stream() override = default;

  // A header block before the message's head is known, complete; whether it
  // was the head (a client skips 1xx responses). `oversized`: over
  // max_header_list_bytes, its fields were dropped.
  virtual bool on_head(Headers fields, bool oversized) = 0;
  // A pseudo-header field of the head as it is received: true if the
  // exchange took it, false to keep it with the head's fields.
  virtual bool take_pseudo_field(std::string_view, std::string_view) { return false; }
  // The incoming message went over a limit (header list or trailers: 431,
  // body: 413); the rest of it is discarded.
  virtual void on_too_large(int status, const Error& error) = 0;
  // The stream ended before the incoming message did.
  virtual void on_cut_short(const Error& error) { body_.end(std::unexpected(error)); }

  // The outgoing message's head is submitted with this as its body's source
  // (null: the head ends the stream).
  const nghttp2_data_provider2* open_outgoing(DataEncoder encoder,
                                              nghttp2_data_provider2* provider);
  void set_id(std::int32_t id) { id_ = id; }
  // Storage for the header blocks to come (cleared fields of an earlier stream).
  void give_block_storage(Headers storage) { block_ = std::move(storage); }
  // Ends the stream at once (RST_STREAM with `error_code`).
  void reset(std::uint32_t error_code);
  bool attached() const { return session_ != nullptr; }

  Session* session_;  // null once the stream or the connection is gone
  http::IncomingBody body_;
  OutgoingBody outgoing_;

 private:
  void flush_incoming();
  Result<Backpressure> after_write(Result<Backpressure> written);

  std::int32_t id_ = 0;
  bool head_received_ = false;
  // The header block being received.
  Headers block_;
  std::size_t block_bytes_ = 0;
  // Received and not yet taken by the application: its window stays closed.
  Buffer pending_;
  bool delivering_ = false;
  bool end_received_ = false;
  Headers trailers_in_;
  std::uint64_t body_bytes_ = 0;
  Headers trailers_out_;
  bool deferred_ = false;
};

}  // namespace paf::h2

#endif
