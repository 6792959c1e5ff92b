// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <string>
#include <utility>
#include <vector>

namespace capmin::verify {

// What a launcher (spawn_in_mount_namespace, or a traced runc) sets up for the program in a mount
// namespace of its own (every mount it can see made private first, so
// nothing reaches the namespace capmin came from).
struct LauncherMounts {
  // Non-empty, an empty directory: "/" is bound recursively onto a private
  // tmpfs mounted here and the program is chrooted there, in the same
  // working directory. For a program that needs "/" to be a mount point
  // (runc) while capmin runs in a chroot, where it is not.
  std::string root_dir;
  // With root_dir: also the cgroup2 hierarchy on /sys/fs/cgroup there (runc
  // will not start without one, and a chroot built by debootstrap has none).
  bool mount_cgroup = false;
  // Non-empty, an empty directory: a tmpfs mounted here (before root_dir's
  // bind, which carries it along), holding `dirs`, made in order with their
  // owner and mode (the upper layers of runc's overlays).
  std::string tmpfs_dir;
  struct Dir {
    std::string path;
    uid_t uid = 0;
    gid_t gid = 0;
    mode_t mode = 0700;
  };
  std::vector<Dir> dirs;
  // Overlays mounted after `dirs` are made (a container's root: an image's
  // layers below a writable layer of the run's own). capmin's own paths:
  // none holds a comma.
  struct Overlay {
    std::string lower, upper, work, target;
  };
  std::vector<Overlay> overlays;
  // A network namespace of its own with loopback up (a container's: what
  // runc starts then inherits it).
  bool private_network = false;
  // ... with these sysctls written in it ("net.ipv4.ip_unprivileged_port_start",
  // "0"), as the platform's engine writes them; one this kernel lacks is
  // left out, as engines do.
  std::vector<std::pair<std::string, std::string>> network_sysctls;
};

// LauncherMounts made ready to apply in a child between fork and execve,
// where a threaded capmin may make only system calls: every string and
// list is built here, before the fork.
class LauncherSetup {
 public:
  explicit LauncherSetup(const LauncherMounts& mounts);
  // In the child: unshares the mount namespace and sets it up. nullptr
  // when done, else the step that failed, with errno set. Allocates
  // nothing.
  const char* apply() const noexcept;

 private:
  LauncherMounts m_;
  std::string root_;                          // root_dir/root, where "/" is bound
  std::string cgroup_;                        // root_/sys/fs/cgroup
  std::string cwd_;                           // the working directory, entered again in the chroot
  std::vector<std::string> points_;           // every mount point visible here
  std::vector<std::string> overlay_options_;  // one per m_.overlays
  std::vector<std::string> sysctl_paths_;     // /proc/sys/..., one per m_.network_sysctls
};

}  // namespace capmin::verify
