// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace capmin::events {

// "EPERM" for 1; "E123" for a number glibc has no name for.
std::string errno_name(int err);
// 1 for "EPERM"; nullopt for a name glibc does not know.
std::optional<int> errno_from_name(std::string_view name);

}  // namespace capmin::events
