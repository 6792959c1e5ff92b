// SPDX-License-Identifier: MIT
#include "tracer/watchers/EffectiveSetClearing.h"

#include "tracer/engine/Prober.h"

namespace capmin::tracer {

std::vector<Interest> EffectiveSetClearing::interests() const {
  std::vector<Interest> out = {{Interest::kEveryCall, Interest::At::Entry, {}, {}, true}};
  for (const char* uid_change : {"setuid", "setreuid", "setresuid", "setfsuid"}) {
    out.push_back({uid_change, Interest::At::Success, {}, {}, false});
  }
  return out;
}

Watcher::Entry EffectiveSetClearing::on_entry(pid_t tid, Call& call) {
  if (pending_.erase(tid) == 0) {
    return Entry::Made;
  }
  const Prober::Cleared c =
      engine_.prober().clear_effective(tid, RemoteSyscall::At::Entry, call.abi);
  if (c.died) {
    engine_.died(tid, c.died);
  }
  // The capset ran in place of the call, which the thread now makes again.
  return c.injected ? Entry::Restarted : Entry::Made;
}

void EffectiveSetClearing::on_exit(pid_t tid, const Call& call, long result) {
  (void)result;
  const Prober::Cleared c =
      engine_.prober().clear_effective(tid, RemoteSyscall::At::Exit, call.abi);
  if (c.died) {
    engine_.died(tid, c.died);
  }
}

}  // namespace capmin::tracer
