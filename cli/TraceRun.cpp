// SPDX-License-Identifier: MIT
#include "cli/TraceRun.h"

#include <algorithm>
#include <memory>
#include <utility>

#include "cli/RuleWatch.h"
#include "tracer/launch/RunHandle.h"
#include "verify/CheckCommand.h"
#include "verify/Deadline.h"
#include "verify/TracedContainer.h"

namespace capmin::cli {

namespace {

// Probe mode asks the rule table which capabilities might cure a refusal.
class RuleCandidates final : public tracer::CandidateSource {
 public:
  RuleCandidates(const analyzer::RuleTable& rules, bool probe_unsafe)
      : rules_(rules), probe_unsafe_(probe_unsafe) {}
  std::vector<std::vector<int>> candidates(const events::SyscallEvent& event) override {
    const analyzer::Rule* r = rules_.match(event);
    return r != nullptr ? r->candidates_for(event) : std::vector<std::vector<int>>{};
  }
  std::string host_wide(const events::SyscallEvent& event) override {
    const analyzer::Rule* r = probe_unsafe_ ? nullptr : rules_.match(event);
    return r != nullptr ? r->host_wide : std::string();
  }

 private:
  const analyzer::RuleTable& rules_;
  const bool probe_unsafe_;
};

// Feeds the tracer's refusals straight into the analyzers.
class AnalyzerSink final : public tracer::EventSink {
 public:
  explicit AnalyzerSink(const std::vector<analyzer::Analyzer*>& a) : analyzers_(a) {}
  void on_refusal(events::SyscallEvent&& event) override {
    for (analyzer::Analyzer* a : analyzers_) {
      a->add(event);
    }
  }
  bool wants_stack(const events::SyscallEvent& event) const override {
    return !analyzers_.front()->seen(event);
  }

 private:
  const std::vector<analyzer::Analyzer*>& analyzers_;
};

bool holds(const std::vector<int>& set, int cap) {
  return std::find(set.begin(), set.end(), cap) != set.end();
}

}  // namespace

tracer::RunResult trace_once(const tracer::LaunchSpec& spec, const analyzer::RuleTable& rules,
                             const std::vector<analyzer::Analyzer*>& analyzers,
                             const TraceSettings& settings, std::string* stopped_by) {
  AnalyzerSink sink(analyzers);
  RuleCandidates candidates(rules, settings.probe_unsafe);
  // The handle lives longer than the Deadline whose thread signals through it.
  tracer::RunHandle program;
  std::unique_ptr<verify::TracedContainer> container;
  if (settings.container != nullptr) {
    container = std::make_unique<verify::TracedContainer>(*settings.container, spec);
  }
  tracer::LaunchSpec launched = container ? container->spec() : spec;
  launched.handle = &program;
  tracer::Engine tracer(std::move(launched), rule_watch(rules), sink,
                        settings.probe ? &candidates : nullptr);
  tracer.set_stacks(settings.stacks);
  // It signals the program alone: children the program leaves behind are
  // traced to their own end, as any orphan is. A container's check runs in
  // its network namespace.
  const verify::Deadline deadline(
      settings.timeout,
      [&program, &container](int sig) {
        if (container) {
          container->stop(sig, program);
        } else {
          program.signal(sig);
        }
      },
      container ? verify::checker(settings.check,
                                  [&program] { return verify::TracedContainer::netns(program); })
                : verify::checker(settings.check));
  tracer::RunResult result = tracer.run();
  if (container) {
    container->throw_if_runc_failed(result);
  }
  if (stopped_by != nullptr) {
    *stopped_by = deadline.check_passed() ? "check" : deadline.fired() ? "timeout" : "";
  }
  return result;
}

Iteration iterate(tracer::LaunchSpec spec, const analyzer::RuleTable& rules,
                  analyzer::Analyzer& all, const TraceSettings& settings, int max_rounds) {
  Iteration it;
  std::vector<int> granted;
  for (int round = 1; round <= max_rounds; ++round) {
    spec.caps = round == 1 ? tracer::LaunchSpec::Caps::DropAll : tracer::LaunchSpec::Caps::Grant;
    spec.grant = granted;
    analyzer::Analyzer this_round(rules);
    it.last = trace_once(spec, rules, {&all, &this_round}, settings, &it.last_stopped_by);
    if (it.last.launch_failure || !it.last.internal_error.empty()) {
      break;
    }
    analyzer::Round r;
    r.granted = granted;
    r.exit_code = it.last.exit_code;
    r.signal = it.last.signal;
    for (const analyzer::Finding& f : this_round.profile({}).findings) {
      const int cap = f.capability;
      // Never granted: what a --unit cannot grant, and what only calls
      // acting on the whole machine need (the final profile says so).
      if (holds(spec.withhold, cap) || (!f.host_wide.empty() && !settings.probe_unsafe)) {
        continue;
      }
      (holds(granted, cap) ? r.refused_again : r.found).push_back(cap);
    }
    const bool nothing_new = r.found.empty();
    granted.insert(granted.end(), r.found.begin(), r.found.end());
    std::sort(granted.begin(), granted.end());
    it.rounds.push_back(std::move(r));
    if (nothing_new) {
      break;
    }
  }
  return it;
}

}  // namespace capmin::cli
