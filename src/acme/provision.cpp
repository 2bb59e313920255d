// RFC 8555 end to end on paf::Client: directory, nonces, account, order,
// HTTP-01 or TLS-ALPN-01 authorizations, finalize, certificate. One Run per provisioning,
// kept alive by the callbacks in flight; every step is a request whose answer
// carries on, or a Failure that ends it.
#include <charconv>
#include <memory>
#include <utility>

#include "json.h"
#include "paf/acme.h"
#include "paf/acme_manager.h"
#include "text.h"

namespace paf::acme {

namespace {

constexpr std::string_view kBadNonce = "urn:ietf:params:acme:error:badNonce";
constexpr std::string_view kExternalAccountRequired =
    "urn:ietf:params:acme:error:externalAccountRequired";

// Retry-After in seconds (an HTTP date is ignored: the backoff applies).
std::optional<std::uint64_t> retry_after_ns(const Response& response) {
  auto value = response.headers.get("retry-after");
  if (!value) return std::nullopt;
  std::uint64_t seconds_value = 0;
  auto [end, error] = std::from_chars(value->data(), value->data() + value->size(), seconds_value);
  if (error != std::errc{} || end != value->data() + value->size()) return std::nullopt;
  return seconds(seconds_value);
}

// RFC 8288 Link fields' targets whose rel is "alternate" (RFC 8555
// §7.4.2: other chains for the same certificate), in the order given. A
// field may hold several links, comma-separated.
std::vector<Buffer> alternate_links(const Headers& headers) {
  std::vector<Buffer> links;
  for (Headers::Field field : headers) {
    if (!ascii_iequals(field.name, "link")) continue;
    std::string_view rest = field.value;
    while (true) {
      const std::size_t open = rest.find('<');
      const std::size_t close = rest.find('>', open);
      if (open == std::string_view::npos || close == std::string_view::npos) break;
      const std::string_view target = rest.substr(open + 1, close - open - 1);
      rest = rest.substr(close + 1);
      // The link's parameters run to the next link's '<' (a URL's own
      // commas are inside its brackets).
      const std::string_view parameters = rest.substr(0, rest.find('<'));
      if (parameters.find("rel=\"alternate\"") != std::string_view::npos ||
          parameters.find("rel=alternate") != std::string_view::npos)
        links.emplace_back(target);
    }
  }
  return links;
}

}  // namespace

Buffer Failure::describe() const {
  Buffer out(error.message);
  if (!type.empty()) out.append(": "), out.append(type.view());
  if (!detail.empty()) out.append(": "), out.append(detail.view());
  if (retry_after_ns != 0) {
    out.append(" (retry after ");
    out.append_number(retry_after_ns / seconds(1));
    out.append(" s)");
  }
  return out;
}

struct Provisioning::Run : std::enable_shared_from_this<Provisioning::Run> {
  using Next = Function<void(Answer)>;

  Config config;
  Client& client;
  Loop& loop;
  Function<void(Outcome)> done;
  bool finished = false;

  std::optional<jose::EcKey> account_key, certificate_key;
  Buffer eab_hmac_key;  // decoded from config.eab_hmac_key
  Buffer thumbprint;
  Buffer new_nonce_url, new_account_url, new_order_url;
  Buffer nonce, kid;
  Buffer order_url, finalize_url;
  std::vector<Buffer> authorizations;
  std::vector<Buffer> tokens;            // given to config.http01, taken back at the end
  std::vector<Buffer> tls_alpn01_names;  // given to config.tls_alpn01, taken back too
  std::size_t bad_nonce_retries = 0;
  std::uint64_t generation = 0;  // the request awaited; older answers are stale
  TimerId request_timer, poll_timer;
  // While an alternate chain downloads: what a failure does instead of ending
  // the run (the default chain is in hand already).
  Function<void(const Failure&)> on_failure;

  Run(Config c, Client& cl, Loop& l, Function<void(Outcome)> d)
      : config(std::move(c)), client(cl), loop(l), done(std::move(d)) {}

  void log(std::string_view line) {
    if (config.log) config.log(line);
  }

