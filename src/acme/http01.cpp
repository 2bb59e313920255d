// HTTP-01 (RFC 8555 §8.3): the key authorizations of the challenges in flight,
// served under /.well-known/acme-challenge/ in front of the application.
#include <vector>

#include "paf/acme.h"

namespace paf::acme {

namespace {
constexpr std::string_view kPrefix = "/.well-known/acme-challenge/";
}

struct Http01Responder::Tokens {
  struct Entry {
    Buffer token, key_authorization;
  };
  std::vector<Entry> entries;
  const Entry* find(std::string_view token) const {
    for (const Entry& entry : entries)
      if (entry.token == token) return &entry;
    return nullptr;
  }
};

Http01Responder::Http01Responder() : tokens_(std::make_shared<Tokens>()) {}

void Http01Responder::add(std::string_view token, std::string_view key_authorization) {
  remove(token);
  tokens_->entries.push_back({Buffer(token), Buffer(key_authorization)});
}

void Http01Responder::remove(std::string_view token) {
  auto& entries = tokens_->entries;
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (entries[i].token == token) {
      entries.erase(entries.begin() + static_cast<std::ptrdiff_t>(i));
      return;
    }
}

std::size_t Http01Responder::size() const { return tokens_->entries.size(); }

RequestHandler Http01Responder::handler(RequestHandler next) const {
  return [tokens = tokens_, next = std::move(next)](Reqd& reqd) mutable {
    const Request& request = reqd.request();
    const std::string_view path = request.path();
    if ((request.method == Method::GET || request.method == Method::HEAD) &&
        path.starts_with(kPrefix)) {
      if (const auto* entry = tokens->find(path.substr(kPrefix.size()))) {
        (void)reqd.respond_with_string({200, {{"content-type", "application/octet-stream"}}},
                                       entry->key_authorization.view());
        return;
      }
    }
    if (next) return next(reqd);
    (void)reqd.respond_with_string({404, {{"content-type", "text/plain"}}}, "Not Found\n");
  };
}

}  // namespace paf::acme
