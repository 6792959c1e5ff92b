// SPDX-License-Identifier: MIT
#include "events/ShellWords.h"

#include <algorithm>
#include <cctype>
#include <string_view>

#include "events/ByteEscape.h"

namespace capmin::events {

std::string shell_word(const std::string& arg) {
  const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](unsigned char c) {
    // Not strchr, which finds a NUL byte in any string: its terminator.
    return std::isalnum(c) || std::string_view("_-+=.,/:@%").find(c) != std::string_view::npos;
  });
  if (plain) {
    return arg;
  }
  if (!printable_utf8(arg)) {
    // bash, ksh and zsh read "\\" and "\xHH" inside $'...' as the byte
    // escape_bytes wrote them for, so the word is shown escaped and still
    // pastes as the exact bytes.
    std::string out = "$'";
    for (char c : escape_bytes(arg)) {
      out += c == '\'' ? std::string("\\'") : std::string(1, c);
    }
    return out + "'";
  }
  std::string out = "'";
  for (char c : arg) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

std::string shell_line(const std::vector<std::string>& argv) {
  std::string out;
  for (const std::string& a : argv) {
    out += (out.empty() ? "" : " ") + shell_word(a);
  }
  return out;
}

}  // namespace capmin::events
