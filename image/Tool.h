// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace capmin::image {

// How a helper program (skopeo, umoci) ended and what it said.
struct ToolResult {
  int status = -1;     // its exit status; -1 when it could not start or was killed
  std::string output;  // standard output and error together
};

// Runs argv[0], found on $PATH, with standard input on /dev/null. Throws
// UserError when it is not installed, naming the Debian package.
ToolResult run_tool(const std::vector<std::string>& argv, const std::string& package);

// The last non-empty line of a tool's output, trimmed of its log prefix
// ("FATA[0000] "), for a one-line error.
std::string last_line(const std::string& output);

}  // namespace capmin::image
