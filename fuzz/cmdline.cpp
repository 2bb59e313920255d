// The unikernel's command line (QEMU's -append, the host's to choose): the
// network stack's words (StackConfig::parse: ip=, gw=, dns=, ipv6=) and the
// application's (paf/cmdline.h), as an image reads them at boot.
#include "paf/cmdline.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "paf/net.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace paf;
  const std::string_view cmdline(reinterpret_cast<const char*>(data), size);
  auto config = StackConfig::parse(cmdline);
  if (config && config->ipv4_prefix_length > 32) std::abort();
  if (config && config->dns_servers.size() > 2) std::abort();
  // Every word the splitter gives is a non-empty part of the line.
  std::string_view rest = cmdline;
  for (std::string_view word = next_cmdline_word(rest); !word.empty();
       word = next_cmdline_word(rest))
    if (word.data() < cmdline.data() || word.data() + word.size() > cmdline.data() + cmdline.size())
      std::abort();
  for (std::string_view key : {"ip", "requests", "access-log", "net"})
    if (auto value = cmdline_value(cmdline, key);
        value && (value->data() < cmdline.data() ||
                  value->data() + value->size() > cmdline.data() + cmdline.size()))
      std::abort();
  return 0;
}
