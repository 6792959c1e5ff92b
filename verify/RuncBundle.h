// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

#include "verify/Spawn.h"

namespace capmin::verify {

// A host path made writable inside the container, at the same or another
// path.
struct Bind {
  std::string source;
  std::string destination;
};
// Parses SRC[:DST]. SRC is made absolute and must exist; DST, when given,
// must be absolute. Throws UserError otherwise.
Bind parse_bind(const std::string& text);

// What the container is: one program, as one user, with one set of
// capabilities, on a read-only view of this machine.
struct BundleSpec {
  std::vector<std::string> argv;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<int> caps;
  // false: `caps` bounding, permitted (and, for a non-root user,
  // inheritable and ambient) but none effective, for probe mode: a tracer
  // keeps the effective set empty and raises what it probes.
  bool effective = true;
  std::string cwd;               // also bound writable, unless it is "/"
  std::vector<std::string> env;  // NAME=VALUE
  std::vector<Bind> binds;
  // The directory of the program's executable when the container's own
  // /tmp would hide it (a program built under /tmp): bound read-only.
  std::string program_dir;
  bool host_network = true;  // false: a network namespace of its own (loopback only)
  // A socket bound over the container's /dev/log (OutputTee's syslog); ""
  // for none.
  std::string dev_log;
  // The working directory and the binds are overlays of themselves rather
  // than writable binds: what the container writes there goes to upper
  // layers in `writes_dir` (a tmpfs of the launcher's, RuncBundle's
  // layer_dirs()) and is gone with the run. RuncBundle sets writes_dir.
  bool overlay_writes = false;
  std::string writes_dir;
  // Non-empty: the container is an image's. Its root is this unpacked root
  // file system below a writable layer of the run's own (the launcher
  // mounts the overlay on the bundle's rootfs/: RuncBundle::root_overlay),
  // with Docker's mounts (/proc, /dev, /sys read-only, /etc/hosts,
  // /etc/hostname, /etc/resolv.conf), the host's "/" nowhere, and no
  // network namespace in the configuration: the launcher gives runc a
  // private one with loopback up, which the container inherits.
  std::string image_rootfs;
  std::string hostname = "capmin";
  std::vector<gid_t> groups;  // supplementary (the image user's)
  std::string etc_dir;        // the bundle's hosts, hostname, resolv.conf; RuncBundle sets it
};

// The OCI runtime configuration (config.json) of the bundle: the host's "/"
// bound recursively read-only as the root file system, a fresh /proc, a
// tmpfs /dev with the standard devices, a tmpfs /tmp, the working directory
// and the binds writable (or overlays: overlay_writes), the program's
// directory read-only when it is
// under /tmp; new mount, pid, ipc and uts namespaces; no cgroup
// limits, rlimits or seccomp filter. Pure: the same spec gives the same text.
nlohmann::ordered_json oci_config(const BundleSpec& spec);

// A bundle directory under $TMPDIR (or /tmp): config.json, the empty
// rootfs/ the host's "/" is bound onto inside the container, the empty
// host/ and writes/ for the launcher (LauncherMounts), and runc's state
// directory and log.
// Removed when the object goes; rootfs/ and host/ only if they are empty,
// so nothing mounted there is ever deleted through.
class RuncBundle {
 public:
  // Throws SystemError when the directory cannot be made.
  explicit RuncBundle(const BundleSpec& spec);
  ~RuncBundle();
  RuncBundle(const RuncBundle&) = delete;
  RuncBundle& operator=(const RuncBundle&) = delete;

  const std::string& dir() const { return dir_; }
  std::string state_dir() const { return dir_ + "/state"; }
  std::string log_path() const { return dir_ + "/runc.log"; }
  // An empty directory a chroot's "/" can be bound onto (LauncherMounts).
  std::string host_dir() const { return dir_ + "/host"; }
  // With overlay_writes: the empty directory the launcher mounts a tmpfs
  // on, and the directories of each overlay's layers to make there (the
  // upper one with the real directory's owner and mode); else "" and none.
  const std::string& writes_dir() const { return writes_dir_; }
  const std::vector<LauncherMounts::Dir>& layer_dirs() const { return layer_dirs_; }
  // With image_rootfs: the overlay that makes the container's root.
  std::vector<LauncherMounts::Overlay> root_overlay() const;

 private:
  void remove();

  std::string dir_;
  std::string writes_dir_;
  std::vector<LauncherMounts::Dir> layer_dirs_;
  std::string image_rootfs_;
};

}  // namespace capmin::verify
