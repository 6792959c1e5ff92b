// SPDX-License-Identifier: MIT
// The child side of a launch. Runs between fork and exec in a single-threaded
// copy of a threaded capmin, so it sticks to plain system calls and libcap:
// whatever needs NSS or libseccomp was done before the fork (ChildPrep).
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

#include "tracer/launch/ChildPrep.h"

namespace capmin::tracer {

namespace {

[[noreturn]] void fail(int err_fd, LaunchFailure::Stage stage, int err, const char* what) {
  LaunchFailure f{};
  f.stage = stage;
  f.err = err;
  std::snprintf(f.what, sizeof f.what, "%s", what);
  [[maybe_unused]] ssize_t n = write(err_fd, &f, sizeof f);
  if (stage == LaunchFailure::Stage::Setup) {
    _exit(125);
  }
  // env(1) and docker run: 127 when the command is not there, 126 when it is
  // there but cannot be run.
  _exit(err == ENOENT || err == ENOTDIR ? 127 : 126);
}

// Every capability outside `keep` leaves the bounding set.
void drop_bounding_except(const std::vector<int>& keep, int err_fd) {
  for (cap_value_t c = 0; c < static_cast<cap_value_t>(cap_max_bits()); ++c) {
    if (std::find(keep.begin(), keep.end(), c) != keep.end()) {
      continue;
    }
    if (cap_drop_bound(c) != 0) {
      fail(err_fd, LaunchFailure::Stage::Setup, errno, "prctl(PR_CAPBSET_DROP)");
    }
  }
}

void drop_all_caps(int err_fd) {
  // capabilities(7) and runc's order: the ambient set first, then the
  // bounding set while CAP_SETPCAP is still effective, then (after the
  // identity change) the other three sets.
  if (cap_reset_ambient() != 0 && errno != EINVAL) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
  }
  drop_bounding_except({}, err_fd);
}

// Probe mode: nothing but the withheld capabilities leaves the bounding set
// (so that no file capability brings them back), and a non-root user keeps
// its capabilities across the uid change (PR_SET_KEEPCAPS) and across execve
// (the ambient set, which needs them inheritable too).
void keep_caps_for_probing(const LaunchSpec& spec, int err_fd) {
  if (cap_reset_ambient() != 0 && errno != EINVAL) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "prctl(PR_CAP_AMBIENT_CLEAR_ALL)");
  }
  if (spec.uid.value_or(0) != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "prctl(PR_SET_KEEPCAPS)");
  }
  for (int c : spec.withhold) {
    if (cap_drop_bound(static_cast<cap_value_t>(c)) != 0) {
      fail(err_fd, LaunchFailure::Stage::Setup, errno, "prctl(PR_CAPBSET_DROP)");
    }
  }
}

void lower_effective_keep_permitted(const LaunchSpec& spec, int err_fd) {
  cap_t caps = cap_get_proc();
  if (caps == nullptr) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "capget");
  }
  const bool non_root = spec.uid.value_or(0) != 0;
  cap_clear_flag(caps, CAP_EFFECTIVE);
  cap_clear_flag(caps, CAP_INHERITABLE);
  std::vector<cap_value_t> withheld(spec.withhold.begin(), spec.withhold.end());
  if (!withheld.empty()) {
    cap_set_flag(caps, CAP_PERMITTED, static_cast<int>(withheld.size()), withheld.data(),
                 CAP_CLEAR);
  }
  std::vector<cap_value_t> held;
  for (cap_value_t c = 0; c < static_cast<cap_value_t>(cap_max_bits()); ++c) {
    cap_flag_value_t v = CAP_CLEAR;
    if (cap_get_flag(caps, c, CAP_PERMITTED, &v) == 0 && v == CAP_SET) {
      held.push_back(c);
    }
  }
  if (non_root && !held.empty()) {
    cap_set_flag(caps, CAP_INHERITABLE, static_cast<int>(held.size()), held.data(), CAP_SET);
  }
  if (cap_set_proc(caps) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "capset");
  }
  cap_free(caps);
  if (non_root) {
    for (cap_value_t c : held) {
      if (cap_set_ambient(c, CAP_SET) != 0) {
        fail(err_fd, LaunchFailure::Stage::Setup, errno, "prctl(PR_CAP_AMBIENT_RAISE)");
      }
    }
  }
}

