// SPDX-License-Identifier: MIT
// Bytes the traced program controls (a path with 0xFF, a newline, an escape
// sequence, a backslash; the same in its exe, its stack and its argv) go from
// the event through the Analyzer to every output format: each output is
// printable UTF-8 that parses as its format, and the JSON gives the exact
// bytes back.
#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "analyzer/Analyzer.h"
#include "analyzer/DisplaySafe.h"
#include "analyzer/emit/Emitter.h"
#include "events/ByteEscape.h"
#include "events/SyscallNames.h"

namespace capmin::analyzer {
namespace {

constexpr int kEACCES = 13;
constexpr int kEPERM = 1;

const char* kRules = R"(rules:
  - id: open-backslash
    syscalls: [openat]
    errno: EACCES
    when: {path: {eq: 'C:\dir'}}
    candidates: [CAP_DAC_OVERRIDE]
    reason: a rule that sees the raw backslash
  - id: open-read
    syscalls: [openat]
    errno: EACCES
    candidates: [CAP_DAC_READ_SEARCH]
    reason: reading a file
)";

const std::string kPath =
    "/tmp/a\xff"
    "b\n\x1b[31mc\\d";
const std::string kExe = "/opt/ap\xffp\n\x1b]0;owned\x07";
const std::vector<std::string> kStack = {"main+0x1 (/opt/ap\xff\x1b[2J)",
                                         "\xc2\x9b"
                                         "2J"};
const std::vector<std::string> kCommand = {"/opt/ap\xffp", "a\nb", "\x1b[0m", "it's\\"};

events::SyscallEvent open_of(const std::string& path) {
  events::SyscallEvent e;
  e.pid = 7;
  e.tid = 7;
  e.exe = kExe;
  e.syscall = "openat";
  e.nr = events::syscall_number("openat").value();
  e.err = kEACCES;
  e.args = {{"dirfd", "AT_FDCWD", -100}, {"path", path, std::nullopt}, {"flags", "O_RDONLY", 0}};
  e.stack = kStack;
  return e;
}

class DisplaySafe : public ::testing::Test {
 protected:
  DisplaySafe() { rules_.load_string(kRules, "test.yaml"); }

  Profile analyze(const std::vector<events::SyscallEvent>& events) const {
    Analyzer a(rules_);
    for (const auto& e : events) {
      a.add(e);
    }
    RunInfo run;
    run.command = kCommand;
    run.mode = "deny";
    run.exit_code = 1;
    return a.profile(run);
  }

  // A refusal needing a capability, one no rule explains (with a probe
  // note), one the program worked around and one no capability reaches,
  // each quoting the program's bytes.
  Profile everything() const {
    events::SyscallEvent unknown = open_of(kPath);
    unknown.syscall = "mknodat";
    unknown.nr = events::syscall_number("mknodat").value();
    unknown.err = kEPERM;
    unknown.probe_note = "tried on " + kPath;
    events::SyscallEvent tolerated = open_of(kPath + "1");
    tolerated.tolerated = "PATH search went on past " + kPath;
    events::SyscallEvent unreachable = open_of(kPath + "2");
    unreachable.unreachable = "the thread left uid 0 in " + kExe;
    return analyze({open_of(kPath), unknown, tolerated, unreachable});
  }

  RuleTable rules_;
  CapabilityCatalog catalog_;
};

std::string render(const std::string& format, const Profile& p, const CapabilityCatalog& c) {
  std::ostringstream out;
  make_emitter(format, c)->emit(p, out);
  return out.str();
}

// Every line printable UTF-8: no raw control byte, no invalid byte.
void expect_printable_lines(const std::string& format, const std::string& text) {
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    EXPECT_TRUE(events::printable_utf8(line)) << format << ": " << events::escape_bytes(line);
  }
}

std::string raw(const nlohmann::json& escaped) {
  const auto bytes = events::unescape_bytes(escaped.get<std::string>());
  EXPECT_TRUE(bytes.has_value()) << escaped;
  return bytes.value_or("");
}

TEST_F(DisplaySafe, EveryFormatIsPrintableUtf8) {
  const Profile p = everything();
  ASSERT_EQ(p.findings.size(), 1u);
  ASSERT_EQ(p.unresolved.size(), 2u);
  ASSERT_EQ(p.tolerated.size(), 1u);
  for (const std::string& format : emitter_names()) {
    expect_printable_lines(format, render(format, p, catalog_));
  }
}

