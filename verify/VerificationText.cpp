// SPDX-License-Identifier: MIT
#include "verify/VerificationText.h"

#include <algorithm>
#include <cstring>

#include "events/CapabilityNames.h"

namespace capmin::verify {

namespace {

std::string shell_word(const std::string& a) {
  const bool plain = !a.empty() && std::all_of(a.begin(), a.end(), [](unsigned char c) {
    return std::isalnum(c) || std::strchr("_-+=.,/:@%", c) != nullptr;
  });
  if (plain) {
    return a;
  }
  std::string out = "'";
  for (char c : a) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

std::string padded(std::string s, std::size_t width) {
  if (s.size() < width) {
    s.append(width - s.size(), ' ');
  }
  return s;
}

}  // namespace

void write_text(const Verification& v, const std::vector<std::string>& argv, std::ostream& out) {
  out << "capmin verify:";
  for (const std::string& a : argv) {
    out << ' ' << shell_word(a);
  }
  out << "\n  runtime:  " << v.runtime_details << "\n  success:  " << v.criterion
      << "\n  granted:  ";
  if (v.capabilities.empty()) {
    out << "none";
  }
  for (std::size_t i = 0; i < v.capabilities.size(); ++i) {
    out << (i ? ", " : "") << events::cap_name(v.capabilities[i]);
  }
  out << '\n';

  std::size_t width = std::strlen("with all of them");
  for (const Trial& t : v.trials) {
    if (t.without) {
      width = std::max(width, std::strlen("without ") + events::cap_name(*t.without).size());
    }
  }
  for (const Trial& t : v.trials) {
    const std::string label = t.without                ? "without " + events::cap_name(*t.without)
                              : v.capabilities.empty() ? "with none"
                                                       : "with all of them";
    out << "  " << padded(label, width) << "  " << (t.judgement.passed ? "passed" : "failed")
        << "  (" << t.outcome.describe() << ')';
    if (t.without) {
      out << (t.judgement.passed ? "  -> not needed" : "  -> needed");
    } else if (!t.judgement.passed) {
      out << "  " << t.judgement.why;
    }
    out << '\n';
  }
  out << (v.passed() ? "result: " : "FINDING: ") << v.summary() << '\n';
}

}  // namespace capmin::verify
