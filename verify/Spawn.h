// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace capmin::verify {

// Starts argv[0] (a path) with capmin's standard input, output and error,
// or with all three on /dev/null when `quiet`. Throws SystemError.
pid_t spawn(const std::vector<std::string>& argv, bool quiet = false);
// What spawn_in_mount_namespace() sets up for the program in a mount
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
};
// As spawn(), in a mount namespace of its own set up as `mounts` says.
// Throws SystemError naming the step that failed.
pid_t spawn_in_mount_namespace(const std::vector<std::string>& argv, const LauncherMounts& mounts);
// Whether a cgroup hierarchy (v1 or v2) is mounted where this process sees it.
bool cgroup_mounted();
// Runs argv[0] quietly and returns its exit status (-1 if it could not
// start or was killed).
int run_quietly(const std::vector<std::string>& argv);
// Runs argv[0] and returns what it wrote to standard output ("" if it
// failed).
std::string output_of(const std::vector<std::string>& argv);
// The path of an executable: `name` itself when it holds a '/', else the
// first match on $PATH; "" when there is none.
std::string find_program(const std::string& name);

}  // namespace capmin::verify
