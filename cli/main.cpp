// SPDX-License-Identifier: MIT
// The one place that catches errors and turns them into exit statuses.
#include <boost/program_options/errors.hpp>
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include "cli/Commands.h"
#include "cli/OneLine.h"
#include "events/Errors.h"

namespace {

using capmin::cli::Command;

constexpr Command kCommands[] = {
    {"profile", "run a command with no capabilities and print the least set it needs",
     capmin::cli::profile_command},
    {"verify", "run a command with exactly the capabilities given, natively or in runc",
     capmin::cli::verify_command},
    {"caps", "list the capabilities capmin knows, with what each allows",
     capmin::cli::caps_command},
    {"explain", "show what a capability allows, or which rules a system call has",
     capmin::cli::explain_command},
};

void usage(std::ostream& out) {
  out << "usage: capmin COMMAND [OPTIONS] [-- PROGRAM [ARGS...]]\n\ncommands:\n";
  for (const Command& c : kCommands) {
    out << "  " << c.name << std::string(10 - std::string(c.name).size(), ' ') << c.summary << '\n';
  }
  out << "\n'capmin COMMAND --help' describes each command's options.\n"
         "exit status: the program's own (128+N if killed by signal N); 125 when capmin\n"
         "fails, 126 when the program cannot be executed, 127 when it is not found.\n";
}

}  // namespace

int main(int argc, char** argv) {
  const std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    usage(args.empty() ? std::cerr : std::cout);
    return args.empty() ? 125 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "capmin " << CAPMIN_VERSION << '\n';
    return 0;
  }
  for (const Command& c : kCommands) {
    if (args[0] != c.name) {
      continue;
    }
    try {
      return c.run(std::vector<std::string>(args.begin() + 1, args.end()));
    } catch (const capmin::UserError& e) {
      std::cerr << "capmin: error: " << capmin::cli::one_line(e.what()) << '\n';
      return e.status();
    } catch (const boost::program_options::error& e) {
      std::cerr << "capmin: error: " << capmin::cli::one_line(e.what()) << " (see 'capmin "
                << c.name << " --help')\n";
      return 125;
    } catch (const std::exception& e) {
      std::cerr << "capmin: internal error: " << capmin::cli::one_line(e.what()) << '\n';
      return 125;
    }
  }
  std::cerr << "capmin: error: unknown command '" << capmin::cli::one_line(args[0])
            << "' (see 'capmin --help')\n";
  return 125;
}
