// Log lines and messages of src/acme, put together from pieces.
#ifndef PAF_SRC_ACME_TEXT_H
#define PAF_SRC_ACME_TEXT_H

#include <string_view>

#include "paf/buffer.h"

namespace paf::acme {

inline Buffer text(std::string_view a, std::string_view b = {}, std::string_view c = {},
                   std::string_view d = {}) {
  Buffer out(a);
  out.append(b);
  out.append(c);
  out.append(d);
  return out;
}

}  // namespace paf::acme

#endif
