// JSON for src/acme, on cJSON: a document owned by a Json, read through
// views of its strings. What src/acme sends it writes itself, strings
// escaped by append_json_string (no number is ever printed).
#ifndef PAF_SRC_ACME_JSON_H
#define PAF_SRC_ACME_JSON_H

#include <cJSON.h>

#include <cstdint>
#include <optional>
#include <string_view>

#include "paf/buffer.h"

namespace paf::acme {

class Json {
 public:
  Json() = default;
  explicit Json(cJSON* root) : root_(root) {}
  Json(const Json&) = delete;
  Json& operator=(const Json&) = delete;
  Json(Json&& other) noexcept : root_(other.root_) { other.root_ = nullptr; }
  Json& operator=(Json&& other) noexcept {
    if (this != &other) {
      cJSON_Delete(root_);
      root_ = other.root_;
      other.root_ = nullptr;
    }
    return *this;
  }
  ~Json() { cJSON_Delete(root_); }

  // The document in `text`, or an empty Json (false) when it does not parse.
  static Json parse(std::string_view text) {
    return Json(cJSON_ParseWithLength(text.data(), text.size()));
  }
  static Json object() { return Json(cJSON_CreateObject()); }

  explicit operator bool() const { return root_ != nullptr; }
  cJSON* get() const { return root_; }

 private:
  cJSON* root_ = nullptr;
};

// Member `name` of object `node` (null when absent or `node` is null).
inline const cJSON* member(const cJSON* node, const char* name) {
  return node != nullptr ? cJSON_GetObjectItemCaseSensitive(node, name) : nullptr;
}
// The string value of member `name`, if it is a string.
inline std::optional<std::string_view> string_member(const cJSON* node, const char* name) {
  const cJSON* item = member(node, name);
  if (item == nullptr || !cJSON_IsString(item) || item->valuestring == nullptr) return std::nullopt;
  return std::string_view(item->valuestring);
}
inline std::string_view string_or_empty(const cJSON* node, const char* name) {
  return string_member(node, name).value_or(std::string_view{});
}

// Appends `text` as a JSON string literal (quotes and escapes included).
inline void append_json_string(Buffer& out, std::string_view text) {
  out.append('"');
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out.append('\\');
      out.append(c);
    } else if (byte < 0x20) {
      out.append("\\u00");
      out.append("0123456789abcdef"[byte >> 4]);
      out.append("0123456789abcdef"[byte & 15]);
    } else {
      out.append(c);
    }
  }
  out.append('"');
}

}  // namespace paf::acme

#endif
