// SPDX-License-Identifier: MIT
// Refusals no container grant could cure. A program started as root that
// moves to another effective uid loses its effective set there, in a
// container exactly as here (security/commoncap.c:cap_emulate_setxuid()),
// and after a full setuid its permitted set too. A refusal in such a thread
// (lighttpd's worker unlinking its pid file, sshd reading authorized_keys
// as the user) is not a need for a capability: granting one changes
// nothing. Unless the thread raised capabilities itself since (capset, as
// programs that keep some with PR_SET_KEEPCAPS do) or set securebits, holds
// ambient capabilities, or runs a program with file capabilities, which the
// container's bounding set would let in.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "tracer/ptrace/CapSets.h"
#include "tracer/engine/Tracer.h"

namespace capmin::tracer {

void Tracer::mark_unreachable(pid_t tid, const Task& task, events::SyscallEvent& ev) {
  const bool started_as_root = !spec_.uid || *spec_.uid == 0;
  if (!started_as_root || task.raised_caps_itself) {
    return;
  }
  const events::Arg* euid = ev.find("caller.euid");
  if (euid == nullptr || !euid->value || *euid->value == 0) {
    return;
  }
  // Ambient capabilities (raised before an execve, as `setpriv
  // --ambient-caps` does) become the effective set of a non-root program.
  if (auto ambient = inspector_.ambient_caps(tid); !ambient || *ambient != 0) {
    return;
  }
  // An execve of a program with file capabilities, or a call in one: the
  // kernel hands those to any uid.
  const events::Arg* target = ev.find("file.permitted");
  if ((target != nullptr && target->value && *target->value != 0) ||
      inspector_.file_caps(tid, AT_FDCWD, "/proc/self/exe")) {
    return;
  }
  ev.unreachable = "the thread runs as euid " + euid->text +
                   ": leaving uid 0 emptied its effective set, so no capability granted to the "
                   "container reaches this call";
}

void Tracer::note_own_capability_management(pid_t tid, Task& task, const Registers& regs) {
  const long nr = regs.syscall_nr();
  if (nr == SYS_capset && !probing()) {  // probing: after_privilege_change looks
    if (auto state = capget_of(tid); state && state->effective != 0) {
      task.raised_caps_itself = true;
    }
  } else if (nr == SYS_prctl && regs.arg(0) == PR_SET_SECUREBITS) {
    task.raised_caps_itself = true;
  }
}

}  // namespace capmin::tracer