  void stop() {
    finished = true;
    loop.cancel_timer(request_timer);
    loop.cancel_timer(poll_timer);
    for (const Buffer& token : tokens) config.http01.remove(token.view());
    tokens.clear();
    for (const Buffer& name : tls_alpn01_names) config.tls_alpn01.remove(name.view());
    tls_alpn01_names.clear();
  }

  void finish(Outcome outcome) {
    if (finished) return;
    if (!outcome && on_failure) {
      auto instead = std::move(on_failure);
      on_failure = {};
      return instead(outcome.error());
    }
    stop();
    if (!outcome) {
      Buffer line("ACME: failed: ");
      line.append(outcome.error().describe().view());
      log(line.view());
    }
    auto callback = std::move(done);
    if (callback) callback(std::move(outcome));
  }

  void fail(Errc code, std::string_view step, std::string_view type = {},
            std::string_view detail = {}) {
    finish(std::unexpected(Failure{Error{code, step}, Buffer(type), Buffer(detail)}));
  }

  // --- requests ---------------------------------------------------------------

  // Sends one request; `next` gets its answer (any status), or the run fails
  // with `step` when there is none within the request timeout.
  void send(Method method, std::string_view url, Headers headers, Buffer body,
            std::string_view step, Next next) {
    const std::uint64_t awaited = ++generation;
    loop.cancel_timer(request_timer);
    request_timer =
        loop.add_timer_after(config.request_timeout_ns, [this, self = shared_from_this(), step] {
          request_timer = {};
          ++generation;  // the answer, if it ever comes, is stale
          fail(Errc::timed_out, step, {}, "no answer within the request timeout");
        });
    client.request(method, url, std::move(headers), std::move(body),
                   [self = shared_from_this(), awaited, step,
                    next = std::move(next)](Result<Answer> answer) mutable {
                     if (self->finished || awaited != self->generation) return;
                     self->loop.cancel_timer(self->request_timer);
                     self->request_timer = {};
                     if (!answer)
                       return self->fail(answer.error().code, step, {}, answer.error().message);
                     if (auto fresh = answer->response.headers.get("replay-nonce"))
                       self->nonce = Buffer(*fresh);
                     next(std::move(*answer));
                   });
  }

  void with_nonce(Function<void()> then) {
    if (!nonce.empty()) return then();
    send(Method::HEAD, new_nonce_url.view(), {}, {}, "ACME: getting a nonce failed",
         [this, then = std::move(then)](Answer answer) mutable {
           if (nonce.empty())
             return fail(Errc::protocol_error, "ACME: getting a nonce failed", {},
                         text("newNonce answered ", NumberText(answer.response.status).view(),
                              " without a Replay-Nonce")
                             .view());
           then();
         });
  }

  // POSTs `payload` as a JWS to `url` (empty payload: POST-as-GET); `next`
  // gets a successful answer. An ACME problem fails the run with `step`,
  // but for badNonce, retried with the fresh nonce.
  void post(Buffer url, Buffer payload, std::string_view step, Next next, std::size_t attempt = 0,
            std::string_view accept = {}) {
    with_nonce([this, url = std::move(url), payload = std::move(payload), step,
                next = std::move(next), attempt, accept]() mutable {
      Buffer members("\"nonce\":");
      append_json_string(members, nonce.view());
      nonce.clear();  // each nonce is good for one request
      members.append(",\"url\":");
      append_json_string(members, url.view());
      if (kid.empty()) {
        members.append(",\"jwk\":");
        members.append(account_key->jwk().view());
      } else {
        members.append(",\"kid\":");
        append_json_string(members, kid.view());
      }
      auto jws = jose::sign_flattened(*account_key, members.view(), payload.view());
      if (!jws) return fail(jws.error().code, step, {}, jws.error().message);
      Headers headers{{"content-type", "application/jose+json"}};
      if (!accept.empty()) headers.add("accept", accept);
      const std::string_view target = url.view();
      send(Method::POST, target, std::move(headers), std::move(*jws), step,
           [this, url = std::move(url), payload = std::move(payload), step, next = std::move(next),
            attempt, accept](Answer answer) mutable {
             if (answer.response.status < 400) return next(std::move(answer));
             Json problem = Json::parse(answer.body.view());
             const std::string_view type = string_or_empty(problem.get(), "type");
             if (type == kBadNonce && attempt < config.max_bad_nonce_retries) {
               ++bad_nonce_retries;
               log("ACME: badNonce: retrying with the fresh nonce");
               return post(std::move(url), std::move(payload), step, std::move(next), attempt + 1,
                           accept);
             }
             if (type == kExternalAccountRequired && config.eab_key_id.empty())
               step = "ACME: the CA requires External Account Binding (an EAB key id and HMAC key)";
             Buffer detail(string_or_empty(problem.get(), "detail"));
             if (!problem)
               detail =
                   text("HTTP ", NumberText(answer.response.status).view(), " from ", url.view());
             finish(std::unexpected(Failure{Error{Errc::protocol_error, step}, Buffer(type),
                                            std::move(detail),
                                            retry_after_ns(answer.response).value_or(0)}));
           });
    });
  }