TEST_F(DisplaySafe, JsonGivesTheExactBytesBack) {
  const Profile p = everything();
  const auto j = nlohmann::json::parse(render("json", p, catalog_));
  ASSERT_EQ(j["command"].size(), kCommand.size());
  for (std::size_t i = 0; i < kCommand.size(); ++i) {
    EXPECT_EQ(raw(j["command"][i]), kCommand[i]);
  }
  const auto& e = j["findings"][0]["evidence"][0];
  EXPECT_EQ(raw(e["args"]), open_of(kPath).args_summary());
  EXPECT_EQ(raw(e["args"]), "dirfd=AT_FDCWD, path=" + kPath + ", flags=O_RDONLY");
  EXPECT_EQ(e["args"], "dirfd=AT_FDCWD, path=/tmp/a\\xffb\\x0a\\x1b[31mc\\\\d, flags=O_RDONLY");
  EXPECT_EQ(raw(e["exe"]), kExe);
  ASSERT_EQ(e["stack"].size(), kStack.size());
  for (std::size_t i = 0; i < kStack.size(); ++i) {
    EXPECT_EQ(raw(e["stack"][i]), kStack[i]);
  }
  const auto& unknown = j["unresolved"][0];
  EXPECT_EQ(raw(unknown["note"]), "tried on " + kPath);
  EXPECT_EQ(raw(j["unresolved"][1]["reason"]), "the thread left uid 0 in " + kExe);
  EXPECT_EQ(raw(j["tolerated"][0]["reason"]), "PATH search went on past " + kPath);
}

TEST_F(DisplaySafe, TextShowsTheBytesEscapedAndTheCommandAsBashPastesIt) {
  const std::string text = render("text", everything(), catalog_);
  EXPECT_EQ(text.substr(0, text.find('\n')),
            "capmin profile: $'/opt/ap\\xffp' $'a\\x0ab' $'\\x1b[0m' 'it'\\''s\\'");
  EXPECT_NE(text.find("path=/tmp/a\\xffb\\x0a\\x1b[31mc\\\\d"), std::string::npos) << text;
  EXPECT_NE(text.find("in /opt/ap\\xffp\\x0a\\x1b]0;owned\\x07 (pid 7)"), std::string::npos);
  EXPECT_NE(text.find("at \\xc2\\x9b2J"), std::string::npos);
}

TEST_F(DisplaySafe, YamlFormatsParse) {
  const Profile p = everything();
  for (const char* format : {"compose", "k8s"}) {
    const std::string text = render(format, p, catalog_);
    EXPECT_NO_THROW(YAML::Load(text)) << text;
  }
  EXPECT_NO_THROW(nlohmann::json::parse(render("oci", p, catalog_)));
}

TEST_F(DisplaySafe, RulesMatchTheRawBytes) {
  // Escaped, the path would be "C:\\dir" and the first rule would not match.
  const Profile p = analyze({open_of("C:\\dir")});
  ASSERT_EQ(p.findings.size(), 1u);
  EXPECT_EQ(p.findings[0].evidence[0].rule, "open-backslash");
  EXPECT_EQ(p.findings[0].evidence[0].args, "dirfd=AT_FDCWD, path=C:\\\\dir, flags=O_RDONLY");
}

TEST_F(DisplaySafe, PathsThatEscapeAlikeStillAreTwoRefusals) {
  // A raw 0xFF and the four characters "\xff" are two paths.
  const Profile p = analyze({open_of("a\xff"), open_of("a\\xff"), open_of("a\xff")});
  ASSERT_EQ(p.findings.size(), 1u);
  const auto& evidence = p.findings[0].evidence;
  ASSERT_EQ(evidence.size(), 2u);
  EXPECT_EQ(evidence[0].args, "dirfd=AT_FDCWD, path=a\\xff, flags=O_RDONLY");
  EXPECT_EQ(evidence[0].count, 2u);
  EXPECT_EQ(evidence[1].args, "dirfd=AT_FDCWD, path=a\\\\xff, flags=O_RDONLY");
  EXPECT_EQ(evidence[1].count, 1u);
}

TEST_F(DisplaySafe, AVerificationQuotingAnyByteStaysValid) {
  Profile p = analyze({});
  Verification v;
  v.runtime = "native";
  v.criterion = "the check `test -e a\xff\n` passing while it runs";
  v.runs.push_back({std::nullopt, false, "exit 1", "the check `test -e a\xff\n` never passed"});
  p.verification = display_safe(v);
  const auto j = nlohmann::json::parse(render("json", p, catalog_));
  EXPECT_EQ(raw(j["verification"]["criterion"]), v.criterion);
  EXPECT_EQ(raw(j["verification"]["runs"][0]["why"]), v.runs[0].why);
  expect_printable_lines("text", render("text", p, catalog_));
}

TEST(DisplaySafeJson, ARawInvalidByteThatSlipsThroughCostsAReplacementNotTheReport) {
  // The profile is meant to hold escaped text; a string built by hand
  // without the escape must still give valid JSON, not an exception.
  Profile p;
  p.run.command = {
      "a\xff"
      "b"};
  const CapabilityCatalog catalog;
  std::string text;
  ASSERT_NO_THROW(text = render("json", p, catalog));
  const auto j = nlohmann::json::parse(text);
  EXPECT_EQ(j["command"][0],
            "a\xef\xbf\xbd"
            "b");
}

}  // namespace
}  // namespace capmin::analyzer
