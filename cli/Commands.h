// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace capmin::cli {

// A subcommand: its arguments (after the subcommand name) in, an exit status
// out. Errors are thrown (UserError) and mapped to statuses in main().
using CommandFn = int (*)(const std::vector<std::string>& args);

struct Command {
  const char* name;
  const char* summary;
  CommandFn run;
};

int profile_command(const std::vector<std::string>& args);
int caps_command(const std::vector<std::string>& args);
int explain_command(const std::vector<std::string>& args);
int verify_command(const std::vector<std::string>& args);

}  // namespace capmin::cli
