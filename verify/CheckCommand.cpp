// SPDX-License-Identifier: MIT
#include "verify/CheckCommand.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

namespace capmin::verify {

namespace {

// The reporter: runs the shell, waits for it at most `limit_ms`, and writes
// one byte, 1 when it exited 0. Only async-signal-safe calls: capmin has
// threads, and this is a child of one of them.
[[noreturn]] void report_check(char* const argv[], int out, long limit_ms) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // the calling thread blocked them all
  const int null = open("/dev/null", O_RDWR);
  for (int fd = 0; fd <= 2 && null >= 0; ++fd) {
    dup2(null, fd);
  }
  const pid_t shell = fork();
  if (shell == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  char passed = 0;
  if (shell > 0) {
    constexpr long kStepMs = 10;
    const timespec step{0, kStepMs * 1000000};
    int status = 0;
    long waited = 0;
    pid_t r;
    while ((r = waitpid(shell, &status, WNOHANG)) == 0 && waited < limit_ms) {
      nanosleep(&step, nullptr);
      waited += kStepMs;
    }
    if (r == 0) {
      kill(shell, SIGKILL);
      waitpid(shell, &status, 0);
    } else if (r == shell && WIFEXITED(status) && WEXITSTATUS(status) == 0) {
      passed = 1;
    }
  }
  (void)!write(out, &passed, 1);
  _exit(0);
}

}  // namespace

bool check_passes(const std::string& command, std::chrono::milliseconds limit) {
  std::string sh = "/bin/sh";
  std::string dash_c = "-c";
  std::string cmd = command;
  char* const argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
  int p[2];
  if (pipe2(p, O_CLOEXEC) != 0) {
    return false;
  }
  const pid_t middle = fork();
  if (middle == 0) {
    close(p[0]);
    // The middle process exits at once, leaving the reporter to init.
    if (fork() == 0) {
      report_check(argv, p[1], static_cast<long>(limit.count()));
    }
    _exit(0);
  }
  close(p[1]);
  if (middle > 0) {
    // A tracer's waitpid(-1) may have reaped it first: ECHILD is fine.
    while (waitpid(middle, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  char passed = 0;
  pollfd pfd{p[0], POLLIN, 0};
  const int wait_ms = static_cast<int>(limit.count()) + 1000;
  if (middle > 0 && poll(&pfd, 1, wait_ms) == 1 && read(p[0], &passed, 1) != 1) {
    passed = 0;
  }
  close(p[0]);
  return passed == 1;
}

std::function<bool()> checker(const std::string& command) {
  if (command.empty()) {
    return {};
  }
  return [command] { return check_passes(command); };
}

}  // namespace capmin::verify
