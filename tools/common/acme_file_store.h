// paf::acme::Store in a directory on the host (paf-server --acme-state DIR):
// account.key, certificate.pem (the chain, leaf first) and certificate.key.
// A restart finds them there, so it neither orders again nor makes a new
// account. The keys are written with mode 0600 from their creation on; every
// file is replaced whole (written beside, then renamed), so a reader never
// sees half of one.
#ifndef PAF_TOOLS_ACME_FILE_STORE_H
#define PAF_TOOLS_ACME_FILE_STORE_H

#include <memory>
#include <string>
#include <string_view>

#include "paf/acme_manager.h"
#include "paf/result.h"

namespace paf::tools {

class AcmeFileStore final : public acme::Store {
 public:
  // The store in `directory`, made (mode 0700) if it does not exist.
  static Result<std::shared_ptr<AcmeFileStore>> open(const std::string& directory);

  Result<Buffer> load_account_key() override;
  Result<void> save_account_key(std::string_view key_pem) override;
  Result<acme::StoredCertificate> load_certificate() override;
  // The key first: a chain never stands beside a key that is not its own,
  // unless the process dies between the two renames (the Manager then finds
  // the pair unusable and orders again).
  Result<void> save_certificate(const acme::StoredCertificate& certificate) override;

 private:
  explicit AcmeFileStore(std::string directory) : directory_(std::move(directory)) {}
  std::string path(std::string_view name) const;
  Result<Buffer> load(std::string_view name) const;
  Result<void> save(std::string_view name, std::string_view contents, unsigned mode) const;

  std::string directory_;
};

}  // namespace paf::tools

#endif
