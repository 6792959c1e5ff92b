// SPDX-License-Identifier: MIT
#pragma once

#include <set>
#include <string>
#include <vector>

namespace capmin::cli {

// Splits a subcommand's arguments into capmin's options and the command to
// run: everything after "--", or (without "--") from the first argument that
// is neither an option nor an option's value, as env(1) and docker run do.
// `with_value` names the options that take a separate value ("-o", "--user").
struct SplitArgs {
  std::vector<std::string> options;
  std::vector<std::string> command;
};
SplitArgs split_command(const std::vector<std::string>& args,
                        const std::set<std::string>& with_value);

}  // namespace capmin::cli
