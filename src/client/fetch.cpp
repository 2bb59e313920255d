// Requests by URI: redirects followed, whole answers collected (paf/client.h).
#include <memory>
#include <utility>

#include "../http/fields.h"
#include "paf/client.h"
#include "pool.h"

namespace paf {
namespace {

bool is_redirect(int status) {
  return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
}

// One request by URI, through its redirects; each exchange's response
// handler holds it.
class Fetch : public std::enable_shared_from_this<Fetch> {
 public:
  Fetch(Client& client, Method method, Uri uri, Headers headers, Buffer body,
        ResponseHandler on_response, FetchOptions options)
      : client_(client),
        method_(method),
        uri_(std::move(uri)),
        headers_(std::move(headers)),
        body_(std::move(body)),
        on_response_(std::move(on_response)),
        options_(options) {}

  Result<void> send() {
    Buffer target = uri_.request_target();
    Request request(method_, target.view(), headers_);
    Buffer authority = uri_.authority();
    request.set_authority(authority.view());
    if (!body_.empty() || http::method_sends_body(method_)) {
      Buffer length;
      length.append_number(body_.size());
      request.headers.set("content-length", length.view());
    }
    auto writer =
        client_.request(uri_.origin(), std::move(request),
                        [self = shared_from_this()](Result<Response> response, BodyReader body) {
                          self->on_response(std::move(response), std::move(body));
                        });
    if (!writer) return std::unexpected(writer.error());
    // A copy: a 307 or 308 sends the body again.
    if (!body_.empty()) {
      (void)writer->write(Buffer(body_.bytes()));
      (void)writer->close();
    }
    return {};
  }

 private:
  void on_response(Result<Response> response, BodyReader body) {
    if (!response || options_.max_redirects == 0 || !is_redirect(response->status))
      return deliver(std::move(response), std::move(body));
    auto location = response->headers.get("location");
    if (!location) return deliver(std::move(response), std::move(body));
    body.discard();
    if (redirects_ == options_.max_redirects)
      return deliver(fail(Errc::limit_exceeded, "too many redirects"), BodyReader());
    auto next = uri_.resolve(*location);
    if (!next) return deliver(std::unexpected(next.error()), BodyReader());
    const int status = response->status;
    if ((status == 303 && method_ != Method::HEAD) ||
        ((status == 301 || status == 302) && method_ == Method::POST)) {
      method_ = Method::GET;
      body_.clear();
      headers_.remove("content-length");
      headers_.remove("content-type");
      headers_.remove("transfer-encoding");
    }
    if (!(next->origin() == uri_.origin())) {
      // Credentials are for the origin they were given to.
      headers_.remove("authorization");
      headers_.remove("proxy-authorization");
      headers_.remove("cookie");
    }
    uri_ = std::move(*next);
    ++redirects_;
    if (auto sent = send(); !sent) deliver(std::unexpected(sent.error()), BodyReader());
  }

  void deliver(Result<Response> response, BodyReader body) {
    ResponseHandler callback = std::move(on_response_);
    on_response_ = nullptr;
    if (callback) callback(std::move(response), std::move(body));
  }

  Client& client_;
  Method method_;
  Uri uri_;
  Headers headers_;
  Buffer body_;
  ResponseHandler on_response_;
  FetchOptions options_;
  std::size_t redirects_ = 0;
};

// Collects a response's body for an AnswerHandler.
struct Collector {
  Answer answer;
  AnswerHandler done;
  std::size_t max_body_bytes;
  bool too_large = false;
};

ResponseHandler collect(AnswerHandler done, std::size_t max_body_bytes) {
  return
      [done = std::move(done), max_body_bytes](Result<Response> response, BodyReader body) mutable {
        if (!response) return done(std::unexpected(response.error()));
        auto collector = std::make_shared<Collector>(
            Collector{Answer{std::move(*response), {}}, std::move(done), max_body_bytes});
        body.on_data([collector, body](Bytes bytes) mutable {
          if (collector->answer.body.size() + bytes.size() > collector->max_body_bytes) {
            collector->too_large = true;
            return body.cancel();
          }
          collector->answer.body.append(bytes);
        });
        body.on_end([collector](Result<void> end) {
          AnswerHandler callback = std::move(collector->done);
          if (collector->too_large)
            return callback(fail(Errc::limit_exceeded, "the body is too large"));
          if (!end) return callback(std::unexpected(end.error()));
          callback(std::move(collector->answer));
        });
      };
}

}  // namespace

Result<void> Client::fetch(Method method, std::string_view uri, Headers headers, Buffer body,
                           ResponseHandler on_response, FetchOptions options) {
  auto parsed = Uri::parse(uri);
  if (!parsed) return std::unexpected(parsed.error());
  auto fetch = std::make_shared<Fetch>(*this, method, std::move(*parsed), std::move(headers),
                                       std::move(body), std::move(on_response), options);
  return fetch->send();
}

void Client::request(Method method, std::string_view uri, Headers headers, Buffer body,
                     AnswerHandler done, FetchOptions options) {
  auto shared_done = std::make_shared<AnswerHandler>(std::move(done));
  auto started =
      fetch(method, uri, std::move(headers), std::move(body),
            collect([shared_done](Result<Answer> answer) { (*shared_done)(std::move(answer)); },
                    options.max_body_bytes),
            options);
  if (started) return;
  // Answers come from the loop, failures included.
  impl_->post([shared_done, error = started.error()] { (*shared_done)(std::unexpected(error)); });
}

}  // namespace paf
