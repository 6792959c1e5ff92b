// SPDX-License-Identifier: MIT
#include "cli/ProvenSet.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>

#include "analyzer/Analyzer.h"
#include "analyzer/DisplaySafe.h"
#include "cli/LaterRunsInput.h"
#include "cli/VerificationRecord.h"
#include "events/ByteEscape.h"
#include "events/CapabilityNames.h"
#include "tracer/engine/SignalForwarder.h"
#include "tracer/ptrace/CapSets.h"
#include "verify/Ablation.h"
#include "verify/OutputTee.h"
#include "verify/Verifier.h"

namespace capmin::cli {

namespace {

constexpr const char* kUntestable = "needed? cannot be tested here: capmin does not hold it";

bool holds(const std::vector<int>& set, int cap) {
  return std::find(set.begin(), set.end(), cap) != set.end();
}

// A traced run, with its profile and how it ended.
struct TracedRun {
  analyzer::Profile profile;
  verify::RunOutcome outcome;
  std::string failed;  // capmin could not make the run: why
};

TracedRun trace_withheld(const FirstRun& first, const ProofTools& tools,
                         const analyzer::RunInfo& info, const std::vector<int>& withheld) {
  tracer::LaunchSpec spec = first.spec;
  // On top of what the first run withheld (what a --unit cannot grant).
  spec.withhold.insert(spec.withhold.end(), withheld.begin(), withheld.end());
  analyzer::Analyzer analyzer(tools.rules);
  analyzer.withhold(withheld);
  std::string stopped_by;
  tracer::RunResult result;
  std::string output;
  {
    verify::OutputTee tee(/*quiet=*/true, /*receive_syslog=*/first.spec.dev_log.has_value());
    spec.dev_log = tee.dev_log();
    result = trace_once(spec, tools.rules, {&analyzer}, first.settings, &stopped_by);
    output = tee.finish();
  }
  TracedRun run;
  run.profile = analyzer.profile(info);
  run.outcome = traced_outcome(result, stopped_by, std::move(output));
  if (result.launch_failure) {
    run.failed = "it did not start: " + result.launch_failure->text();
  } else if (!result.internal_error.empty()) {
    run.failed = "capmin failed while tracing it: " + result.internal_error;
  }
  return run;
}

// The note of a capability kept because the program complained without it,
// or the kernel quietly did less.
std::string kept_note(const verify::Judgement& j) {
  for (const char* start : {"the program says ", "the kernel quietly "}) {
    if (j.why.rfind(start, 0) == 0) {
      return "needed: without it " + j.why;
    }
  }
  return "";
}

// A refusal the kernel makes without an error (a set-id bit dropped): the
// program exits as it would with the capability, so only the tracer sees
// the difference.
const analyzer::Evidence* silent_evidence(const analyzer::Finding& f) {
  for (const analyzer::Evidence& e : f.evidence) {
    if (e.err.empty()) {
      return &e;
    }
  }
  return nullptr;
}

// Whether a run without `withheld` met a silent refusal one of them would
// have cured: then it did not do what the program asked of the kernel.
std::optional<verify::Judgement> silently_refused(const analyzer::Profile& p,
                                                  const std::vector<int>& withheld) {
  auto judged = [](const analyzer::Evidence& e) {
    return verify::Judgement{false, "the kernel quietly did less in " + e.syscall + "(" + e.args +
                                        ") (no error, so the program could not tell)"};
  };
  // The run explains its refusals without what it withheld: one only they
  // cure is unresolved there.
  for (const analyzer::Unresolved& u : p.unresolved) {
    if (u.evidence.err.empty() && u.reason == analyzer::Analyzer::kWithheldOnly) {
      return judged(u.evidence);
    }
  }
  for (const analyzer::Finding& f : p.findings) {
    const analyzer::Evidence* e = holds(withheld, f.capability) ? silent_evidence(f) : nullptr;
    if (e != nullptr) {
      return judged(*e);
    }
  }
  return std::nullopt;
}

const analyzer::Finding* finding_of(const analyzer::Profile& p, int cap) {
  for (const analyzer::Finding& f : p.findings) {
    if (f.capability == cap) {
      return &f;
    }
  }
  return nullptr;
}

std::string seconds_text(double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.2f s", s);
  return buf;
}

}  // namespace

verify::RunOutcome traced_outcome(const tracer::RunResult& result, const std::string& stopped_by,
                                  std::string output) {
  verify::RunOutcome o;
  o.exit_code = result.exit_code;
  o.signal = result.signal;
  o.timed_out = stopped_by == "timeout";
  o.check_passed = stopped_by == "check";
  o.output = std::move(output);
  return o;
}

namespace {

// One proof of a profile, stage by stage: whether it can start, the
// withheld traced runs, the untraced runs, and the profile they leave.
class Proof {
 public:
  Proof(analyzer::Profile& profile, const FirstRun& first, const ProofTools& tools)
      : profile_(profile),
        first_(first),
        tools_(tools),
        start_(std::chrono::steady_clock::now()),
        input_(first.stdin_offset),
        runtime_(tools.runtime, input_),
        order_(tools.catalog.withhold_order()) {
    proof_.criterion = tools.expected.describe();
  }

