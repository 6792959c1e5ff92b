// SPDX-License-Identifier: MIT
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace capmin::cli {

// Parses the arguments of a subcommand that runs a program: capmin's options
// into the variables `desc` binds, and the command after them
// (split_command). Returns the command; nullopt when --help was asked for,
// which it has printed. Throws UserError when there is no command (`usage`
// says how to give one) unless --image (whose configuration names one) or
// --unit (its ExecStart=) was given, and boost's errors for bad options.
std::optional<std::vector<std::string>> parse_command_args(
    const std::vector<std::string>& args, const boost::program_options::options_description& desc,
    const std::set<std::string>& with_value, const std::string& usage);

}  // namespace capmin::cli
