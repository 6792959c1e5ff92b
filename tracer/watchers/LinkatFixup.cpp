// SPDX-License-Identifier: MIT
#include "tracer/watchers/LinkatFixup.h"

#include <errno.h>
#include <linux/capability.h>

#include "tracer/engine/Prober.h"

namespace capmin::tracer {

std::vector<Interest> LinkatFixup::interests() const {
  return {{"linkat",
           Interest::At::Failure,
           {{"flags", FieldCondition::Kind::AnyFlag, {"AT_EMPTY_PATH"}}},
           {ENOENT},
           false}};
}

void LinkatFixup::on_exit(pid_t tid, const Call& call, long result) {
  (void)result;
  events::SyscallEvent ev;
  ev.syscall = "linkat";
  ev.err = ENOENT;
  if (auto died = engine_.prober().probe(tid, call.abi, {{CAP_DAC_READ_SEARCH}}, ev, {},
                                         /*keep=*/false)) {
    engine_.died(tid, died);
  }
  engine_.count_artefact();
}

}  // namespace capmin::tracer
