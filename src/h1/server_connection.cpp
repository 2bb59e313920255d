// The HTTP/1.x server connection (see server_connection.h).
#include "server_connection.h"

#include <algorithm>
#include <utility>

namespace paf {

std::unique_ptr<H1ServerConnection> H1ServerConnection::create(H1Config config, RequestHandler handler,
                                                               ErrorHandler error_handler, Clock clock) {
  return std::make_unique<h1::ServerConnectionImpl>(config, std::move(handler), std::move(error_handler),
                                                    std::move(clock));
}

}  // namespace paf

namespace paf::h1 {
namespace {

void wake(Wakeup& wakeup) {
  Wakeup callback = std::move(wakeup);
  wakeup = nullptr;
  if (callback) callback();
}

// "http://host:port/path" → "host:port"; empty for other forms.
std::string_view absolute_form_authority(std::string_view target) {
  std::size_t scheme = target.find("://");
  if (scheme == std::string_view::npos || target.find('/') < scheme) return {};
  std::string_view rest = target.substr(scheme + 3);
  return rest.substr(0, rest.find_first_of("/?#"));
}

}  // namespace

ServerConnectionImpl::ServerConnectionImpl(H1Config config, RequestHandler handler,
                                           ErrorHandler error_handler, Clock clock)
    : config_(config),
      handler_(std::move(handler)),
      error_handler_(std::move(error_handler)),
      clock_(std::move(clock)),
      parser_(MessageParser::Kind::request,
              {config.max_header_bytes, config.max_header_count, config.max_body_bytes}) {
  idle_deadline_ = after(config_.idle_timeout_ns);
}

ServerConnectionImpl::~ServerConnectionImpl() {
  set_reading(nullptr);
  std::vector<ServerExchange*> exchanges = std::move(exchanges_);
  for (ServerExchange* exchange : exchanges) {
    exchange->abort(Error{Errc::closed, "the connection is gone"});
    exchange->release();
  }
}

std::uint64_t ServerConnectionImpl::after(std::uint64_t timeout_ns) {
  return deadline_after(clock_, timeout_ns);
}

void ServerConnectionImpl::wake_reader() { wake(reader_wakeup_); }
void ServerConnectionImpl::wake_writer() { wake(writer_wakeup_); }

// --- reading -------------------------------------------------------------------

// reading_ holds a reference of its own: a handler may finish its response (and
// the response be written and released) while its request is still being read.
void ServerConnectionImpl::set_reading(ServerExchange* exchange) {
  if (exchange != nullptr) exchange->retain();
  if (reading_ != nullptr) reading_->release();
  reading_ = exchange;
}

// Clears reading_ and hands its reference to the caller, who releases it.
ServerExchange* ServerConnectionImpl::take_reading() { return std::exchange(reading_, nullptr); }

ReadOperation ServerConnectionImpl::next_read_operation() {
  if (upgraded_) return ReadOperation::upgrade;
  if (reading_done_) return ReadOperation::close;
  return can_parse() ? ReadOperation::read : ReadOperation::yield;
}

bool ServerConnectionImpl::can_parse() const {
  if (reading_done_ || upgraded_ || upgrading_ != nullptr) return false;
  if (reading_ != nullptr) return reading_->wants_body();
  // A request already begun is read to the end of its head (its timer runs).
  return parser_.in_message() || exchanges_.size() < config_.max_pipelined_requests;
}

std::size_t ServerConnectionImpl::read(Bytes bytes) {
  std::size_t consumed = 0;
  while (can_parse()) {
    ParseStep step = parser_.parse(bytes.subspan(consumed));
    consumed += step.consumed;
    if (step.event == ParseEvent::need_input) break;
    handle(step);
  }
  // The body's clock runs while the handler reads (or the connection drains)
  // a body: from now, after bytes came or when it starts again (the handler
  // asked for the body, or resumed it).
  if (reading_ != nullptr && reading_->wants_body()) {
    if (consumed > 0 || body_deadline_ == kNoDeadline) body_deadline_ = after(config_.body_timeout_ns);
  } else {
    body_deadline_ = kNoDeadline;
  }
  return consumed;
}

std::size_t ServerConnectionImpl::read_eof(Bytes bytes) {
  std::size_t consumed = read(bytes);
  // Still unread (backpressure): the runtime gives the rest again later.
  if (consumed < bytes.size() && can_parse()) return consumed;
  if (consumed < bytes.size() && !reading_done_) return consumed;
  if (reading_ != nullptr && !reading_done_) {
    fail_request(400, Error{Errc::closed, "the request was cut short"});
  }
  reading_done_ = true;
  header_deadline_ = kNoDeadline;
  idle_deadline_ = kNoDeadline;
  wake_writer();
  return consumed;
}

void ServerConnectionImpl::handle(const ParseStep& step) {
  switch (step.event) {
    case ParseEvent::message_begin: return begin_request();
    case ParseEvent::headers_complete: return start_exchange();
    case ParseEvent::body:
      if (reading_ == nullptr) return;
      if (reading_->draining()) return discard_drained(step.body.size());
      return reading_->deliver_body(step.body);
    case ParseEvent::message_complete: return complete_request();
    case ParseEvent::upgrade:
      // The handler declined the upgrade already: the next request is HTTP.
      if (upgrading_ == nullptr) parser_.resume_after_upgrade();
      return;
    case ParseEvent::error: return fail_request(parser_.error_status(), parser_.error());
    case ParseEvent::need_input: return;
  }
}

void ServerConnectionImpl::begin_request() {
  idle_deadline_ = kNoDeadline;
  header_deadline_ = after(config_.header_timeout_ns);
}

Result<void> ServerConnectionImpl::check_request(const Request& request) const {
  std::size_t hosts = request.headers.count("host");
  if (hosts > 1) return fail(Errc::protocol_error, "more than one Host header field");
  if (hosts == 0 && request.version == HttpVersion::http_1_1)
    return fail(Errc::protocol_error, "an HTTP/1.1 request needs a Host header field");
  return {};
}

void ServerConnectionImpl::start_exchange() {
  header_deadline_ = kNoDeadline;
  const MessageHead& head = parser_.head();
  Request request;
  request.set_method_name(parser_.method_name());
  request.set_target(parser_.target());
  request.version = head.version;
  request.headers = std::move(parser_.headers());
  if (auto checked = check_request(request); !checked) return fail_request(400, checked.error());
  if (auto authority = absolute_form_authority(request.target()); !authority.empty())
    request.set_authority(authority);
  RequestFacts facts;
  facts.keep_alive = head.keep_alive;
  facts.has_body = head.has_body;
  facts.expect_continue =
      head.version == HttpVersion::http_1_1 && request.headers.has_token("expect", "100-continue");
  facts.upgrade = head.upgrade;
  auto* exchange = new ServerExchange(this, std::move(request), facts);
  exchange->retain();
  exchanges_.push_back(exchange);
  set_reading(exchange);
  Reqd reqd(exchange);
  handler_(reqd);
}

void ServerConnectionImpl::complete_request() {
  ServerExchange* exchange = take_reading();
  if (exchange == nullptr) return;
  exchange->end_body({}, std::move(parser_.trailers()));
  const bool declined = exchange->response_started() && !exchange->upgrading();
  if (exchange->facts().upgrade && !declined) {
    upgrading_ = exchange;  // read nothing more until the handler decides
  } else if (!exchange->facts().keep_alive || shutting_down_) {
    reading_done_ = true;
  }
  exchange->release();
  wake_writer();
}

void ServerConnectionImpl::on_response_started(ServerExchange* exchange) {
  if (exchange != upgrading_ || exchange->upgrading()) return;
  // An ordinary response to an Upgrade request: carry on with HTTP.
  upgrading_ = nullptr;
  parser_.resume_after_upgrade();
  wake_reader();
}

void ServerConnectionImpl::fail_request(int status, const Error& error) {
  header_deadline_ = kNoDeadline;
  idle_deadline_ = kNoDeadline;
  body_deadline_ = kNoDeadline;
  reading_done_ = true;
  ServerExchange* exchange = take_reading();
  if (exchange == nullptr) {
    // The request could not be read: an exchange only for the error reply.
    RequestFacts facts;
    facts.keep_alive = false;
    facts.readable = false;
    exchange = new ServerExchange(this, Request{}, facts);
    exchange->retain();
    exchanges_.push_back(exchange);
    exchange->retain();  // the reference take_reading() would have given
  }
  exchange->fail_request(status, error);
  exchange->release();
  wake_writer();
}

void ServerConnectionImpl::discard_drained(std::size_t n) {
  drained_bytes_ += n;
  if (drained_bytes_ <= config_.max_drain_bytes) return;
  // Too much body to throw away: close instead.
  reading_done_ = true;
  ServerExchange* exchange = take_reading();
  exchange->end_body(std::unexpected(Error{Errc::limit_exceeded, "unread request body too long to drain"}));
  exchange->release();
  wake_writer();
}

// --- writing -------------------------------------------------------------------

WriteOperation ServerConnectionImpl::next_write_operation() {
  if (writing_done_) return WriteOperation::close();
  settle_finished();
  if (!exchanges_.empty() && !exchanges_.front()->output().empty())
    return WriteOperation::write(exchanges_.front()->output().iovecs());
  if (upgraded_) return WriteOperation::yield();
  if (exchanges_.empty() && reading_done_) {
    writing_done_ = true;
    return WriteOperation::close();
  }
  return WriteOperation::yield();
}

void ServerConnectionImpl::report_write_result(WriteResult result) {
  if (result.closed) return close_now(Error{Errc::closed, "the peer closed the connection"});
  if (!exchanges_.empty()) exchanges_.front()->report_written(result.bytes);
  settle_finished();
}

void ServerConnectionImpl::on_output(ServerExchange* exchange) {
  if (!exchanges_.empty() && exchanges_.front() == exchange) wake_writer();
}

void ServerConnectionImpl::settle_finished() {
  while (!exchanges_.empty()) {
    ServerExchange* head = exchanges_.front();
    if (!head->response_complete() || !head->output().empty()) return;
    if (!head->request_complete()) {
      if (!head->close_after() && head->can_drain()) {
        // Answered before its body was read: discard the rest, keep the connection.
        if (!head->draining()) {
          drained_bytes_ = 0;
          head->start_draining();
        }
        return;
      }
      reading_done_ = true;
      if (reading_ == head) set_reading(nullptr);
      head->end_body(std::unexpected(Error{Errc::closed, "the response ended before the request body"}));
    }
    finish_head();
  }
}

void ServerConnectionImpl::finish_head() {
  ServerExchange* head = exchanges_.front();
  exchanges_.erase(exchanges_.begin());
  if (head->upgrading()) {
    upgraded_ = true;
    upgrading_ = nullptr;
    wake_reader();
  } else if (head->close_after()) {
    reading_done_ = true;
    set_reading(nullptr);
    std::vector<ServerExchange*> dropped = std::move(exchanges_);
    exchanges_.clear();
    for (ServerExchange* exchange : dropped) {
      exchange->abort(Error{Errc::closed, "the connection closed after an earlier response"});
      exchange->release();
    }
    wake_reader();
  }
  head->abort(Error{Errc::closed, "the exchange is over"});
  head->release();
  if (exchanges_.empty() && !reading_done_ && !parser_.in_message())
    idle_deadline_ = after(config_.idle_timeout_ns);
  wake_reader();  // room for one more pipelined request, or time to close
  wake_writer();
}

// --- time, errors, shutdown ----------------------------------------------------

std::uint64_t ServerConnectionImpl::deadline() const {
  return std::min({header_deadline_, idle_deadline_, body_deadline_});
}

void ServerConnectionImpl::on_deadline(std::uint64_t now_ns) {
  if (now_ns >= header_deadline_) fail_request(408, Error{Errc::timed_out, "the request head took too long"});
  if (now_ns >= body_deadline_) {
    body_deadline_ = kNoDeadline;
    // Paused by the handler since: its clock starts again when it resumes.
    if (reading_ != nullptr && reading_->wants_body())
      fail_request(408, Error{Errc::timed_out, "the request body took too long"});
  }
  if (now_ns >= idle_deadline_) {
    // Nothing in flight: close without a word.
    idle_deadline_ = kNoDeadline;
    reading_done_ = true;
    wake_reader();
    wake_writer();
  }
}

void ServerConnectionImpl::close_now(const Error& error) {
  reading_done_ = writing_done_ = true;
  set_reading(nullptr);
  upgrading_ = nullptr;
  header_deadline_ = idle_deadline_ = body_deadline_ = kNoDeadline;
  std::vector<ServerExchange*> exchanges = std::move(exchanges_);
  exchanges_.clear();
  for (ServerExchange* exchange : exchanges) {
    exchange->abort(error);
    exchange->release();
  }
  wake_reader();
  wake_writer();
}

void ServerConnectionImpl::report_error(const Error& error) { close_now(error); }

void ServerConnectionImpl::shutdown() {
  shutting_down_ = true;
  idle_deadline_ = kNoDeadline;
  // A request whose body is being read is finished; no new one is read.
  if (reading_ == nullptr) {
    reading_done_ = true;
    header_deadline_ = kNoDeadline;
  }
  wake_reader();
  wake_writer();
}

}  // namespace paf::h1
