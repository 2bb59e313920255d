// An item of the platform's configuration, whole: fw_cfg's opt/... entries in
// an image, files under a folder on a host (paf/platform.h: paf_config_read).
#ifndef PAF_CONFIG_ITEM_H
#define PAF_CONFIG_ITEM_H

#include <cstddef>
#include <optional>
#include <string>

#include "paf/platform.h"
#include "paf/result.h"

namespace paf {

// The largest item read: a CA bundle is a few hundred KiB. An image's host
// can announce any size (fw_cfg's is 32 bits); this one is not allocated.
inline constexpr std::size_t kConfigItemMaxBytes = 4u << 20;

// The item's bytes; none when the platform has no item of that name; an
// error when it has one that could not be read, or larger than
// kConfigItemMaxBytes.
inline Result<std::optional<std::string>> read_config_item(const char* name) {
  std::size_t length = 0;
  const paf_result_t sized = paf_config_read(name, nullptr, 0, &length);
  if (sized == PAF_R_OK) return std::string{};
  if (sized == PAF_R_EINVAL) return std::nullopt;
  if (sized == PAF_R_AGAIN && length > kConfigItemMaxBytes)
    return std::unexpected(Error{Errc::io_error, "the configuration item is too large"});
  if (sized == PAF_R_AGAIN) {
    std::string text(length, '\0');
    if (paf_config_read(name, text.data(), text.size(), &length) == PAF_R_OK) {
      text.resize(length);
      return text;
    }
  }
  return std::unexpected(Error{Errc::io_error, "the configuration item cannot be read"});
}

}  // namespace paf

#endif
