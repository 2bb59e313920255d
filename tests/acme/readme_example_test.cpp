// The README's ACME example (built from README.md as acme_hello) against
// pebble: it provisions a certificate for one name over HTTP-01 on its port
// 80, turns that service off, and serves HTTPS with the certificate, which
// curl accepts trusting pebble's root only.
#include <fstream>
#include <string>
#include <thread>

#include "pebble_fixture.h"

namespace paf {
namespace {

using namespace paf::testing;

TEST(ReadmeExample, ProvisionsThenServesHttpsWithItsCertificate) {
  Pebble pebble;
  const std::uint16_t http_port = free_port(), https_port = free_port();
  ASSERT_TRUE(pebble.start(http_port));
  const std::string ca_file = pebble.dir.file("directory-ca.pem");
  std::ofstream(ca_file) << pebble.test_ca_pem;
  const std::string log = pebble.dir.file("acme-hello.log");
  Process example;
  ASSERT_TRUE(example.start({ACME_HELLO_PATH, pebble.directory(), ca_file, std::to_string(http_port),
                             std::to_string(https_port), "readme.example.com"},
                            log));
  bool serving = false;
  for (int i = 0; i < 600 && !serving && example.running(); ++i) {  // 60 s at most
    serving = read_file(log).find("acme-hello: serving https://readme.example.com:") != std::string::npos;
    if (!serving) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(serving) << read_file(log) << "\npebble:\n" << read_file(pebble.dir.file("pebble.log"));

  const std::string root = pebble.dir.file("root.pem");
  std::ofstream(root) << pebble.root();
  const std::string port = std::to_string(https_port);
  std::string body;
  EXPECT_EQ(run("curl -sS --max-time 10 --cacert " + root + " --resolve readme.example.com:" + port +
                    ":127.0.0.1 https://readme.example.com:" + port + "/",
                &body),
            0)
      << body;
  EXPECT_EQ(body, "Hello World!");
}

}  // namespace
}  // namespace paf
