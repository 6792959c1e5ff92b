// SPDX-License-Identifier: MIT
#include "verify/VerificationText.h"

#include <algorithm>
#include <cstring>

#include "events/CapabilityNames.h"
#include "events/ShellWords.h"

namespace capmin::verify {

namespace {

std::string padded(std::string s, std::size_t width) {
  if (s.size() < width) {
    s.append(width - s.size(), ' ');
  }
  return s;
}

}  // namespace

void write_text(const Verification& v, const std::vector<std::string>& argv, std::ostream& out) {
  out << "capmin verify: " << events::shell_line(argv) << "\n  runtime:  " << v.runtime_details
      << "\n  success:  " << v.criterion
      << "\n  granted:  " << events::cap_names_text(v.capabilities);
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
