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
  Json caps{{"bounding", names}, {"effective", names}, {"permitted", names}};
  if (spec.uid != 0) {
    // A non-root user keeps capabilities across execve only through the
    // ambient set, which the kernel allows only for inheritable ones.
    caps["inheritable"] = names;
    caps["ambient"] = names;
  }

  Json process;
  process["terminal"] = false;
  process["user"] = {{"uid", spec.uid}, {"gid", spec.gid}};
  process["args"] = spec.argv;
  process["env"] = spec.env;
  process["cwd"] = spec.cwd;
  process["capabilities"] = caps;
  process["noNewPrivileges"] = false;  // docker run's default

  Json mounts = Json::array();
  // Recursively read-only ("rro", Linux 5.12 and runc 1.1): submounts of
  // the host, /run or /boot, are read-only too.
  mounts.push_back(mount("/", "bind", "/", {"rbind", "rro"}));
  mounts.push_back(mount("/proc", "proc", "proc", {"nosuid", "noexec", "nodev"}));
  mounts.push_back(
      mount("/dev", "tmpfs", "tmpfs", {"nosuid", "strictatime", "mode=755", "size=65536k"}));
  mounts.push_back(mount("/dev/pts", "devpts", "devpts",
                         {"nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620"}));
  mounts.push_back(
      mount("/dev/shm", "tmpfs", "shm", {"nosuid", "noexec", "nodev", "mode=1777", "size=65536k"}));
  mounts.push_back(mount("/dev/mqueue", "mqueue", "mqueue", {"nosuid", "noexec", "nodev"}));
  mounts.push_back(mount("/tmp", "tmpfs", "tmpfs", {"nosuid", "nodev", "mode=1777"}));
  if (!spec.dev_log.empty()) {
    mounts.push_back(mount("/dev/log", "bind", spec.dev_log, {"bind"}));
  }
  // After /tmp, so that a working directory under /tmp shows through it.
  if (spec.cwd != "/") {
    mounts.push_back(mount(spec.cwd, "bind", spec.cwd, {"rbind", "rw"}));
  }
  for (const Bind& b : spec.binds) {
    mounts.push_back(mount(b.destination, "bind", b.source, {"rbind", "rw"}));
  }
  if (!spec.program_dir.empty() && spec.program_dir != spec.cwd) {
    mounts.push_back(mount(spec.program_dir, "bind", spec.program_dir, {"rbind", "ro"}));
  }

  Json namespaces = Json::array();
  for (const char* ns : {"pid", "ipc", "uts", "mount"}) {
    namespaces.push_back({{"type", ns}});
  }
  if (!spec.host_network) {
    namespaces.push_back({{"type", "network"}});
  }

  Json config;
  config["ociVersion"] = "1.0.2";
  config["process"] = process;
  config["root"] = {{"path", "rootfs"}, {"readonly", true}};
  config["mounts"] = mounts;
  config["linux"] = {
      {"namespaces", namespaces}, {"maskedPaths", kMaskedPaths}, {"readonlyPaths", kReadonlyPaths}};
  return config;
}

RuncBundle::RuncBundle(const BundleSpec& spec) {
  const char* tmp = std::getenv("TMPDIR");
  std::string tmpl =
      std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/capmin-runc.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    throw SystemError("mkdtemp(" + tmpl + ")", errno);
  }
  dir_ = tmpl;
  try {
    for (const std::string& d : {dir_ + "/rootfs", host_dir()}) {
      if (mkdir(d.c_str(), 0755) != 0) {
        throw SystemError("mkdir(" + d + ")", errno);
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

void RuncBundle::remove() {
  std::error_code ignored;
  std::filesystem::remove(dir_ + "/config.json", ignored);
  std::filesystem::remove(log_path(), ignored);
  std::filesystem::remove_all(state_dir(), ignored);
  rmdir((dir_ + "/rootfs").c_str());
  // What spawn_with_root_mount mounted there lives in runc's own mount
  // namespace; should a shared mount have carried it back here, undo it.
  umount2(host_dir().c_str(), MNT_DETACH);
  rmdir(host_dir().c_str());
  rmdir(dir_.c_str());
}

}  // namespace capmin::verify
