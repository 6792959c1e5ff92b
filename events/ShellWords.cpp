// SPDX-License-Identifier: MIT
#include "events/ShellWords.h"

#include <algorithm>
#include <cctype>
#include <cstring>

namespace capmin::events {

std::string shell_word(const std::string& arg) {
  const bool plain = !arg.empty() && std::all_of(arg.begin(), arg.end(), [](unsigned char c) {
    return std::isalnum(c) || std::strchr("_-+=.,/:@%", c) != nullptr;
  });
  if (plain) {
    return arg;
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
