// ACME (src/acme) against a CA the input scripts: paf::acme::provision_certificate
// runs as paf-le-chien runs it, on paf::Client, and every answer it gets —
// the directory, the account, the order, authorizations and challenges,
// problem documents, the certificate chain — is the input's, served by paf's
// own HTTP server over in-memory flows on a simulated clock. Also the JOSE
// parsers that take outside input (base64url, JWK thumbprints and
// signatures, PEM keys).
//
// Input: answers separated by NUL bytes, the N-th for the N-th request. Each
// is "SSS" (the status; 200 when not three digits), letters for headers
// (N: Replay-Nonce, L: Location, R then a digit: Retry-After, K: a Link
// field whose value is the body's first line, which it leaves), a space,
// then the body. The config prefers a chain no default has, so that
// certificate answers' alternate links are followed. When the answers run out the CA answers 500. An input that
// starts with "J " is instead one text for the JOSE parsers.
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "memory_protocol.h"
#include "paf/acme.h"
#include "paf/client.h"
#include "paf/jose.h"
#include "paf/loop.h"
#include "paf/memory_flow.h"
#include "paf/service.h"
#include "paf/switch.h"

namespace {

using namespace paf;

std::optional<jose::EcKey> account_key, certificate_key;

// The flows the client opened, for the CA's server to accept.
class QueueListener final : public Listener {
 public:
  explicit QueueListener(Loop& loop) : loop_(loop) {}
  void push(std::unique_ptr<Flow> flow) {
    flows_.push_back(std::move(flow));
    if (wakeup_) loop_.post(std::move(wakeup_));
  }
  Result<std::unique_ptr<Flow>> accept() override {
    if (closed_) return fail(Errc::closed, "listener closed");
    if (flows_.empty()) return fail(Errc::would_block, "no connection pending");
    auto flow = std::move(flows_.front());
    flows_.pop_front();
    return flow;
  }
  void when_acceptable(Function<void()> wakeup) override {
    if (closed_) return;
    if (!flows_.empty())
      loop_.post(std::move(wakeup));
    else
      wakeup_ = std::move(wakeup);
  }
  void close() override {
    closed_ = true;
    wakeup_ = {};
    flows_.clear();
  }
  std::string_view local_address() const override { return "memory"; }
  std::optional<std::uint16_t> port() const override { return std::nullopt; }

 private:
  Loop& loop_;
  std::deque<std::unique_ptr<Flow>> flows_;
  Function<void()> wakeup_;
  bool closed_ = false;
};

struct ScriptedAnswer {
  int status = 200;
  Headers headers;
  std::string body;
};

ScriptedAnswer parse_answer(std::string_view text, int index) {
  ScriptedAnswer answer;
  if (text.size() >= 3 && std::isdigit(static_cast<unsigned char>(text[0])) &&
      std::isdigit(static_cast<unsigned char>(text[1])) &&
      std::isdigit(static_cast<unsigned char>(text[2]))) {
    answer.status = std::stoi(std::string(text.substr(0, 3)));
    // What paf's server can send as a final status (a CA's 1xx would be interim).
    if (answer.status < 200 || answer.status > 599) answer.status = 200;
    text.remove_prefix(3);
  }
  const std::size_t space = text.find(' ');
  std::string_view letters = text.substr(0, space);
  answer.body = space == std::string_view::npos ? "" : std::string(text.substr(space + 1));
  std::string link;
  if (letters.find('K') != std::string_view::npos) {
    const std::size_t line = answer.body.find('\n');
    link = answer.body.substr(0, line);
    answer.body = line == std::string::npos ? "" : answer.body.substr(line + 1);
  }
  for (std::size_t i = 0; i < letters.size(); ++i) {
    if (letters[i] == 'N')
      answer.headers.add("replay-nonce", "nonce-" + std::to_string(index));
    else if (letters[i] == 'L')
      answer.headers.add("location", "http://ca.test/object/" + std::to_string(index));
    else if (letters[i] == 'R' && i + 1 < letters.size())
      answer.headers.add("retry-after", std::string(1, letters[++i]));
    else if (letters[i] == 'K')
      answer.headers.add("link", link);
  }
  return answer;
}

class Ca {
 public:
  explicit Ca(std::string_view script) {
    for (std::size_t at = 0; at <= script.size() && answers_.size() < 64;) {
      std::size_t end = script.find('\0', at);
      if (end == std::string_view::npos) end = script.size();
      answers_.push_back(parse_answer(script.substr(at, end - at), int(answers_.size())));
      at = end + 1;
    }
  }

