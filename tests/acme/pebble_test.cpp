// paf::acme against pebble, Let's Encrypt's test CA, from Debian (the
// fixture is pebble_fixture.h): pebble's directory on 127.0.0.1 over TLS
// with a CA this test makes, its nonce rejection left on (badNonce answers
// come, and are retried), PEBBLE_VA_NOSLEEP=1, and pebble-challtestsrv as its
// DNS, answering 127.0.0.1 for every name so that its HTTP-01 validation
// reaches the paf HTTP service this test listens with.
#include "pebble_fixture.h"

namespace paf {
namespace {

using namespace paf::testing;

// Two names, HTTP-01 answered by the responder: a chain that openssl
// verifies against pebble's root, then served by paf-server over h2 and
// HTTP/1.1 to curl, which trusts that root only.
TEST_F(AcmePebble, CertificateForTwoNamesServedOverH2AndHttp11) {
  ASSERT_TRUE(pebble.start(http_port));
  make_client(pebble.test_ca_pem);
  serve_http(responder.handler());
  auto outcome = provision(config({"one.example.com", "two.example.com"}));
  ASSERT_TRUE(outcome.has_value()) << "no outcome in time; log:\n" << log;
  ASSERT_TRUE(*outcome) << describe(*outcome) << "\nlog:\n" << log;
  EXPECT_EQ(responder.size(), 0u) << "the tokens are taken back";
  std::printf("badNonce answers retried: %zu\n", (*outcome)->bad_nonce_retries);
  std::fflush(stdout);  // before paf-server's fork, which would print it again

  ScratchDir files;
  std::ofstream(files.file("chain.pem")) << (*outcome)->chain_pem.view();
  std::ofstream(files.file("key.pem")) << (*outcome)->key_pem.view();
  std::ofstream(files.file("root.pem")) << pebble.root();
  expect_verified_for(files.file("chain.pem"), files.file("root.pem"),
                      {"one.example.com", "two.example.com"});

  Process server;
  const std::uint16_t https_port = free_port(), plain_port = free_port();
  ASSERT_TRUE(server.start(
      {PAF_SERVER_PATH, "--http", std::to_string(plain_port), "--https", std::to_string(https_port),
       "--cert", files.file("chain.pem"), "--key", files.file("key.pem"), "--access-log", "off"},
      files.file("paf-server.log")));
  ASSERT_TRUE(wait_accepting(server, https_port)) << read_file(files.file("paf-server.log"));
  for (const char* name : {"one.example.com", "two.example.com"})
    expect_hello_over_h2_and_http11(files.file("root.pem"), name, https_port);
}

// The same account key twice: newAccount finds the account again (same kid)
// and the certificate is for the key given.
TEST_F(AcmePebble, TheSameAccountKeyFindsTheAccountAgain) {
  ASSERT_TRUE(pebble.start(http_port));
  make_client(pebble.test_ca_pem);
  serve_http(responder.handler());
  auto account_key = jose::EcKey::generate();
  auto certificate_key = jose::EcKey::generate();
  ASSERT_TRUE(account_key && certificate_key);
  std::vector<std::string> accounts;
  for (int round = 0; round < 2; ++round) {
    acme::Config with = config({"again.example.com"});
    with.account_key = *account_key;
    with.certificate_key = *certificate_key;
    auto outcome = provision(std::move(with));
    ASSERT_TRUE(outcome.has_value()) << log;
    ASSERT_TRUE(*outcome) << describe(*outcome) << "\nlog:\n" << log;
    accounts.emplace_back((*outcome)->account_url.view());
    EXPECT_EQ((*outcome)->key_pem.view(), certificate_key->to_pem()->view());
  }
  EXPECT_FALSE(accounts[0].empty());
  EXPECT_EQ(accounts[0], accounts[1]);
}

// An account key made again from its seed (as an image that keeps nothing
// between boots makes it) finds the same account.
TEST_F(AcmePebble, AnAccountKeyFromTheSameSeedFindsTheAccountAgain) {
  ASSERT_TRUE(pebble.start(http_port));
  make_client(pebble.test_ca_pem);
  serve_http(responder.handler());
  const std::string seed = "the seed of this test's account key";
  std::vector<std::string> accounts;
  for (int round = 0; round < 2; ++round) {
    acme::Config with = config({"seed.example.com"});
    auto account_key = jose::Key::from_seed(
        Bytes(reinterpret_cast<const std::uint8_t*>(seed.data()), seed.size()));
    ASSERT_TRUE(account_key) << account_key.error().message;
    with.account_key = *account_key;
    auto outcome = provision(std::move(with));
    ASSERT_TRUE(outcome.has_value()) << log;
    ASSERT_TRUE(*outcome) << describe(*outcome) << "\nlog:\n" << log;
    accounts.emplace_back((*outcome)->account_url.view());
  }
  EXPECT_FALSE(accounts[0].empty());
  EXPECT_EQ(accounts[0], accounts[1]);
}

// pebble rejecting half of the good nonces: every badNonce is retried with
// the nonce its answer carried, and the certificate comes all the same.
TEST_F(AcmePebble, BadNoncesAreRetried) {
  ASSERT_TRUE(pebble.start(http_port, 50));
  make_client(pebble.test_ca_pem);
  serve_http(responder.handler());
  acme::Config with = config({"nonce.example.com"});
  with.max_bad_nonce_retries = 20;
  auto outcome = provision(std::move(with));
  ASSERT_TRUE(outcome.has_value()) << "no outcome in time; log:\n" << log;
  ASSERT_TRUE(*outcome) << describe(*outcome) << "\nlog:\n" << log;
  EXPECT_GT((*outcome)->bad_nonce_retries, 0u);
  EXPECT_NE(log.find("badNonce: retrying"), std::string::npos);
  std::printf("badNonce answers retried: %zu\n", (*outcome)->bad_nonce_retries);
}

// A port-80 service that answers every challenge with the wrong text: the
// authorization goes invalid, and the failure says so, with pebble's reason.
TEST_F(AcmePebble, WrongChallengeAnswerIsAClearError) {
  ASSERT_TRUE(pebble.start(http_port));
  make_client(pebble.test_ca_pem);
  serve_http([](Reqd& reqd) {
    (void)reqd.respond_with_string({200, {}}, "not the key authorization");
  });
  auto outcome = provision(config({"wrong.example.com"}));
  ASSERT_TRUE(outcome.has_value()) << "no outcome in time; log:\n" << log;
  ASSERT_FALSE(*outcome);
  const acme::Failure& failure = outcome->error();
  EXPECT_EQ(failure.error.code, Errc::protocol_error);
  EXPECT_EQ(failure.error.message, "ACME: an authorization is invalid");
  EXPECT_EQ(failure.type.view(), "urn:ietf:params:acme:error:unauthorized");
  EXPECT_NE(failure.detail.view().find("wrong.example.com is invalid"), std::string_view::npos)
      << failure.describe().view();
  std::printf("%s\n", std::string(failure.describe().view()).c_str());
}

// No CA at the directory's address: refused at once; a listener that never
// answers: timed out within the request timeout.
TEST_F(AcmePebble, UnreachableDirectoryIsAClearErrorWithinItsTimeout) {
  ASSERT_TRUE(pebble.make_certificates());
  make_client(pebble.test_ca_pem);
  const auto started = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  };

