// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

#include "analyzer/Profile.h"

namespace capmin::analyzer {

// What the platform's default seccomp profile would do with a call the
// program made (Profile::gated_calls): let it through only with one of
// `capabilities` in the bounding set, or refuse it whatever they are.
struct SeccompNote {
  Evidence call;
  std::vector<int> capabilities;  // any one lets it through; empty: refused always
  bool held = false;              // the profile's set holds one of them
};

// One note per gated call made, in the order they were made; none when the
// platform applies no profile by default.
std::vector<SeccompNote> seccomp_notes(const Profile& p);

}  // namespace capmin::analyzer
