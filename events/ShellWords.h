// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace capmin::events {

// An argument as a POSIX shell needs it written: as it is when it is made of
// safe characters only, else in single quotes ("'daemon off;'").
std::string shell_word(const std::string& arg);
// A whole command line so quoted, the words separated by one space:
// "nginx -g 'daemon off;'", pasteable as it is.
std::string shell_line(const std::vector<std::string>& argv);

}  // namespace capmin::events