  void run() {
    if (profile_.capabilities.empty()) {
      return finish(true, "nothing to prove: no refusal asked for a capability");
    }
    mark_untestable();
    if (tracer::SignalForwarder::interrupted()) {
      return finish(false,
                    "unproven: capmin was interrupted during the first run, so it made no more");
    }
    // A Ctrl-C from now on ends the proof (the runs left count as failed, so
    // nothing is dropped on their account), not capmin: the report is written.
    const tracer::SignalForwarder catcher(0);
    if (const std::string why = why_no_runs(); !why.empty()) {
      return finish(false, why);
    }
    profiles_.push_back(profile_);
    ablation_.set = profile_.capabilities;
    if (first_.spec.caps == tracer::LaunchSpec::Caps::PermittedOnly) {
      withhold_in_turn();
    }
    set_ = ablation_.set;
    keep_silent();
    const std::string unproven = prove_untraced();
    assemble();
    if (!unproven.empty()) {
      return finish(false, unproven);
    }
    finish(untestable_.empty(), summary());
  }

 private:
  // Capabilities capmin does not hold are never granted or withheld, nor
  // (without --probe-unsafe) one only calls acting on the whole machine
  // need: granting it would let the program change the clock, say, for real.
  void mark_untestable() {
    const auto own = tracer::capget_of(0);
    for (const analyzer::Finding& f : profile_.findings) {
      const int cap = f.capability;
      if (!own || (own->permitted & (std::uint64_t{1} << cap)) == 0) {
        untestable_.push_back(cap);
        untested_why_[cap] = kUntestable;
      } else if (!f.host_wide.empty() && !first_.settings.probe_unsafe) {
        untestable_.push_back(cap);
        untested_why_[cap] = "needed? not tested: granted, it would let the program change " +
                             f.host_wide + " for the whole machine (--probe-unsafe tests it)";
      }
    }
    proof_.untestable = untestable_;
    for (analyzer::Finding& f : profile_.findings) {
      if (holds(untestable_, f.capability)) {
        const std::string& why = untested_why_[f.capability];
        f.note = why + (f.note.empty() ? "" : "; " + f.note);
      }
    }
  }

  // Why no run could decide anything; "" when they can.
  std::string why_no_runs() {
    if (!tools_.can_grant) {
      return "unproven: capmin holds no capabilities, so it cannot run the program with some "
             "and not others";
    }
    first_judged_ = tools_.expected.judge(first_.outcome);
    // A deny run fails where the program needs a capability: then, with no
    // criterion of the user's, success is what the run granted the whole set
    // does (the untraced run below), not the deny run's exit status.
    const bool deny = first_.spec.caps != tracer::LaunchSpec::Caps::PermittedOnly;
    if (first_judged_.passed || (deny && !tools_.expected.user_given())) {
      return "";
    }
    return tools_.expected.user_given()
               ? "unproven: the program did not do its job even with every capability it asked "
                 "for (" +
                     first_judged_.why + "), so no run without one can show anything"
               : "unproven: the traced run ended with " + first_.outcome.describe() +
                     ", and no --check, --expect-exit or --expect-output says what success is";
  }

  // Probe mode: each capability withheld in turn (verify/Ablation.h).
  void withhold_in_turn() {
    ablation_ = verify::ablate(profile_.capabilities, order_, untestable_,
                               [this](int tried, const std::vector<int>& withheld) {
                                 return withheld_run(tried, withheld);
                               });
    for (const verify::AblationStep& step : ablation_.steps) {
      const std::size_t k = static_cast<std::size_t>(&step - ablation_.steps.data());
      const std::string label = "run " + std::to_string(k + 2) + " (probe, " +
                                events::cap_name(step.capability) +
                                " withheld): " + proof_.runs[k].outcome;
      if (step.dropped) {
        shown_by_[step.capability] = label;
      } else if (const std::string n = kept_note(step.outcome.judgement); !n.empty()) {
        notes_[step.capability] = n;
      }
    }
  }

