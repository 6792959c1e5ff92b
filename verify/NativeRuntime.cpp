// SPDX-License-Identifier: MIT
#include "verify/NativeRuntime.h"

#include <errno.h>
#include <string.h>

#include <memory>

#include "events/Errors.h"
#include "tracer/launch/RunHandle.h"
#include "tracer/launch/UntracedRun.h"
#include "verify/CheckCommand.h"
#include "verify/Deadline.h"
#include "verify/OutputTee.h"

namespace capmin::verify {

std::string NativeRuntime::describe() const {
  const std::string files = target_.scratch.empty()
                                ? "this machine's file system"
                                : "this machine's file system (the working directory through an "
                                  "overlay of the run's own)";
  return "native: " + files +
         (target_.own_uts_ipc ? ", network and pid namespace; uts and ipc namespaces of the "
                                "run's own; no tracer"
                              : ", network and namespaces, no tracer");
}

RunOutcome NativeRuntime::run(const std::vector<int>& caps) {
  tracer::LaunchSpec spec;
  spec.argv = target_.argv;
  spec.uid = target_.uid;
  spec.gid = target_.gid;
  spec.caps = tracer::LaunchSpec::Caps::Grant;
  spec.grant = caps;
  spec.scratch = target_.scratch;
  spec.process = target_.process;
  spec.own_uts_ipc = target_.own_uts_ipc;

  std::unique_ptr<OutputTee> tee;
  if (target_.capture_output) {
    tee = std::make_unique<OutputTee>(target_.quiet, target_.receive_syslog);
    spec.dev_log = tee->dev_log();
  }
  RunOutcome outcome;
  tracer::RunResult result;
  {
    tracer::RunHandle program;
    spec.handle = &program;
    const Deadline deadline(
        target_.timeout, [&program](int sig) { program.signal(sig); }, checker(target_.check));
    result = tracer::run_untraced(spec);
    outcome.timed_out = deadline.fired();
    outcome.check_passed = deadline.check_passed();
  }
  if (tee) {
    outcome.output = tee->finish();
  }
  if (result.launch_failure) {
    const auto& f = *result.launch_failure;
    if (f.stage == tracer::LaunchFailure::Stage::Setup) {
      throw UserError("could not start '" + spec.argv[0] + "' with these capabilities: " + f.text(),
                      result.status());
    }
    // The kernel refuses the execve of a file whose capabilities the
    // bounding set lacks with EPERM (cap_bprm_creds_from_file), and a file
    // only its owner may execute with EACCES without CAP_DAC_OVERRIDE: runs
    // that failed for want of a capability, not reasons to stop.
    if (f.err == EPERM || f.err == EACCES) {
      outcome.exec_refused = strerror(f.err);
      return outcome;
    }
    throw UserError("cannot run '" + spec.argv[0] + "': " + strerror(f.err), result.status());
  }
  outcome.exit_code = result.exit_code;
  outcome.signal = result.signal;
  return outcome;
}

}  // namespace capmin::verify
