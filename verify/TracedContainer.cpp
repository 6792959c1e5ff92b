// SPDX-License-Identifier: MIT
#include "verify/TracedContainer.h"

#include <signal.h>

#include <algorithm>

#include "tracer/ptrace/CapSets.h"

namespace capmin::verify {

namespace {

// The capabilities of the container's process for a run asked as `asked`.
BundleSpec container_of(const RuncRuntime& runtime, const tracer::LaunchSpec& asked) {
  std::vector<int> caps;
  bool effective = true;
  switch (asked.caps) {
    case tracer::LaunchSpec::Caps::DropAll:
    case tracer::LaunchSpec::Caps::Keep:
      break;
    case tracer::LaunchSpec::Caps::Grant:
      caps = asked.grant;
      break;
    case tracer::LaunchSpec::Caps::PermittedOnly: {
      effective = false;
      const auto own = tracer::capget_of(0);
      for (int c = 0; c < 64 && own; ++c) {
        const bool held = (own->permitted & (std::uint64_t{1} << c)) != 0;
        if (held &&
            std::find(asked.withhold.begin(), asked.withhold.end(), c) == asked.withhold.end()) {
          caps.push_back(c);
        }
      }
      break;
    }
  }
  BundleSpec spec = runtime.bundle_spec(caps);
  spec.effective = effective;
  if (asked.dev_log) {
    spec.dev_log = asked.dev_log->socket;
  }
  return spec;
}

}  // namespace

TracedContainer::TracedContainer(RuncRuntime& runtime, const tracer::LaunchSpec& asked)
    : runtime_(runtime),
      container_(runtime.container(container_of(runtime, asked))),
      setup_(container_.mounts) {
  spec_.argv = container_.argv;
  spec_.caps = tracer::LaunchSpec::Caps::Keep;
  // runc takes the identity; the watchers judge the program by it.
  spec_.uid = runtime.target().uid.value_or(0);
  spec_.gid = runtime.target().gid.value_or(0);
  spec_.seccomp = asked.seccomp;  // inherited by runc, and so by the container's process
  spec_.setup = [this] { return setup_.apply(); };
  spec_.record_in_own_pid_namespace = true;
  spec_.gated_calls = asked.gated_calls;
}

TracedContainer::~TracedContainer() {
  // `runc run` removes the container when it ends; this is for when runc
  // itself did not get that far.
  container_.control({"delete", "--force", container_.id});
}

void TracedContainer::stop(int sig, const tracer::RunHandle& runc) const {
  if (sig == SIGTERM) {
    runc.signal(SIGTERM);
  } else {
    container_.control({"kill", container_.id, "KILL"});
  }
}

std::string TracedContainer::netns(const tracer::RunHandle& runc) {
  return "/proc/" + std::to_string(runc.pid()) + "/ns/net";
}

void TracedContainer::throw_if_runc_failed(const tracer::RunResult& result) const {
  // Once the container's process ran, what runc logs is about its own
  // clean-up (a cgroup it could not remove in time), not the program's run.
  if (result.status() != 0 && !result.program_started) {
    runtime_.throw_if_runc_failed(container_);
  }
}

}  // namespace capmin::verify