  acme::Config refused = config({"one.example.com"});
  refused.directory = Buffer("https://127.0.0.1:" + std::to_string(free_port()) + "/dir");
  auto outcome = provision(std::move(refused));
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().error.message, "ACME: the directory is unreachable");
  EXPECT_LT(elapsed(), 5.0);
  std::printf("refused: %s\n", std::string(outcome->error().describe().view()).c_str());

  // Listening, never accepting: the TCP handshake completes, TLS never does.
  auto silent = posix::TcpListener::listen(*backend, "127.0.0.1", 0);
  ASSERT_TRUE(silent);
  acme::Config unanswered = config({"one.example.com"});
  unanswered.directory = Buffer("https://127.0.0.1:" + std::to_string(*(*silent)->port()) + "/dir");
  unanswered.request_timeout_ns = seconds(2);
  const double before = elapsed();
  outcome = provision(std::move(unanswered));
  ASSERT_TRUE(outcome.has_value());
  ASSERT_FALSE(*outcome);
  EXPECT_EQ(outcome->error().error.code, Errc::timed_out);
  EXPECT_EQ(outcome->error().error.message, "ACME: the directory is unreachable");
  EXPECT_GE(elapsed() - before, 1.9);
  EXPECT_LT(elapsed() - before, 5.0);
  std::printf("silent: %s after %.1f s\n", std::string(outcome->error().describe().view()).c_str(),
              elapsed() - before);
}

}  // namespace
}  // namespace paf

