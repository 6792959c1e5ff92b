// SPDX-License-Identifier: MIT
#include "tracer/watchers/SelfRaise.h"

#include <sys/prctl.h>

#include "tracer/engine/Prober.h"
#include "tracer/ptrace/CapSets.h"

namespace capmin::tracer {

std::vector<Interest> SelfRaise::interests() const {
  return {
      {"capset", Interest::At::Success, {}, {}, false},
      {"prctl",
       Interest::At::Success,
       {{"option", FieldCondition::Kind::OneOf, {"PR_CAP_AMBIENT"}}},
       {},
       false},
  };
}

void SelfRaise::on_exit(pid_t tid, const Call& call, long result) {
  (void)result;
  static const long capset = syscall_number(Abi::Native, "capset").value_or(-1);
  Prober& prober = engine_.prober();
  std::uint64_t raised = 0;
  if (call.native_nr == capset) {
    auto state = capget_of(tid);
    if (!state) {
      return;
    }
    // What capmin left raised after a retry is not the program's doing.
    raised = state->effective & ~prober.kept(tid);
    prober.keep_only(tid, state->effective);
  } else if (call.args[1] == PR_CAP_AMBIENT_RAISE) {
    raised = std::uint64_t{1} << (call.args[2] & 63);
  }
  if (raised == 0) {
    return;
  }
  events::SyscallEvent ev = engine_.make_event(tid, call, 0);
  ev.probed = true;
  ev.self_raised = true;
  ev.confirmed = cap_list(raised);
  engine_.report(tid, std::move(ev), {.allowed = false, .cure = {}, .why_not = {}});
}

}  // namespace capmin::tracer
