// SPDX-License-Identifier: MIT
#include <string.h>

#include <nlohmann/json.hpp>

#include "analyzer/PodSecurity.h"
#include "analyzer/SeccompNotes.h"
#include "analyzer/emit/Formats.h"

namespace capmin::analyzer {

namespace {

using Json = nlohmann::ordered_json;

Json evidence_json(const Evidence& e) {
  Json j;
  j["syscall"] = e.syscall;
  if (!e.abi.empty()) {
    j["abi"] = e.abi;
  }
  j["args"] = e.args;
  j["errno"] = e.err;
  j["pid"] = e.pid;
  j["exe"] = e.exe;
  j["count"] = e.count;
  j["stack"] = e.stack;
  if (!e.rule.empty()) {
    j["rule"] = e.rule;
  }
  if (!e.note.empty()) {
    j["note"] = e.note;
  }
  return j;
}

Json exit_json(int exit_code, const std::optional<int>& signal) {
  Json exit;
  exit["code"] = signal ? 128 + *signal : exit_code;
  if (signal) {
    const char* abbrev = sigabbrev_np(*signal);
    exit["signal"] = abbrev != nullptr ? std::string("SIG") + abbrev : std::to_string(*signal);
  } else {
    exit["signal"] = nullptr;
  }
  return exit;
}

Json rounds_json(const std::vector<Round>& rounds) {
  Json list = Json::array();
  for (std::size_t i = 0; i < rounds.size(); ++i) {
    const Round& r = rounds[i];
    list.push_back({{"round", i + 1},
                    {"granted", full_names(r.granted)},
                    {"found", full_names(r.found)},
                    {"refused_again", full_names(r.refused_again)},
                    {"exit", exit_json(r.exit_code, r.signal)}});
  }
  return list;
}

// How one run of a proof went, as each kind of run reports it.
void run_outcome_json(Json& j, bool passed, const std::string& outcome, const std::string& why) {
  j["passed"] = passed;
  j["outcome"] = outcome;
  if (!why.empty()) {
    j["why"] = why;
  }
}

Json verification_json(const Verification& v) {
  Json j;
  j["runtime"] = v.runtime;
  j["details"] = v.details;
  j["criterion"] = v.criterion;
  j["capabilities"] = full_names(v.capabilities);
  j["works"] = v.works;
  j["passed"] = v.passed;
  j["unnecessary"] = full_names(v.unnecessary);
  j["runs"] = Json::array();
  for (const VerificationRun& r : v.runs) {
    Json rj;
    rj["without"] = r.without ? Json(full_names({*r.without}).front()) : Json(nullptr);
    run_outcome_json(rj, r.passed, r.outcome, r.why);
    j["runs"].push_back(std::move(rj));
  }
  j["summary"] = v.summary;
  return j;
}

// profile --unit: the unit, what it sets and what it can grant.
Json unit_json(const UnitInfo& u) {
  auto set = [](const std::optional<std::vector<int>>& caps) {
    return caps ? Json(full_names(*caps)) : Json(nullptr);
  };
  return Json{{"file", u.file},
              {"name", u.name},
              {"drop_ins", u.drop_ins},
              {"user", u.user},
              {"dynamic_user", u.dynamic_user},
              {"group", u.group},
              {"working_directory", u.working_directory},
              {"capability_bounding_set", set(u.bounding)},
              {"ambient_capabilities", set(u.ambient)},
              {"can_grant", full_names(u.upper_bound)},
              {"bound_by", u.bound_by},
              {"not_emulated", u.not_emulated}};
}

Json finding_json(const Finding& f) {
  Json fj;
  fj["capability"] = full_names({f.capability}).front();
  fj["confidence"] = confidence_name(f.confidence);
  fj["reason"] = f.reason;
  if (!f.note.empty()) {
    fj["note"] = f.note;
  }
  if (!f.host_wide.empty()) {
    fj["host_wide"] = f.host_wide;  // what it would change for the whole machine
  }
  fj["evidence"] = Json::array();
  for (const Evidence& e : f.evidence) {
    fj["evidence"].push_back(evidence_json(e));
  }
  return fj;
}

Json minimal_json(const MinimalProof& m) {
  Json j;
  j["proven"] = m.proven;
  j["summary"] = m.summary;
  j["criterion"] = m.criterion;
  j["runs"] = Json::array();
  for (const ProofRun& r : m.runs) {
    Json rj;
    rj["capability"] = full_names({r.capability}).front();
    rj["withheld"] = full_names(r.withheld);
    rj["found"] = full_names(r.found);
    run_outcome_json(rj, r.passed, r.outcome, r.why);
    j["runs"].push_back(std::move(rj));
  }
  j["run_count"] = m.run_count;
  j["seconds"] = m.seconds;
  j["untestable"] = full_names(m.untestable);
  return j;
}

}  // namespace

void JsonEmitter::emit(const Profile& p, std::ostream& out) const {
  Json j;
  j["schema"] = 1;
  j["capmin_version"] = p.run.capmin_version;
  j["command"] = p.run.command;
  if (!p.run.image.empty()) {
    j["image"] = p.run.image;  // the command ran in a container of it
    j["image_name"] = p.run.image_name;
  }
  if (p.run.unit) {
    j["unit"] = unit_json(*p.run.unit);
  }
  if (!p.platform.name.empty()) {
    j["platform"] = p.platform.name;
    if (!p.run.image.empty()) {
      // What the container's network namespace was given, as the platform does.
      Json sysctls = Json::object();
      for (const Platform::Sysctl& s : p.platform.network_sysctls) {
        sysctls[s.name] = s.value;
      }
      j["network_sysctls"] = sysctls;
    }
    Json gated = Json::array();
    for (const SeccompNote& n : seccomp_notes(p)) {
      gated.push_back({{"syscall", n.call.syscall},
                       {"args", n.call.args},
                       {"errno", n.call.err},
                       {"exe", n.call.exe},
                       {"count", n.call.count},
                       {"passes_with", full_names(n.capabilities)},
                       {"held", n.held}});
    }
    if (!gated.empty()) {
      j["seccomp_gated_calls"] = gated;  // what the platform's default profile would do
    }
    if (const auto pss = pod_security(p)) {
      j["pod_security"] = {{"baseline", pss->baseline},
                           {"restricted", pss->restricted},
                           {"breaks", pss->breaks},
                           {"notes", pss->notes}};
    }
  }
  j["mode"] = p.run.mode;
  j["mode_reason"] = p.run.mode_reason;
  j["tracing"] = p.run.tracing;
  j["user"] = {{"uid", p.run.uid}, {"gid", p.run.gid}};
  j["contained_by"] = p.run.contained_by;
  j["exit"] = exit_json(p.run.exit_code, p.run.signal);
  if (!p.run.stopped_by.empty()) {
    // capmin ended the run: "check" (the --check passed) or "timeout".
    j["exit"]["stopped_by"] = p.run.stopped_by;
    if (!p.run.check.empty()) {
      j["exit"]["check_passed"] = p.run.stopped_by == "check";
    }
  }
  if (!p.run.internal_error.empty()) {
    // capmin failed while tracing: the profile is partial.
    j["error"] = p.run.internal_error;
  }
  j["capabilities"] = full_names(p.capabilities);
  j["findings"] = Json::array();
  for (const Finding& f : p.findings) {
    j["findings"].push_back(finding_json(f));
  }
  if (p.minimal) {
    // Refused, but the program does its job without them.
    j["not_needed"] = Json::array();
    for (const NotNeeded& n : p.not_needed) {
      Json nj = finding_json(n.finding);
      nj["shown_by"] = n.shown_by;
      j["not_needed"].push_back(std::move(nj));
    }
  }
  for (const auto& [key, list] :
       {std::pair{"unresolved", &p.unresolved}, std::pair{"tolerated", &p.tolerated}}) {
    j[key] = Json::array();
    for (const Unresolved& u : *list) {
      Json uj = evidence_json(u.evidence);
      uj["reason"] = u.reason;
      if (!u.outside_unit.empty()) {
        uj["outside_unit"] = full_names(u.outside_unit);
      }
      j[key].push_back(std::move(uj));
    }
  }
  if (!p.rounds.empty()) {
    j["rounds"] = rounds_json(p.rounds);
  }
  if (p.verification) {
    j["verification"] = verification_json(*p.verification);
  }
  if (p.minimal) {
    j["minimal"] = minimal_json(*p.minimal);
  }
  // The profile's strings are escaped to valid UTF-8 (Profile.h); should one
  // ever slip through raw, a U+FFFD in its place costs less than the report.
  out << j.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace capmin::analyzer
