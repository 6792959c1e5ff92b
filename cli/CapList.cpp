// SPDX-License-Identifier: MIT
#include "cli/CapList.h"

#include <algorithm>
#include <sstream>

#include "events/CapabilityNames.h"
#include "events/Errors.h"

namespace capmin::cli {

namespace {

constexpr std::size_t kHints = 4;

std::string trimmed(const std::string& s) {
  const auto first = s.find_first_not_of(" \t");
  if (first == std::string::npos) {
    return "";
  }
  return s.substr(first, s.find_last_not_of(" \t") - first + 1);
}

}  // namespace

std::vector<int> parse_cap_list(const std::string& text) {
  std::vector<int> caps;
  if (trimmed(text).empty() || trimmed(text) == "none") {
    return caps;
  }
  std::istringstream in(text);
  for (std::string item; std::getline(in, item, ',');) {
    const std::string name = trimmed(item);
    if (name.empty()) {
      throw UserError("--caps '" + text + "': an empty capability name");
    }
    const auto cap = events::cap_from_name(name);
    if (!cap) {
      const auto close = events::cap_close_names(name);
      std::string hint;
      for (std::size_t i = 0; i < close.size() && i < kHints; ++i) {
        hint += (i ? ", " : " (did you mean ") + close[i];
      }
      if (!hint.empty()) {
        hint += "?)";
      }
      throw UserError("unknown capability '" + name + "'" + hint);
    }
    caps.push_back(*cap);
  }
  std::sort(caps.begin(), caps.end());
  caps.erase(std::unique(caps.begin(), caps.end()), caps.end());
  return caps;
}

}  // namespace capmin::cli
