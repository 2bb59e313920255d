// HTTP semantics shared by HTTP/1.x and HTTP/2: methods, versions, status
// codes, header fields, requests and responses. No wire format here.
#ifndef PAF_HTTP_H
#define PAF_HTTP_H

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "paf/buffer.h"

namespace paf {

enum class Method : std::uint8_t {
  GET, HEAD, POST, PUT, DELETE, CONNECT, OPTIONS, TRACE, PATCH,
  other,  // any other token; Request::method_name() spells it
};

std::string_view method_name(Method method);
// The method a token names (case-sensitive, as HTTP methods are), or `other`.
Method method_from_name(std::string_view name);

enum class Version : std::uint8_t { http_1_0, http_1_1, http_2 };

std::string_view version_name(Version version);  // "HTTP/1.1", ...

// The standard reason phrase of a status code ("Not Found"), or "Unknown".
std::string_view reason_phrase(int status);

// Whether a response with this status can carry a body (not 1xx, 204, 304).
bool status_allows_body(int status);

// Whether `text` is an HTTP token (RFC 9110 §5.6.2): methods, field names.
bool is_token(std::string_view text);

// ASCII case-insensitive equality: header names and most tokens compare so.
bool ascii_iequals(std::string_view a, std::string_view b);

// Header fields in the order received or added, duplicates kept; names are
// compared case-insensitively and stored as given.
class Headers {
 public:
  struct Field {
    std::string_view name;
    std::string_view value;
  };

  Headers() = default;
  Headers(std::initializer_list<Field> fields);

  void add(std::string_view name, std::string_view value);
  // Replaces every field named `name` by one with `value`.
  void set(std::string_view name, std::string_view value);
  // Removes every field named `name`; returns how many there were.
  std::size_t remove(std::string_view name);
  // Removes every field for which predicate(Field) is true, in one pass;
  // returns how many there were. The others keep their order.
  template <typename Predicate>
  std::size_t remove_if(Predicate predicate) {
    std::size_t kept = 0;
    for (std::size_t i = 0; i < entries_.size(); ++i)
      if (!predicate((*this)[i])) entries_[kept++] = entries_[i];
    std::size_t removed = entries_.size() - kept;
    entries_.resize(kept);
    return removed;
  }

  // The first value of `name`, if any.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  std::size_t count(std::string_view name) const;
  // Whether a comma-separated list field (Connection, Transfer-Encoding, ...)
  // names `token`, in any of its fields, case-insensitively.
  bool has_token(std::string_view name, std::string_view token) const;

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  Field operator[](std::size_t i) const;
  void clear();

  class Iterator {
   public:
    Iterator(const Headers* headers, std::size_t index) : headers_(headers), index_(index) {}
    Field operator*() const { return (*headers_)[index_]; }
    Iterator& operator++() { ++index_; return *this; }
    bool operator==(const Iterator& other) const { return index_ == other.index_; }
   private:
    const Headers* headers_;
    std::size_t index_;
  };
  Iterator begin() const { return {this, 0}; }
  Iterator end() const { return {this, entries_.size()}; }

 private:
  // Names and values live in one buffer; an entry locates one field in it.
  struct Entry {
    std::uint32_t name_offset, name_length, value_offset, value_length;
  };
  std::string_view text(std::uint32_t offset, std::uint32_t length) const {
    return text_.view().substr(offset, length);
  }
  Buffer text_;
  std::vector<Entry> entries_;
};

class Request {
 public:
  Request() = default;
  Request(Method request_method, std::string_view target, Headers fields = {})
      : method(request_method), headers(std::move(fields)), target_(target) {}

  Method method = Method::GET;
  Version version = Version::http_1_1;
  Headers headers;

  // The method's token: for `other` methods, the one received.
  std::string_view method_name() const;
  void set_method_name(std::string_view name);
  // The request target as sent: origin form ("/a?b"), absolute form, "*", ...
  std::string_view target() const { return target_.view(); }
  void set_target(std::string_view target) { target_ = Buffer(target); }
  // The target's path (without the query), and its query (without the '?').
  std::string_view path() const;
  std::string_view query() const;
  // The authority: HTTP/2's :authority, an absolute-form target's, else Host.
  std::string_view authority() const;
  void set_authority(std::string_view authority) { authority_ = Buffer(authority); }

 private:
  Buffer target_;
  Buffer authority_;
  Buffer method_name_;  // only for Method::other
};

struct Response {
  int status = 200;
  Headers headers;
};

}  // namespace paf

#endif
