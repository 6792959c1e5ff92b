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
  spec.withhold = withheld;
  analyzer::Analyzer analyzer(tools.rules);
  analyzer.withhold(withheld);
  std::string stopped_by;
  tracer::RunResult result;
  std::string output;
  {
    verify::OutputTee tee(/*quiet=*/true);
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

void prove_minimal(analyzer::Profile& profile, const FirstRun& first, const ProofTools& tools) {
  const auto start = std::chrono::steady_clock::now();
  const LaterRunsInput input(first.stdin_offset);
  SameInputRuntime runtime(tools.runtime, input);
  analyzer::MinimalProof proof;
  proof.criterion = tools.expected.describe();
  auto done = [&](bool proven, std::string summary) {
    proof.proven = proven;
    proof.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    proof.summary = std::move(summary);
    if (input.replaced() && proof.run_count > 0) {
      proof.summary += "; standard input was a pipe, so the later runs read /dev/null";
    }
    if (proof.run_count > 0) {
      proof.summary += " (" + std::to_string(proof.run_count) + " more runs, " +
                       seconds_text(proof.seconds) + ")";
    }
    profile.minimal = analyzer::display_safe(std::move(proof));
  };

  if (profile.capabilities.empty()) {
    return done(true, "nothing to prove: no refusal asked for a capability");
  }
  std::vector<int> untestable;
  const auto own = tracer::capget_of(0);
  for (int cap : profile.capabilities) {
    if (!own || (own->permitted & (std::uint64_t{1} << cap)) == 0) {
      untestable.push_back(cap);
    }
  }
  proof.untestable = untestable;
  for (analyzer::Finding& f : profile.findings) {
    if (holds(untestable, f.capability)) {
      f.note = std::string(kUntestable) + (f.note.empty() ? "" : "; " + f.note);
    }
  }
  if (tracer::SignalForwarder::interrupted()) {
    return done(false, "unproven: capmin was interrupted during the first run, so it made no more");
  }
  // A Ctrl-C from now on ends the proof (the runs left count as failed, so
  // nothing is dropped on their account), not capmin: the report is written.
  const tracer::SignalForwarder catcher(0);
  if (!tools.can_grant) {
    return done(false,
                "unproven: capmin holds no capabilities, so it cannot run the program with some "
                "and not others");
  }
  const verify::Judgement first_judged = tools.expected.judge(first.outcome);
  // A deny run fails where the program needs a capability: then, with no
  // criterion of the user's, success is what the run granted the whole set
  // does (the untraced run below), not the deny run's exit status.
  const bool deny = first.spec.caps != tracer::LaunchSpec::Caps::PermittedOnly;
  const bool granted_run_decides = deny && !tools.expected.user_given();
  if (!first_judged.passed && !granted_run_decides) {
    return done(false,
                tools.expected.user_given()
                    ? "unproven: the program did not do its job even with every capability it "
                      "asked for (" +
                          first_judged.why + "), so no run without one can show anything"
                    : "unproven: the traced run ended with " + first.outcome.describe() +
                          ", and no --check, --expect-exit or --expect-output says what success "
                          "is");
  }

  const std::vector<int> order = tools.catalog.withhold_order();
  auto most_powerful = [&order](const std::vector<int>& caps) {
    return *std::find_if(order.begin(), order.end(), [&](int c) { return holds(caps, c); });
  };

  // profiles[0] is the first run's; profiles[k] that of proof.runs[k-1].
  std::vector<analyzer::Profile> profiles{profile};
  std::map<int, std::string> notes;     // capability -> why it was kept
  std::map<int, std::string> shown_by;  // capability -> the run that showed it is not needed
  verify::Ablation ablation;
  ablation.set = profile.capabilities;
  if (first.spec.caps == tracer::LaunchSpec::Caps::PermittedOnly) {
    ablation = verify::ablate(
        profile.capabilities, order, untestable, [&](int tried, const std::vector<int>& withheld) {
          TracedRun run;
          if (tracer::SignalForwarder::interrupted()) {
            run.failed = "not run: capmin was interrupted";
          } else {
            input.before_run();
            run = trace_withheld(first, tools, profile.run, withheld);
            ++proof.run_count;
          }
          verify::WithheldOutcome out;
          out.found = run.profile.capabilities;
          out.judgement = run.failed.empty()
                              ? tools.expected.judge(run.outcome, &first.outcome.output)
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
          proof.runs.push_back(std::move(record));
          profiles.push_back(std::move(run.profile));
          return out;
        });
    for (const verify::AblationStep& step : ablation.steps) {
      const std::string label = "run " + std::to_string(&step - ablation.steps.data() + 2) +
                                " (probe, " + events::cap_name(step.capability) +
                                " withheld): " + proof.runs[&step - ablation.steps.data()].outcome;
      if (step.dropped) {
        shown_by[step.capability] = label;
      } else if (const std::string n = kept_note(step.outcome.judgement); !n.empty()) {
        notes[step.capability] = n;
      }
    }
  }
  std::vector<int> set = ablation.set;
  const analyzer::Profile& adopted = profiles[static_cast<std::size_t>(ablation.adopted + 1)];
  // No untraced run can show a silent refusal: those capabilities stay
  // granted in every one of them, proven by the traced runs alone.
  std::vector<int> silent;
  for (const analyzer::Finding& f : adopted.findings) {
    if (silent_evidence(f) != nullptr) {
      silent.push_back(f.capability);
      notes.emplace(f.capability,
                    "needed: without it the kernel quietly does less, and the program cannot "
                    "tell (see the evidence)");
    }
  }

  // Untraced: exactly the set, then without each member. A member the
  // program does without goes, one at a time, most powerful first.
  std::string unproven;
  verify::Verification v;
  try {
    for (;;) {
      std::vector<int> testable;
      std::copy_if(set.begin(), set.end(), std::back_inserter(testable),
                   [&](int c) { return !holds(untestable, c); });
      v = verify::verify(runtime, testable, tools.expected, /*minimal=*/true, silent);
      proof.run_count += static_cast<int>(v.trials.size());
      for (const verify::Trial& t : v.trials) {
        if (t.without && !t.judgement.passed) {
          if (const std::string n = kept_note(t.judgement); !n.empty()) {
            notes.emplace(*t.without, n);
          }
        }
      }
      if (!v.works() || v.unnecessary.empty()) {
        break;
      }
      const int cap = most_powerful(v.unnecessary);
      for (const verify::Trial& t : v.trials) {
        if (t.without == cap) {
          shown_by[cap] =
              "the untraced run (" + v.runtime + ") without it: " + t.outcome.describe();
        }
      }
      set.erase(std::find(set.begin(), set.end(), cap));
    }
    if (tracer::SignalForwarder::interrupted()) {
      unproven = "unproven: capmin was interrupted during its runs";
    } else if (!v.works() && !first_judged.passed) {
      unproven = "unproven: the deny run ended with " + first.outcome.describe() +
                 ", and so did the untraced run granted " +
                 events::cap_names_text(v.capabilities, "no capabilities") + " (" +
                 v.trials.front().judgement.why +
                 "); no --check, --expect-exit or --expect-output says what success is";
    } else if (!v.works()) {
      unproven = "unproven: the program did not do its job untraced (" + v.runtime +
                 ") with exactly " + events::cap_names_text(v.capabilities, "no capabilities") +
                 ": " + v.trials.front().judgement.why;
    }
    profile.verification = analyzer::display_safe(verification_record(v));
  } catch (const std::exception& e) {
    unproven = std::string("unproven: the untraced runs could not be made: ") + e.what();
  }

  // The proven set, each member with the evidence of the run it was adopted
  // from; every other capability a refusal asked for is listed as not needed.
  std::vector<analyzer::Finding> findings;
  for (int cap : set) {
    const analyzer::Finding* f = finding_of(adopted, cap);
    for (const analyzer::Profile& p : profiles) {
      f = f != nullptr ? f : finding_of(p, cap);
    }
    analyzer::Finding kept = f != nullptr ? *f : analyzer::Finding{cap, {}, {}, {}, {}};
    const std::string note = holds(untestable, cap) ? kUntestable
                             : notes.count(cap)     ? events::escape_bytes(notes[cap])
                                                    : "";
    if (!note.empty() && kept.note.rfind(note, 0) != 0) {
      kept.note = kept.note.empty() ? note : note + "; " + kept.note;
    }
    findings.push_back(std::move(kept));
  }
  std::vector<int> listed;
  auto list_not_needed = [&](const analyzer::Profile& p, const std::string& fallback) {
    for (const analyzer::Finding& f : p.findings) {
      if (holds(set, f.capability) || holds(listed, f.capability)) {
        continue;
      }
      listed.push_back(f.capability);
      analyzer::NotNeeded n;
      n.finding = f;
      n.shown_by =
          events::escape_bytes(shown_by.count(f.capability) ? shown_by[f.capability] : fallback);
      profile.not_needed.push_back(std::move(n));
    }
  };
  list_not_needed(profiles.front(), "not refused in the runs that did the job without the others");
  for (const verify::AblationStep& step : ablation.steps) {
    if (step.dropped) {
      const std::size_t k = static_cast<std::size_t>(&step - ablation.steps.data()) + 1;
      list_not_needed(profiles[k], "not refused in the runs that did the job without the others");
    }
  }
  profile.capabilities = set;
  profile.findings = std::move(findings);
  if (!unproven.empty()) {
    return done(false, unproven);
  }
  std::vector<int> tested;
  std::copy_if(set.begin(), set.end(), std::back_inserter(tested),
               [&](int c) { return !holds(untestable, c); });
  if (!untestable.empty()) {
    // Part of the set is kept on trust: the proof is not complete.
    return done(false, "unproven: " + events::cap_names_text(untestable) +
                           " cannot be tested here, capmin does not hold " +
                           (untestable.size() > 1 ? "them" : "it") + "; " +
                           (tested.empty() ? std::string("nothing else was needed")
                                           : "the program needs each of " +
                                                 events::cap_names_text(tested) + " besides"));
  }
  done(true,
       set.empty()
           ? "proven: the program does its job with no capabilities"
           : "proven: the program does its job with exactly " + events::cap_names_text(set) +
                 (set.size() > 1 ? ", and not without any one of them" : ", and not without it"));
}

}  // namespace capmin::cli
