// SPDX-License-Identifier: MIT
#include "verify/Spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "events/Errors.h"
#include "events/UniqueFd.h"
#include "tracer/launch/Mounts.h"

extern char** environ;

namespace capmin::verify {

namespace {

pid_t start(const std::vector<std::string>& argv, int out_fd, bool quiet) {
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (quiet) {
    for (int fd = 0; fd <= 2; ++fd) {
      posix_spawn_file_actions_addopen(&actions, fd, "/dev/null", fd == 0 ? O_RDONLY : O_WRONLY, 0);
    }
  }
  if (out_fd >= 0) {
    posix_spawn_file_actions_adddup2(&actions, out_fd, 1);
  }
  pid_t pid = -1;
  const int err = posix_spawn(&pid, args[0], &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (err != 0) {
    throw SystemError("posix_spawn(" + argv[0] + ")", err);
  }
  return pid;
}

int wait_for(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) {
      return -1;
    }
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

}  // namespace

pid_t spawn(const std::vector<std::string>& argv, bool quiet) { return start(argv, -1, quiet); }

namespace {

// What the child of spawn_in_mount_namespace tells its parent when a step
// fails before execve: which step, and errno.
struct ChildFailure {
  char step[64] = {};
  int error = 0;
};

}  // namespace

bool cgroup_mounted() {
  for (const tracer::VisibleMount& m : tracer::visible_mounts()) {
    if (m.type == "cgroup2" || m.type == "cgroup") {
      return true;
    }
  }
  return false;
}

pid_t spawn_in_mount_namespace(const std::vector<std::string>& argv, const LauncherMounts& m) {
  // Everything the child needs is made before fork: after it, only system
  // calls (capmin has threads).
  std::vector<char*> args;
  for (const std::string& a : argv) {
    args.push_back(const_cast<char*>(a.c_str()));
  }
  args.push_back(nullptr);
  const LauncherSetup setup(m);

  events::Pipe report = events::make_pipe();
  const pid_t pid = fork();
  if (pid < 0) {
    throw SystemError("fork", errno);
  }
  if (pid == 0) {
    // The child ends in execv or _exit: no destructor runs here, and
    // reset() is only close().
    report.read.reset();
    auto fail = [&](const char* step) {
      ChildFailure f;
      f.error = errno;
      std::strncpy(f.step, step, sizeof f.step - 1);
      (void)!write(report.write.get(), &f, sizeof f);
      _exit(127);
    };
    if (const char* step = setup.apply()) {
      fail(step);
    }
    execv(args[0], args.data());
    fail("execve");
  }
  report.write.reset();
  ChildFailure f;
  ssize_t n;
  while ((n = read(report.read.get(), &f, sizeof f)) < 0 && errno == EINTR) {
  }
  report.read.reset();
  if (n == static_cast<ssize_t>(sizeof f)) {
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    throw SystemError(
        std::string("starting ") + argv[0] + " in a mount namespace of its own: " + f.step,
        f.error);
  }
  return pid;
}

int run_quietly(const std::vector<std::string>& argv) {
  try {
    return wait_for(start(argv, -1, true));
  } catch (const SystemError&) {
    return -1;
  }
}

std::string output_of(const std::vector<std::string>& argv) {
  pid_t pid = -1;
  events::Pipe p;
  try {
    p = events::make_pipe();
    pid = start(argv, p.write.get(), true);
  } catch (const SystemError&) {
    return "";
  }
  p.write.reset();
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = read(p.read.get(), buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      break;
    }
    out.append(buf, static_cast<std::size_t>(n));
  }
  p.read.reset();
  return wait_for(pid) == 0 ? out : "";
}

namespace {

bool executable_file(const std::string& path) {
  struct stat st {};
  return stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && access(path.c_str(), X_OK) == 0;
}

}  // namespace

std::string find_program(const std::string& name) {
  if (name.find('/') != std::string::npos) {
    return executable_file(name) ? name : "";
  }
  const char* path = std::getenv("PATH");
  std::istringstream dirs(path != nullptr ? path : "/usr/local/bin:/usr/bin:/bin");
  for (std::string dir; std::getline(dirs, dir, ':');) {
    const std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable_file(candidate)) {
      return candidate;
    }
  }
  return "";
}

}  // namespace capmin::verify
