// SPDX-License-Identifier: MIT
#include "verify/LauncherSetup.h"

#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>

#include "tracer/launch/Mounts.h"

namespace capmin::verify {

LauncherSetup::LauncherSetup(const LauncherMounts& mounts)
    : m_(mounts), root_(mounts.root_dir + "/root"), cgroup_(root_ + "/sys/fs/cgroup") {
  std::error_code ec;
  cwd_ = std::filesystem::current_path(ec).string();
  for (tracer::VisibleMount& vm : tracer::visible_mounts()) {
    points_.push_back(std::move(vm.point));
  }
  for (const auto& [name, value] : m_.network_sysctls) {
    std::string path = "/proc/sys/" + name;
    std::replace(path.begin() + 10, path.end(), '.', '/');
    sysctl_paths_.push_back(std::move(path));
  }
  for (const LauncherMounts::Overlay& o : m_.overlays) {
    overlay_options_.push_back("lowerdir=" + o.lower + ",upperdir=" + o.upper +
                               ",workdir=" + o.work);
  }
}

const char* LauncherSetup::apply() const noexcept {
  if (unshare(CLONE_NEWNS) != 0) return "unshare(CLONE_NEWNS)";
  // The copies of shared mounts would carry the mounts below back into
  // the namespace capmin came from: make those it can see private (the
  // chroot's own root mount it cannot see, hence the private tmpfs).
  for (const std::string& p : points_) {
    mount(nullptr, p.c_str(), nullptr, MS_PRIVATE, nullptr);
  }
  if (!m_.tmpfs_dir.empty()) {
    if (mount("capmin", m_.tmpfs_dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") != 0 ||
        mount(nullptr, m_.tmpfs_dir.c_str(), nullptr, MS_PRIVATE, nullptr) != 0) {
      return "mount the tmpfs of the overlays' upper layers";
    }
    for (const LauncherMounts::Dir& d : m_.dirs) {
      if (mkdir(d.path.c_str(), 0700) != 0 || chown(d.path.c_str(), d.uid, d.gid) != 0 ||
          chmod(d.path.c_str(), d.mode) != 0) {
        return "make an overlay's upper layer";
      }
    }
  }
  for (std::size_t i = 0; i < m_.overlays.size(); ++i) {
    if (mount("capmin", m_.overlays[i].target.c_str(), "overlay", 0, overlay_options_[i].c_str()) !=
        0) {
      return "mount an overlay";
    }
  }
  if (m_.private_network) {
    if (unshare(CLONE_NEWNET) != 0) return "unshare(CLONE_NEWNET)";
    ifreq lo{};
    std::memcpy(lo.ifr_name, "lo", 3);
    const int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (s < 0 || ioctl(s, SIOCGIFFLAGS, &lo) != 0) return "bring loopback up";
    lo.ifr_flags = static_cast<short>(lo.ifr_flags | IFF_UP);
    if (ioctl(s, SIOCSIFFLAGS, &lo) != 0) return "bring loopback up";
    close(s);
    // /proc/sys/net is the opener's network namespace: the new one.
    for (std::size_t i = 0; i < sysctl_paths_.size(); ++i) {
      const int fd = open(sysctl_paths_[i].c_str(), O_WRONLY | O_CLOEXEC);
      if (fd < 0 && errno == ENOENT) {
        continue;
      }
      const std::string& value = m_.network_sysctls[i].second;
      if (fd < 0 || write(fd, value.data(), value.size()) != static_cast<ssize_t>(value.size())) {
        return "write a network sysctl of the platform's";
      }
      close(fd);
    }
  }
  if (!m_.root_dir.empty()) {
    if (mount("capmin", m_.root_dir.c_str(), "tmpfs", MS_NOSUID | MS_NODEV, "mode=0700") != 0) {
      return "mount tmpfs";
    }
    if (mount(nullptr, m_.root_dir.c_str(), nullptr, MS_PRIVATE, nullptr) != 0) {
      return "MS_PRIVATE";
    }
    if (mkdir(root_.c_str(), 0755) != 0) return "mkdir";
    if (mount("/", root_.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0) return "bind /";
    if (m_.mount_cgroup && mount("cgroup2", cgroup_.c_str(), "cgroup2",
                                 MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0) {
      return "mount cgroup2 on /sys/fs/cgroup";
    }
    if (chdir(root_.c_str()) != 0 || chroot(".") != 0) return "chroot";
    if (chdir(cwd_.empty() ? "/" : cwd_.c_str()) != 0) return "chdir";
  }
  return nullptr;
}

}  // namespace capmin::verify