  // Calls `again` after the answer's Retry-After, else after `delay`, with
  // the delay for the time after (doubled, up to the maximum).
  void wait_then(const Response& response, std::uint64_t delay,
                 Function<void(std::uint64_t next_delay)> again) {
    std::uint64_t wait = retry_after_ns(response).value_or(delay);
    if (wait > config.poll_max_delay_ns) wait = config.poll_max_delay_ns;
    const std::uint64_t next_delay =
        delay * 2 > config.poll_max_delay_ns ? config.poll_max_delay_ns : delay * 2;
    poll_timer = loop.add_timer_after(
        wait, [self = shared_from_this(), next_delay, again = std::move(again)]() mutable {
          self->poll_timer = {};
          if (!self->finished) again(next_delay);
        });
  }

  // --- the flow ---------------------------------------------------------------

  void start() {
    if (config.names.empty()) return fail(Errc::invalid_argument, "ACME: no name to certify");
    if (!config.account_key) {
      auto key = jose::EcKey::generate();
      if (!key) return fail(key.error().code, "ACME: generating the account key failed");
      config.account_key = std::move(*key);
    }
    if (!config.certificate_key) {
      auto key = jose::EcKey::generate();
      if (!key) return fail(key.error().code, "ACME: generating the certificate key failed");
      config.certificate_key = std::move(*key);
    }
    if (config.eab_key_id.empty() != config.eab_hmac_key.empty())
      return fail(Errc::invalid_argument,
                  "ACME: External Account Binding needs a key id and a key");
    if (!config.eab_hmac_key.empty()) {
      auto decoded = jose::base64url_decode(config.eab_hmac_key.view());
      if (!decoded || decoded->empty())
        return fail(Errc::invalid_argument, "ACME: the EAB HMAC key is not base64url");
      eab_hmac_key = std::move(*decoded);
    }
    account_key = config.account_key;
    certificate_key = config.certificate_key;
    thumbprint = account_key->thumbprint();
    log(text("ACME: directory ", config.directory.view()).view());
    send(Method::GET, config.directory.view(), {}, {}, "ACME: the directory is unreachable",
         [this](Answer answer) { on_directory(std::move(answer)); });
  }

