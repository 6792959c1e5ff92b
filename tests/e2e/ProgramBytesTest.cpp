// SPDX-License-Identifier: MIT
// Names are bytes on Linux: a file whose name holds 0xFF, an escape sequence,
// a backslash and a newline, opened by a program whose own name holds such
// bytes too. The report must be written, parse, give the exact bytes back
// (README.md, "The JSON report"), and leave capmin's exit status the
// program's; the text on the terminal must hold none of them raw.
#include <gtest/gtest.h>

#include <cstdio>
#include <sstream>

#include "Harness.h"
#include "events/ByteEscape.h"

namespace capmin::e2e {
namespace {

const std::string kName =
    "a\xff"
    "b\x1b[31mc\\d\ne";
const std::string kProgram = "rd\xff\x1b[2Jx";

// A shell word that expands to exactly these bytes: printf with octal escapes.
std::string shell_bytes(const std::string& raw) {
  std::string format;
  for (const char c : raw) {
    char octal[8];
    std::snprintf(octal, sizeof octal, "\\%03o", static_cast<unsigned char>(c));
    format += octal;
  }
  return "\"$(printf '" + format + "')\"";
}

// Another user's mode-000 file named kName, and read_file copied to kProgram.
Options setup() {
  const std::string name = shell_bytes(kName);
  return {.setup = "touch " + name + " && chown 1234 " + name + " && chmod 000 " + name +
                   " && cp " + fixture("read_file") + " " + shell_bytes(kProgram)};
}

std::string raw(const nlohmann::json& escaped) {
  const auto bytes = events::unescape_bytes(escaped.get<std::string>());
  EXPECT_TRUE(bytes.has_value()) << escaped;
  return bytes.value_or("");
}

void expect_bytes_recovered(const CapminRun& r) {
  ASSERT_TRUE(r.report.is_object()) << "no report, or not JSON";
  EXPECT_EQ(r.report["exit"]["code"], r.status);
  ASSERT_EQ(r.report["command"].size(), 2u);
  EXPECT_EQ(raw(r.report["command"][0]), "./" + kProgram);
  EXPECT_EQ(raw(r.report["command"][1]), kName);
  const auto evidence = r.evidence("CAP_DAC_READ_SEARCH");
  ASSERT_EQ(evidence.size(), 1u);
  const auto& e = evidence[0];
  EXPECT_NE(raw(e["args"]).find("path=" + kName + ", flags=O_RDONLY"), std::string::npos)
      << e["args"];
  EXPECT_EQ(raw(e["exe"]), r.workdir + "/" + kProgram);
  for (const auto& frame : e["stack"]) {
    raw(frame);
  }
}

// capmin's text on standard output (and the program's "FAIL EACCES" or
// "OK"): printable UTF-8 on every line, no 0xFF or ESC anywhere.
void expect_printable(const std::string& out) {
  EXPECT_EQ(out.find('\xff'), std::string::npos);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  std::istringstream lines(out);
  for (std::string line; std::getline(lines, line);) {
    EXPECT_TRUE(events::printable_utf8(line)) << events::escape_bytes(line);
  }
}

TEST(ProgramBytes, ARefusedOpenOfANameThatIsNotUtf8KeepsTheReportAndTheExitStatus) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_deny({"./" + kProgram, kName}, setup());
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 1);  // read_file's own: FAIL
  EXPECT_TRUE(r.printed("FAIL EACCES"));
  EXPECT_EQ(r.caps(), std::set<std::string>{"CAP_DAC_READ_SEARCH"});
  expect_bytes_recovered(r);
  expect_printable(r.out);
  EXPECT_NE(r.out.find("path=a\\xffb\\x1b[31mc\\\\d\\x0ae, flags=O_RDONLY"), std::string::npos);
}

TEST(ProgramBytes, AConfirmedOpenOfANameThatIsNotUtf8KeepsTheReportAndTheExitStatus) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const CapminRun r = profile_probe({"./" + kProgram, kName}, setup());
  const DescribeOnFailure described(r);
  EXPECT_EQ(r.status, 0);  // the retry let the program through
  EXPECT_TRUE(r.printed("OK"));
  EXPECT_EQ(r.confidence("CAP_DAC_READ_SEARCH"), "confirmed");
  expect_bytes_recovered(r);
  expect_printable(r.out);
}

}  // namespace
}  // namespace capmin::e2e