  verify::WithheldOutcome withheld_run(int tried, const std::vector<int>& withheld) {
    TracedRun run;
    if (tracer::SignalForwarder::interrupted()) {
      run.failed = "not run: capmin was interrupted";
    } else {
      input_.before_run();
      run = trace_withheld(first_, tools_, profile_.run, withheld);
      ++proof_.run_count;
    }
    verify::WithheldOutcome out;
    out.found = run.profile.capabilities;
    out.judgement = run.failed.empty() ? tools_.expected.judge(run.outcome, &first_.outcome.output)
                                       : verify::Judgement{false, run.failed};
    if (out.judgement.passed) {
      out.judgement = silently_refused(run.profile, withheld).value_or(out.judgement);
    }
    analyzer::ProofRun record;
    record.capability = tried;
    record.withheld = withheld;
    std::copy_if(out.found.begin(), out.found.end(), std::back_inserter(record.found),
                 [&](int c) { return !holds(withheld, c); });
    record.passed = out.judgement.passed;
    record.outcome = run.outcome.describe();
    record.why = out.judgement.why;
    proof_.runs.push_back(std::move(record));
    profiles_.push_back(std::move(run.profile));
    return out;
  }

  const analyzer::Profile& adopted() const {
    return profiles_[static_cast<std::size_t>(ablation_.adopted + 1)];
  }

  // No untraced run can show a silent refusal: those capabilities stay
  // granted in every one of them, proven by the traced runs alone.
  void keep_silent() {
    for (const analyzer::Finding& f : adopted().findings) {
      if (silent_evidence(f) != nullptr) {
        silent_.push_back(f.capability);
        notes_.emplace(f.capability,
                       "needed: without it the kernel quietly does less, and the program cannot "
                       "tell (see the evidence)");
      }
    }
  }

  // Untraced: exactly the set, then without each member. A member the
  // program does without goes, one at a time, most powerful first. Returns
  // why the set is unproven, or "".
  std::string prove_untraced() {
    verify::Verification v;
    try {
      for (;;) {
        std::vector<int> testable;
        std::copy_if(set_.begin(), set_.end(), std::back_inserter(testable),
                     [&](int c) { return !holds(untestable_, c); });
        v = verify::verify(runtime_, testable, tools_.expected, /*minimal=*/true, silent_);
        proof_.run_count += static_cast<int>(v.trials.size());
        for (const verify::Trial& t : v.trials) {
          if (t.without && !t.judgement.passed) {
            if (const std::string n = kept_note(t.judgement); !n.empty()) {
              notes_.emplace(*t.without, n);
            }
          }
        }
        if (!v.works() || v.unnecessary.empty()) {
          break;
        }
        const int cap = *std::find_if(order_.begin(), order_.end(),
                                      [&](int c) { return holds(v.unnecessary, c); });
        for (const verify::Trial& t : v.trials) {
          if (t.without == cap) {
            shown_by_[cap] =
                "the untraced run (" + v.runtime + ") without it: " + t.outcome.describe();
          }
        }
        set_.erase(std::find(set_.begin(), set_.end(), cap));
      }
      profile_.verification = analyzer::display_safe(verification_record(v));
    } catch (const std::exception& e) {
      return std::string("unproven: the untraced runs could not be made: ") + e.what();
    }
    if (tracer::SignalForwarder::interrupted()) {
      return "unproven: capmin was interrupted during its runs";
    }
    if (!v.works() && !first_judged_.passed) {
      return "unproven: the deny run ended with " + first_.outcome.describe() +
             ", and so did the untraced run granted " +
             events::cap_names_text(v.capabilities, "no capabilities") + " (" +
             v.trials.front().judgement.why +
             "); no --check, --expect-exit or --expect-output says what success is";
    }
    if (!v.works()) {
      return "unproven: the program did not do its job untraced (" + v.runtime + ") with exactly " +
             events::cap_names_text(v.capabilities, "no capabilities") + ": " +
             v.trials.front().judgement.why;
    }
    return "";
  }