  void on_directory(Answer answer) {
    constexpr std::string_view step = "ACME: the directory is not an ACME directory";
    if (answer.response.status != 200)
      return fail(Errc::protocol_error, step, {},
                  text("HTTP ", NumberText(answer.response.status).view()).view());
    Json directory = Json::parse(answer.body.view());
    new_nonce_url = Buffer(string_or_empty(directory.get(), "newNonce"));
    new_account_url = Buffer(string_or_empty(directory.get(), "newAccount"));
    new_order_url = Buffer(string_or_empty(directory.get(), "newOrder"));
    if (new_nonce_url.empty() || new_account_url.empty() || new_order_url.empty())
      return fail(Errc::protocol_error, step, {}, "newNonce, newAccount or newOrder is missing");
    Buffer payload("{\"termsOfServiceAgreed\":");
    payload.append(config.terms_of_service_agreed ? "true" : "false");
    if (!config.contact_email.empty()) {
      payload.append(",\"contact\":[");
      append_json_string(payload, text("mailto:", config.contact_email.view()).view());
      payload.append(']');
    }
    if (!config.eab_key_id.empty()) {
      auto binding = external_account_binding();
      if (!binding)
        return fail(binding.error().code, "ACME: signing the external account binding failed");
      payload.append(",\"externalAccountBinding\":");
      payload.append(binding->view());
    }
    payload.append('}');
    post(Buffer(new_account_url.view()), std::move(payload), "ACME: creating the account failed",
         [this](Answer account) {
           auto location = account.response.headers.get("location");
           if (!location)
             return fail(Errc::protocol_error, "ACME: creating the account failed", {},
                         "newAccount answered without a Location (the account URL)");
           kid = Buffer(*location);
           log(text("ACME: account ", kid.view()).view());
           new_order();
         });
  }

  // RFC 8555 §7.3.4: the account's JWK, signed (HS256) with the CA's key
  // for the key id, for the newAccount URL.
  Result<Buffer> external_account_binding() const {
    Buffer members("\"kid\":");
    append_json_string(members, config.eab_key_id.view());
    members.append(",\"url\":");
    append_json_string(members, new_account_url.view());
    return jose::sign_flattened_hs256(eab_hmac_key.bytes(), members.view(),
                                      account_key->jwk().view());
  }

  void new_order() {
    Buffer payload("{\"identifiers\":[");
    for (std::size_t i = 0; i < config.names.size(); ++i) {
      if (i > 0) payload.append(',');
      payload.append("{\"type\":\"dns\",\"value\":");
      append_json_string(payload, config.names[i].view());
      payload.append('}');
    }
    payload.append("]}");
    post(Buffer(new_order_url.view()), std::move(payload), "ACME: creating the order failed",
         [this](Answer answer) {
           constexpr std::string_view step = "ACME: creating the order failed";
           auto location = answer.response.headers.get("location");
           Json order = Json::parse(answer.body.view());
           const cJSON* list = member(order.get(), "authorizations");
           finalize_url = Buffer(string_or_empty(order.get(), "finalize"));
           if (!location || !cJSON_IsArray(list) || finalize_url.empty())
             return fail(Errc::protocol_error, step, {},
                         "the order lacks its Location, authorizations or finalize URL");
           order_url = Buffer(*location);
           const cJSON* item = nullptr;
           cJSON_ArrayForEach(item, list) {
             if (cJSON_IsString(item))
               authorizations.emplace_back(std::string_view(item->valuestring));
           }
           log(text("ACME: order ", order_url.view()).view());
           authorize(0);
         });
  }

  void authorize(std::size_t index) {
    if (index == authorizations.size()) return finalize();
    post(Buffer(authorizations[index].view()), {}, "ACME: fetching an authorization failed",
         [this, index](Answer answer) {
           Json authorization = Json::parse(answer.body.view());
           const std::string_view status = string_or_empty(authorization.get(), "status");
           const std::string_view name =
               string_or_empty(member(authorization.get(), "identifier"), "value");
           if (status == "valid") return authorize(index + 1);
           if (status != "pending") return authorization_failed(authorization);
           const bool tls_alpn = config.challenge == Challenge::tls_alpn_01;
           const std::string_view type = tls_alpn ? "tls-alpn-01" : "http-01";
           const cJSON* challenge = nullptr;
           const cJSON* item = nullptr;
           cJSON_ArrayForEach(item, member(authorization.get(), "challenges")) {
             if (string_or_empty(item, "type") == type) challenge = item;
           }
           const std::string_view token = string_or_empty(challenge, "token");
           const std::string_view url = string_or_empty(challenge, "url");
           if (challenge == nullptr || token.empty() || url.empty())
             return fail(Errc::not_supported,
                         tls_alpn ? "ACME: the CA offers no tls-alpn-01 challenge"
                                  : "ACME: the CA offers no http-01 challenge",
                         {}, name);
           const Buffer key_authorization = text(token, ".", thumbprint.view());
           if (tls_alpn) {
             if (auto added = config.tls_alpn01.add(name, key_authorization.view()); !added)
               return fail(added.error().code, "ACME: making a TLS-ALPN-01 certificate failed", {},
                           added.error().message);
             tls_alpn01_names.emplace_back(name);
           } else {
             config.http01.add(token, key_authorization.view());
             tokens.emplace_back(token);
           }
           log(text("ACME: ", type, " for ", name).view());
           post(Buffer(url), Buffer("{}"), "ACME: starting a challenge failed",
                [this, index](Answer) {
                  poll_authorization(index, 0, config.poll_initial_delay_ns);
                });
         });
  }

