// HTTP/1.x message parsing on llhttp (see message_parser.h).
#include "message_parser.h"

namespace paf::h1 {
namespace {

const char* chars(std::span<const std::uint8_t> bytes) {
  return reinterpret_cast<const char*>(bytes.data());
}

std::string_view trim_trailing_spaces(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

const llhttp_settings_t& MessageParser::settings() {
  static const llhttp_settings_t callbacks = [] {
    llhttp_settings_t s;
    llhttp_settings_init(&s);
    s.on_message_begin = on_message_begin;
    s.on_url = on_url;
    s.on_header_field = on_header_field;
    s.on_header_value = on_header_value;
    s.on_header_value_complete = on_header_value_complete;
    s.on_headers_complete = on_headers_complete;
    s.on_body = on_body;
    s.on_chunk_header = on_chunk_header;
    s.on_message_complete = on_message_complete;
    return s;
  }();
  return callbacks;
}

MessageParser::MessageParser(Kind kind, ParserLimits limits) : kind_(kind), limits_(limits) {
  llhttp_init(&parser_, kind == Kind::request ? HTTP_REQUEST : HTTP_RESPONSE, &settings());
  parser_.data = this;
}

std::string_view MessageParser::method_name() const {
  return llhttp_method_name(static_cast<llhttp_method_t>(parser_.method));
}

// --- parsing -----------------------------------------------------------------

ParseStep MessageParser::parse(std::span<const std::uint8_t> input) {
  if (event_count_ > 0) return pop_event(0);
  if (failed_) return {0, ParseEvent::error};
  std::size_t consumed = 0;
  for (;;) {
    std::span<const std::uint8_t> rest = input.subspan(consumed);
    bool counting = in_header_section_;
    llhttp_errno_t result = llhttp_execute(&parser_, chars(rest), rest.size());
    std::size_t used = result == HPE_OK ? rest.size()
                                        : static_cast<std::size_t>(llhttp_get_error_pos(&parser_) - chars(rest));
    if (result != HPE_OK && result != HPE_PAUSED && result != HPE_PAUSED_UPGRADE)
      return fail_from_llhttp(result);
    if (counting) {
      ParseStep failure = account_header_bytes(rest.first(used));
      if (failure.event == ParseEvent::error) return failure;
    }
    consumed += used;
    if (result == HPE_PAUSED) llhttp_resume(&parser_);
    if (result == HPE_PAUSED_UPGRADE && event_count_ == 0) push_event(ParseEvent::upgrade);
    if (event_count_ > 0) return pop_event(consumed);
    if (result == HPE_OK) return {consumed, ParseEvent::need_input};
    // A pause without an event (the trailer section begins): go on.
  }
}

ParseStep MessageParser::finish() {
  if (event_count_ > 0) return pop_event(0);
  if (failed_) return {0, ParseEvent::error};
  llhttp_errno_t result = llhttp_finish(&parser_);
  if (result == HPE_PAUSED) llhttp_resume(&parser_);
  if (event_count_ > 0) return pop_event(0);
  if (result == HPE_OK || result == HPE_PAUSED) return {0, ParseEvent::need_input};
  reject(400, Errc::closed, "the message was cut short by the end of input");
  return {0, ParseEvent::error};
}

void MessageParser::resume_after_upgrade() {
  if (llhttp_get_errno(&parser_) == HPE_PAUSED_UPGRADE) llhttp_resume_after_upgrade(&parser_);
}

ParseStep MessageParser::pop_event(std::size_t consumed) {
  ParseStep step{consumed, events_[0], {}};
  if (step.event == ParseEvent::body) step.body = body_;
  events_[0] = events_[1];
  --event_count_;
  return step;
}

// Header bytes are counted outside llhttp, which has no such limit; obs-fold
// is found here too, as llhttp 8 accepts it and joins the lines.
ParseStep MessageParser::account_header_bytes(std::span<const std::uint8_t> consumed) {
  header_bytes_ += consumed.size();
  if (header_bytes_ > limits_.max_header_bytes) {
    reject(431, Errc::limit_exceeded, "header section too large");
    return {0, ParseEvent::error};
  }
  for (std::uint8_t byte : consumed) {
    if (after_line_feed_ && (byte == ' ' || byte == '\t')) {
      reject(400, Errc::protocol_error, "obsolete line folding in a header field");
      return {0, ParseEvent::error};
    }
    after_line_feed_ = byte == '\n';
  }
  return {};
}

int MessageParser::reject(int status, Errc code, std::string_view message) {
  failed_ = true;
  event_count_ = 0;
  error_status_ = status;
  error_ = Error{code, message};
  return HPE_USER;
}

ParseStep MessageParser::fail_from_llhttp(llhttp_errno_t error) {
  if (!failed_) {
    const char* reason = llhttp_get_error_reason(&parser_);
    reject(400, Errc::protocol_error, reason != nullptr ? reason : llhttp_errno_name(error));
  }
  return {0, ParseEvent::error};
}

// --- llhttp callbacks ----------------------------------------------------------

int MessageParser::on_message_begin(llhttp_t* parser) {
  MessageParser& p = self(parser);
  p.in_message_ = true;
  p.in_header_section_ = true;
  p.in_trailers_ = false;
  p.after_line_feed_ = false;
  p.header_bytes_ = 0;
  p.header_count_ = 0;
  p.body_bytes_ = 0;
  p.head_ = {};
  p.target_.clear();
  p.field_.clear();
  p.value_.clear();
  p.headers_.clear();
  p.trailers_.clear();
  p.push_event(ParseEvent::message_begin);
  return HPE_PAUSED;
}

int MessageParser::on_url(llhttp_t* parser, const char* at, std::size_t length) {
  self(parser).target_.append(std::string_view(at, length));
  return 0;
}

int MessageParser::on_header_field(llhttp_t* parser, const char* at, std::size_t length) {
  self(parser).field_.append(std::string_view(at, length));
  return 0;
}

int MessageParser::on_header_value(llhttp_t* parser, const char* at, std::size_t length) {
  self(parser).value_.append(std::string_view(at, length));
  return 0;
}

int MessageParser::on_header_value_complete(llhttp_t* parser) {
  return self(parser).take_header_field();
}

int MessageParser::take_header_field() {
  // llhttp lets "Host : x" through; RFC 9112 §5.1 requires a 400.
  if (!is_token(field_.view())) return reject(400, Errc::protocol_error, "invalid header field name");
  if (++header_count_ > limits_.max_header_count)
    return reject(431, Errc::limit_exceeded, "too many header fields");
  (in_trailers_ ? trailers_ : headers_).add(field_.view(), trim_trailing_spaces(value_.view()));
  field_.clear();
  value_.clear();
  return 0;
}

int MessageParser::on_headers_complete(llhttp_t* parser) { return self(parser).complete_head(); }

int MessageParser::complete_head() {
  const std::uint8_t major = parser_.http_major, minor = parser_.http_minor;
  if (major != 1) {
    return major == 0 ? reject(400, Errc::protocol_error, "HTTP/0.9 is not supported")
                      : reject(505, Errc::not_supported, "HTTP version not supported");
  }
  head_.version = minor == 0 ? HttpVersion::http_1_0 : HttpVersion::http_1_1;
  head_.status = parser_.status_code;
  head_.keep_alive = llhttp_should_keep_alive(&parser_) != 0;
  head_.chunked = (parser_.flags & F_CHUNKED) != 0;
  const bool has_length = (parser_.flags & F_CONTENT_LENGTH) != 0;
  if (has_length && parser_.content_length > limits_.max_body_bytes)
    return reject(413, Errc::limit_exceeded, "body too large");
  in_header_section_ = false;
  push_event(ParseEvent::headers_complete);
  if (kind_ == Kind::request) {
    // llhttp would refuse it only after this callback: refuse it before the handler runs.
    if ((parser_.flags & F_TRANSFER_ENCODING) != 0 && !head_.chunked)
      return reject(400, Errc::protocol_error, "a request's Transfer-Encoding must end with chunked");
    head_.upgrade = parser_.upgrade != 0;
    head_.has_body = head_.chunked || (has_length && parser_.content_length > 0);
    return HPE_PAUSED;
  }
  const bool bodyless = next_response_bodyless_ || !status_allows_body(head_.status);
  next_response_bodyless_ = false;
  head_.upgrade = head_.status == 101;
  head_.body_until_eof = !bodyless && !head_.chunked && !has_length;
  head_.has_body = !bodyless && (head_.chunked || head_.body_until_eof || parser_.content_length > 0);
  if (head_.body_until_eof) head_.keep_alive = false;
  // 1: no body follows, whatever the headers say (HEAD, 1xx, 204, 304).
  return bodyless ? 1 : HPE_PAUSED;
}

int MessageParser::on_body(llhttp_t* parser, const char* at, std::size_t length) {
  MessageParser& p = self(parser);
  if (length == 0) return 0;  // llhttp flushes an empty span at the end of input
  p.body_bytes_ += length;
  if (p.body_bytes_ > p.limits_.max_body_bytes)
    return p.reject(413, Errc::limit_exceeded, "body too large");
  p.body_ = std::span(reinterpret_cast<const std::uint8_t*>(at), length);
  p.push_event(ParseEvent::body);
  return HPE_PAUSED;
}

int MessageParser::on_chunk_header(llhttp_t* parser) {
  MessageParser& p = self(parser);
  if (parser->content_length != 0) return 0;
  // The last chunk: trailers follow, under the header section's limits.
  p.in_header_section_ = true;
  p.in_trailers_ = true;
  p.after_line_feed_ = true;
  p.header_bytes_ = 0;
  p.header_count_ = 0;
  return HPE_PAUSED;
}

int MessageParser::on_message_complete(llhttp_t* parser) {
  MessageParser& p = self(parser);
  p.in_message_ = false;
  p.in_header_section_ = false;
  p.in_trailers_ = false;
  p.push_event(ParseEvent::message_complete);
  return HPE_PAUSED;
}

}  // namespace paf::h1
