// What the TLS tests share: certificates made at test time by
// make-test-certificates.sh, configs over them, and a driver of handshakes.
#ifndef PAF_TESTS_TLS_TLS_TEST_SUPPORT_H
#define PAF_TESTS_TLS_TLS_TEST_SUPPORT_H

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>

#include "paf/secure_flow.h"
#include "paf/tls.h"

namespace paf::tls::test {

// The certificates of one set ("ec" or "rsa"), made once per test process in
// a temporary directory that is removed at exit.
class CertificateSet {
 public:
  static const CertificateSet& get(const std::string& set) {
    static CertificateSet ec("ec"), rsa("rsa");
    return set == "ec" ? ec : rsa;
  }
  ~CertificateSet() {
    std::error_code ignored;
    if (!directory_.empty()) std::filesystem::remove_all(directory_, ignored);
  }

  // The PEM text of NAME.pem or NAME.key.
  std::string pem(const std::string& name) const { return read(directory_ / (name + ".pem")); }
  std::string key(const std::string& name) const { return read(directory_ / (name + ".key")); }
  std::filesystem::path path(const std::string& file) const { return directory_ / file; }

 private:
  explicit CertificateSet(const std::string& set) {
    std::string path = (std::filesystem::temp_directory_path() / "paf-tls-XXXXXX").string();
    if (::mkdtemp(path.data()) == nullptr) return;
    directory_ = path;
    std::string command = std::string(PAF_TLS_MAKE_CERTIFICATES) + " '" + path + "' " + set;
    if (std::system(command.c_str()) != 0) ADD_FAILURE() << "failed: " << command;
  }
  static std::string read(const std::filesystem::path& file) {
    std::ifstream in(file);
    std::stringstream text;
    text << in.rdbuf();
    return text.str();
  }

  std::filesystem::path directory_;
};

inline const CertificateSet& ec() { return CertificateSet::get("ec"); }
inline const CertificateSet& rsa() { return CertificateSet::get("rsa"); }

// Unwraps a Result the test cannot go on without.
template <typename T>
T expect_ok(Result<T> result, const char* what) {
  if (!result) {
    ADD_FAILURE() << what << ": " << result.error().message << " (" << result.error().detail << ")";
    std::abort();
  }
  return std::move(*result);
}

inline TlsConfig ec_server() {
  return expect_ok(TlsConfig::server(ec().pem("localhost-ec"), ec().key("localhost-ec")).build(),
                   "server config");
}
inline TlsConfig::Builder ec_client() { return TlsConfig::client().trust_ca(ec().pem("ca-ec")); }

// Drives a flow's handshake from the loop until it is done or failed.
class Handshaker {
 public:
  explicit Handshaker(SecureFlow& flow) : flow_(flow) {}
  void start() { step(); }

  bool done = false;
  std::optional<Error> error;
  bool finished() const { return done || error.has_value(); }

 private:
  void step() {
    auto result = flow_.handshake();
    if (result) {
      done = true;
    } else if (result.error().code == Errc::would_block) {
      flow_.when_readable([this] { step(); });
    } else {
      error = result.error();
    }
  }

  SecureFlow& flow_;
};

}  // namespace paf::tls::test

#endif