  void poll_authorization(std::size_t index, std::size_t polls, std::uint64_t delay) {
    post(Buffer(authorizations[index].view()), {}, "ACME: polling an authorization failed",
         [this, index, polls, delay](Answer answer) {
           Json authorization = Json::parse(answer.body.view());
           const std::string_view status = string_or_empty(authorization.get(), "status");
           if (status == "valid") {
             log(text("ACME: authorized ",
                      string_or_empty(member(authorization.get(), "identifier"), "value"))
                     .view());
             return authorize(index + 1);
           }
           if (status != "pending" && status != "processing")
             return authorization_failed(authorization);
           if (polls + 1 >= config.max_polls)
             return fail(Errc::timed_out, "ACME: an authorization stayed pending", {},
                         "too many polls");
           wait_then(answer.response, delay, [this, index, polls](std::uint64_t next_delay) {
             poll_authorization(index, polls + 1, next_delay);
           });
         });
  }

  // An authorization that is neither pending nor valid: its challenge's
  // error says why (the CA could not connect, the answer was wrong, ...).
  void authorization_failed(const Json& authorization) {
    const std::string_view name =
        string_or_empty(member(authorization.get(), "identifier"), "value");
    const cJSON* error = nullptr;
    const cJSON* item = nullptr;
    cJSON_ArrayForEach(item, member(authorization.get(), "challenges")) {
      if (member(item, "error") != nullptr) error = member(item, "error");
    }
    Buffer detail = text(name, " is ", string_or_empty(authorization.get(), "status"));
    if (auto said = string_member(error, "detail")) detail.append(": "), detail.append(*said);
    fail(Errc::protocol_error, "ACME: an authorization is invalid", string_or_empty(error, "type"),
         detail.view());
  }

  void finalize() {
    auto csr = certificate_request(*certificate_key, config.names);
    if (!csr) return fail(csr.error().code, "ACME: making the CSR failed", {}, csr.error().message);
    Buffer payload("{\"csr\":\"");
    payload.append(jose::base64url(csr->bytes()).view());
    payload.append("\"}");
    log("ACME: finalizing");
    post(Buffer(finalize_url.view()), std::move(payload), "ACME: finalizing the order failed",
         [this](Answer answer) { on_order(std::move(answer), 0, config.poll_initial_delay_ns); });
  }

  void on_order(Answer answer, std::size_t polls, std::uint64_t delay) {
    Json order = Json::parse(answer.body.view());
    const std::string_view status = string_or_empty(order.get(), "status");
    if (status == "valid") {
      const std::string_view certificate = string_or_empty(order.get(), "certificate");
      if (certificate.empty())
        return fail(Errc::protocol_error, "ACME: the order is valid without a certificate URL");
      return download(Buffer(certificate));
    }
    if (status == "invalid") {
      const cJSON* error = member(order.get(), "error");
      return fail(Errc::protocol_error, "ACME: the order is invalid",
                  string_or_empty(error, "type"), string_or_empty(error, "detail"));
    }
    if (polls + 1 >= config.max_polls)
      return fail(Errc::timed_out, "ACME: the order was not issued", {}, "too many polls");
    wait_then(answer.response, delay, [this, polls](std::uint64_t next_delay) {
      post(Buffer(order_url.view()), {}, "ACME: polling the order failed",
           [this, polls, next_delay](Answer next) {
             on_order(std::move(next), polls + 1, next_delay);
           });
    });
  }

