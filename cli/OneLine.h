// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace capmin::cli {

// An error quotes what it was given (a path, a command, a name read from a
// rule file), which may hold any byte: what is not printable UTF-8 is
// written \xHH, a backslash \\ (events/ByteEscape.h), so that every error
// stays one line.
std::string one_line(const std::string& text);

}  // namespace capmin::cli
