// paf::acme against a scripted ACME server in the test (plain HTTP on
// loopback, the same loop): what pebble does not show. Every request's JWS is
// checked (ES256 by the account's JWK, which newAccount carries and later
// requests name by kid; a fresh nonce each time; the url it was sent to);
// Retry-After is honoured; a badNonce answer is retried once with the nonce
// it carried; a problem document becomes a clear failure.
#include <cJSON.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "client/support.h"
#include "paf/acme.h"
#include "paf/acme_manager.h"
#include "paf/posix/socket_listener.h"
#include "paf/service.h"
#include "paf/switch.h"

namespace paf {
namespace {

using namespace paf::testing;

std::string text_of(const Buffer& buffer) { return std::string(buffer.view()); }

std::string string_of(const cJSON* node, const char* name) {
  const cJSON* item = cJSON_GetObjectItemCaseSensitive(node, name);
  return cJSON_IsString(item) ? item->valuestring : "";
}

// One request as the server saw it, its JWS checked.
struct Seen {
  std::string path;
  std::string payload;
  bool signature_valid = false;
  bool used_jwk = false, used_kid = false;
  std::string nonce, url;
  std::uint64_t at_ns = 0;
};

class FakeCa {
 public:
  FakeCa(Loop& loop, posix::EpollLoopBackend& backend) : loop_(loop) {
    auto listener = posix::TcpListener::listen(backend, "127.0.0.1", 0);
    EXPECT_TRUE(listener);
    listener_ = std::move(*listener);
    base_ = "http://127.0.0.1:" + std::to_string(*listener_->port());
    serve(loop, http_service([this](Reqd& reqd) { handle(reqd); }, default_error_reply), *listener_,
          stop_);
  }
  ~FakeCa() { stop_.turn_off(); }

  std::string directory() const { return base_ + "/dir"; }

  // Scripted behaviour.
  bool bad_nonce_on_first_order = false;
  std::string order_problem_type;         // newOrder answers this problem when set
  std::string order_problem_retry_after;  // ... with this Retry-After when set
  int authorization_polls_pending = 1;    // "pending" answers after the challenge
  bool retry_after = true;                // ... each with Retry-After: 1
  // The certificate links alternates (rel="alternate") at /alt/1 and /alt/2,
  // which answer this status (a problem document when 400 or more).
  int alternates_status = 0;

  std::vector<Seen> seen;
  std::string account_jwk;
  std::set<std::string> nonces_given, nonces_used;

 private:
  std::string fresh_nonce() {
    std::string nonce = "nonce-" + std::to_string(++nonce_counter_);
    nonces_given.insert(nonce);
    return nonce;
  }

  void answer(Reqd& reqd, int status, std::string body, Headers headers = {}) {
    headers.add("replay-nonce", fresh_nonce());
    if (!body.empty() && !headers.has("content-type"))
      headers.add("content-type", "application/json");
    (void)reqd.respond_with_string({status, std::move(headers)}, body);
  }

