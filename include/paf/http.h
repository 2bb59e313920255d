// HTTP semantics shared by HTTP/1.x and HTTP/2: methods, versions, status
// codes, header fields, requests and responses. No wire format here.
#ifndef PAF_HTTP_H
#define PAF_HTTP_H

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <initializer_list>
#include <memory>
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

enum class HttpVersion : std::uint8_t { http_1_0, http_1_1, http_2 };

std::string_view version_name(HttpVersion version);  // "HTTP/1.1", ...

// The standard reason phrase of a status code ("Not Found"), or "Unknown".
std::string_view reason_phrase(int status);

// Whether a response with this status can carry a body (not 1xx, 204, 304).
bool status_allows_body(int status);

// Whether `text` is an HTTP token (RFC 9110 §5.6.2): methods, field names.
bool is_token(std::string_view text);

// ASCII case-insensitive equality: header names and most tokens compare so.
bool ascii_iequals(std::string_view a, std::string_view b);

// Header fields in the order received or added, duplicates kept; names are
// compared case-insensitively and stored as given. Views of a field stay
// valid when the Headers is moved, until it is changed or destroyed.
class Headers {
 public:
  struct Field {
    std::string_view name;
    std::string_view value;
  };

  Headers() = default;
  Headers(std::initializer_list<Field> fields);
  Headers(const Headers& other);
  Headers& operator=(const Headers& other);
  // A Headers moved from is empty.
  Headers(Headers&& other) noexcept
      : storage_(std::move(other.storage_)),
        capacity_(std::exchange(other.capacity_, 0)),
        text_size_(std::exchange(other.text_size_, 0)),
        size_(std::exchange(other.size_, 0)) {}
  Headers& operator=(Headers&& other) noexcept {
    storage_ = std::move(other.storage_);
    capacity_ = std::exchange(other.capacity_, 0);
    text_size_ = std::exchange(other.text_size_, 0);
    size_ = std::exchange(other.size_, 0);
    return *this;
  }
  ~Headers() = default;

  void add(std::string_view name, std::string_view value);
  // Replaces every field named `name` by one with `value`.
  void set(std::string_view name, std::string_view value);
  // Removes every field named `name`; returns how many there were.
  std::size_t remove(std::string_view name);
  // Removes every field for which predicate(Field) is true, in one pass;
  // returns how many there were. The others keep their order.
  template <typename Predicate>
  std::size_t remove_if(Predicate predicate) {
    std::uint32_t kept = 0;
    for (std::uint32_t i = 0; i < size_; ++i) {
      if (predicate((*this)[i])) continue;
      if (kept != i) set_entry(kept, entry(i));
      ++kept;
    }
    std::size_t removed = size_ - kept;
    size_ = kept;
    return removed;
  }

  // The first value of `name`, if any.
  std::optional<std::string_view> get(std::string_view name) const;
  bool has(std::string_view name) const { return get(name).has_value(); }
  std::size_t count(std::string_view name) const;
  // Whether a comma-separated list field (Connection, Transfer-Encoding, ...)
  // names `token`, in any of its fields, case-insensitively.
  bool has_token(std::string_view name, std::string_view token) const;

  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  Field operator[](std::size_t i) const {
    const Entry field = entry(static_cast<std::uint32_t>(i));
    const char* text = reinterpret_cast<const char*>(storage_.get());
    return {{text + field.name_offset, field.name_length},
            {text + field.value_offset, field.value_length}};
  }
  // Removes every field; the storage stays for the next ones.
  void clear() { text_size_ = size_ = 0; }

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
  Iterator end() const { return {this, size_}; }

 private:
  // One allocation holds the fields: their names and values from its start,
  // and from its end, backwards, an entry per field that locates them.
  struct Entry {
    std::uint32_t name_offset, name_length, value_offset, value_length;
  };
  std::uint8_t* entry_at(std::uint32_t i) const {
    return storage_.get() + capacity_ - (std::size_t{i} + 1) * sizeof(Entry);
  }
  Entry entry(std::uint32_t i) const {
    Entry field;
    std::memcpy(&field, entry_at(i), sizeof field);
    return field;
  }
  void set_entry(std::uint32_t i, const Entry& field) {
    std::memcpy(entry_at(i), &field, sizeof field);
  }
  // Makes room for `text` more bytes and one more entry; returns the storage
  // it replaced, if it did, for the caller to drop once it has copied what
  // may be a view of it.
  std::unique_ptr<std::uint8_t[]> reserve_for(std::size_t text);

  std::unique_ptr<std::uint8_t[]> storage_;
  std::uint32_t capacity_ = 0;   // bytes of storage_
  std::uint32_t text_size_ = 0;  // bytes of text, from storage_'s start
  std::uint32_t size_ = 0;       // entries, from storage_'s end
};

class Request {
 public:
  Request() = default;
  Request(Method request_method, std::string_view target, Headers fields = {})
      : method(request_method), headers(std::move(fields)) {
    set_target(target);
  }

  Method method = Method::GET;
  HttpVersion version = HttpVersion::http_1_1;
  Headers headers;

  // The method's token: for `other` methods, the one received.
  std::string_view method_name() const;
  void set_method_name(std::string_view name);
  // The request target as sent: origin form ("/a?b"), absolute form, "*", ...
  std::string_view target() const { return part(target_); }
  void set_target(std::string_view target) { set_part(target_, target); }
  // The target's path (without the query), and its query (without the '?').
  std::string_view path() const;
  std::string_view query() const;
  // The authority: HTTP/2's :authority, an absolute-form target's, else Host.
  std::string_view authority() const;
  void set_authority(std::string_view authority) { set_part(authority_, authority); }
  // Back to a default request; the storage stays for the next one.
  void clear();

 private:
  // The target, the authority and an `other` method's token share one buffer.
  struct Part {
    std::uint32_t offset = 0, length = 0;
  };
  std::string_view part(Part part) const { return text_.view().substr(part.offset, part.length); }
  void set_part(Part& part, std::string_view value);

  Buffer text_;
  Part target_, authority_, method_name_;  // method_name_: only for Method::other
};

struct Response {
  int status = 200;
  Headers headers;
};

}  // namespace paf

#endif
