// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "tracer/launch/LaunchSpec.h"
#include "tracer/launch/RunHandle.h"
#include "tracer/launch/RunResult.h"
#include "verify/LauncherSetup.h"
#include "verify/RuncRuntime.h"

namespace capmin::verify {

// One traced run of a RuncRuntime's container: the tracer starts runc
// itself (in the launcher's mount and network namespaces, with capmin's
// capabilities: runc sets the container's up) and records only the tasks
// of the container's pid namespace from runc's execve of its process on.
// `asked` says how the program would run natively: its capabilities
// (DropAll: every set empty, exactly --cap-drop=ALL; PermittedOnly: capmin's
// own in the bounding and permitted sets, none effective, minus those
// withheld; Grant: exactly those), its filter and its /dev/log; the bundle
// is made from it, and removed with this object.
class TracedContainer {
 public:
  TracedContainer(RuncRuntime& runtime, const tracer::LaunchSpec& asked);
  ~TracedContainer();
  TracedContainer(const TracedContainer&) = delete;
  TracedContainer& operator=(const TracedContainer&) = delete;

  // What the tracer launches: `runc run` of the bundle.
  const tracer::LaunchSpec& spec() const { return spec_; }
  // Ends the run early, as docker stop does: SIGTERM to runc, which passes
  // it to the container's process; SIGKILL to the container itself (runc
  // kill), since runc killed would leave it running.
  void stop(int sig, const tracer::RunHandle& runc) const;
  // The container's network namespace, for a --check: runc's own, which the
  // launcher made and the container inherits.
  static std::string netns(const tracer::RunHandle& runc);
  // After the run: throws what runc logged if runc failed before the
  // container's process started (an entrypoint not found: 127), as
  // RuncRuntime::run does.
  void throw_if_runc_failed(const tracer::RunResult& result) const;

 private:
  RuncRuntime& runtime_;
  RuncRuntime::Container container_;
  LauncherSetup setup_;
  tracer::LaunchSpec spec_;
};

}  // namespace capmin::verify
