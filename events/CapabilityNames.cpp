// SPDX-License-Identifier: MIT
#include "events/CapabilityNames.h"

#include <sys/capability.h>

#include <algorithm>
#include <cctype>
#include <memory>

namespace capmin::events {

namespace {

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    prev[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      cur[j] =
          std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

// libcap's name of `cap`, upper case; it spells a capability it has no
// name for as its bare number ("41").
std::string libcap_name(int cap) {
  std::unique_ptr<char, decltype(&cap_free)> name(cap_to_name(static_cast<cap_value_t>(cap)),
                                                  &cap_free);
  if (!name || std::isdigit(static_cast<unsigned char>(name.get()[0]))) {
    return "CAP_" + std::to_string(cap);
  }
  return upper(name.get());
}

// Every capability 0..63 by name, asked of libcap once: the rule loader
// looks up a name for every candidate of every rule.
const std::vector<std::string>& names() {
  static const std::vector<std::string> all = [] {
    std::vector<std::string> v;
    for (int c = 0; c < 64; ++c) {
      v.push_back(libcap_name(c));
    }
    return v;
  }();
  return all;
}

}  // namespace

std::string cap_name(int cap) {
  if (cap >= 0 && cap < 64) {
    return names()[static_cast<std::size_t>(cap)];
  }
  return libcap_name(cap);
}

std::string cap_short_name(int cap) { return cap_name(cap).substr(4); }

std::optional<int> cap_from_name(std::string_view name) {
  std::string full = upper(name);
  if (full.rfind("CAP_", 0) != 0) {
    full = "CAP_" + full;
  }
  const int last = cap_last();
  for (int c = 0; c <= last && c < 64; ++c) {
    if (names()[static_cast<std::size_t>(c)] == full) {
      return c;
    }
  }
  return std::nullopt;
}

int cap_last() {
  // cap_max_bits() reads the running kernel's cap_last_cap; never go below
  // what libcap itself names.
  return std::max<int>(static_cast<int>(cap_max_bits()) - 1, CAP_LAST_CAP);
}

std::string cap_mask_text(std::uint64_t mask) {
  std::string out;
  for (int c = 0; c < 64; ++c) {
    if ((mask >> c) & 1) {
      if (!out.empty()) {
        out += '|';
      }
      out += cap_name(c);
    }
  }
  return out.empty() ? "0" : out;
}

std::vector<std::string> cap_close_names(std::string_view wrong) {
  std::string w = upper(wrong);
  if (w.rfind("CAP_", 0) != 0) {
    w = "CAP_" + w;
  }
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (int c = 0; c <= cap_last(); ++c) {
    const std::string n = cap_name(c);
    std::size_t d = edit_distance(w, n);
    if (n.rfind(w, 0) == 0 || n.find(w.substr(4)) != std::string::npos) {
      d = 0;  // a prefix or a part of the name: the likeliest meaning
    }
    if (d <= 3) {
      scored.emplace_back(d, n);
    }
  }
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& s : scored) {
    out.push_back(s.second);
  }
  return out;
}

std::string cap_names_text(const std::vector<int>& caps, std::string_view none,
                           std::string_view separator) {
  if (caps.empty()) {
    return std::string(none);
  }
  std::string out;
  for (int c : caps) {
    if (!out.empty()) {
      out += separator;
    }
    out += cap_name(c);
  }
  return out;
}

std::uint64_t cap_mask(const std::vector<int>& caps) {
  std::uint64_t m = 0;
  for (int c : caps) {
    if (c >= 0 && c < 64) {
      m |= std::uint64_t{1} << c;
    }
  }
  return m;
}

std::vector<int> cap_list(std::uint64_t mask) {
  std::vector<int> out;
  for (int c = 0; c < 64; ++c) {
    if ((mask >> c) & 1) {
      out.push_back(c);
    }
  }
  return out;
}

std::uint64_t cap_all() {
  const int last = cap_last();
  return last >= 63 ? ~std::uint64_t{0} : (std::uint64_t{1} << (last + 1)) - 1;
}

}  // namespace capmin::events
