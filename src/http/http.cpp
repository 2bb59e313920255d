// HTTP semantics shared by both protocol versions (include/paf/http.h).
#include "paf/http.h"

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>

namespace paf {
namespace {

struct MethodName {
  Method method;
  std::string_view name;
};
constexpr std::array<MethodName, 9> kMethodNames{{
    {Method::GET, "GET"},         {Method::HEAD, "HEAD"},     {Method::POST, "POST"},
    {Method::PUT, "PUT"},         {Method::DELETE, "DELETE"}, {Method::CONNECT, "CONNECT"},
    {Method::OPTIONS, "OPTIONS"}, {Method::TRACE, "TRACE"},   {Method::PATCH, "PATCH"},
}};

struct Reason {
  int status;
  std::string_view phrase;
};
constexpr std::array<Reason, 41> kReasons{{
    {100, "Continue"}, {101, "Switching Protocols"}, {103, "Early Hints"},
    {200, "OK"}, {201, "Created"}, {202, "Accepted"}, {203, "Non-Authoritative Information"},
    {204, "No Content"}, {205, "Reset Content"}, {206, "Partial Content"},
    {300, "Multiple Choices"}, {301, "Moved Permanently"}, {302, "Found"}, {303, "See Other"},
    {304, "Not Modified"}, {307, "Temporary Redirect"}, {308, "Permanent Redirect"},
    {400, "Bad Request"}, {401, "Unauthorized"}, {403, "Forbidden"}, {404, "Not Found"},
    {405, "Method Not Allowed"}, {406, "Not Acceptable"}, {408, "Request Timeout"},
    {409, "Conflict"}, {410, "Gone"}, {411, "Length Required"}, {412, "Precondition Failed"},
    {413, "Content Too Large"}, {414, "URI Too Long"}, {415, "Unsupported Media Type"},
    {417, "Expectation Failed"}, {421, "Misdirected Request"}, {426, "Upgrade Required"},
    {429, "Too Many Requests"}, {431, "Request Header Fields Too Large"},
    {500, "Internal Server Error"}, {501, "Not Implemented"}, {502, "Bad Gateway"},
    {503, "Service Unavailable"}, {505, "HTTP Version Not Supported"},
}};

char ascii_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

std::string_view trim_spaces(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

std::string_view method_name(Method method) {
  for (const auto& entry : kMethodNames)
    if (entry.method == method) return entry.name;
  return "";
}

Method method_from_name(std::string_view name) {
  for (const auto& entry : kMethodNames)
    if (entry.name == name) return entry.method;
  return Method::other;
}

std::string_view version_name(HttpVersion version) {
  switch (version) {
    case HttpVersion::http_1_0: return "HTTP/1.0";
    case HttpVersion::http_1_1: return "HTTP/1.1";
    case HttpVersion::http_2: return "HTTP/2";
  }
  return "HTTP/1.1";
}

std::string_view reason_phrase(int status) {
  for (const auto& entry : kReasons)
    if (entry.status == status) return entry.phrase;
  return "Unknown";
}

bool status_allows_body(int status) {
  return !(status < 200 || status == 204 || status == 304);
}

namespace {

// RFC 9110 §5.6.2: tchar, a table indexed by byte.
constexpr std::array<bool, 256> kTokenChars = [] {
  std::array<bool, 256> table{};
  for (int c = '0'; c <= '9'; ++c) table[c] = true;
  for (int c = 'a'; c <= 'z'; ++c) table[c] = table[c - 'a' + 'A'] = true;
  for (char c : std::string_view("!#$%&'*+-.^_`|~")) table[static_cast<unsigned char>(c)] = true;
  return table;
}();

}  // namespace

bool is_token(std::string_view text) {
  if (text.empty()) return false;
  for (char c : text)
    if (!kTokenChars[static_cast<unsigned char>(c)]) return false;
  return true;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  return true;
}

// --- Headers -----------------------------------------------------------------

// Room for a typical message's fields from the first one on (their text and
// eight entries): one allocation, not one per growth.
constexpr std::size_t kInitialStorage = 256 + 8 * 16;

Headers::Headers(std::initializer_list<Field> fields) {
  for (const Field& field : fields) add(field.name, field.value);
}

Headers::Headers(const Headers& other) { *this = other; }

Headers& Headers::operator=(const Headers& other) {
  if (this == &other) return *this;
  clear();
  for (const Field field : other) add(field.name, field.value);
  return *this;
}

std::unique_ptr<std::uint8_t[]> Headers::reserve_for(std::size_t text) {
  const std::size_t entries = std::size_t{size_} * sizeof(Entry);
  const std::size_t needed = text_size_ + text + entries + sizeof(Entry);
  if (needed <= capacity_) return nullptr;
  std::size_t capacity = capacity_ == 0 ? kInitialStorage : 2 * std::size_t{capacity_};
  while (capacity < needed) capacity *= 2;
  auto storage = std::make_unique_for_overwrite<std::uint8_t[]>(capacity);
  if (text_size_ > 0) std::memcpy(storage.get(), storage_.get(), text_size_);
  if (entries > 0) std::memcpy(storage.get() + capacity - entries, entry_at(size_ - 1), entries);
  std::swap(storage_, storage);
  capacity_ = static_cast<std::uint32_t>(capacity);
  return storage;
}

void Headers::add(std::string_view name, std::string_view value) {
  // `name` and `value` may be views of this Headers: the old storage goes last.
  const std::unique_ptr<std::uint8_t[]> replaced = reserve_for(name.size() + value.size());
  Entry field;
  field.name_offset = text_size_;
  field.name_length = static_cast<std::uint32_t>(name.size());
  field.value_offset = field.name_offset + field.name_length;
  field.value_length = static_cast<std::uint32_t>(value.size());
  if (!name.empty()) std::memcpy(storage_.get() + field.name_offset, name.data(), name.size());
  if (!value.empty()) std::memcpy(storage_.get() + field.value_offset, value.data(), value.size());
  text_size_ = field.value_offset + field.value_length;
  set_entry(size_++, field);
}

void Headers::set(std::string_view name, std::string_view value) {
  remove(name);
  add(name, value);
}

std::size_t Headers::remove(std::string_view name) {
  // The removed fields' text stays in text_ until clear(): removal is rare.
  return remove_if([name](Field field) { return ascii_iequals(field.name, name); });
}

std::optional<std::string_view> Headers::get(std::string_view name) const {
  for (const Field field : *this)
    if (ascii_iequals(field.name, name)) return field.value;
  return std::nullopt;
}

std::size_t Headers::count(std::string_view name) const {
  std::size_t n = 0;
  for (const Field field : *this) n += ascii_iequals(field.name, name) ? 1 : 0;
  return n;
}

bool Headers::has_token(std::string_view name, std::string_view token) const {
  for (const Field field : *this) {
    if (!ascii_iequals(field.name, name)) continue;
    std::string_view list = field.value;
    while (!list.empty()) {
      std::size_t comma = list.find(',');
      if (ascii_iequals(trim_spaces(list.substr(0, comma)), token)) return true;
      list = comma == std::string_view::npos ? std::string_view{} : list.substr(comma + 1);
    }
  }
  return false;
}

// --- Request -----------------------------------------------------------------

std::string_view Request::method_name() const {
  return method == Method::other ? part(method_name_) : paf::method_name(method);
}

void Request::set_method_name(std::string_view name) {
  method = method_from_name(name);
  set_part(method_name_, method == Method::other ? name : std::string_view{});
}

// A new value is appended to the buffer, where there is room; the old one's
// bytes are dropped when the buffer is next rebuilt. `value` may be a view of
// the buffer itself (set_target(authority())).
void Request::set_part(Part& part, std::string_view value) {
  if (text_.size() + value.size() > text_.capacity()) {
    Part* parts[] = {&target_, &authority_, &method_name_};
    std::size_t live = value.size();
    for (Part* other : parts) live += other != &part ? other->length : 0;
    Buffer text;
    text.reserve(std::max<std::size_t>(64, 2 * live));
    for (Part* other : parts) {
      if (other == &part) continue;
      const std::string_view bytes = this->part(*other);
      other->offset = static_cast<std::uint32_t>(text.size());
      text.append(bytes);
    }
    part = {static_cast<std::uint32_t>(text.size()), static_cast<std::uint32_t>(value.size())};
    text.append(value);  // still valid: text_ is replaced only now
    text_ = std::move(text);
    return;
  }
  part = {static_cast<std::uint32_t>(text_.size()), static_cast<std::uint32_t>(value.size())};
  text_.append(value);  // within capacity: `value` stays where it is
}

void Request::clear() {
  method = Method::GET;
  version = HttpVersion::http_1_1;
  headers.clear();
  text_.clear();
  target_ = authority_ = method_name_ = {};
}

std::string_view Request::path() const {
  std::string_view target = this->target();
  // Absolute form ("http://host/p?q"): the path starts after the authority.
  if (std::size_t scheme = target.find("://"); scheme != std::string_view::npos &&
                                               target.find('/') > scheme) {
    std::size_t slash = target.find('/', scheme + 3);
    target = slash == std::string_view::npos ? std::string_view{"/"} : target.substr(slash);
  }
  return target.substr(0, target.find_first_of("?#"));
}

std::string_view Request::query() const {
  std::string_view target = this->target();
  std::size_t mark = target.find('?');
  if (mark == std::string_view::npos) return {};
  std::string_view query = target.substr(mark + 1);
  return query.substr(0, query.find('#'));
}

std::string_view Request::authority() const {
  if (authority_.length > 0) return part(authority_);
  return headers.get("host").value_or(std::string_view{});
}

}  // namespace paf
