// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace capmin::events {

// An argument as a POSIX shell needs it written: as it is when it is made of
// safe characters only, else in single quotes ("'daemon off;'"). A word with
// bytes a terminal must not get raw (controls, invalid UTF-8) is written in
// bash's $'...' quoting with those bytes escaped as escape_bytes does
// ($'a\xffb'): safe to show, and the same bytes again when pasted into bash.
std::string shell_word(const std::string& arg);
// A whole command line so quoted, the words separated by one space:
// "nginx -g 'daemon off;'", pasteable as it is.
std::string shell_line(const std::vector<std::string>& argv);

}  // namespace capmin::events
