// SPDX-License-Identifier: MIT
#include <algorithm>
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
  const std::vector<int>& docker = policy.platform("docker").default_capabilities;
  for (const auto& [n, e] : policy.catalog.entries()) {
    const bool by_default = std::find(docker.begin(), docker.end(), n) != docker.end();
    std::cout << std::setw(2) << n << "  " << (by_default ? '*' : ' ') << ' ' << std::left
              << std::setw(24) << e.name << std::right << e.allows << '\n';
  }
  std::cout << "\n* in Docker's default set\n";
  return 0;
}

}  // namespace capmin::cli
