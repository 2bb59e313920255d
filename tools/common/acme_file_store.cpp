// AcmeFileStore: the Manager's account key and certificate as files.
#include "acme_file_store.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

namespace paf::tools {

namespace {

constexpr std::string_view kAccountKey = "account.key";
constexpr std::string_view kChain = "certificate.pem";
constexpr std::string_view kCertificateKey = "certificate.key";
constexpr unsigned kSecret = 0600, kPublic = 0644;

}  // namespace

Result<std::shared_ptr<AcmeFileStore>> AcmeFileStore::open(const std::string& directory) {
  if (::mkdir(directory.c_str(), 0700) != 0 && errno != EEXIST)
    return fail(Errc::io_error, "cannot make the ACME state directory", errno);
  struct stat status {};
  if (::stat(directory.c_str(), &status) != 0 || !S_ISDIR(status.st_mode))
    return fail(Errc::invalid_argument, "the ACME state path is not a directory", errno);
  return std::shared_ptr<AcmeFileStore>(new AcmeFileStore(directory));
}

std::string AcmeFileStore::path(std::string_view name) const {
  return directory_ + "/" + std::string(name);
}

Result<Buffer> AcmeFileStore::load(std::string_view name) const {
  const std::string file = path(name);
  if (::access(file.c_str(), F_OK) != 0 && errno == ENOENT) return Buffer();  // never saved
  std::ifstream in(file, std::ios::binary);
  if (!in) return fail(Errc::io_error, "cannot read a file of the ACME state", errno);
  std::stringstream text;
  text << in.rdbuf();
  return Buffer(text.str());
}

// Written to NAME.new (created with `mode`: a key is never readable by
// others, not even for an instant), synced, then renamed over NAME.
Result<void> AcmeFileStore::save(std::string_view name, std::string_view contents,
                                 unsigned mode) const {
  const std::string file = path(name), temporary = file + ".new";
  ::unlink(temporary.c_str());  // left by a run that died: its mode is not to be trusted
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  if (fd < 0) return fail(Errc::io_error, "cannot write a file of the ACME state", errno);
  std::size_t written = 0;
  while (written < contents.size()) {
    const ssize_t n = ::write(fd, contents.data() + written, contents.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    written += static_cast<std::size_t>(n);
  }
  const bool complete = written == contents.size() && ::fsync(fd) == 0;
  const int error = errno;
  ::close(fd);
  if (!complete || ::rename(temporary.c_str(), file.c_str()) != 0) {
    ::unlink(temporary.c_str());
    return fail(Errc::io_error, "cannot write a file of the ACME state", complete ? errno : error);
  }
  return {};
}

Result<Buffer> AcmeFileStore::load_account_key() { return load(kAccountKey); }

Result<void> AcmeFileStore::save_account_key(std::string_view key_pem) {
  return save(kAccountKey, key_pem, kSecret);
}

Result<acme::StoredCertificate> AcmeFileStore::load_certificate() {
  auto chain = load(kChain);
  if (!chain) return std::unexpected(chain.error());
  auto key = load(kCertificateKey);
  if (!key) return std::unexpected(key.error());
  if (chain->empty() || key->empty()) return acme::StoredCertificate{};
  return acme::StoredCertificate{std::move(*chain), std::move(*key)};
}

Result<void> AcmeFileStore::save_certificate(const acme::StoredCertificate& certificate) {
  if (auto saved = save(kCertificateKey, certificate.key_pem.view(), kSecret); !saved) return saved;
  return save(kChain, certificate.chain_pem.view(), kPublic);
}

}  // namespace paf::tools
