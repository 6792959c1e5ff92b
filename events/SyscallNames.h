// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace capmin::events {

// System call names and numbers of the native architecture (x86_64), taken
// from libseccomp's tables so that capmin keeps no table of its own.
std::string syscall_name(int nr);
std::optional<int> syscall_number(std::string_view name);

}  // namespace capmin::events
