// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <string>

namespace capmin::analyzer {

// Rule files and catalogues are a few hundred kilobytes; anything past this
// is not one (a device, a log file given by mistake) and is not read on.
constexpr std::size_t kMaxPolicyFileBytes = 16 * 1024 * 1024;

// The whole text of a policy file. `what` names it in errors ("rule file").
// Throws UserError "cannot read WHAT 'PATH': reason" when it cannot be read
// (missing, a directory...), and when it is larger than kMaxPolicyFileBytes.
// A FIFO nobody writes to reads as empty instead of blocking.
std::string read_policy_file(const std::string& path, const std::string& what);

}  // namespace capmin::analyzer
