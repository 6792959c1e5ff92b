// SPDX-License-Identifier: MIT
#include "verify/Spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <spawn.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
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
  int step = 0;
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
  const std::string root = m.root_dir + "/root";
  const std::string cgroup = root + "/sys/fs/cgroup";
  std::error_code ec;
  const std::string cwd = std::filesystem::current_path(ec).string();
  std::vector<std::string> points;
  for (tracer::VisibleMount& vm : tracer::visible_mounts()) {
    points.push_back(std::move(vm.point));
  }
  static const char* const kSteps[] = {"",
                                       "unshare(CLONE_NEWNS)",
                                       "mount tmpfs",
                                       "MS_PRIVATE",
                                       "mkdir",
                                       "bind /",
                                       "chroot",
                                       "chdir",
                                       "execve",
                                       "mount cgroup2 on /sys/fs/cgroup",
                                       "mount the tmpfs of the overlays' upper layers",
                                       "make an overlay's upper layer",
                                       "mount an overlay",
                                       "unshare(CLONE_NEWNET)",
                                       "bring loopback up"};
  std::vector<std::string> overlay_options;
  for (const LauncherMounts::Overlay& o : m.overlays) {
    overlay_options.push_back("lowerdir=" + o.lower + ",upperdir=" + o.upper +
                              ",workdir=" + o.work);
  }

  events::Pipe report = events::make_pipe();
  const pid_t pid = fork();
  if (pid < 0) {
    throw SystemError("fork", errno);
  }
  if (pid == 0) {
    // The child ends in execv or _exit: no destructor runs here, and
    // reset() is only close().
    report.read.reset();
    auto fail = [&](int step) {
      const ChildFailure f{step, errno};
      (void)!write(report.write.get(), &f, sizeof f);
      _exit(127);
    };
    if (unshare(CLONE_NEWNS) != 0) fail(1);
    // The copies of shared mounts would carry the mounts below back into
    // the namespace capmin came from: make those it can see private (the
    // chroot's own root mount it cannot see, hence the private tmpfs).
    for (const std::string& p : points) {
      mount(nullptr, p.c_str(), nullptr, MS_PRIVATE, nullptr);
    }
    if (!m.tmpfs_dir.empty()) {
      if (mount("capmin", m.tmpfs_dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") != 0 ||
          mount(nullptr, m.tmpfs_dir.c_str(), nullptr, MS_PRIVATE, nullptr) != 0) {
        fail(10);
      }
      for (const LauncherMounts::Dir& d : m.dirs) {
        if (mkdir(d.path.c_str(), 0700) != 0 || chown(d.path.c_str(), d.uid, d.gid) != 0 ||
            chmod(d.path.c_str(), d.mode) != 0) {
          fail(11);
        }
      }
    }
    for (std::size_t i = 0; i < m.overlays.size(); ++i) {
      if (mount("capmin", m.overlays[i].target.c_str(), "overlay", 0, overlay_options[i].c_str()) !=
          0) {
        fail(12);
      }
    }
    if (m.private_network) {
      if (unshare(CLONE_NEWNET) != 0) fail(13);
      ifreq lo{};
      std::memcpy(lo.ifr_name, "lo", 3);
      const int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
      if (s < 0 || ioctl(s, SIOCGIFFLAGS, &lo) != 0) fail(14);
      lo.ifr_flags = static_cast<short>(lo.ifr_flags | IFF_UP);
      if (ioctl(s, SIOCSIFFLAGS, &lo) != 0) fail(14);
      close(s);
    }
    if (!m.root_dir.empty()) {
      if (mount("capmin", m.root_dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") != 0) {
        fail(2);
      }
      if (mount(nullptr, m.root_dir.c_str(), nullptr, MS_PRIVATE, nullptr) != 0) fail(3);
      if (mkdir(root.c_str(), 0755) != 0) fail(4);
      if (mount("/", root.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) fail(5);
      if (m.mount_cgroup && mount("cgroup2", cgroup.c_str(), "cgroup2",
                                  MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
        fail(9);
      }
      if (chdir(root.c_str()) != 0 || chroot(".") != 0) fail(6);
      if (chdir(cwd.empty() ? "/" : cwd.c_str()) != 0) fail(7);
    }
    execv(args[0], args.data());
    fail(8);
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
        std::string("starting ") + argv[0] + " in a mount namespace of its own: " + kSteps[f.step],
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
