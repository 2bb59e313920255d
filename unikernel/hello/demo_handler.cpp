#include "demo_handler.h"

#include <charconv>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string_view>
#include <utility>

namespace paf::demo {
namespace {

constexpr std::size_t kLargeSize = 1024 * 1024;
constexpr std::uint64_t kMaxRandomLength = 64 * 1024 * 1024;

void log_request(const Options& options, const Request& request, int status, std::uint64_t bytes) {
  if (!options.access_log) return;
  std::string_view method = request.method_name(), target = request.target();
  std::fprintf(stderr, "%.*s %.*s %d %llu\n", int(method.size()), method.data(),
               int(target.size()), target.data(), status,
               static_cast<unsigned long long>(bytes));
}

void respond(const Options& options, Reqd& reqd, Response response, Buffer body) {
  int status = response.status;
  std::uint64_t size = reqd.request().method == Method::HEAD ? 0 : body.size();
  log_request(options, reqd.request(), status, size);
  (void)reqd.respond_with_buffer(std::move(response), std::move(body));
}

// `text` is static (a literal): the response borrows it, without a copy.
void respond_text(const Options& options, Reqd& reqd, int status, std::string_view text) {
  respond(options, reqd, {status, {{"content-type", "text/plain"}}},
          Buffer::borrow({reinterpret_cast<const std::uint8_t*>(text.data()), text.size()}));
}

// Deterministic bytes from a seed (splitmix64), so clients can check them.
Buffer deterministic_bytes(std::uint64_t length, std::uint64_t seed) {
  Buffer bytes;
  bytes.resize(length);
  std::uint64_t state = seed;
  for (std::uint64_t i = 0; i < length; i += 8) {
    state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    z ^= z >> 31;
    for (std::uint64_t j = 0; j < 8 && i + j < length; ++j)
      bytes.data()[i + j] = static_cast<std::uint8_t>(z >> (8 * j));
  }
  return bytes;
}

std::optional<std::uint64_t> query_number(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string_view digits = pair.substr(eq + 1);
    std::uint64_t value = 0;
    auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (error != std::errc{} || end != digits.data() + digits.size()) return std::nullopt;
    return value;
  }
  return std::nullopt;
}

// POST /: reads the whole body, then says how long it was.
void summarize_body(const Options& options, Reqd& reqd) {
  auto state = std::make_shared<std::pair<Reqd, std::uint64_t>>(reqd, 0);
  BodyReader body = reqd.request_body();
  body.on_data([state](Bytes bytes) { state->second += bytes.size(); });
  body.on_end([state, options](Result<void> ended) {
    Reqd exchange = std::move(state->first);  // breaks the cycle through the callbacks
    if (!exchange) return;
    if (!ended) return exchange.report_error(ended.error());
    Buffer text("Received ");
    text.append_number(state->second);
    text.append(" bytes\n");
    respond(options, exchange, {200, {{"content-type", "text/plain"}}}, std::move(text));
  });
}

// POST /echo: the body streamed back as it comes, reading paused while the
// response's output is over its high-water mark.
struct Echo {
  Reqd reqd;
  BodyReader reader;
  BodyWriter writer;
  std::uint64_t bytes = 0;
};

void echo(const Options& options, Reqd& reqd) {
  auto writer = reqd.respond_with_streaming({200, {{"content-type", "application/octet-stream"}}});
  if (!writer) return log_request(options, reqd.request(), 500, 0);
  auto state = std::make_shared<Echo>(Echo{reqd, reqd.request_body(), std::move(*writer), 0});
  state->reader.on_data([state](Bytes bytes) {
    if (!state->writer) return;
    state->bytes += bytes.size();
    auto written = state->writer.write(bytes);
    if (!written) return state->reader.discard();
    if (*written == Backpressure::full) {
      state->reader.pause();
      state->writer.on_writable([state] {
        if (state->reader) state->reader.resume();
      });
    }
  });
  state->reader.on_end([state, options](Result<void> ended) {
    if (!state->writer) return;
    if (ended)
      (void)state->writer.close();
    else
      state->reqd.report_error(ended.error());
    log_request(options, state->reqd.request(), ended ? 200 : 500, state->bytes);
    // Drop the handles: the callbacks stored in the exchange hold `state`.
    state->writer = {};
    state->reader = {};
    state->reqd = {};
  });
}

}  // namespace

void handle(Reqd& reqd, const Options& options) {
  const Request& request = reqd.request();
  std::string_view path = request.path();
  bool get = request.method == Method::GET || request.method == Method::HEAD;
  if (path == "/" && get) return respond_text(options, reqd, 200, "Hello World!");
  if (path == "/" && request.method == Method::POST) return summarize_body(options, reqd);
  if (path == "/echo" && request.method == Method::POST) return echo(options, reqd);
  if (path == "/large" && get) {
    static const Buffer large = deterministic_bytes(kLargeSize, 0);
    return respond(options, reqd, {200, {{"content-type", "application/octet-stream"}}}, Buffer::borrow(large.bytes()));
  }
  if (path == "/random" && get) {
    auto length = query_number(request.query(), "len");
    auto seed = query_number(request.query(), "seed");
    if (!length || !seed) return respond_text(options, reqd, 400, "want /random?len=N&seed=S\n");
    if (*length > kMaxRandomLength) return respond_text(options, reqd, 413, "len is too large\n");
    Buffer length_text, seed_text;
    length_text.append_number(*length);
    seed_text.append_number(*seed);
    Response response{200, {{"content-type", "application/octet-stream"},
                            {"x-length", length_text.view()},
                            {"x-seed", seed_text.view()}}};
    return respond(options, reqd, std::move(response), deterministic_bytes(*length, *seed));
  }
  respond_text(options, reqd, 404, "Not Found\n");
}

}  // namespace paf::demo
