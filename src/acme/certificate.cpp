// What a certificate says of itself (validity, serial, DNS names), read by
// mbedTLS's X.509 parser, and the calendar arithmetic between its times and
// Unix time (no OS: no timegm, no gmtime).
#define MBEDTLS_ALLOW_PRIVATE_ACCESS  // the parsed certificate's fields
#include <mbedtls/oid.h>
#include <mbedtls/x509.h>
#include <mbedtls/x509_crt.h>

#include <cstring>

#include "paf/acme_manager.h"

namespace paf::acme {

namespace {

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
// days_from_civil, for years from 1970 on).
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day) {
  year -= month <= 2;
  const std::int64_t era = year / 400;
  const unsigned year_of_era = static_cast<unsigned>(year - era * 400);
  const unsigned day_of_year = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1;
  const unsigned day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  return era * 146097 + static_cast<std::int64_t>(day_of_era) - 719468;
}

struct Civil {
  std::int64_t year;
  unsigned month, day;
};

// The inverse (civil_from_days).
Civil civil_from_days(std::int64_t days) {
  days += 719468;
  const std::int64_t era = days / 146097;
  const unsigned day_of_era = static_cast<unsigned>(days - era * 146097);
  const unsigned year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;
  const unsigned day_of_year =
      day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  const unsigned mp = (5 * day_of_year + 2) / 153;
  const unsigned day = day_of_year - (153 * mp + 2) / 5 + 1;
  const unsigned month = mp < 10 ? mp + 3 : mp - 9;
  return {static_cast<std::int64_t>(year_of_era) + era * 400 + (month <= 2), month, day};
}

// A certificate time before 1970 is 0: nothing here is valid before then.
std::uint64_t unix_ns(const mbedtls_x509_time& time) {
  if (time.year < 1970) return 0;
  const std::int64_t days =
      days_from_civil(time.year, static_cast<unsigned>(time.mon), static_cast<unsigned>(time.day));
  const std::int64_t seconds_since = days * 86400 + time.hour * 3600 + time.min * 60 + time.sec;
  return static_cast<std::uint64_t>(seconds_since) * seconds(1);
}

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool same_name(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

void append_two_digits(Buffer& out, unsigned value) {
  out.append(static_cast<char>('0' + value / 10 % 10));
  out.append(static_cast<char>('0' + value % 10));
}

}  // namespace

bool CertificateInfo::covers(std::span<const Buffer> wanted) const {
  for (const Buffer& name : wanted) {
    bool found = false;
    for (const Buffer& have : names) found = found || same_name(have.view(), name.view());
    if (!found) return false;
  }
  return true;
}

Result<CertificateInfo> certificate_info(std::string_view chain_pem) {
  // mbedTLS wants PEM text NUL-terminated, its length counting the NUL.
  Buffer pem(chain_pem);
  pem.append('\0');
  mbedtls_x509_crt chain;
  mbedtls_x509_crt_init(&chain);
  const int parsed = mbedtls_x509_crt_parse(&chain, pem.bytes().data(), pem.size());
  // A positive count is of certificates it could not parse: the chain is not
  // one a TlsConfig would take either.
  if (parsed != 0 || chain.raw.p == nullptr) {
    mbedtls_x509_crt_free(&chain);
    return fail(Errc::invalid_argument, "the certificate cannot be parsed", parsed);
  }
  CertificateInfo info;
  info.not_before_ns = unix_ns(chain.valid_from);
  info.not_after_ns = unix_ns(chain.valid_to);
  // The serial as a positive integer: the DER sign byte (a leading 0) goes.
  std::size_t first = 0;
  while (first + 1 < chain.serial.len && chain.serial.p[first] == 0) ++first;
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (std::size_t i = first; i < chain.serial.len; ++i) {
    info.serial.append(kHex[chain.serial.p[i] >> 4]);
    info.serial.append(kHex[chain.serial.p[i] & 0xf]);
  }
  for (const mbedtls_x509_sequence* entry = &chain.subject_alt_names; entry != nullptr;
       entry = entry->next) {
    if (entry->buf.p == nullptr) continue;
    mbedtls_x509_subject_alternative_name san;
    std::memset(&san, 0, sizeof san);
    if (mbedtls_x509_parse_subject_alt_name(&entry->buf, &san) != 0) continue;
    if (san.type == MBEDTLS_X509_SAN_DNS_NAME)
      info.names.emplace_back(
          std::string_view(reinterpret_cast<const char*>(san.san.unstructured_name.p),
                           san.san.unstructured_name.len));
    mbedtls_x509_free_subject_alt_name(&san);
  }
  const mbedtls_x509_crt* top = &chain;
  while (top->next != nullptr && top->next->raw.p != nullptr) top = top->next;
  for (const mbedtls_x509_name* part = &top->issuer; part != nullptr; part = part->next) {
    if (part->oid.p != nullptr && MBEDTLS_OID_CMP(MBEDTLS_OID_AT_CN, &part->oid) == 0)
      info.top_issuer = Buffer(
          std::string_view(reinterpret_cast<const char*>(part->val.p), part->val.len));
  }
  mbedtls_x509_crt_free(&chain);
  return info;
}

Buffer utc_text(std::uint64_t unix_ns) {
  const std::uint64_t total = unix_ns / seconds(1);
  const Civil date = civil_from_days(static_cast<std::int64_t>(total / 86400));
  const unsigned in_day = static_cast<unsigned>(total % 86400);
  Buffer out;
  out.append_number(static_cast<std::uint64_t>(date.year));
  out.append('-');
  append_two_digits(out, date.month);
  out.append('-');
  append_two_digits(out, date.day);
  out.append('T');
  append_two_digits(out, in_day / 3600);
  out.append(':');
  append_two_digits(out, in_day / 60 % 60);
  out.append(':');
  append_two_digits(out, in_day % 60);
  out.append('Z');
  return out;
}

}  // namespace paf::acme
