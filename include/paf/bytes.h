// Views of bytes, the vocabulary of every layer that moves data.
#ifndef PAF_BYTES_H
#define PAF_BYTES_H

#include <cstdint>
#include <span>

namespace paf {

using Bytes = std::span<const std::uint8_t>;
using MutableBytes = std::span<std::uint8_t>;

}  // namespace paf

#endif
