// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace capmin::cli {

// An error quotes what it was given (a path, a command, a name read from a
// rule file), which may hold any byte: control characters are escaped
// ("\\n", "\\x01") so that every error stays one line.
std::string one_line(const std::string& text);

}  // namespace capmin::cli
