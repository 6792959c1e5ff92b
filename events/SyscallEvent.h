// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capmin::events {

// One decoded argument of a system call. `text` is what a person reads and what
// rules compare strings and flag names against ("O_WRONLY|O_CREAT", "AF_INET",
// "/etc/shadow"); `value` is the number behind it when there is one.
struct Arg {
  std::string name;
  std::string text;
  std::optional<std::int64_t> value;
};

// A system call the kernel refused, as the tracer saw it at the syscall-exit
// stop. The contract between tracer and analyzer: plain data, no behaviour
// beyond lookups.
struct SyscallEvent {
  int pid = 0;  // thread group id
  int tid = 0;
  std::string exe;
  int nr = -1;          // native number (x86_64), -1 for a 32-bit call without a native twin
  std::string syscall;  // native name: what rules name
  // A call made through another ABI than the native one (int $0x80): which,
  // and the call's name there ("i386", "chown32"). Empty for native calls.
  std::string abi;
  std::string abi_syscall;
  std::vector<Arg> args;
  int err = 0;  // positive errno value
  std::vector<std::string> stack;
  // Probe mode. `probed`: the call was retried with candidate capabilities
  // raised; `confirmed`: the set that made the retry succeed (empty if none
  // did); `probe_note`: why the call was not retried, or what was tried.
  bool probed = false;
  std::vector<int> confirmed;
  std::string probe_note;
  // The program raised these capabilities into its own effective set
  // (capset, PR_CAP_AMBIENT_RAISE): it needs them as it is written.
  bool self_raised = false;
  // Set when the program did without this call's success (an execvp PATH
  // search that went on to run the same program from another directory):
  // why, for the report; no capability is drawn from it.
  std::string tolerated;
  // Set when no capability granted to the container could reach this call
  // (the thread had left uid 0, and with it its effective set): why. The
  // refusal is reported as unresolved, never as a need.
  std::string unreachable;
  // Not a refusal: a call the platform's default seccomp profile gates
  // (LaunchSpec::gated_calls), as made, whatever the kernel answered.
  bool gated = false;

  const Arg* find(std::string_view name) const;
  // "name=text, name=text" over the arguments a person needs to see.
  std::string args_summary() const;
};

}  // namespace capmin::events