  void handle(Reqd& reqd) {
    // Answered once the request's body is in, as a CA checks the JWS first.
    reqd.request_body().on_data([](Bytes) {});
    reqd.request_body().on_end([this, reqd](Result<void>) mutable {
      if (next_ >= answers_.size()) {
        (void)reqd.respond_with_string({500, {}}, "");
        return;
      }
      ScriptedAnswer& answer = answers_[next_++];
      (void)reqd.respond_with_string({answer.status, std::move(answer.headers)}, answer.body);
    });
  }

 private:
  std::vector<ScriptedAnswer> answers_;
  std::size_t next_ = 0;
};

void provision(std::string_view script) {
  SimulatedTimeBackend backend;
  Loop loop(backend);
  QueueListener listener(loop);
  Ca ca(script);
  Switch stop;
  serve(loop, http_service([&ca](Reqd& reqd) { ca.handle(reqd); }, default_error_reply), listener,
        stop);

  mimic::Protocol memory = fuzz::memory_protocol(
      [&listener](std::unique_ptr<MemoryFlow> server) { listener.push(std::move(server)); });
  ClientConfig settings;
  settings.response_timeout_ns = seconds(5);
  auto client = std::make_unique<Client>(
      loop, mimic_connector(mimic::Ctx{}.with_protocol(std::move(memory)), loop), settings);

  acme::Config config{.directory = Buffer("http://ca.test/directory"),
                      .contact_email = Buffer("me@example.com"),
                      .names = {Buffer("one.example.com"), Buffer("two.example.com")},
                      .account_key = account_key,
                      .certificate_key = certificate_key};
  config.request_timeout_ns = seconds(10);
  config.max_polls = 4;
  config.max_bad_nonce_retries = 2;
  config.preferred_chain = Buffer("Fuzz Alternate Root");
  int outcomes = 0;
  auto provisioning =
      acme::provision_certificate(std::move(config), *client, loop, [&](acme::Outcome outcome) {
        ++outcomes;
        if (!outcome) (void)outcome.error().describe();
      });
  // Every step is bounded (requests by their timeout, polls by max_polls):
  // provisioning ends within this much simulated time, one way or the other.
  for (int turn = 0; turn < 3000 && outcomes == 0 && loop.has_work(); ++turn)
    (void)loop.run_until(loop.now_ns() + milliseconds(1000));
  if (outcomes != 1) std::abort();

  stop.turn_off();
  client->shutdown([] {});
  for (int turn = 0; turn < 100 && loop.has_work(); ++turn)
    (void)loop.run_until(loop.now_ns() + seconds(10));
  client.reset();
  (void)loop.run_until(loop.now_ns() + 1);
}

void jose_parsers(std::string_view text) {
  (void)jose::base64url_decode(text);
  (void)jose::thumbprint(text);
  const std::uint8_t signature[64] = {1};
  (void)jose::verify_es256(text, Bytes(reinterpret_cast<const std::uint8_t*>("a.b"), 3),
                           Bytes(signature, sizeof signature));
  if (auto key = jose::EcKey::from_pem(text)) {
    // A key that parses works as any other: its JWK is a JWK.
    if (!jose::thumbprint(key->jwk().view())) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  auto account = jose::EcKey::generate();
  auto certificate = jose::EcKey::generate();
  if (!account || !certificate) std::abort();  // the target would test nothing
  account_key = std::move(*account);
  certificate_key = std::move(*certificate);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.starts_with("J "))
    jose_parsers(input.substr(2));
  else
    provision(input);
  return 0;
}
