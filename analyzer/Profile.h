// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/Platform.h"

namespace capmin::analyzer {

// Every string a Profile holds is display-safe: escaped with
// events::escape_bytes (printable UTF-8, "\\" for a backslash, "\xHH" for
// any other byte), so that emitters write it as it is and the program's exact
// bytes come back with events::unescape_bytes. See analyzer/DisplaySafe.h.

// One refusal, de-duplicated: the same call with the same arguments from the
// same executable is one piece of evidence with a count.
struct Evidence {
  std::string syscall;
  std::string abi;  // a call made through the 32-bit ABI: "i386"; empty for native ones
  std::string args;
  std::string err;  // "EACCES"
  int pid = 0;
  std::string exe;
  std::uint64_t count = 0;
  std::vector<std::string> stack;
  std::string rule;  // the id of the rule that explained it, if any
  bool confirmed = false;
  std::string note;  // probe mode: what was tried, or why it was not
};

enum class Confidence { Confirmed, Inferred };
const char* confidence_name(Confidence c);

// A capability the program needs, and why.
struct Finding {
  int capability = 0;
  Confidence confidence = Confidence::Inferred;
  std::string reason;
  std::string note;
  std::vector<Evidence> evidence;
  // Set when every refusal it explains acts on the whole machine once
  // allowed (Rule::host_wide): what it would change. No run of capmin's is
  // granted it without --probe-unsafe.
  std::string host_wide;
};

// A refusal no capability explains or cures.
struct Unresolved {
  Evidence evidence;
  std::string reason;
  // Analyzer::kOutsideUnit: what would cure it (its first alternative),
  // which the unit cannot grant.
  std::vector<int> outside_unit;
};

// profile --unit: the systemd service the command came from, as written and
// as capmin ran it.
struct UnitInfo {
  std::string file;  // the unit file's path
  std::string name;  // "nginx.service"
  std::vector<std::string> drop_ins;
  std::string user;               // User= as written; "" unset
  bool dynamic_user = false;      // DynamicUser=yes
  std::string group;              // Group= as written
  std::string working_directory;  // where the process started
  // CapabilityBoundingSet= and AmbientCapabilities=; unset where the unit
  // does not set them.
  std::optional<std::vector<int>> bounding;
  std::optional<std::vector<int>> ambient;
  std::vector<std::string> capability_lines;  // those settings as written
  // What the unit can grant (ServiceProcess::upper_bound): no run got more,
  // and a refusal only a capability outside it cures is unresolved.
  std::vector<int> upper_bound;
  std::string bound_by;                   // "" when nothing bounds it
  std::vector<std::string> not_emulated;  // settings capmin ran without
};

// What was run and how; filled in by the front end.
struct RunInfo {
  std::vector<std::string> command;
  std::string image;       // --image: the reference whose container ran the command
  std::string image_name;  // ... and its name for docker run ("" when it carries none)
  std::vector<std::string> image_command;  // ... and the command given after -- (replacing Cmd)
  std::optional<UnitInfo> unit;            // --unit
  // What kept the runs from the rest of the machine, in words: "uts and ipc
  // namespaces of its own", "the working directory through an overlay".
  std::vector<std::string> contained_by;
  std::string mode;         // "deny" or "probe"
  std::string mode_reason;  // why that mode ran
  std::string tracing;      // "ptrace (every syscall)" or "seccomp + ptrace"
  uid_t uid = 0;
  gid_t gid = 0;
  bool user_given = false;  // --user was set
  int exit_code = 0;
  std::optional<int> signal;
  // Set when capmin ended the run itself: "check" (the --check passed),
  // "timeout" (--timeout ran out first) or "error" (capmin failed); `check`
  // is the --check given.
  std::string stopped_by;
  std::string check;
  std::string capmin_version;
  // Set when capmin failed while tracing: what happened. The program was
  // stopped there; the profile holds what was seen before, and is partial.
  std::string internal_error;
};

// One run of a verification (profile --verify): the program re-run untraced
// with the profile's capabilities, or with all of them but one.
struct VerificationRun {
  std::optional<int> without;  // the capability left out; unset for the full set
  bool passed = false;
  std::string outcome;  // "exit 0", "still running at the timeout (stopped)"
  std::string why;      // why it did not pass
};

// What re-running the program with its profile showed; filled in by the
// front end.
struct Verification {
  std::string runtime;    // "native" or "runc"
  std::string details;    // what a run in that runtime is
  std::string criterion;  // "exit status 0"
  std::vector<int> capabilities;
  bool works = false;   // the program does what is expected with exactly them
  bool passed = false;  // ... and fails without any one of them
  std::vector<int> unnecessary;
  std::vector<VerificationRun> runs;
  std::string summary;  // one line
};

// One round of deny --iterate: a traced run with `granted` really granted.
struct Round {
  std::vector<int> granted;
  std::vector<int> found;          // capabilities its refusals need that it was not granted
  std::vector<int> refused_again;  // refusals attributed to a capability it was granted
  int exit_code = 0;
  std::optional<int> signal;
};

// A capability some refusal asked for, which the program was shown to do
// its job without.
struct NotNeeded {
  Finding finding;       // the refusals that asked for it
  std::string shown_by;  // the run that showed it: "run 2 (probe, CAP_CHOWN withheld): exit 0"
};

// One run the proven minimal set made after the first: traced in probe mode
// with some capabilities out of the program's reach.
struct ProofRun {
  int capability = 0;         // the one tried
  std::vector<int> withheld;  // it, those dropped before, and the broader ones not in the set
  std::vector<int> found;     // what its refusals needed
  bool passed = false;        // the program did its job
  std::string outcome;        // "exit 0"
  std::string why;            // why it did not pass
};

// How the printed set was proven minimal (or why it could not be).
struct MinimalProof {
  bool proven = false;
  std::string summary;         // one line: what was shown, or why nothing could be
  std::string criterion;       // what success was
  std::vector<ProofRun> runs;  // the withheld runs; the untraced ones are in `verification`
  int run_count = 0;           // every run after the first, traced or not
  double seconds = 0;          // ... and the time they took
  // Capabilities the program asked for that capmin does not hold itself,
  // so no run could test them: kept, and marked as such.
  std::vector<int> untestable;
};

// The least-privilege profile: the minimal set, ordered by capability
// number, each capability with its evidence.
struct Profile {
  RunInfo run;
  std::vector<int> capabilities;
  std::vector<Finding> findings;
  std::vector<Unresolved> unresolved;
  // Refusals the program worked around (a PATH search that found the
  // program elsewhere): listed, never turned into a capability.
  std::vector<Unresolved> tolerated;
  // profile --verify: the outcome, when it ran.
  std::optional<Verification> verification;
  // deny --iterate: what each round found, in order.
  std::vector<Round> rounds;
  // Capabilities refusals asked for that the program works without.
  std::vector<NotNeeded> not_needed;
  // The proven minimal set's runs, unless --no-minimal.
  std::optional<MinimalProof> minimal;
  // Calls the platform's default seccomp profile gates, as the program
  // made them (SyscallEvent::gated): what that profile would do with them
  // is analyzer/SeccompNotes'.
  std::vector<Evidence> gated_calls;
  // The platform the output is for (--platform); when the run was an
  // image's (run.image), its network sysctls were set in the container.
  Platform platform;
};

}  // namespace capmin::analyzer