  void handle(Reqd& reqd) {
    auto body = std::make_shared<std::string>();
    reqd.request_body().on_data([body](Bytes bytes) {
      body->append(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    });
    reqd.request_body().on_end([this, reqd, body](Result<void>) mutable { respond(reqd, *body); });
  }

  // Checks a JWS and records it.
  Seen check(const Request& request, const std::string& body) {
    Seen entry;
    entry.path = std::string(request.path());
    entry.at_ns = loop_.now_ns();
    cJSON* jws = cJSON_Parse(body.c_str());
    const std::string protected64 = string_of(jws, "protected");
    const std::string payload64 = string_of(jws, "payload");
    auto signature = jose::base64url_decode(string_of(jws, "signature"));
    auto header_text = jose::base64url_decode(protected64);
    auto payload = jose::base64url_decode(payload64);
    cJSON_Delete(jws);
    if (!signature || !header_text || !payload) return entry;
    entry.payload = text_of(*payload);
    cJSON* header = cJSON_Parse(text_of(*header_text).c_str());
    EXPECT_EQ(string_of(header, "alg"), "ES256");
    entry.nonce = string_of(header, "nonce");
    entry.url = string_of(header, "url");
    const cJSON* jwk = cJSON_GetObjectItemCaseSensitive(header, "jwk");
    entry.used_jwk = jwk != nullptr;
    entry.used_kid = !string_of(header, "kid").empty();
    if (jwk != nullptr) {
      char* printed = cJSON_PrintUnformatted(jwk);
      account_jwk = printed;
      cJSON_free(printed);
    }
    cJSON_Delete(header);
    const std::string input = protected64 + "." + payload64;
    auto valid = jose::verify_es256(
        account_jwk, Bytes(reinterpret_cast<const std::uint8_t*>(input.data()), input.size()),
        signature->bytes());
    entry.signature_valid = valid && *valid;
    return entry;
  }

  void respond(Reqd& reqd, const std::string& body) {
    const std::string path(reqd.request().path());
    if (path == "/dir")
      return answer(reqd, 200,
                    "{\"newNonce\":\"" + base_ + "/nonce\",\"newAccount\":\"" + base_ +
                        "/account\",\"newOrder\":\"" + base_ + "/order\"}");
    if (path == "/nonce") return answer(reqd, 200, "");
    Seen entry = check(reqd.request(), body);
    const bool reused = !nonces_used.insert(entry.nonce).second;
    const bool known = nonces_given.count(entry.nonce) == 1;
    seen.push_back(entry);
    if (reused || !known)
      return answer(reqd, 400, R"({"type":"urn:ietf:params:acme:error:badNonce","detail":"stale"})",
                    {{"content-type", "application/problem+json"}});
    if (path == "/account")
      return answer(reqd, 201, R"({"status":"valid"})", {{"location", base_ + "/account/1"}});
    if (path == "/order") {
      if (bad_nonce_on_first_order && !gave_bad_nonce_) {
        gave_bad_nonce_ = true;
        return answer(reqd, 400,
                      R"({"type":"urn:ietf:params:acme:error:badNonce","detail":"try again"})",
                      {{"content-type", "application/problem+json"}});
      }
      if (!order_problem_type.empty()) {
        Headers headers{{"content-type", "application/problem+json"}};
        if (!order_problem_retry_after.empty())
          headers.add("retry-after", order_problem_retry_after);
        return answer(reqd, order_problem_retry_after.empty() ? 400 : 429,
                      "{\"type\":\"" + order_problem_type +
                          "\",\"detail\":\"Error creating new order :: not today\"}",
                      std::move(headers));
      }
      return answer(reqd, 201,
                    "{\"status\":\"pending\",\"authorizations\":[\"" + base_ +
                        "/authz/1\"],\"finalize\":\"" + base_ + "/finalize\"}",
                    {{"location", base_ + "/order/1"}});
    }
    if (path == "/authz/1") {
      std::string status = "pending";
      Headers headers;
      if (challenged_) {
        if (authorization_polls_pending-- > 0) {
          if (retry_after) headers.add("retry-after", "1");
        } else
          status = "valid";
      }
      return answer(reqd, 200,
                    "{\"status\":\"" + status +
                        "\",\"identifier\":{\"type\":\"dns\",\"value\":\"one.example.com\"},"
                        "\"challenges\":[{\"type\":\"dns-01\",\"url\":\"" +
                        base_ + "/dns\",\"token\":\"t0\"},{\"type\":\"http-01\",\"url\":\"" +
                        base_ + "/challenge\",\"token\":\"token-1\"}]}",
                    std::move(headers));
    }
    if (path == "/challenge") {
      challenged_ = true;
      return answer(reqd, 200, R"({"type":"http-01","status":"processing"})");
    }
    if (path == "/finalize")
      return answer(reqd, 200, R"({"status":"processing"})", {{"retry-after", "1"}});
    if (path == "/order/1")
      return answer(reqd, 200, "{\"status\":\"valid\",\"certificate\":\"" + base_ + "/cert\"}");
    if (path == "/cert") {
      Headers headers{{"content-type", "application/pem-certificate-chain"}};
      if (alternates_status != 0) {
        headers.add("link", "<" + base_ + "/alt/1>;rel=\"alternate\"");
        headers.add("link", "<" + base_ + "/alt/2>;rel=\"alternate\"");
      }
      return answer(reqd, 200, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                    std::move(headers));
    }
    if (path.starts_with("/alt/") && alternates_status >= 400)
      return answer(reqd, alternates_status,
                    R"({"type":"urn:ietf:params:acme:error:serverInternal","detail":"not now"})",
                    {{"content-type", "application/problem+json"}});
    answer(reqd, 404, R"({"type":"urn:ietf:params:acme:error:malformed"})");
  }

  Loop& loop_;
  std::unique_ptr<posix::TcpListener> listener_;
  Switch stop_;
  std::string base_;
  int nonce_counter_ = 0;
  bool gave_bad_nonce_ = false;
  bool challenged_ = false;
};

class AcmeFakeCa : public ::testing::Test {
 protected:
  void SetUp() override {
    auto created = posix::EpollLoopBackend::create();
    ASSERT_TRUE(created);
    backend = std::move(*created);
    loop = std::make_unique<Loop>(*backend);
    client = std::make_unique<Client>(*loop, host_connector(*backend, *loop));
    ca = std::make_unique<FakeCa>(*loop, *backend);
  }
  void TearDown() override {
    ca.reset();
    client.reset();
    run_until(
        *loop, [] { return false; }, 0.1);
  }

