// The platform's command line (paf_start_info::cmdline): blank-separated
// words, settings among them as key=value. The network stack takes its words
// (ip=, gw=, ...) and the application its own; both read them so.
#ifndef PAF_CMDLINE_H
#define PAF_CMDLINE_H

#include <cstddef>
#include <optional>
#include <string_view>

namespace paf {

// Splits off the next blank-separated word of `text`; empty at its end.
inline std::string_view next_cmdline_word(std::string_view& text) {
  auto is_blank = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  std::size_t start = 0;
  while (start < text.size() && is_blank(text[start])) ++start;
  std::size_t end = start;
  while (end < text.size() && !is_blank(text[end])) ++end;
  std::string_view word = text.substr(start, end - start);
  text.remove_prefix(end);
  return word;
}

// The value of the first `key=VALUE` word, if there is one.
inline std::optional<std::string_view> cmdline_value(std::string_view cmdline,
                                                     std::string_view key) {
  for (std::string_view word = next_cmdline_word(cmdline); !word.empty();
       word = next_cmdline_word(cmdline))
    if (word.size() > key.size() && word.starts_with(key) && word[key.size()] == '=')
      return word.substr(key.size() + 1);
  return std::nullopt;
}

}  // namespace paf

#endif
