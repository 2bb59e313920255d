// Alternate chains (RFC 8555 §7.4.2) against pebble (pebble_fixture.h) with
// one alternate root: Config::preferred_chain picks the chain by the issuer
// of its topmost certificate, else the default chain.
#include "pebble_fixture.h"

namespace paf {
namespace {

using namespace paf::testing;

class AcmePebbleChains : public AcmePebble {
 protected:
  void SetUp() override {
    AcmePebble::SetUp();
    pebble.alternate_roots = 1;
    ASSERT_TRUE(pebble.start(http_port));
    make_client(pebble.test_ca_pem);
    serve_http(responder.handler());
    for (int index : {0, 1}) {
      std::ofstream(files.file(root_file(index))) << pebble.root(index);
      root_names[index] = common_name(files.file(root_file(index)));
      ASSERT_FALSE(root_names[index].empty()) << "root " << index;
    }
    ASSERT_NE(root_names[0], root_names[1]);
  }

  static std::string root_file(int index) { return "root" + std::to_string(index) + ".pem"; }

  // The subject CN of the certificate in `file`, by openssl.
  static std::string common_name(const std::string& file) {
    std::string output;
    if (run("openssl x509 -in " + file + " -noout -subject -nameopt RFC2253", &output) != 0)
      return {};
    const std::size_t at = output.find("CN=");
    if (at == std::string::npos) return {};
    return output.substr(at + 3, output.find_first_of(",\n", at) - at - 3);
  }

  // Provisions with `preferred_chain`; the chain, written to chain.pem.
  std::string provision_chain(std::string_view preferred_chain) {
    acme::Config with = config({"chains.example.com"});
    with.preferred_chain = Buffer(preferred_chain);
    auto outcome = provision(std::move(with));
    if (!outcome.has_value()) {
      ADD_FAILURE() << "no outcome in time; log:\n" << log;
      return {};
    }
    if (!*outcome) {
      ADD_FAILURE() << describe(*outcome) << "\nlog:\n" << log;
      return {};
    }
    std::ofstream(files.file("chain.pem")) << (*outcome)->chain_pem.view();
    return files.file("chain.pem");
  }

  // Whether openssl verifies chain.pem against root `index` alone.
  bool verifies_against(int index) {
    const std::string chain = files.file("chain.pem");
    return run("openssl verify -CAfile " + files.file(root_file(index)) + " -untrusted " + chain +
               " " + chain) == 0;
  }

  ScratchDir files;
  std::string root_names[2];
};

TEST_F(AcmePebbleChains, DefaultChainWithoutPreference) {
  const std::string chain = provision_chain("");
  ASSERT_FALSE(chain.empty());
  expect_verified_for(chain, files.file(root_file(0)), {"chains.example.com"});
  EXPECT_FALSE(verifies_against(1));
  EXPECT_NE(log.find("its chain issued by " + root_names[0]), std::string::npos) << log;
}

TEST_F(AcmePebbleChains, PreferredChainIsTheAlternate) {
  const std::string chain = provision_chain(root_names[1]);
  ASSERT_FALSE(chain.empty());
  expect_verified_for(chain, files.file(root_file(1)), {"chains.example.com"});
  EXPECT_FALSE(verifies_against(0));
  EXPECT_NE(log.find("its chain issued by " + root_names[1]), std::string::npos) << log;
}

TEST_F(AcmePebbleChains, UnknownPreferenceGetsTheDefaultChain) {
  const std::string chain = provision_chain("No Such Root CA");
  ASSERT_FALSE(chain.empty());
  expect_verified_for(chain, files.file(root_file(0)), {"chains.example.com"});
  EXPECT_FALSE(verifies_against(1));
  EXPECT_NE(log.find("no chain is issued by No Such Root CA; the default chain"),
            std::string::npos)
      << log;
}

}  // namespace
}  // namespace paf
