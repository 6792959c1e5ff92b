// SPDX-License-Identifier: MIT
#include <string.h>

#include <nlohmann/json.hpp>

#include "analyzer/emit/Formats.h"

namespace capmin::analyzer {

namespace {

using Json = nlohmann::ordered_json;

Json evidence_json(const Evidence& e) {
  Json j;
  j["syscall"] = e.syscall;
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

}  // namespace

void JsonEmitter::emit(const Profile& p, std::ostream& out) const {
  Json j;
  j["schema"] = 1;
  j["capmin_version"] = p.run.capmin_version;
  j["command"] = p.run.command;
  j["mode"] = p.run.mode;
  j["mode_reason"] = p.run.mode_reason;
  j["tracing"] = p.run.tracing;
  j["user"] = {{"uid", p.run.uid}, {"gid", p.run.gid}};
  Json exit;
  exit["code"] = p.run.signal ? 128 + *p.run.signal : p.run.exit_code;
  if (p.run.signal) {
    const char* abbrev = sigabbrev_np(*p.run.signal);
    exit["signal"] =
        abbrev != nullptr ? std::string("SIG") + abbrev : std::to_string(*p.run.signal);
  } else {
    exit["signal"] = nullptr;
  }
  j["exit"] = exit;
  j["capabilities"] = full_names(p.capabilities);
  j["findings"] = Json::array();
  for (const Finding& f : p.findings) {
    Json fj;
    fj["capability"] = full_names({f.capability}).front();
    fj["confidence"] = confidence_name(f.confidence);
    fj["reason"] = f.reason;
    if (!f.note.empty()) {
      fj["note"] = f.note;
    }
    fj["evidence"] = Json::array();
    for (const Evidence& e : f.evidence) {
      fj["evidence"].push_back(evidence_json(e));
    }
    j["findings"].push_back(std::move(fj));
  }
  for (const auto& [key, list] :
       {std::pair{"unresolved", &p.unresolved}, std::pair{"tolerated", &p.tolerated}}) {
    j[key] = Json::array();
    for (const Unresolved& u : *list) {
      Json uj = evidence_json(u.evidence);
      uj["reason"] = u.reason;
      j[key].push_back(std::move(uj));
    }
  }
  out << j.dump(2) << '\n';
}

}  // namespace capmin::analyzer