  // The proven set, each member with the evidence of the run it was adopted
  // from; every other capability a refusal asked for is listed as not needed.
  void assemble() {
    std::vector<analyzer::Finding> findings;
    for (int cap : set_) {
      const analyzer::Finding* f = finding_of(adopted(), cap);
      for (const analyzer::Profile& p : profiles_) {
        f = f != nullptr ? f : finding_of(p, cap);
      }
      analyzer::Finding kept = f != nullptr ? *f : analyzer::Finding{cap, {}, {}, {}, {}, {}};
      const std::string note = holds(untestable_, cap) ? untested_why_[cap]
                               : notes_.count(cap)     ? events::escape_bytes(notes_[cap])
                                                       : "";
      if (!note.empty() && kept.note.rfind(note, 0) != 0) {
        kept.note = kept.note.empty() ? note : note + "; " + kept.note;
      }
      findings.push_back(std::move(kept));
    }
    list_not_needed(profiles_.front());
    for (const verify::AblationStep& step : ablation_.steps) {
      if (step.dropped) {
        list_not_needed(profiles_[static_cast<std::size_t>(&step - ablation_.steps.data()) + 1]);
      }
    }
    profile_.capabilities = set_;
    profile_.findings = std::move(findings);
  }

  void list_not_needed(const analyzer::Profile& p) {
    for (const analyzer::Finding& f : p.findings) {
      if (holds(set_, f.capability) || holds(listed_, f.capability)) {
        continue;
      }
      listed_.push_back(f.capability);
      analyzer::NotNeeded n;
      n.finding = f;
      n.shown_by =
          events::escape_bytes(shown_by_.count(f.capability)
                                   ? shown_by_[f.capability]
                                   : "not refused in the runs that did the job without the others");
      profile_.not_needed.push_back(std::move(n));
    }
  }

  std::string summary() const {
    std::vector<int> tested;
    std::copy_if(set_.begin(), set_.end(), std::back_inserter(tested),
                 [&](int c) { return !holds(untestable_, c); });
    if (!untestable_.empty()) {
      // Part of the set is kept on trust: the proof is not complete.
      const bool unheld = std::any_of(untestable_.begin(), untestable_.end(),
                                      [this](int c) { return untested_why_.at(c) == kUntestable; });
      return "unproven: " + events::cap_names_text(untestable_) +
             (unheld ? std::string(" cannot be tested here, capmin does not hold ") +
                           (untestable_.size() > 1 ? "them" : "it")
                     : std::string(" not tested: granted, ") +
                           (untestable_.size() > 1 ? "they" : "it") +
                           " would let the program act on the whole machine (--probe-unsafe "
                           "tests it)") +
             "; " +
             (tested.empty()
                  ? std::string("nothing else was needed")
                  : "the program needs each of " + events::cap_names_text(tested) + " besides");
    }
    return set_.empty()
               ? "proven: the program does its job with no capabilities"
               : "proven: the program does its job with exactly " + events::cap_names_text(set_) +
                     (set_.size() > 1 ? ", and not without any one of them"
                                      : ", and not without it");
  }

  void finish(bool proven, std::string summary) {
    proof_.proven = proven;
    proof_.seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    proof_.summary = std::move(summary);
    if (input_.replaced() && proof_.run_count > 0) {
      proof_.summary += "; standard input was a pipe, so the later runs read /dev/null";
    }
    if (proof_.run_count > 0) {
      proof_.summary += " (" + std::to_string(proof_.run_count) + " more runs, " +
                        seconds_text(proof_.seconds) + ")";
    }
    profile_.minimal = analyzer::display_safe(std::move(proof_));
  }

  analyzer::Profile& profile_;
  const FirstRun& first_;
  const ProofTools& tools_;
  const std::chrono::steady_clock::time_point start_;
  const LaterRunsInput input_;
  SameInputRuntime runtime_;
  const std::vector<int> order_;  // most powerful first
  analyzer::MinimalProof proof_;
  verify::Judgement first_judged_;
  std::vector<int> untestable_;  // capmin does not hold them, or they act on the whole machine
  std::map<int, std::string> untested_why_;  // ... and the note each finding gets for it
  std::vector<int> silent_;                  // their absence shows only to the tracer
  // profiles_[0] is the first run's; profiles_[k] that of proof_.runs[k-1].
  std::vector<analyzer::Profile> profiles_;
  verify::Ablation ablation_;
  std::vector<int> set_;
  std::map<int, std::string> notes_;     // capability -> why it was kept
  std::map<int, std::string> shown_by_;  // capability -> the run that showed it is not needed
  std::vector<int> listed_;              // already in not_needed
};

}  // namespace

void prove_minimal(analyzer::Profile& profile, const FirstRun& first, const ProofTools& tools) {
  Proof(profile, first, tools).run();
}

}  // namespace capmin::cli
