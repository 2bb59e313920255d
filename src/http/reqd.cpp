// Handles on exchanges, and the default error reply (include/paf/reqd.h).
#include "paf/reqd.h"

namespace paf {

void Exchange::release() {
  if (--references_ == 0) delete this;
}

Result<void> Exchange::respond_with_upgrade(Response) {
  return fail(Errc::not_supported, "this protocol has no upgrade");
}

void Exchange::cancel() { report_error(Error{Errc::cancelled, "the exchange was cancelled"}); }

void ExchangeHandle::acquire() {
  if (exchange_ == nullptr) return;
  exchange_->retain();
  ++exchange_->handles_;
}

void ExchangeHandle::drop() {
  if (exchange_ == nullptr) return;
  Exchange* exchange = exchange_;
  exchange_ = nullptr;
  // The exchange outlives the callback: this handle's reference goes last.
  if (--exchange->handles_ == 0) exchange->on_handles_dropped();
  exchange->release();
}

Result<BodyWriter> Reqd::respond_with_streaming(Response response) {
  auto started = exchange_->respond_with_streaming(std::move(response));
  if (!started) return std::unexpected(started.error());
  return BodyWriter(exchange_);
}

ErrorReply default_error_reply(int status, const Error& error, const Request*) {
  ErrorReply reply{{status, {{"content-type", "text/plain"}}}, {}};
  reply.body.append(reason_phrase(status));
  if (!error.message.empty()) {
    reply.body.append(": ");
    reply.body.append(error.message);
  }
  reply.body.append('\n');
  return reply;
}

}  // namespace paf
