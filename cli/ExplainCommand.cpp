// SPDX-License-Identifier: MIT
#include <algorithm>
#include <iostream>

#include "cli/Commands.h"
#include "cli/Policy.h"
#include "events/CapabilityNames.h"
#include "events/Errno.h"
#include "events/Errors.h"
#include "events/SyscallNames.h"

namespace capmin::cli {

namespace {

void print_rule(const analyzer::Rule& r) {
  std::cout << "  " << r.id << "  (" << r.origin << ")\n    ";
  for (std::size_t i = 0; i < r.syscalls.size(); ++i) {
    std::cout << (i ? ", " : "") << r.syscalls[i];
  }
  std::cout << " -> ";
  for (std::size_t i = 0; i < r.errnos.size(); ++i) {
    std::cout << (i ? "|" : "") << events::errno_name(r.errnos[i]);
  }
  std::cout << "\n    " << r.reason << "\n    candidates: ";
  if (!r.candidates_from.empty()) {
    std::cout << "the capabilities the call names in";
    for (const std::string& f : r.candidates_from) {
      std::cout << ' ' << f;
    }
    std::cout << ", together";
  } else if (r.candidates.empty()) {
    std::cout << "none (no capability cures it)";
  }
  for (std::size_t i = 0; i < r.candidates.size(); ++i) {
    std::cout << (i ? ", then " : "");
    for (std::size_t j = 0; j < r.candidates[i].size(); ++j) {
      std::cout << (j ? "+" : "") << events::cap_name(r.candidates[i][j]);
    }
  }
  std::cout << '\n';
  if (!r.source.empty()) {
    std::cout << "    kernel: " << r.source << '\n';
  }
}

}  // namespace

int explain_command(const std::vector<std::string>& args) {
  if (args.size() != 1 || args[0] == "--help" || args[0] == "-h") {
    std::cout << "usage: capmin explain CAPABILITY|SYSCALL\n\nFor a capability: what it "
                 "allows, what an attacker gets, and the rules that name it.\nFor a system "
                 "call: the rules that explain its refusals.\n";
    return args.size() == 1 ? 0 : 125;
  }
  const Policy policy = load_policy({});
  const std::string& what = args[0];
  if (auto cap = events::cap_from_name(what)) {
    if (const auto* e = policy.catalog.find(*cap)) {
      const std::vector<int>& docker = policy.platform("docker").default_capabilities;
      const bool by_default = std::find(docker.begin(), docker.end(), *cap) != docker.end();
      std::cout << e->name << " (" << e->number << ")"
                << (by_default ? ", in Docker's default set" : ", not in Docker's default set")
                << "\n  allows:   " << e->allows << "\n  attacker: " << e->attacker << "\n\n";
    }
    std::cout << "rules that name it:\n";
    for (const auto& layer : policy.rules.layers()) {
      for (const auto& r : layer) {
        const bool names = std::any_of(
            r.candidates.begin(), r.candidates.end(),
            [&](const auto& s) { return std::find(s.begin(), s.end(), *cap) != s.end(); });
        if (names) {
          print_rule(r);
        }
      }
    }
    return 0;
  }
  if (events::syscall_number(what)) {
    std::cout << "rules for " << what << ":\n";
    for (const auto& layer : policy.rules.layers()) {
      for (const auto& r : layer) {
        if (std::find(r.syscalls.begin(), r.syscalls.end(), what) != r.syscalls.end()) {
          print_rule(r);
        }
      }
    }
    return 0;
  }
  std::string hint;
  auto close = events::cap_close_names(what);
  if (!close.empty()) {
    hint = " (did you mean " + close.front() + "?)";
  }
  throw UserError("'" + what + "' is neither a capability nor a system call" + hint);
}

}  // namespace capmin::cli
