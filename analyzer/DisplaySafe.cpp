// SPDX-License-Identifier: MIT
#include "analyzer/DisplaySafe.h"

#include "events/ByteEscape.h"

namespace capmin::analyzer {

namespace {

void escape(std::string& text) { text = events::escape_bytes(text); }

void escape(std::vector<std::string>& texts) {
  for (std::string& t : texts) {
    escape(t);
  }
}

}  // namespace

Evidence display_safe(Evidence raw) {
  escape(raw.syscall);
  escape(raw.abi);
  escape(raw.args);
  escape(raw.err);
  escape(raw.exe);
  escape(raw.stack);
  escape(raw.rule);
  escape(raw.note);
  return raw;
}

RunInfo display_safe(RunInfo raw) {
  escape(raw.command);
  escape(raw.image);
  escape(raw.image_name);
  escape(raw.image_command);
  escape(raw.mode);
  escape(raw.mode_reason);
  escape(raw.tracing);
  escape(raw.stopped_by);
  escape(raw.check);
  escape(raw.capmin_version);
  escape(raw.internal_error);
  escape(raw.contained_by);
  if (raw.unit) {
    UnitInfo& u = *raw.unit;
    for (std::string* field : {&u.file, &u.name, &u.user, &u.group, &u.working_directory}) {
      escape(*field);
    }
    escape(u.drop_ins);
    escape(u.capability_lines);
    escape(u.not_emulated);
  }
  return raw;
}

Verification display_safe(Verification raw) {
  escape(raw.runtime);
  escape(raw.details);
  escape(raw.criterion);
  for (VerificationRun& run : raw.runs) {
    escape(run.outcome);
    escape(run.why);
  }
  escape(raw.summary);
  return raw;
}

MinimalProof display_safe(MinimalProof raw) {
  escape(raw.summary);
  escape(raw.criterion);
  for (ProofRun& run : raw.runs) {
    escape(run.outcome);
    escape(run.why);
  }
  return raw;
}

}  // namespace capmin::analyzer
