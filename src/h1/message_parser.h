// One HTTP/1.x message stream parsed with llhttp, as a sequence of events the
// connections act on one at a time. llhttp pauses at every event, so nothing
// runs inside the parser and a connection may stop between any two events.
// The parser also enforces what llhttp leaves to its user: header section and
// count limits, body limit, field-name syntax, obs-fold and the version.
#ifndef PAF_H1_MESSAGE_PARSER_H
#define PAF_H1_MESSAGE_PARSER_H

#include <llhttp.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

#include "paf/buffer.h"
#include "paf/http.h"
#include "paf/result.h"

namespace paf::h1 {

struct ParserLimits {
  std::size_t max_header_bytes;
  std::size_t max_header_count;
  std::uint64_t max_body_bytes;
};

enum class ParseEvent : std::uint8_t {
  need_input,        // every byte given was consumed
  message_begin,     // the first byte of a message
  headers_complete,  // head() and headers() describe the message
  body,              // ParseStep::body holds the next piece of the body
  message_complete,  // trailers() are complete
  upgrade,           // the bytes after this message belong to another protocol
  error,             // error_status() and error() say what was wrong; parsing is over
};

struct ParseStep {
  std::size_t consumed = 0;
  ParseEvent event = ParseEvent::need_input;
  std::span<const std::uint8_t> body = {};
};

// The start line and framing of the message whose headers completed.
struct MessageHead {
  HttpVersion version = HttpVersion::http_1_1;
  int status = 0;  // responses
  bool keep_alive = true;
  bool upgrade = false;  // request: Upgrade or CONNECT; response: 101 or CONNECT 2xx
  bool has_body = false;
  bool chunked = false;
  bool body_until_eof = false;  // a response without length: its body ends at EOF
};

class MessageParser {
 public:
  enum class Kind : std::uint8_t { request, response };
  MessageParser(Kind kind, ParserLimits limits);
  MessageParser(const MessageParser&) = delete;
  MessageParser& operator=(const MessageParser&) = delete;

  // Parses a prefix of `input` up to the next event.
  ParseStep parse(std::span<const std::uint8_t> input);
  // The input ended: completes a body read until EOF, else reports the
  // message cut short (or need_input between messages).
  ParseStep finish();
  // Responses: the next response has no body whatever its headers say
  // (it answers HEAD).
  void set_next_response_bodyless(bool bodyless) { next_response_bodyless_ = bodyless; }
  // After an upgrade event the application declined: parse HTTP again.
  void resume_after_upgrade();
  // Whether a message is in progress (past message_begin, before its end).
  bool in_message() const { return in_message_; }
  bool in_header_section() const { return in_header_section_; }

  const MessageHead& head() const { return head_; }
  Headers& headers() { return headers_; }
  std::string_view target() const { return target_.view(); }
  std::string_view method_name() const;
  Headers& trailers() { return trailers_; }

  int error_status() const { return error_status_; }
  const Error& error() const { return error_; }

 private:
  static int on_message_begin(llhttp_t* parser);
  static int on_url(llhttp_t* parser, const char* at, std::size_t length);
  static int on_header_field(llhttp_t* parser, const char* at, std::size_t length);
  static int on_header_value(llhttp_t* parser, const char* at, std::size_t length);
  static int on_header_value_complete(llhttp_t* parser);
  static int on_headers_complete(llhttp_t* parser);
  static int on_body(llhttp_t* parser, const char* at, std::size_t length);
  static int on_chunk_header(llhttp_t* parser);
  static int on_message_complete(llhttp_t* parser);
  static MessageParser& self(llhttp_t* parser) { return *static_cast<MessageParser*>(parser->data); }
  static const llhttp_settings_t& settings();

  void push_event(ParseEvent event) { events_[event_count_++] = event; }
  ParseStep pop_event(std::size_t consumed);
  int reject(int status, Errc code, std::string_view message);
  int take_header_field();
  int complete_head();
  ParseStep account_header_bytes(std::span<const std::uint8_t> consumed);
  ParseStep fail_from_llhttp(llhttp_errno_t error);

  llhttp_t parser_;
  Kind kind_;
  ParserLimits limits_;

  // Events raised by the callbacks of the last llhttp_execute, in order.
  ParseEvent events_[2] = {};
  std::size_t event_count_ = 0;
  std::span<const std::uint8_t> body_ = {};

  bool in_message_ = false;
  bool in_header_section_ = false;  // the head, or the trailers
  bool in_trailers_ = false;
  bool after_line_feed_ = false;  // for obs-fold: a header line starting with SP/HT
  bool next_response_bodyless_ = false;
  bool failed_ = false;
  std::size_t header_bytes_ = 0;
  std::size_t header_count_ = 0;
  std::uint64_t body_bytes_ = 0;

  MessageHead head_;
  Buffer target_;
  Buffer field_;
  Buffer value_;
  Headers headers_;
  Headers trailers_;

  int error_status_ = 0;
  Error error_;
};

}  // namespace paf::h1

#endif
