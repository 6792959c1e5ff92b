// SPDX-License-Identifier: MIT
#include "tracer/watchers/RuleRefusals.h"

namespace capmin::tracer {

std::vector<Interest> RuleRefusals::interests() const {
  std::vector<Interest> out;
  for (const RuleWatch::Call& c : rules_.calls) {
    out.push_back({c.syscall, Interest::At::Failure, c.when, {}, false});
  }
  return out;
}

void RuleRefusals::on_exit(pid_t tid, const Call& call, long result) {
  const int err = static_cast<int>(-result);
  if (result >= 0 || !rules_.errors.wants(static_cast<int>(call.native_nr), err)) {
    return;  // a failure some other watcher wanted
  }
  engine_.report(tid, engine_.make_event(tid, call, err));
}

}  // namespace capmin::tracer
