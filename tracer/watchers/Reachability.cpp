// SPDX-License-Identifier: MIT
#include "tracer/watchers/Reachability.h"

#include <fcntl.h>
#include <sys/prctl.h>

#include "tracer/engine/Prober.h"
#include "tracer/launch/LaunchSpec.h"
#include "tracer/ptrace/CapSets.h"
#include "tracer/ptrace/ProcessInspector.h"

namespace capmin::tracer {

namespace {

bool is_call(const events::SyscallEvent& event, const char* name) { return event.syscall == name; }

}  // namespace

std::vector<Interest> Reachability::interests() const {
  return {
      {"capset", Interest::At::Success, {}, {}, false},
      {"prctl",
       Interest::At::Success,
       {{"option", FieldCondition::Kind::OneOf, {"PR_SET_SECUREBITS"}}},
       {},
       false},
  };
}

void Reachability::on_exit(pid_t tid, const Call& call, long result) {
  (void)result;
  static const long capset = syscall_number(Abi::Native, "capset").value_or(-1);
  if (call.native_nr != capset) {
    manages_own_.insert(tid);  // securebits: SECBIT_NO_SETUID_FIXUP keeps them across uid changes
    return;
  }
  // A capset that leaves the thread an effective set of its own making
  // (what probe mode left raised after a retry is capmin's doing).
  auto state = capget_of(tid);
  if (state && (state->effective & ~engine_.prober().kept(tid)) != 0) {
    manages_own_.insert(tid);
  }
}

void Reachability::on_new_task(pid_t parent, pid_t child) {
  if (manages_own_.count(parent) != 0) {
    manages_own_.insert(child);
  }
}

void Reachability::annotate(pid_t tid, events::SyscallEvent& ev) {
  const events::Arg* option = ev.find("option");
  if (ev.err != 0 && (is_call(ev, "capset") ||
                      (is_call(ev, "prctl") && option && option->text == "PR_SET_SECUREBITS"))) {
    manages_own_.insert(tid);  // it tried: in a container it may succeed
  }
  const LaunchSpec& spec = engine_.spec();
  const bool started_as_root = !spec.uid || *spec.uid == 0;
  if (!started_as_root || manages_own_.count(tid) != 0) {
    return;
  }
  const events::Arg* euid = ev.find("caller.euid");
  if (euid == nullptr || !euid->value || *euid->value == 0) {
    return;
  }
  // Ambient capabilities (raised before an execve, as `setpriv
  // --ambient-caps` does) become the effective set of a non-root program.
  const ProcessInspector& proc = engine_.inspector();
  if (auto ambient = proc.ambient_caps(tid); !ambient || *ambient != 0) {
    return;
  }
  // An execve of a program with file capabilities, or a call in one: the
  // kernel hands those to any uid.
  const events::Arg* target = ev.find("file.permitted");
  if ((target != nullptr && target->value && *target->value != 0) ||
      proc.file_caps(tid, AT_FDCWD, "/proc/self/exe")) {
    return;
  }
  ev.unreachable = "the thread runs as euid " + euid->text +
                   ": leaving uid 0 emptied its effective set, so no capability granted to the "
                   "container reaches this call";
}

}  // namespace capmin::tracer
