// SPDX-License-Identifier: MIT
// The rule-file loader on arbitrary text. A malformed file is the user's
// mistake and must end in UserError; any other exception, a crash or a hang is
// a bug. A file that loads is layered over a small base table and matched
// against a few refusals, as capmin matches the tracer's events.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "analyzer/RuleTable.h"
#include "events/Errors.h"
#include "events/SyscallEvent.h"
#include "events/SyscallNames.h"

namespace {

using capmin::events::Arg;
using capmin::events::SyscallEvent;

// A layer underneath, so that id replacement across layers runs too.
constexpr const char* kBase = R"(rules:
  - id: bind-privileged-port
    syscalls: [bind]
    errno: EACCES
    when:
      addr.port: {lt: 1024}
    candidates: [CAP_NET_BIND_SERVICE]
    reason: base
  - id: open-dac
    syscalls: [open, openat]
    errno: [EACCES]
    candidates: [CAP_DAC_READ_SEARCH, CAP_DAC_OVERRIDE]
    reason: base
)";

SyscallEvent event(const char* syscall, int err, std::vector<Arg> args) {
  SyscallEvent e;
  e.pid = e.tid = 4242;
  e.exe = "/usr/bin/fuzz";
  e.syscall = syscall;
  e.nr = capmin::events::syscall_number(syscall).value_or(-1);
  e.err = err;
  e.args = std::move(args);
  return e;
}

// Refusals with the arguments rules usually look at.
const std::vector<SyscallEvent>& sample_events() {
  static const std::vector<SyscallEvent> events = {
      event("openat", EACCES,
            {{"dirfd", "AT_FDCWD", -100},
             {"path", "/etc/shadow", std::nullopt},
             {"flags", "O_RDONLY|O_CLOEXEC", 02000000},
             {"mode", "0000", 0},
             {"file.exists", "yes", 1},
             {"file.uid", "0", 0},
             {"file.mode", "0640", 0640},
             {"parent.mode", "01777", 01777},
             {"caller.fsuid", "0", 0}}),
      event("bind", EACCES,
            {{"fd", "3", 3},
             {"addr", "0.0.0.0:80", std::nullopt},
             {"addr.ip", "0.0.0.0", std::nullopt},
             {"addr.port", "80", 80},
             {"addr.family", "AF_INET", 2}}),
      event("socket", EPERM,
            {{"domain", "AF_PACKET", 17}, {"type", "SOCK_RAW", 3}, {"protocol", "0x300", 768}}),
      event("kill", EPERM, {{"pid", "1", 1}, {"sig", "SIGTERM", 15}, {"target.same_uid", "no", 0}}),
      event("mount", EPERM, {{"source", "none", std::nullopt}, {"flags", "MS_RDONLY", 1}}),
      event("setuid", EPERM, {{"uid", "-1", -1}}),
      event("capset", EPERM,
            {{"pid", "0", 0},
             {"effective", "CAP_NET_ADMIN|CAP_SYS_TIME", std::nullopt},
             {"permitted", "CAP_NET_ADMIN|CAP_SYS_TIME|CAP_41", std::nullopt}}),
      event("execve", EPERM,
            {{"path", "/usr/bin/ping", std::nullopt},
             {"file.caps", "cap_net_raw=ep", std::nullopt},
             {"file.permitted", "CAP_NET_RAW", std::nullopt}}),
      event("prctl", EPERM,
            {{"option", "PR_CAP_AMBIENT", 47},
             {"arg2", "PR_CAP_AMBIENT_RAISE", 2},
             {"cap", "CAP_SYS_NICE", 23}}),
      event("unshare", EPERM, {}),
  };
  return events;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  capmin::analyzer::RuleTable table;
  table.load_string(kBase, "base.yaml");
  try {
    table.load_string(std::string(reinterpret_cast<const char*>(data), size), "fuzz.yaml");
  } catch (const capmin::UserError&) {
    return 0;  // the expected answer to a malformed file
  }
  for (const SyscallEvent& e : sample_events()) {
    if (const auto* rule = table.match(e)) {
      (void)rule->candidates_for(e);
    }
  }
  (void)table.watched();
  return 0;
}
