// Text as bytes: the tests' one way to hand a string to what takes paf::Bytes
// (a Flow's write, a Connection's read). The bytes are a view of the text.
#ifndef PAF_TESTS_SUPPORT_TEXT_BYTES_H
#define PAF_TESTS_SUPPORT_TEXT_BYTES_H

#include <cstdint>
#include <string_view>

#include "paf/bytes.h"

namespace paf::testing {

inline Bytes bytes_of(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t*>(text.data()), text.size()};
}

}  // namespace paf::testing

#endif