  std::optional<acme::Outcome> provision(std::size_t max_polls = 60,
                                         std::string_view preferred_chain = {}) {
    acme::Config config;
    config.preferred_chain = Buffer(preferred_chain);
    config.max_polls = max_polls;
    config.directory = Buffer(ca->directory());
    config.names.emplace_back(std::string_view("one.example.com"));
    config.http01 = responder;
    config.log = [this](std::string_view line) { log.append(line).append("\n"); };
    std::optional<acme::Outcome> outcome;
    auto provisioning =
        acme::provision_certificate(std::move(config), *client, *loop,
                                    [&](acme::Outcome result) { outcome = std::move(result); });
    run_until(
        *loop, [&] { return outcome.has_value(); }, 20);
    return outcome;
  }

  std::unique_ptr<posix::EpollLoopBackend> backend;
  std::unique_ptr<Loop> loop;
  std::unique_ptr<Client> client;
  std::unique_ptr<FakeCa> ca;
  acme::Http01Responder responder;
  std::string log;
};

TEST_F(AcmeFakeCa, SignsEveryRequestWithAFreshNonceJwkThenKidAndHonoursRetryAfter) {
  ca->bad_nonce_on_first_order = true;
  auto outcome = provision();
  ASSERT_TRUE(outcome.has_value()) << log;
  ASSERT_TRUE(*outcome) << text_of((*outcome).error().describe()) << "\n" << log;
  EXPECT_EQ(text_of((*outcome)->account_url),
            ca->directory().substr(0, ca->directory().size() - 4) + "/account/1");
  EXPECT_EQ((*outcome)->bad_nonce_retries, 1u);
  EXPECT_TRUE((*outcome)->chain_pem.view().starts_with("-----BEGIN CERTIFICATE-----"));

  // account, order (badNonce), order, authz, challenge, authz (Retry-After: 1),
  // authz, finalize (Retry-After: 1), order, certificate.
  std::vector<std::string> paths;
  for (const Seen& entry : ca->seen) paths.push_back(entry.path);
  EXPECT_EQ(paths,
            (std::vector<std::string>{"/account", "/order", "/order", "/authz/1", "/challenge",
                                      "/authz/1", "/authz/1", "/finalize", "/order/1", "/cert"}));
  for (std::size_t i = 0; i < ca->seen.size(); ++i) {
    const Seen& entry = ca->seen[i];
    EXPECT_TRUE(entry.signature_valid) << entry.path;
    EXPECT_EQ(entry.used_jwk, i == 0) << entry.path << ": jwk for newAccount only";
    EXPECT_EQ(entry.used_kid, i != 0) << entry.path << ": kid after";
    EXPECT_TRUE(entry.url.ends_with(entry.path)) << entry.url;
  }
  EXPECT_EQ(ca->nonces_used.size(), ca->seen.size()) << "a nonce is never used twice";
  EXPECT_NE(ca->seen[0].payload.find("\"termsOfServiceAgreed\":true"), std::string::npos);
  EXPECT_NE(ca->seen[1].payload.find(R"({"type":"dns","value":"one.example.com"})"),
            std::string::npos);
  EXPECT_EQ(ca->seen[3].payload, "") << "POST-as-GET";
  EXPECT_EQ(ca->seen[4].payload, "{}");
  EXPECT_NE(ca->seen[7].payload.find("\"csr\":\""), std::string::npos);
  // Retry-After: 1 honoured (the backoff alone would start at 0.2 s).
  EXPECT_GE(ca->seen[6].at_ns - ca->seen[5].at_ns, milliseconds(990));
  EXPECT_GE(ca->seen[8].at_ns - ca->seen[7].at_ns, milliseconds(990));
  EXPECT_EQ(responder.size(), 0u);
}

// The default chain does not match the preference, and its alternates cannot
// be downloaded: the certificate still comes, with the default chain, and
// the log says why (once, at the first alternate; the second is not tried).
TEST_F(AcmeFakeCa, AnAlternateChainThatFailsToDownloadLeavesTheDefaultChain) {
  ca->alternates_status = 500;
  auto outcome = provision(60, "Some Other Root");
  ASSERT_TRUE(outcome.has_value()) << log;
  ASSERT_TRUE(*outcome) << text_of((*outcome).error().describe()) << "\n" << log;
  EXPECT_TRUE((*outcome)->chain_pem.view().starts_with("-----BEGIN CERTIFICATE-----\nMIIB\n"));
  EXPECT_NE(log.find("ACME: downloading an alternate chain failed: "
                     "urn:ietf:params:acme:error:serverInternal: not now; the default chain"),
            std::string::npos)
      << log;
  std::vector<std::string> paths;
  for (const Seen& entry : ca->seen) paths.push_back(entry.path);
  EXPECT_EQ(paths.back(), "/alt/1");
  EXPECT_EQ(std::count(paths.begin(), paths.end(), "/alt/2"), 0);
}

TEST_F(AcmeFakeCa, AProblemDocumentIsAClearFailure) {
  ca->order_problem_type = "urn:ietf:params:acme:error:rejectedIdentifier";
  auto outcome = provision();
  ASSERT_TRUE(outcome.has_value()) << log;
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().error.code, Errc::protocol_error);
  EXPECT_EQ(text_of(outcome->error().describe()),
            "ACME: creating the order failed: urn:ietf:params:acme:error:rejectedIdentifier: "
            "Error creating new order :: not today");
  EXPECT_NE(log.find("ACME: failed: ACME: creating the order failed"), std::string::npos) << log;
}

// No Retry-After and an authorization that stays pending: polls back off
// (0.2 s, then 0.4 s, doubling) and stop at max_polls with a clear failure.
TEST_F(AcmeFakeCa, PollingBacksOffAndIsBounded) {
  ca->authorization_polls_pending = 1000;
  ca->retry_after = false;
  auto outcome = provision(4);
  ASSERT_TRUE(outcome.has_value()) << log;
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().error.code, Errc::timed_out);
  EXPECT_EQ(outcome->error().error.message, "ACME: an authorization stayed pending");
  std::vector<std::uint64_t> polls;
  for (const Seen& entry : ca->seen)
    if (entry.path == "/authz/1") polls.push_back(entry.at_ns);
  ASSERT_EQ(polls.size(), 5u) << "the first look, then max_polls polls";
  EXPECT_GE(polls[2] - polls[1], milliseconds(190));
  EXPECT_GE(polls[3] - polls[2], milliseconds(390));
  EXPECT_GE(polls[4] - polls[3], milliseconds(790));
  EXPECT_EQ(responder.size(), 0u) << "the token is taken back on failure too";
}

// rateLimited (429) with Retry-After: the failure carries it, and says it.
TEST_F(AcmeFakeCa, RateLimitedCarriesItsRetryAfter) {
  ca->order_problem_type = "urn:ietf:params:acme:error:rateLimited";
  ca->order_problem_retry_after = "3";
  auto outcome = provision();
  ASSERT_TRUE(outcome.has_value()) << log;
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().type.view(), "urn:ietf:params:acme:error:rateLimited");
  EXPECT_EQ(outcome->error().retry_after_ns, seconds(3));
  EXPECT_EQ(text_of(outcome->error().describe()),
            "ACME: creating the order failed: urn:ietf:params:acme:error:rateLimited: "
            "Error creating new order :: not today (retry after 3 s)");
}

