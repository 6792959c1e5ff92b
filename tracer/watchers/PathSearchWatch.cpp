// SPDX-License-Identifier: MIT
#include "tracer/watchers/PathSearchWatch.h"

#include "tracer/ptrace/ProcessInspector.h"

namespace capmin::tracer {

void PathSearchWatch::on_exec(pid_t tid) {
  if (!searches_.holding()) {
    return;  // nothing held: the new program need not even be named
  }
  const ProcessInspector& proc = engine_.inspector();
  searches_.executed({proc.exe(tid).value_or(""), proc.argv0(tid).value_or("")});
}

}  // namespace capmin::tracer
