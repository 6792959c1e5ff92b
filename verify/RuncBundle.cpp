// SPDX-License-Identifier: MIT
#include "verify/RuncBundle.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "events/CapabilityNames.h"
#include "events/Errors.h"
#include "events/TempDir.h"

namespace capmin::verify {

namespace {

using Json = nlohmann::ordered_json;

Json mount(const std::string& destination, const std::string& type, const std::string& source,
           std::vector<std::string> options) {
  return Json{{"destination", destination},
              {"type", type},
              {"source", source},
              {"options", std::move(options)}};
}

// What `docker run` hides or makes read-only under /proc and /sys, from
// runc's own default spec (runc spec).
const std::vector<std::string> kMaskedPaths = {
    "/proc/acpi",          "/proc/asound",     "/proc/kcore",       "/proc/keys",
    "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
    "/proc/scsi",          "/sys/firmware"};
const std::vector<std::string> kReadonlyPaths = {"/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys",
                                                 "/proc/sysrq-trigger"};

// The paths the container may write to, in order: the working directory
// (unless it is "/"), then each bind; as {destination, source}.
std::vector<std::pair<std::string, std::string>> writable_paths(const BundleSpec& spec) {
  std::vector<std::pair<std::string, std::string>> out;
  if (spec.cwd != "/" && spec.image_rootfs.empty()) {
    out.emplace_back(spec.cwd, spec.cwd);
  }
  for (const Bind& b : spec.binds) {
    out.emplace_back(b.destination, b.source);
  }
  return out;
}

// The files docker run writes for each container and binds over the
// image's: /etc/hosts, /etc/hostname, and the host's /etc/resolv.conf.
void write_container_files(const std::string& dir, const std::string& hostname) {
  if (mkdir(dir.c_str(), 0755) != 0) {
    throw SystemError("mkdir(" + dir + ")", errno);
  }
  std::ofstream(dir + "/hostname") << hostname << '\n';
  std::ofstream(dir + "/hosts") << "127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost "
                                   "ip6-loopback\n127.0.1.1\t"
                                << hostname << '\n';
  std::ifstream host("/etc/resolv.conf");
  std::ofstream(dir + "/resolv.conf") << host.rdbuf();
}

std::string layer_dir(const BundleSpec& spec, std::size_t i) {
  return spec.writes_dir + "/" + std::to_string(i);
}

}  // namespace

Bind parse_bind(const std::string& text) {
  const auto colon = text.find(':');
  const std::string source = text.substr(0, colon);
  std::string destination = colon == std::string::npos ? "" : text.substr(colon + 1);
  if (source.empty()) {
    throw UserError("--bind '" + text + "': expected SRC[:DST]");
  }
  std::error_code ec;
  const auto absolute = std::filesystem::canonical(source, ec);
  if (ec) {
    throw UserError("--bind '" + text + "': " + source + ": " + ec.message());
  }
  if (colon == std::string::npos) {
    destination = absolute.string();
  } else if (destination.empty() || destination[0] != '/') {
    throw UserError("--bind '" + text + "': the destination must be an absolute path");
  }
  return Bind{absolute.string(), destination};
}

nlohmann::ordered_json oci_config(const BundleSpec& spec) {
  std::vector<std::string> names;
  for (int c : spec.caps) {
    names.push_back(events::cap_name(c));
  }
  Json caps{{"bounding", names},
            {"effective", spec.effective ? names : std::vector<std::string>{}},
            {"permitted", names}};
  if (spec.uid != 0) {
    // A non-root user keeps capabilities across execve only through the
    // ambient set, which the kernel allows only for inheritable ones.
    caps["inheritable"] = names;
    caps["ambient"] = names;
  }

  Json process;
  process["terminal"] = false;
  process["user"] = {{"uid", spec.uid}, {"gid", spec.gid}};
  if (!spec.groups.empty()) {
    process["user"]["additionalGids"] = spec.groups;
  }
  process["args"] = spec.argv;
  process["env"] = spec.env;
  process["cwd"] = spec.cwd;
  process["capabilities"] = caps;
  process["noNewPrivileges"] = false;  // docker run's default

  const bool image = !spec.image_rootfs.empty();
  Json mounts = Json::array();
  if (!image) {
    // Recursively read-only ("rro", Linux 5.12 and runc 1.1): submounts of
    // the host, /run or /boot, are read-only too.
    mounts.push_back(mount("/", "bind", "/", {"rbind", "rro"}));
  }
  mounts.push_back(mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}));
  mounts.push_back(
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}));
  mounts.push_back(mount("/dev/pts", "devpts", "devpts",
                         {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}));
  mounts.push_back(
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}));
  mounts.push_back(mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}));
  if (image) {
    // docker run's: sysfs read-only, and the files it writes for each
    // container (from the bundle: capmin's, not the image's).
    mounts.push_back(mount("/sys", "sysfs", "sysfs", {"nosuid", "noexec", "nodev", "ro"}));
    for (const char* file : {"hosts", "hostname", "resolv.conf"}) {
      mounts.push_back(
          mount(std::string("/etc/") + file, "bind", spec.etc_dir + "/" + file, {"rbind", "rw"}));
    }
  } else {
    mounts.push_back(mount("/tmp", "tmpfs", "tmpfs", {"nosuid", "nodev", "mode=1777"}));
  }
  if (!spec.dev_log.empty()) {
    mounts.push_back(mount("/dev/log", "bind", spec.dev_log, {"bind"}));
  }
  // After /tmp, so that a working directory under /tmp shows through it.
  const auto writable = writable_paths(spec);
  for (std::size_t i = 0; i < writable.size(); ++i) {
    const auto& [destination, source] = writable[i];
    if (spec.overlay_writes) {
      const std::string layers = layer_dir(spec, i);
      mounts.push_back(mount(
          destination, "overlay", "overlay",
          {"lowerdir=" + source, "upperdir=" + layers + "/upper", "workdir=" + layers + "/work"}));
    } else {
      mounts.push_back(mount(destination, "bind", source, {"rbind", "rw"}));
    }
  }
  if (!image && !spec.program_dir.empty() && spec.program_dir != spec.cwd) {
    mounts.push_back(mount(spec.program_dir, "bind", spec.program_dir, {"rbind", "ro"}));
  }

  Json namespaces = Json::array();
  for (const char* ns : {"pid", "ipc", "uts", "mount"}) {
    namespaces.push_back({{"type", ns}});
  }
  if (!spec.host_network && !image) {
    namespaces.push_back({{"type", "network"}});
  }

  Json config;
  config["ociVersion"] = "1.0.2";
  config["process"] = process;
  config["root"] = {{"path", "rootfs"}, {"readonly", !image}};
  if (image) {
    config["hostname"] = spec.hostname;
  }
  config["mounts"] = mounts;
  config["linux"] = {
      {"namespaces", namespaces}, {"maskedPaths", kMaskedPaths}, {"readonlyPaths", kReadonlyPaths}};
  return config;
}