// While CAP_SYS_ADMIN is still effective, so the kernel does not demand
// no_new_privs (kernel/seccomp.c:seccomp_prepare_filter). The filter
// survives execve and is inherited by every child.
void install_filter(const ChildPrep& prep, int err_fd) {
  if (!prep.filter) {
    return;
  }
  if (const int err = SeccompPlan::install(*prep.filter); err != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, err, "seccomp(SECCOMP_SET_MODE_FILTER)");
  }
}

// Caps::Grant after the identity change: exactly the granted set in
// permitted and effective (and inheritable + ambient for a non-root user).
void set_granted(const LaunchSpec& spec, int err_fd) {
  cap_t caps = cap_init();
  std::vector<cap_value_t> grant(spec.grant.begin(), spec.grant.end());
  const bool non_root = spec.uid.value_or(0) != 0;
  if (!grant.empty()) {
    const int n = static_cast<int>(grant.size());
    cap_set_flag(caps, CAP_PERMITTED, n, grant.data(), CAP_SET);
    cap_set_flag(caps, CAP_EFFECTIVE, n, grant.data(), CAP_SET);
    if (non_root) {
      cap_set_flag(caps, CAP_INHERITABLE, n, grant.data(), CAP_SET);
    }
  }
  if (cap_set_proc(caps) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "capset");
  }
  cap_free(caps);
  for (cap_value_t c : grant) {
    if (non_root && cap_set_ambient(c, CAP_SET) != 0) {
      fail(err_fd, LaunchFailure::Stage::Setup, errno, "prctl(PR_CAP_AMBIENT_RAISE)");
    }
  }
}

void take_identity(const ChildPrep& prep, int err_fd) {
  const uid_t uid = prep.uid;
  const gid_t gid = prep.gid;
  const std::vector<gid_t>& groups = prep.groups;
  if (setgroups(groups.size(), groups.data()) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "setgroups");
  }
  if (setresgid(gid, gid, gid) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "setresgid");
  }
  // For a non-zero uid this also empties permitted, effective and ambient
  // (no SECBIT_KEEP_CAPS), exactly as runc's switch does.
  if (setresuid(uid, uid, uid) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "setresuid");
  }
}

void clear_process_caps(int err_fd) {
  cap_t empty = cap_init();
  if (empty == nullptr || cap_set_proc(empty) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "capset");
  }
  cap_free(empty);
}

void reset_signals() {
  // The command must start with the dispositions and mask it would get from
  // a container runtime, not with capmin's.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int sig = 1; sig < NSIG; ++sig) {
    if (sig != SIGKILL && sig != SIGSTOP) {
      signal(sig, SIG_DFL);
    }
  }
}

// A mount namespace of the run's own, for spec.scratch and spec.dev_log.
// Nothing mounted there reaches the host; the host's mounts still come in.
void private_mounts(const LaunchSpec& spec, const ChildPrep& prep, int err_fd) {
  if (spec.scratch.empty() && !spec.dev_log) {
    return;
  }
  if (unshare(CLONE_NEWNS) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno,
         "unshare(CLONE_NEWNS) for the run's own mounts (--write-through runs without them)");
  }
  // In a chroot "/" is no mount (EINVAL): then every mount it can see, one
  // by one (the front end overlays only a directory on one of them).
  if (mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0) {
    if (errno != EINVAL) {
      fail(err_fd, LaunchFailure::Stage::Setup, errno, "mount(/, MS_REC|MS_SLAVE)");
    }
    for (const std::string& point : prep.mount_points) {
      mount(nullptr, point.c_str(), nullptr, MS_SLAVE, nullptr);
    }
  }
}

