// SPDX-License-Identifier: MIT
#include <iomanip>
#include <iostream>

#include "cli/Commands.h"
#include "cli/Policy.h"
#include "events/Errors.h"

namespace capmin::cli {

int caps_command(const std::vector<std::string>& args) {
  if (!args.empty() && (args[0] == "--help" || args[0] == "-h")) {
    std::cout << "usage: capmin caps\n\nLists every capability: number, name, whether "
                 "Docker grants it by default (*), and what it allows.\n";
    return 0;
  }
  if (!args.empty()) {
    throw UserError("capmin caps takes no arguments");
  }
  const Policy policy = load_policy({});
  for (const auto& [n, e] : policy.catalog.entries()) {
    std::cout << std::setw(2) << n << "  " << (e.docker_default ? '*' : ' ') << ' ' << std::left
              << std::setw(24) << e.name << std::right << e.allows << '\n';
  }
  std::cout << "\n* in Docker's default set\n";
  return 0;
}

}  // namespace capmin::cli
