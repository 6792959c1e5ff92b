// SPDX-License-Identifier: MIT
#include "cli/CommandArgs.h"

#include <iostream>

#include "cli/ArgSplit.h"
#include "events/Errors.h"

namespace po = boost::program_options;

namespace capmin::cli {

std::optional<std::vector<std::string>> parse_command_args(const std::vector<std::string>& args,
                                                           const po::options_description& desc,
                                                           const std::set<std::string>& with_value,
                                                           const std::string& usage) {
  SplitArgs split = split_command(args, with_value);
  po::variables_map vm;
  po::store(po::command_line_parser(split.options).options(desc).run(), vm);
  if (vm.count("help") != 0) {
    std::cout << desc << '\n';
    return std::nullopt;
  }
  po::notify(vm);
  // An image brings its own command (docker run IMAGE), and a unit its
  // ExecStart=.
  if (split.command.empty() && vm.count("image") == 0 && vm.count("unit") == 0) {
    throw UserError(usage);
  }
  return std::move(split.command);
}

}  // namespace capmin::cli