// The directory open as `dir` becomes an overlay of itself with a tmpfs
// (mounted on `scratch`, an empty directory) on top. The layers are named
// through /proc/self/fd, so no byte of a path can break the mount options,
// and opened in this namespace: overlayfs takes its layers only from the
// mounter's own mount namespace. The upper directory takes the real one's
// owner and mode, so that permission checks on the merged one are those of
// the real directory. `submounts`, the mounts below it that the overlay
// would hide, are bound back where they were, as they were (read-only,
// noexec...): writes there go through. `what` names the overlay in errors.
void overlay_in_place(int dir, const char* scratch_path, const std::vector<std::string>& submounts,
                      const char* what, int err_fd) {
  char step[128];
  auto fail_at = [&](const char* doing) {
    std::snprintf(step, sizeof step, "%s %s", doing, what);
    fail(err_fd, LaunchFailure::Stage::Setup, errno, step);
  };
  if (mount("capmin", scratch_path, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") != 0) {
    fail_at("mount(tmpfs) for the overlay over");
  }
  struct stat real {};
  const int scratch = open(scratch_path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (scratch < 0 || fstat(dir, &real) != 0 || mkdirat(scratch, "upper", 0700) != 0 ||
      mkdirat(scratch, "work", 0700) != 0 ||
      fchownat(scratch, "upper", real.st_uid, real.st_gid, 0) != 0 ||
      fchmodat(scratch, "upper", real.st_mode & 07777, 0) != 0) {
    fail_at("preparing the overlay over");
  }
  char options[160];
  std::snprintf(options, sizeof options,
                "lowerdir=/proc/self/fd/%d,upperdir=/proc/self/fd/%d/upper,"
                "workdir=/proc/self/fd/%d/work",
                dir, scratch, scratch);
  char target[32];
  std::snprintf(target, sizeof target, "/proc/self/fd/%d", dir);
  std::vector<int> below;
  for (const std::string& point : submounts) {
    below.push_back(open(point.c_str(), O_PATH | O_CLOEXEC | O_NOFOLLOW));
  }
  if (mount("capmin", target, "overlay", 0, options) != 0) {
    std::snprintf(step, sizeof step, "mount(overlay) over %s (--write-through runs without it)",
                  what);
    fail(err_fd, LaunchFailure::Stage::Setup, errno, step);
  }
  for (std::size_t i = 0; i < below.size(); ++i) {
    char held[32];
    std::snprintf(held, sizeof held, "/proc/self/fd/%d", below[i]);
    if (below[i] < 0 ||
        mount(held, submounts[i].c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) {
      fail_at("binding a mount back over the overlay over");
    }
    close(below[i]);
  }
  close(scratch);  // plain closes: no destructor runs in this child
}

// spec.dev_log: capmin's socket mounted over /dev/log, so that what the
// program sends to syslog reaches capmin. Where /dev has no log (a
// container's /dev, a host without a logger), /dev becomes an overlay of
// itself with an empty file to mount on: nothing is created in the real
// /dev. Before the working directory's overlay, which could hide the
// socket's own path.
void capture_dev_log(const LaunchSpec& spec, const ChildPrep& prep, int err_fd) {
  if (!spec.dev_log) {
    return;
  }
  auto fail_at = [err_fd](const char* what) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, what);
  };
  const int socket = open(spec.dev_log->socket.c_str(), O_PATH | O_CLOEXEC);
  if (socket < 0) {
    fail_at("opening capmin's syslog socket");
  }
  struct stat there {};
  if (stat("/dev/log", &there) != 0) {
    const int dev = open("/dev", O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dev < 0) {
      fail_at("opening /dev");
    }
    overlay_in_place(dev, spec.dev_log->scratch.c_str(), prep.dev_submounts, "/dev", err_fd);
    close(dev);
    unlink("/dev/log");  // a dangling link, in the upper layer only
    const int made = open("/dev/log", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0666);
    if (made < 0) {
      fail_at("creating /dev/log in the overlay over /dev");
    }
    close(made);
  }
  char source[32];
  std::snprintf(source, sizeof source, "/proc/self/fd/%d", socket);
  if (mount(source, "/dev/log", nullptr, MS_BIND, nullptr) != 0) {
    fail_at("mount(capmin's syslog socket over /dev/log)");
  }
  close(socket);
}

// spec.scratch: the working directory becomes an overlay of itself, and
// the program starts in the merged one.
void overlay_working_directory(const LaunchSpec& spec, const ChildPrep& prep, int err_fd) {
  if (spec.scratch.empty()) {
    return;
  }
  const int cwd = open(".", O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (cwd < 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "opening the working directory");
  }
  overlay_in_place(cwd, spec.scratch.c_str(), prep.submounts, "the working directory", err_fd);
  if (chdir(prep.cwd.c_str()) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno,
         "chdir into the overlay over the working directory");
  }
  close(cwd);
}

