// SPDX-License-Identifier: MIT
// A Ctrl-C typed at a terminal (docs/robustness.md): the line discipline
// signals capmin and the program alike, as at a shell. The program gets it
// once, a second one within three seconds kills the traced tree, and the
// report is written either way.
#include <fcntl.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>

#include "Harness.h"
#include "RobustnessHelpers.h"

namespace capmin::e2e {
namespace {

struct TerminalRun {
  int status = -1;     // capmin's exit status
  std::string screen;  // everything the terminal showed
  nlohmann::json report;
  bool timed_out = false;
};

// Runs `capmin ARGS -o report.json -- COMMAND` on a new pseudo-terminal, in
// fresh mount and pid namespaces and a temporary directory. Once the screen
// shows `ready`, types Ctrl-C `interrupts` times, half a second apart. The
// line discipline then sends SIGINT to the whole foreground process group,
// capmin and the program alike, exactly as at a shell.
TerminalRun run_on_terminal(const std::vector<std::string>& args,
                            const std::vector<std::string>& command, int interrupts) {
  TerminalRun run;
  char tmpl[] = "/tmp/capmin-e2e-tty.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) {
    return run;
  }
  const std::string dir = tmpl;
  chmod(tmpl, 0755);
  std::string capmin = shell_quote(capmin_binary());
  for (const std::string& a : args) {
    capmin += " " + shell_quote(a);
  }
  capmin += " -o report.json --";
  for (const std::string& c : command) {
    capmin += " " + shell_quote(c);
  }
  // unshare and the shells around capmin ignore the terminal's SIGINT, so
  // that only capmin and the program see it; capmin sets its own handler
  // and gives the program default dispositions.
  const std::string inner =
      "for m in $(findmnt -rn -o TARGET); do mount --make-private \"$m\" 2>/dev/null; done; "
      "mount -t proc proc /proc || exit 97; cd " +
      shell_quote(dir) + "; " + capmin + "; echo $? >status";
  const std::string outer =
      "trap '' INT QUIT TSTP; exec unshare --mount --propagation unchanged "
      "--pid --fork sh -c " +
      shell_quote(inner);

  int master = -1;
  const pid_t child = forkpty(&master, nullptr, nullptr, nullptr);
  if (child < 0) {
    return run;
  }
  if (child == 0) {
    execl("/bin/sh", "sh", "-c", outer.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  using Clock = std::chrono::steady_clock;
  const auto deadline = Clock::now() + std::chrono::seconds(40);
  auto next_interrupt = Clock::time_point::max();
  int sent = 0;
  for (;;) {
    if (Clock::now() > deadline) {
      run.timed_out = true;
      kill(-child, SIGKILL);  // the session's process group: capmin, the program
      break;
    }
    if (sent < interrupts && next_interrupt == Clock::time_point::max() &&
        run.screen.find("ready") != std::string::npos) {
      next_interrupt = Clock::now();
    }
    if (sent < interrupts && Clock::now() >= next_interrupt) {
      const char ctrl_c = '\x03';
      if (write(master, &ctrl_c, 1) == 1) {
        ++sent;
        next_interrupt = Clock::now() + std::chrono::milliseconds(500);
      }
    }
    pollfd p{master, POLLIN, 0};
    if (poll(&p, 1, 50) <= 0) {
      continue;
    }
    char buf[4096];
    const ssize_t n = read(master, buf, sizeof buf);
    if (n <= 0) {
      break;  // EIO: every process holding the terminal has gone
    }
    run.screen.append(buf, static_cast<std::size_t>(n));
  }
  close(master);
  waitpid(child, nullptr, 0);
  const std::string status = slurp(dir + "/status");
  run.status = status.empty() ? -1 : std::stoi(status);
  const std::string report = slurp(dir + "/report.json");
  if (!report.empty()) {
    run.report = nlohmann::json::parse(report, nullptr, false);
  }
  if (std::getenv("CAPMIN_KEEP_E2E") == nullptr) {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
  return run;
}

std::string describe(const TerminalRun& r) {
  return "capmin exited " + std::to_string(r.status) + (r.timed_out ? " (timed out)" : "") +
         "\n--- terminal\n" + r.screen + "\n--- report\n" +
         (r.report.is_null() ? std::string("(none)") : r.report.dump(2)) + "\n";
}

TEST(RobustnessTerminal, ACtrlCAtTheTerminalReachesTheProgramOnceAndTheReportIsWritten) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  // The terminal signals capmin and the program both; capmin must not send
  // the program a second SIGINT of its own.
  const TerminalRun r = run_on_terminal(
      {"profile", "--mode", "deny"},
      {"/bin/sh", "-c", fixture("bind_port") + " 80; exec " + fixture("count_sigint")}, 1);
  EXPECT_FALSE(r.timed_out) << describe(r);
  EXPECT_EQ(r.status, 0) << describe(r);
  EXPECT_TRUE(mentions(r.screen, "SIGINT 1 (terminal 1)")) << describe(r);
  ASSERT_TRUE(r.report.is_object()) << describe(r);
  EXPECT_EQ(r.report["capabilities"], nlohmann::json::array({"CAP_NET_BIND_SERVICE"}));
  EXPECT_EQ(r.report["exit"]["code"], 0);
  // The user interrupted the first run: no run is made after it (it would
  // wait for a Ctrl-C that never comes), and the set says it is unproven.
  EXPECT_EQ(r.report["minimal"]["proven"], false) << describe(r);
  EXPECT_EQ(r.report["minimal"]["run_count"], 0) << describe(r);
}

TEST(RobustnessTerminal, TwoCtrlCsAtTheTerminalKillAProgramThatIgnoresThemAndTheReportIsWritten) {
  CAPMIN_REQUIRE_ROOT_AND_NAMESPACES();
  const TerminalRun r = run_on_terminal(
      {"profile", "--mode", "deny", "--no-minimal"},
      {"/bin/sh", "-c", fixture("bind_port") + " 80; exec " + fixture("count_sigint") + " ignore"},
      2);
  EXPECT_FALSE(r.timed_out) << describe(r);
  EXPECT_EQ(r.status, 128 + SIGKILL) << describe(r);
  ASSERT_TRUE(r.report.is_object()) << describe(r);
  EXPECT_EQ(r.report["exit"]["signal"], "SIGKILL");
  EXPECT_EQ(r.report["capabilities"], nlohmann::json::array({"CAP_NET_BIND_SERVICE"}));
}

}  // namespace
}  // namespace capmin::e2e
