// SPDX-License-Identifier: MIT
#pragma once

#include "tracer/engine/Tracer.h"
#include "tracer/launch/LaunchSpec.h"

namespace capmin::tracer {

// Runs a command with the identity and capabilities of `spec`, without
// tracing it (spec.traced is ignored), and waits for it. Signals sent to
// capmin are forwarded as during a traced run. For verifying a profile: the
// program runs exactly as a container runtime given that profile would
// start it.
RunResult run_untraced(LaunchSpec spec);

}  // namespace capmin::tracer
