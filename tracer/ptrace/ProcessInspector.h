// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace capmin::tracer {

// Facts about a tracee and the objects it names that are not in its registers
// or memory: its credentials, its executable, the owner and mode of a file it
// tried to open. The real implementation reads /proc as the (privileged)
// tracer; tests use a fake. Every answer is optional: the task may be gone.
class ProcessInspector {
 public:
  struct Creds {
    uid_t ruid, euid, suid, fsuid;
    gid_t rgid, egid, sgid, fsgid;
  };
  struct FileInfo {
    uid_t uid;
    gid_t gid;
    mode_t mode;  // type and permission bits, as st_mode
  };

  virtual ~ProcessInspector() = default;
  virtual std::optional<Creds> creds(pid_t tid) const = 0;
  virtual std::optional<pid_t> tgid(pid_t tid) const = 0;
  // Its supplementary groups (the fs gid is in creds).
  virtual std::optional<std::vector<gid_t>> groups(pid_t tid) const = 0;
  // Its ambient capability set (CapAmb), as a mask.
  virtual std::optional<std::uint64_t> ambient_caps(pid_t tid) const = 0;
  virtual std::optional<std::string> exe(pid_t tid) const = 0;
  // The first word of its command line (argv[0] as the caller of execve
  // gave it).
  virtual std::optional<std::string> argv0(pid_t tid) const = 0;
  // Looks `path` up as the tracee would: relative to `dirfd` (AT_FDCWD: its
  // working directory), absolute paths through its root directory.
  virtual std::optional<FileInfo> stat_path(pid_t tid, int dirfd, const std::string& path,
                                            bool follow) const = 0;
  // The file capabilities of the file at `path` ("cap_net_raw=ep"), if any.
  virtual std::optional<std::string> file_caps(pid_t tid, int dirfd,
                                               const std::string& path) const = 0;
  // What its descriptor `fd` names (/proc/TID/fd/FD: "/proc/sys/...",
  // "socket:[123]"); none by default.
  virtual std::optional<std::string> fd_target(pid_t tid, int fd) const {
    (void)tid;
    (void)fd;
    return std::nullopt;
  }
};

// The real thing: /proc/<tid>/{status,exe,cwd,root,fd}.
class ProcInspector final : public ProcessInspector {
 public:
  std::optional<Creds> creds(pid_t tid) const override;
  std::optional<pid_t> tgid(pid_t tid) const override;
  std::optional<std::vector<gid_t>> groups(pid_t tid) const override;
  std::optional<std::uint64_t> ambient_caps(pid_t tid) const override;
  std::optional<std::string> exe(pid_t tid) const override;
  std::optional<std::string> fd_target(pid_t tid, int fd) const override;
  std::optional<std::string> argv0(pid_t tid) const override;
  std::optional<FileInfo> stat_path(pid_t tid, int dirfd, const std::string& path,
                                    bool follow) const override;
  std::optional<std::string> file_caps(pid_t tid, int dirfd,
                                       const std::string& path) const override;

  // The path under /proc that names `path` as the tracee sees it.
  static std::string proc_path(pid_t tid, int dirfd, const std::string& path);
  // A path read from one of the task's links (/proc/TID/exe, fd/N, maps), as
  // the task itself names it. The kernel writes them relative to capmin's
  // root, and a task in a mount namespace of its own under a chroot of
  // capmin's lies outside that: the path then starts with the task's own
  // root as capmin sees it (/proc/TID/root), which is taken off.
  static std::string as_the_task_names_it(pid_t tid, std::string path);
  // The same, given the task's root as capmin sees it.
  static std::string without_root(const std::string& root, std::string path);
};

}  // namespace capmin::tracer
