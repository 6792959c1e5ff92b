// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/Analyzer.h"
#include "analyzer/Profile.h"
#include "analyzer/RuleTable.h"
#include "tracer/engine/Engine.h"
#include "tracer/launch/LaunchSpec.h"
#include "verify/RuncRuntime.h"

namespace capmin::cli {

// How each traced run of `capmin profile` goes.
struct TraceSettings {
  bool probe = false;  // retry refusals with their candidates (spec.caps == PermittedOnly)
  bool stacks = true;  // record call stacks
  // A program still running after this long gets SIGTERM, then SIGKILL.
  std::optional<std::chrono::milliseconds> timeout;
  // ... or, sooner, once this shell command exits 0 (a server that answered).
  std::string check;
  // --probe-unsafe: retry, and grant in later runs, what acts on the whole
  // machine (Rule::host_wide) as well.
  bool probe_unsafe = false;
  // Set: each run is this runtime's container of an image, traced from
  // runc's execve of the container's process (verify::TracedContainer); the
  // spec then says only the capabilities, filter and /dev/log.
  verify::RuncRuntime* container = nullptr;
};

// Runs `spec` once under the tracer. Every refusal goes to each analyzer;
// call stacks are walked for refusals the first of them has not seen.
// `stopped_by`, if given, says whether capmin ended the run: "check",
// "timeout", or "".
tracer::RunResult trace_once(const tracer::LaunchSpec& spec, const analyzer::RuleTable& rules,
                             const std::vector<analyzer::Analyzer*>& analyzers,
                             const TraceSettings& settings, std::string* stopped_by = nullptr);

// deny --iterate: the rounds run, and how the last one ended.
struct Iteration {
  std::vector<analyzer::Round> rounds;
  tracer::RunResult last;
  std::string last_stopped_by;  // as trace_once says of the last round
};

// Runs `spec` with every capability dropped, then again and again with the
// capabilities found so far really granted (no injection), until a run
// finds nothing new or `max_rounds` runs are done. Every refusal of every
// round also goes to `all`, whose profile is the answer.
Iteration iterate(tracer::LaunchSpec spec, const analyzer::RuleTable& rules,
                  analyzer::Analyzer& all, const TraceSettings& settings, int max_rounds);

}  // namespace capmin::cli
