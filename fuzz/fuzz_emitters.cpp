// SPDX-License-Identifier: MIT
// Every output format on events whose every field holds arbitrary bytes, as
// a traced program can make them (paths, its own name, symbols, argv): the
// events go through the Analyzer and the built-in rules, the profile through
// each emitter, and each output is read back. Every line of every format
// must be printable UTF-8; json and oci must parse, every JSON string must
// unescape, and the argv must come back exactly; compose and k8s must parse
// as YAML; the text must quote the argv as shell_line does. Anything else
// aborts.
//
// Input: fields, each a length byte N and N bytes, and single control bytes,
// in this order (past the end of the input, zeros and empty fields):
//   words (%5), then each command word; the --check
//   events (%4 + 1), then for each:
//     exe; syscall (byte < 0x80: a known name, else a field); errno (byte);
//     args (%7), each: name (byte < 0x80: a known name, else a field), text,
//     value (byte: odd holds one, the next byte); frames (%5), each a field;
//     flags (bit 0 probed, 1 confirmed, 2 self-raised, 3 tolerated,
//     4 unreachable); then probe_note, tolerated, unreachable
//   verification (byte, odd: there is one): runtime, details, criterion,
//   outcome, why, summary
#include <yaml-cpp/yaml.h>

#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "analyzer/Analyzer.h"
#include "analyzer/CapabilityCatalog.h"
#include "analyzer/DisplaySafe.h"
#include "analyzer/RuleTable.h"
#include "analyzer/emit/Emitter.h"
#include "events/ByteEscape.h"
#include "events/ShellWords.h"
#include "events/SyscallEvent.h"
#include "events/SyscallNames.h"