// spec.process, as a service manager applies it: limits and niceness while
// capmin's capabilities still allow raising them, so that the program
// starts with them as the unit gives them, not by its own means.
void apply_process_settings(const LaunchSpec& spec, int err_fd) {
  const ProcessSettings& p = spec.process;
  for (const ProcessSettings::Limit& l : p.limits) {
    const rlimit value{l.soft, l.hard};
    if (setrlimit(static_cast<__rlimit_resource>(l.resource), &value) != 0) {
      fail(err_fd, LaunchFailure::Stage::Setup, errno, "setrlimit (the unit's Limit...=)");
    }
  }
  if (p.nice && setpriority(PRIO_PROCESS, 0, *p.nice) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "setpriority (the unit's Nice=)");
  }
  if (p.umask) {
    umask(*p.umask);
  }
  if (p.stdin_null) {
    const int null = open("/dev/null", O_RDONLY);
    if (null < 0 || dup2(null, 0) < 0) {
      fail(err_fd, LaunchFailure::Stage::Setup, errno, "opening /dev/null as standard input");
    }
    if (null != 0) {
      close(null);
    }
  }
}

}  // namespace

void run_child(const LaunchSpec& spec, const ChildPrep& prep, int sync_fd, int err_fd) {
  reset_signals();
  // The tracer attaches before anything here runs: a seccomp filter that
  // returns SECCOMP_RET_TRACE with no tracer fails its calls with ENOSYS.
  char go = 0;
  while (read(sync_fd, &go, 1) < 0 && errno == EINTR) {
  }
  // A plain close, not an owner object: this function never returns, so no
  // destructor would run; err_fd stays open until execve closes it.
  close(sync_fd);
  if (go != 'g') {
    _exit(125);  // the tracer gave up on us
  }

  if (spec.own_uts_ipc && unshare(CLONE_NEWUTS | CLONE_NEWIPC) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "unshare(CLONE_NEWUTS|CLONE_NEWIPC)");
  }
  if (!spec.process.cwd.empty() && chdir(spec.process.cwd.c_str()) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "chdir to the working directory");
  }
  private_mounts(spec, prep, err_fd);
  capture_dev_log(spec, prep, err_fd);
  overlay_working_directory(spec, prep, err_fd);
  if (spec.setup) {
    if (const char* step = spec.setup()) {
      fail(err_fd, LaunchFailure::Stage::Setup, errno, step);
    }
  }
  apply_process_settings(spec, err_fd);
  if (spec.caps == LaunchSpec::Caps::Keep) {
    install_filter(prep, err_fd);
  } else if (spec.caps == LaunchSpec::Caps::DropAll) {
    drop_all_caps(err_fd);
    install_filter(prep, err_fd);
    take_identity(prep, err_fd);
    clear_process_caps(err_fd);
  } else if (spec.caps == LaunchSpec::Caps::PermittedOnly) {
    keep_caps_for_probing(spec, err_fd);
    install_filter(prep, err_fd);
    take_identity(prep, err_fd);
    lower_effective_keep_permitted(spec, err_fd);
  } else {
    keep_caps_for_probing(spec, err_fd);
    drop_bounding_except(spec.grant, err_fd);
    install_filter(prep, err_fd);
    take_identity(prep, err_fd);
    set_granted(spec, err_fd);
  }

  // Tell the tracer that what follows is the command's own execve: a
  // refusal of it (a file-capability binary under an empty bounding set)
  // is evidence like any other.
  if (spec.process.no_new_privs && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
    fail(err_fd, LaunchFailure::Stage::Setup, errno, "prctl(PR_SET_NO_NEW_PRIVS)");
  }
  if (spec.traced) {
    raise(SIGSTOP);
  }
  execvpe(prep.executable, prep.argv.data(), prep.envp.empty() ? environ : prep.envp.data());
  fail(err_fd, LaunchFailure::Stage::Exec, errno, "execve");
}

}  // namespace capmin::tracer