RuncBundle::RuncBundle(const BundleSpec& given) {
  BundleSpec spec = given;
  dir_ = events::make_temp_dir("runc");
  try {
    for (const std::string& d : {dir_ + "/rootfs", host_dir()}) {
      if (mkdir(d.c_str(), 0755) != 0) {
        throw SystemError("mkdir(" + d + ")", errno);
      }
    }
    image_rootfs_ = spec.image_rootfs;
    if (!spec.image_rootfs.empty()) {
      spec.overlay_writes = true;  // the root is an overlay whatever the binds are
      spec.etc_dir = dir_ + "/etc";
      write_container_files(spec.etc_dir, spec.hostname);
    }
    if (spec.overlay_writes) {
      writes_dir_ = spec.writes_dir = dir_ + "/writes";
      if (mkdir(writes_dir_.c_str(), 0700) != 0) {
        throw SystemError("mkdir(" + writes_dir_ + ")", errno);
      }
      const auto writable = writable_paths(spec);
      for (std::size_t i = 0; i < writable.size(); ++i) {
        const std::string& source = writable[i].second;
        // An overlay's options are split at commas, its lower layers at
        // colons: a path holding either cannot be named there.
        if (source.find_first_of(",:\\") != std::string::npos ||
            dir_.find_first_of(",:\\") != std::string::npos) {
          throw UserError("runc cannot overlay '" + source +
                          "': its path holds a ',', ':' or '\\' (use --write-through)");
        }
        struct stat real {};
        if (stat(source.c_str(), &real) != 0) {
          throw SystemError("stat(" + source + ")", errno);
        }
        const std::string layers = layer_dir(spec, i);
        layer_dirs_.push_back({layers, 0, 0, 0700});
        layer_dirs_.push_back({layers + "/upper", real.st_uid, real.st_gid, real.st_mode & 07777});
        layer_dirs_.push_back({layers + "/work", 0, 0, 0700});
      }
      if (!spec.image_rootfs.empty()) {
        layer_dirs_.push_back({writes_dir_ + "/root", 0, 0, 0700});
        layer_dirs_.push_back({writes_dir_ + "/root/upper", 0, 0, 0755});
        layer_dirs_.push_back({writes_dir_ + "/root/work", 0, 0, 0700});
      }
    }
    std::string config;
    try {
      config = oci_config(spec).dump(2);
    } catch (const nlohmann::json::type_error&) {
      // JSON strings are UTF-8, and runc reads its config as such: a
      // command, path or variable holding other bytes cannot be passed.
      throw UserError(
          "runc cannot run this command: an argument, path or environment variable is not "
          "valid UTF-8, and runc's config.json can only hold UTF-8 (use --runtime native)");
    }
    std::ofstream out(dir_ + "/config.json");
    out << config << '\n';
    if (!out.flush()) {
      throw SystemError("write(" + dir_ + "/config.json)", EIO);
    }
  } catch (...) {
    remove();
    throw;
  }
}

RuncBundle::~RuncBundle() { remove(); }

std::vector<LauncherMounts::Overlay> RuncBundle::root_overlay() const {
  if (image_rootfs_.empty()) {
    return {};
  }
  return {
      {image_rootfs_, writes_dir_ + "/root/upper", writes_dir_ + "/root/work", dir_ + "/rootfs"}};
}

void RuncBundle::remove() {
  std::error_code ignored;
  std::filesystem::remove(dir_ + "/config.json", ignored);
  std::filesystem::remove(log_path(), ignored);
  std::filesystem::remove_all(state_dir(), ignored);
  umount2((dir_ + "/rootfs").c_str(), MNT_DETACH);
  rmdir((dir_ + "/rootfs").c_str());
  std::filesystem::remove_all(dir_ + "/etc", ignored);
  // What the launcher mounted there lives in runc's own mount namespace;
  // should a shared mount have carried it back here, undo it.
  for (const std::string& d : {host_dir(), writes_dir_}) {
    if (!d.empty()) {
      umount2(d.c_str(), MNT_DETACH);
      rmdir(d.c_str());
    }
  }
  rmdir(dir_.c_str());
}

}  // namespace capmin::verify
