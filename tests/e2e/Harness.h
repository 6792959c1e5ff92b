// SPDX-License-Identifier: MIT
#pragma once

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdint>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace capmin::e2e {

// The outcome of one capmin run.
struct CapminRun {
  int status = -1;                // capmin's exit status
  std::string out;                // its standard output (the -f output, and the program's)
  std::string err;                // its standard error
  std::string after;              // what Options::after printed
  nlohmann::json report;          // the -o report, or null when none was written
  std::string workdir;            // the run's temporary directory (CAPMIN_KEEP_E2E=1 keeps it)
  std::shared_ptr<void> cleanup;  // removes workdir when the last copy goes
  std::string setup_log;          // what the setup snippet printed

  // The report's "capabilities", as a set of "CAP_..." names.
  std::set<std::string> caps() const;
  // The confidence of one capability's finding ("confirmed", "inferred"), or "".
  std::string confidence(const std::string& cap) const;
  // Whether an unresolved refusal of this syscall with this errno is listed.
  bool unresolved(const std::string& syscall, const std::string& errno_name) const;
  // Every evidence entry of a capability's finding.
  std::vector<nlohmann::json> evidence(const std::string& cap) const;
  // The refusals counted over every evidence entry of a capability's finding.
  std::uint64_t refusal_count(const std::string& cap) const;
  // Every unresolved entry of the report.
  std::vector<nlohmann::json> unresolved_entries() const;
  // Whether the traced program (or capmin's text output) printed this line.
  bool printed(const std::string& line) const;
  // Everything about the run, to print when an assertion fails.
  std::string describe() const;
};

struct Options {
  // Shell commands run as root inside the namespaces, in the work directory,
  // before capmin starts (create files, start a process of another user...).
  std::string setup;
  // Write the JSON report (-o) and parse it into CapminRun::report.
  bool report = true;
  // With `during`, capmin runs in the background and these shell commands
  // run meanwhile, with $CAPMIN_PID set (send it signals, poke the traced
  // program...); then the harness waits for capmin. Their output goes to
  // during.log.
  std::string during;
  // profile_deny and profile_probe: print the proven minimal set (capmin's
  // default) instead of the traced run's own answer (--no-minimal), which
  // most tests assert.
  bool minimal = false;
  // ... and let the program write to the work directory itself
  // (--write-through), for tests that look at what it wrote there; always
  // with `during`, whose commands meet the program through files there.
  bool write_through = false;
  // Shell commands run after capmin ends, in the work directory (look at
  // what is left there); their output is CapminRun::after.
  std::string after;
};

// Runs `capmin ARGS [-o report.json] -- COMMAND...` as root inside fresh
// mount, network, UTS, IPC and pid namespaces (with its own /proc and the
// loopback interface up), in a new temporary directory that is also the
// current directory. Nothing a traced program does with a real privilege
// reaches the host.
CapminRun run_capmin(const std::vector<std::string>& args, const std::vector<std::string>& command,
                     const Options& options = {});

// Runs a shell script as root inside the same fresh namespaces as
// run_capmin, in a new temporary directory ($CAPMIN_BIN names the capmin
// under test); returns its exit status, with its standard output and error
// together in `output`.
int run_script_in_namespaces(const std::string& script, std::string& output);

// Prints everything about a run (status, output, setup log, report) when the
// test has failed by the end of its scope: once, however many checks failed.
class DescribeOnFailure {
 public:
  explicit DescribeOnFailure(const CapminRun& run) : run_(run) {}
  ~DescribeOnFailure() {
    if (::testing::Test::HasFailure()) {
      std::cerr << run_.describe();
    }
  }
  DescribeOnFailure(const DescribeOnFailure&) = delete;
  DescribeOnFailure& operator=(const DescribeOnFailure&) = delete;

 private:
  const CapminRun& run_;
};

// `capmin profile --mode deny [--no-minimal] [EXTRA...] -o report.json -- COMMAND...`.
CapminRun profile_deny(const std::vector<std::string>& command, const Options& options = {},
                       const std::vector<std::string>& extra_args = {});

// `capmin profile --mode probe [--no-minimal] [EXTRA...] -o report.json -- COMMAND...`.
CapminRun profile_probe(const std::vector<std::string>& command, const Options& options = {},
                        const std::vector<std::string>& extra_args = {});

// The path of a built test fixture (tests/fixtures/NAME.c).
std::string fixture(const std::string& name);
// The capmin binary under test.
std::string capmin_binary();

// Empty when the tests can run; otherwise why not (not root, no namespaces).
std::string cannot_run_reason();

// A setup snippet that starts `sleep 300` as uid/gid 1234 in the test's pid
// namespace (it dies with it), writes its pid to `pid_file`, and waits until
// it has changed user: another user's process, to signal or trace.
std::string foreign_process_setup(const std::string& pid_file);

// Whether this process (and so the capmin it starts) holds the capability
// ("CAP_SYS_RESOURCE") in its bounding set: some hosts withhold one even from
// root, and then probe mode can only infer it.
bool bounding_holds(const std::string& cap);

}  // namespace capmin::e2e

// Skips the test with the reason when it cannot run here. CI runs as root, so
// there these tests always run.
#define CAPMIN_REQUIRE_ROOT_AND_NAMESPACES()                        \
  do {                                                              \
    const std::string why_not = ::capmin::e2e::cannot_run_reason(); \
    if (!why_not.empty()) {                                         \
      GTEST_SKIP() << why_not;                                      \
    }                                                               \
  } while (0)

// Skips the test when a real program it runs is not installed here.
#define REQUIRE_PROGRAM(path)                                      \
  do {                                                             \
    if (access(path, X_OK) != 0) {                                 \
      GTEST_SKIP() << path << " is not installed on this machine"; \
    }                                                              \
  } while (0)