namespace {

namespace analyzer = capmin::analyzer;
namespace events = capmin::events;

// Reads the input front to back; past its end, zeros and empty fields.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint8_t byte() { return at_ < size_ ? data_[at_++] : 0; }
  std::string field() {
    const std::size_t want = byte();
    const std::size_t n = std::min(want, size_ - at_);
    std::string s(reinterpret_cast<const char*>(data_ + at_), n);
    at_ += n;
    return s;
  }
  // A known name for a byte below 0x80, else a field.
  std::string name(const std::vector<std::string>& known) {
    const std::uint8_t b = byte();
    return b < 0x80 ? known[b % known.size()] : field();
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

const std::vector<std::string> kSyscalls = {"openat", "open",   "bind",  "mknodat",
                                            "chown",  "socket", "mount", "setuid",
                                            "capset", "execve", "kill",  "ptrace"};
const std::vector<std::string> kArgs = {"path",   "flags",     "mode", "fd",       "addr",
                                        "domain", "addr.port", "type", "file.uid", "uid"};
constexpr int kErrnos[] = {EPERM, EACCES, EROFS, ENOENT, 0};

const analyzer::RuleTable& builtin_rules() {
  static const analyzer::RuleTable table = [] {
    analyzer::RuleTable t;
    t.load_file(CAPMIN_RULES_FILE);
    return t;
  }();
  return table;
}

const analyzer::CapabilityCatalog& builtin_catalog() {
  static const analyzer::CapabilityCatalog catalog = [] {
    analyzer::CapabilityCatalog c;
    c.load_file(CAPMIN_CATALOG_FILE);
    return c;
  }();
  return catalog;
}

[[noreturn]] void fail(const std::string& format, const std::string& what,
                       const std::string& output) {
  std::fprintf(stderr, "fuzz_emitters: %s: %s\n--- output, escaped\n%s\n", format.c_str(),
               what.c_str(), events::escape_bytes(output).c_str());
  std::abort();
}

events::SyscallEvent read_event(Input& in) {
  events::SyscallEvent e;
  e.pid = e.tid = 4242;
  e.exe = in.field();
  e.syscall = in.name(kSyscalls);
  e.nr = events::syscall_number(e.syscall).value_or(-1);
  e.err = kErrnos[in.byte() % std::size(kErrnos)];
  for (int i = in.byte() % 7; i > 0; --i) {
    events::Arg a;
    a.name = in.name(kArgs);
    a.text = in.field();
    if (in.byte() % 2 == 1) {
      a.value = static_cast<std::int8_t>(in.byte());
    }
    e.args.push_back(std::move(a));
  }
  for (int i = in.byte() % 5; i > 0; --i) {
    e.stack.push_back(in.field());
  }
  const std::uint8_t flags = in.byte();
  e.probed = (flags & 1) != 0;
  if ((flags & 2) != 0) {
    e.confirmed = {in.byte() % 41};
  }
  e.self_raised = (flags & 4) != 0;
  e.probe_note = in.field();
  std::string tolerated = in.field();
  std::string unreachable = in.field();
  if ((flags & 8) != 0) {
    e.tolerated = tolerated.empty() ? "tolerated" : tolerated;
  }
  if ((flags & 16) != 0) {
    e.unreachable = unreachable.empty() ? "unreachable" : unreachable;
  }
  return e;
}

// Every string in the document is an escape_bytes text.
void expect_escaped(const nlohmann::json& j, const std::string& output) {
  if (j.is_string()) {
    if (!events::unescape_bytes(j.get<std::string>())) {
      fail("json", "a string that does not unescape: " + j.get<std::string>(), output);
    }
  } else if (j.is_structured()) {
    for (const auto& item : j) {
      expect_escaped(item, output);
    }
  }
}

void check_json(const std::string& out, const std::vector<std::string>& command,
                const std::set<std::string>& exes) {
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(out);
  } catch (const std::exception& e) {
    fail("json", std::string("does not parse: ") + e.what(), out);
  }
  expect_escaped(j, out);
  if (j["command"].size() != command.size()) {
    fail("json", "the command lost words", out);
  }
  for (std::size_t i = 0; i < command.size(); ++i) {
    if (events::unescape_bytes(j["command"][i].get<std::string>()) != command[i]) {
      fail("json", "command word " + std::to_string(i) + " does not come back", out);
    }
  }
  auto check_exe = [&](const nlohmann::json& evidence) {
    if (exes.count(*events::unescape_bytes(evidence["exe"].get<std::string>())) == 0) {
      fail("json", "an exe that is none of the events'", out);
    }
  };
  for (const auto& f : j["findings"]) {
    for (const auto& e : f["evidence"]) {
      check_exe(e);
    }
  }
  for (const char* list : {"unresolved", "tolerated"}) {
    for (const auto& e : j[list]) {
      check_exe(e);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  analyzer::RunInfo run;
  for (int i = in.byte() % 5; i > 0; --i) {
    run.command.push_back(in.field());
  }
  run.check = in.field();
  run.mode = "deny";
  const std::vector<std::string> command = run.command;

  analyzer::Analyzer analyzer(builtin_rules());
  std::set<std::string> exes;
  for (int i = in.byte() % 4 + 1; i > 0; --i) {
    const events::SyscallEvent e = read_event(in);
    exes.insert(e.exe);
    (void)analyzer.seen(e);
    analyzer.add(e);
  }
  analyzer::Profile profile = analyzer.profile(run);
  if (in.byte() % 2 == 1) {
    analyzer::Verification v;
    v.runtime = in.field();
    v.details = in.field();
    v.criterion = in.field();
    v.runs.push_back({std::nullopt, false, in.field(), in.field()});
    v.summary = in.field();
    profile.verification = analyzer::display_safe(std::move(v));
  }

  for (const std::string& format : analyzer::emitter_names()) {
    std::ostringstream rendered;
    analyzer::make_emitter(format, builtin_catalog())->emit(profile, rendered);
    const std::string out = rendered.str();
    std::istringstream lines(out);
    for (std::string line; std::getline(lines, line);) {
      if (!events::printable_utf8(line)) {
        fail(format, "a line that is not printable UTF-8", out);
      }
    }
    if (format == "json") {
      check_json(out, command, exes);
    } else if (format == "oci") {
      if (!nlohmann::json::accept(out)) {
        fail(format, "does not parse", out);
      }
    } else if (format == "compose" || format == "k8s") {
      try {
        (void)YAML::Load(out);
      } catch (const YAML::Exception& e) {
        fail(format, std::string("does not parse: ") + e.what(), out);
      }
    } else if (format == "text") {
      const std::string first = "capmin profile: " + events::shell_line(command);
      if (out.compare(0, out.find('\n'), first) != 0) {
        fail(format, "the command line is not shell_line's", out);
      }
    }
  }
  return 0;
}