  // The default chain; with Config::preferred_chain set and not matched by
  // it, the alternates it links, in turn, until one matches.
  void download(Buffer url) {
    fetch_chain(std::move(url), "ACME: downloading the certificate failed",
                [this](Answer answer, Buffer top_issuer) {
                  if (config.preferred_chain.empty() ||
                      top_issuer.view() == config.preferred_chain.view())
                    return issued(std::move(answer.body), top_issuer.view());
                  std::vector<Buffer> alternates = alternate_links(answer.response.headers);
                  try_alternate(std::move(answer.body), std::move(top_issuer),
                                std::move(alternates), 0);
                });
  }

  // POST-as-GET of a PEM chain at `url`; `next` gets the answer and the
  // issuer of the chain's topmost certificate (empty when mbedTLS cannot
  // read it: a chain that matches no preference, still the CA's answer).
  void fetch_chain(Buffer url, std::string_view step, Function<void(Answer, Buffer)> next) {
    post(
        std::move(url), {}, step,
        [this, step, next = std::move(next)](Answer answer) mutable {
          if (answer.body.view().find("-----BEGIN CERTIFICATE-----") == std::string_view::npos)
            return fail(Errc::protocol_error, step, {},
                        "the answer is not a PEM certificate chain");
          auto info = certificate_info(answer.body.view());
          next(std::move(answer), info ? std::move(info->top_issuer) : Buffer());
        },
        0, "application/pem-certificate-chain");
  }

  void try_alternate(Buffer default_chain, Buffer default_issuer, std::vector<Buffer> alternates,
                     std::size_t index) {
    if (index == alternates.size()) {
      log(text("ACME: no chain is issued by ", config.preferred_chain.view(),
               "; the default chain")
              .view());
      return issued(std::move(default_chain), default_issuer.view());
    }
    Buffer url(alternates[index].view());
    // An alternate that cannot be had (a problem, no answer, not a chain) is
    // no reason to lose the certificate: the default chain serves. Shared by
    // the two ways on: one of them runs.
    auto held = std::make_shared<std::pair<Buffer, Buffer>>(std::move(default_chain),
                                                            std::move(default_issuer));
    on_failure = [this, held](const Failure& failure) {
      Buffer line("ACME: ");
      line.append(failure.describe().view());
      line.append("; the default chain");
      log(line.view());
      issued(std::move(held->first), held->second.view());
    };
    fetch_chain(std::move(url), "ACME: downloading an alternate chain failed",
                [this, held, alternates = std::move(alternates), index](
                    Answer answer, Buffer top_issuer) mutable {
                  on_failure = {};
                  if (top_issuer.view() == config.preferred_chain.view())
                    return issued(std::move(answer.body), top_issuer.view());
                  try_alternate(std::move(held->first), std::move(held->second),
                                std::move(alternates), index + 1);
                });
  }

  void issued(Buffer chain_pem, std::string_view top_issuer) {
    auto key_pem = certificate_key->to_pem();
    if (!key_pem) return fail(key_pem.error().code, "ACME: writing the key failed");
    const Buffer line = top_issuer.empty()
                            ? Buffer("ACME: certificate issued")
                            : text("ACME: certificate issued, its chain issued by ", top_issuer);
    log(line.view());
    finish(Certificate{std::move(chain_pem), std::move(*key_pem), Buffer(kid.view()),
                       bad_nonce_retries});
  }
};

Provisioning& Provisioning::operator=(Provisioning&& other) noexcept {
  if (this != &other) {
    cancel();
    run_ = std::move(other.run_);
  }
  return *this;
}

Provisioning::~Provisioning() { cancel(); }

void Provisioning::cancel() {
  if (run_ != nullptr) run_->stop();
  run_.reset();
}

Provisioning provision_certificate(Config config, Client& client, Loop& loop,
                                   Function<void(Outcome)> done) {
  auto run = std::make_shared<Provisioning::Run>(std::move(config), client, loop, std::move(done));
  loop.post([run] {
    if (!run->finished) run->start();
  });
  return Provisioning(run);
}

}  // namespace paf::acme
