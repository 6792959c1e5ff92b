// SPDX-License-Identifier: MIT
#include "tracer/watchers/GatedCalls.h"

#include "tracer/launch/LaunchSpec.h"

namespace capmin::tracer {

std::vector<Interest> GatedCalls::interests() const {
  std::vector<Interest> out;
  for (const std::string& name : engine_.spec().gated_calls) {
    out.push_back({name, Interest::At::Success, {}, {}, false});
    out.push_back({name, Interest::At::Failure, {}, {}, false});
  }
  return out;
}

void GatedCalls::on_exit(pid_t tid, const Call& call, long result) {
  events::SyscallEvent event =
      engine_.make_event(tid, call, result < 0 ? static_cast<int>(-result) : 0);
  event.gated = true;
  engine_.pass_on(std::move(event));
}

}  // namespace capmin::tracer
