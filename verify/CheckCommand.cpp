// SPDX-License-Identifier: MIT
#include "verify/CheckCommand.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "events/UniqueFd.h"
#include "tracer/launch/Pidfd.h"

namespace capmin::verify {

namespace {

long now_ms() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

// Whether the process of `pidfd` exits within `limit_ms`: a pidfd polls
// readable once its whole thread group has exited (pidfd_poll, in
// kernel/fork.c before Linux 6.9 and fs/pidfs.c since).
bool exits_within(int pidfd, long limit_ms) {
  const long end = now_ms() + limit_ms;
  pollfd pfd{pidfd, POLLIN, 0};
  for (;;) {
    const long left = end - now_ms();
    const int r = poll(&pfd, 1, static_cast<int>(left > 0 ? left : 0));
    if (r > 0) {
      return true;
    }
    if (r == 0 || errno != EINTR) {
      return false;
    }
  }
}

// The reporter: runs the shell, waits for it at most `limit_ms`, and writes
// one byte, 1 when it exited 0. Only async-signal-safe calls: capmin has
// threads, and this is a child of one of them. It never returns, so its
// descriptors are plain ints: no destructor would run.
[[noreturn]] void report_check(char* const argv[], int out, long limit_ms, const char* netns) {
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);  // the calling thread blocked them all
  const int null = open("/dev/null", O_RDWR);
  for (int fd = 0; fd <= 2 && null >= 0; ++fd) {
    dup2(null, fd);
  }
  char passed = 0;
  if (netns != nullptr) {
    const int ns = open(netns, O_RDONLY | O_CLOEXEC);
    if (ns < 0 || setns(ns, CLONE_NEWNET) != 0) {
      (void)!write(out, &passed, 1);
      _exit(0);
    }
    close(ns);
  }
  const pid_t shell = fork();
  if (shell == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  if (shell > 0) {
    // The shell is this process's own child and not reaped yet: the pidfd
    // names it and nothing else. Without one, the check cannot be timed:
    // it fails.
    const int pidfd = tracer::pidfd_open_raw(shell);
    int status = 0;
    if (pidfd >= 0 && exits_within(pidfd, limit_ms)) {
      waitpid(shell, &status, 0);
      passed = WIFEXITED(status) && WEXITSTATUS(status) == 0 ? 1 : 0;
    } else {
      if (pidfd < 0 || tracer::pidfd_send_signal_raw(pidfd, SIGKILL) != 0) {
        kill(shell, SIGKILL);
      }
      waitpid(shell, &status, 0);
    }
  }
  (void)!write(out, &passed, 1);
  _exit(0);
}

}  // namespace

bool check_passes(const std::string& command, std::chrono::milliseconds limit,
                  const std::string& netns) {
  std::string sh = "/bin/sh";
  std::string dash_c = "-c";
  std::string cmd = command;
  char* const argv[] = {sh.data(), dash_c.data(), cmd.data(), nullptr};
  events::Pipe p;
  try {
    p = events::make_pipe();
  } catch (const SystemError&) {
    return false;
  }
  const pid_t middle = fork();
  if (middle == 0) {
    p.read.reset();  // only close(): the middle process ends in _exit
    // The middle process exits at once, leaving the reporter to init.
    if (fork() == 0) {
      report_check(argv, p.write.get(), static_cast<long>(limit.count()),
                   netns.empty() ? nullptr : netns.c_str());
    }
    _exit(0);
  }
  p.write.reset();
  if (middle > 0) {
    // A tracer's waitpid(-1) may have reaped it first: ECHILD is fine.
    while (waitpid(middle, nullptr, 0) < 0 && errno == EINTR) {
    }
  }
  char passed = 0;
  pollfd pfd{p.read.get(), POLLIN, 0};
  const int wait_ms = static_cast<int>(limit.count()) + 1000;
  if (middle > 0 && poll(&pfd, 1, wait_ms) == 1 && read(p.read.get(), &passed, 1) != 1) {
    passed = 0;
  }
  return passed == 1;
}

std::function<bool()> checker(const std::string& command, const std::string& netns) {
  if (command.empty()) {
    return {};
  }
  return [command, netns] { return check_passes(command, std::chrono::milliseconds(5000), netns); };
}

std::function<bool()> checker(const std::string& command, std::function<std::string()> netns) {
  if (command.empty()) {
    return {};
  }
  return [command, netns = std::move(netns)] {
    return check_passes(command, std::chrono::milliseconds(5000), netns());
  };
}

}  // namespace capmin::verify