// The Manager's backoff starts at 0.1 s, but a rateLimited answer's
// Retry-After (2 s) is the least it waits before ordering again.
TEST_F(AcmeFakeCa, ManagerWaitsAtLeastTheRetryAfterOfARateLimit) {
  ca->order_problem_type = "urn:ietf:params:acme:error:rateLimited";
  ca->order_problem_retry_after = "2";
  std::vector<std::uint64_t> retry_in;
  acme::ManagerConfig managed;
  managed.acme = [this] {
    acme::Config config;
    config.directory = Buffer(ca->directory());
    config.names.emplace_back(std::string_view("one.example.com"));
    config.http01 = responder;
    return config;
  };
  managed.retry_initial_delay_ns = milliseconds(100);
  managed.log = [this](std::string_view line) { log.append(line).append("\n"); };
  managed.on_failure = [&](const acme::Failure& failure, std::uint64_t delay) {
    EXPECT_EQ(failure.retry_after_ns, seconds(2));
    retry_in.push_back(delay);
  };
  acme::Manager manager(std::move(managed), *client, *loop);
  auto orders = [&] {
    std::vector<std::uint64_t> at;
    for (const Seen& entry : ca->seen)
      if (entry.path == "/order") at.push_back(entry.at_ns);
    return at;
  };
  ASSERT_TRUE(run_until(
      *loop, [&] { return orders().size() >= 2; }, 10))
      << log;
  ASSERT_GE(retry_in.size(), 1u);
  EXPECT_EQ(retry_in[0], seconds(2));
  EXPECT_GE(orders()[1] - orders()[0], milliseconds(1990)) << log;
  EXPECT_NE(log.find("ACME: trying again in 2 s"), std::string::npos) << log;
  EXPECT_EQ(manager.certificate(), nullptr);
}

}  // namespace
}  // namespace paf