namespace paf {
namespace {

// paf-server --acme-directory: a certificate for two names at start, HTTP-01
// answered on its own plain port, then HTTPS with it over h2 and HTTP/1.1.
TEST(PafServerAcme, ObtainsACertificateAtStartAndServesHttpsWithIt) {
  Pebble pebble;
  const std::uint16_t http_port = free_port(), https_port = free_port();
  ASSERT_TRUE(pebble.start(http_port));
  Process server;
  ScratchDir files;
  const std::string log = files.file("paf-server.log");
  ASSERT_TRUE(
      server.start({PAF_SERVER_PATH, "--http", std::to_string(http_port), "--https",
                    std::to_string(https_port), "--acme-directory", pebble.directory(),
                    "--acme-email", "admin@example.com", "--domain", "www.example.com", "--domain",
                    "example.com", "--acme-ca", pebble.dir.file("ca.pem"), "--access-log", "off"},
                   log));
  ASSERT_TRUE(wait_for_text(server, log, "serving https with the ACME certificate", 60))
      << read_file(log);
  std::ofstream(files.file("root.pem")) << pebble.root();
  for (const char* name : {"www.example.com", "example.com"})
    expect_hello_over_h2_and_http11(files.file("root.pem"), name, https_port);
  std::string output;
  // The plain port: the challenges are over (their tokens gone), the rest
  // goes to the application as before.
  const std::string plain =
      "curl -sS --max-time 10 -w ' %{http_code}' http://127.0.0.1:" + std::to_string(http_port);
  EXPECT_EQ(run(plain + "/", &output), 0);
  EXPECT_EQ(output, "Hello World! 200");
  EXPECT_EQ(run(plain + "/.well-known/acme-challenge/unknown-token", &output), 0);
  EXPECT_EQ(output, "Not Found\n 404");
  EXPECT_NE(read_file(log).find("ACME: authorized www.example.com"), std::string::npos)
      << read_file(log);
}

// A directory nobody answers at: paf-server says why and exits.
TEST(PafServerAcme, ExitsWithTheReasonWhenTheDirectoryIsUnreachable) {
  Pebble pebble;  // for its certificates only
  ASSERT_TRUE(pebble.make_certificates());
  Process server;
  ScratchDir files;
  const std::string log = files.file("paf-server.log");
  ASSERT_TRUE(server.start({PAF_SERVER_PATH, "--http", std::to_string(free_port()), "--https",
                            std::to_string(free_port()), "--acme-directory",
                            "https://127.0.0.1:" + std::to_string(free_port()) + "/dir", "--domain",
                            "example.com", "--acme-ca", pebble.dir.file("ca.pem")},
                           log));
  int status = -1;
  for (int i = 0; i < 200 && status == -1; ++i) {
    if (::waitpid(server.pid, &status, WNOHANG) == 0) {
      status = -1;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  ASSERT_NE(status, -1) << "paf-server still runs:\n" << read_file(log);
  server.pid = -1;  // reaped
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 1) << status;
  EXPECT_NE(read_file(log).find("ACME: failed: ACME: the directory is unreachable"),
            std::string::npos)
      << read_file(log);
}

}  // namespace
}  // namespace paf
