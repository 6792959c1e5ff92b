// SPDX-License-Identifier: MIT
#include "verify/RuncRuntime.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>

#include "events/Errors.h"
#include "tracer/engine/SignalForwarder.h"
#include "tracer/launch/Launch.h"
#include "tracer/launch/RunHandle.h"
#include "verify/CheckCommand.h"
#include "verify/Deadline.h"
#include "verify/OutputTee.h"
#include "verify/Spawn.h"

extern char** environ;

namespace capmin::verify {

namespace {

// runc sets the propagation of "/" before anything else
// (libcontainer/rootfs_linux.go:prepareRoot), which the kernel refuses with
// EINVAL when "/" is not a mount point: in a chroot. Its own message then
// says only "mount /, flags: 0x84000: invalid argument".
bool root_is_a_mount_point() {
  struct statx st {};
  if (statx(AT_FDCWD, "/", 0, STATX_BASIC_STATS, &st) != 0 ||
      (st.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT) == 0) {
    return true;  // cannot tell: let runc try
  }
  return (st.stx_attributes & STATX_ATTR_MOUNT_ROOT) != 0;
}

// The errors runc logged (--log-format json), without its "runc run
// failed: " prefix.
std::string runc_error(const std::string& log_path) {
  std::ifstream in(log_path);
  std::string error;
  for (std::string line; std::getline(in, line);) {
    const auto entry = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!entry.is_object() || entry.value("level", "") != "error") {
      continue;
    }
    error = entry.value("msg", "");
    const std::string prefix = "runc run failed: ";
    if (error.rfind(prefix, 0) == 0) {
      error.erase(0, prefix.size());
    }
  }
  return error;
}

// runc fails the same way for every run of a program it cannot start: the
// same statuses as docker run.
[[noreturn]] void throw_runc_error(const std::string& program, const std::string& error) {
  const bool exec = error.find("exec") != std::string::npos;
  if (error.find("executable file not found") != std::string::npos ||
      (exec && error.find("no such file or directory") != std::string::npos)) {
    throw UserError("cannot run '" + program + "' in the container: not found", 127);
  }
  if (exec && error.find("permission denied") != std::string::npos) {
    throw UserError("cannot run '" + program + "' in the container: permission denied", 126);
  }
  throw UserError("runc could not run the container: " + error, 125);
}

std::vector<std::string> environment() {
  std::vector<std::string> env;
  bool path = false;
  for (char** e = environ; *e != nullptr; ++e) {
    env.emplace_back(*e);
    path = path || env.back().rfind("PATH=", 0) == 0;
  }
  if (!path) {
    env.emplace_back("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
  }
  return env;
}

}  // namespace

RuncRuntime::RuncRuntime(Target target, RuncOptions options)
    : target_(std::move(target)), options_(std::move(options)) {
  path_ = find_program(options_.runc);
  if (path_.empty()) {
    if (options_.runc.find('/') != std::string::npos) {
      throw UserError("--runc '" + options_.runc + "': no such executable");
    }
    throw UserError(
        "runc not found on $PATH: install it (Debian: apt-get install runc, which "
        "scripts/install-deps does) or name it with --runc PATH");
  }
  from_chroot_ = !root_is_a_mount_point();
  // runc looks for a cgroup mount even with no cgroup settings.
  mount_cgroup_ = !cgroup_mounted();
  const std::string v = output_of({path_, "--version"});
  const std::string prefix = "runc version ";
  if (v.rfind(prefix, 0) == 0) {
    version_ = v.substr(prefix.size(), v.find('\n') - prefix.size());
  }
}

std::string RuncRuntime::sysctls_text() const {
  std::string text;
  for (const auto& [name, value] : options_.network_sysctls) {
    text += (text.empty() ? " and " : ", ") + name + "=" + value;
  }
  return text;
}

std::string RuncRuntime::describe() const {
  std::string d = "runc";
  if (!version_.empty()) {
    d += " " + version_;
  }
  if (options_.image) {
    return d + ": the image " + options_.image->name +
           " (its layers read-only below a writable layer of the run's own), Docker's mounts, " +
           "a network of its own with loopback up" + sysctls_text() +
           "; new mount, pid, ipc and uts namespaces";
  }
  d += ": this machine's / read-only, the working directory";
  if (!options_.binds.empty()) {
    d += " and " + std::to_string(options_.binds.size()) + " bind mount(s)";
  }
  d += options_.write_through ? " writable" : " through overlays of the run's own";
  d += ", tmpfs /tmp, ";
  d += options_.host_network ? "host network" : "a network of its own (loopback only)";
  d += "; new mount, pid, ipc and uts namespaces";
  if (from_chroot_ || mount_cgroup_) {
    d += " (runc started in a mount namespace of its own";
    d += from_chroot_ ? ", with / bound onto a mount: capmin runs in a chroot" : "";
    d += mount_cgroup_ ? ", with cgroup2 mounted on /sys/fs/cgroup: none was" : "";
    d += ")";
  }
  return d;
}

BundleSpec RuncRuntime::bundle_spec(const std::vector<int>& caps) const {
  BundleSpec spec;
  spec.argv = target_.argv;
  spec.uid = target_.uid.value_or(0);
  if (target_.gid) {
    spec.gid = *target_.gid;
  } else if (target_.uid) {
    // docker run --user N: the user's primary group, 0 without a passwd entry.
    const passwd* pw = getpwuid(*target_.uid);
    spec.gid = pw != nullptr ? pw->pw_gid : 0;
  }
  spec.caps = caps;
  std::error_code ec;
  spec.cwd = std::filesystem::current_path(ec).string();
  if (ec) {
    throw UserError("the current directory: " + ec.message());
  }
  spec.env = environment();
  spec.binds = options_.binds;
  const std::filesystem::path program = find_program(target_.argv.front());
  if (program.is_absolute() && program.string().rfind("/tmp/", 0) == 0) {
    spec.program_dir = program.parent_path().string();
  }
  spec.host_network = options_.host_network;
  spec.overlay_writes = !options_.write_through;
  if (const auto& image = options_.image) {
    spec.image_rootfs = image->rootfs;
    spec.cwd = image->cwd;
    spec.env = image->env;
    spec.groups = image->groups;
    spec.hostname = image->hostname;
    spec.program_dir.clear();
  }
  return spec;
}

std::vector<std::string> RuncRuntime::runc(std::vector<std::string> args) const {
  args.insert(args.begin(), path_);
  return args;
}

RunOutcome RuncRuntime::run(const std::vector<int>& caps) {
  std::unique_ptr<OutputTee> tee;
  if (target_.capture_output) {
    tee = std::make_unique<OutputTee>(target_.quiet, target_.receive_syslog);
  }
  BundleSpec spec = bundle_spec(caps);
  if (tee && tee->dev_log()) {
    spec.dev_log = tee->dev_log()->socket;
  }
  const Container c = container(spec);
  const std::string& id = c.id;
  auto control = [&c](std::vector<std::string> args) { return c.control(std::move(args)); };
  const pid_t pid = c.mounts.root_dir.empty() && c.mounts.tmpfs_dir.empty()
                        ? spawn(c.argv)
                        : spawn_in_mount_namespace(c.argv, c.mounts);
  // `runc run` removes the container when it ends; this is for when runc
  // itself did not get that far.
  const std::shared_ptr<void> remove_container(nullptr, [&](void*) {
    control({"delete", "--force", id});
  });
  // runc is signalled through a pidfd: the Deadline may fire just after the
  // wait below has reaped runc, when its pid may be another process's.
  tracer::RunHandle runc_process;
  try {
    runc_process.set(tracer::open_pidfd(pid), pid);
  } catch (const SystemError&) {
    kill(pid, SIGKILL);  // not reaped yet: still runc
    waitpid(pid, nullptr, 0);
    throw;
  }

  RunOutcome outcome;
  int status = 0;
  {
    const tracer::SignalForwarder forwarder(pid);
    // SIGTERM to runc reaches the program (runc forwards it), but a pid 1
    // with no handler for it ignores it, as in docker: SIGKILL follows.
    const Deadline deadline(
        target_.timeout,
        [&](int sig) {
          if (sig == SIGTERM) {
            runc_process.signal(SIGTERM);
          } else {
            control({"kill", id, "KILL"});
          }
        },
        // An image's container has a network of its own (runc's, from the
        // launcher): the check runs there.
        checker(target_.check,
                options_.image ? "/proc/" + std::to_string(pid) + "/ns/net" : std::string()));
    bool killed = false;
    while (waitpid(pid, &status, 0) < 0) {
      if (errno != EINTR) {
        throw SystemError("waitpid", errno);
      }
      if (tracer::SignalForwarder::kill_requested() && !killed) {
        control({"kill", id, "KILL"});
        killed = true;
      }
    }
    outcome.timed_out = deadline.fired();
    outcome.check_passed = deadline.check_passed();
  }
  if (tee) {
    outcome.output = tee->finish();
  }
  if (WIFSIGNALED(status)) {
    outcome.signal = WTERMSIG(status);
  } else {
    outcome.exit_code = WEXITSTATUS(status);
  }
  if (outcome.status() != 0) {
    throw_if_runc_failed(c);
  }
  return outcome;
}

RuncRuntime::Container RuncRuntime::container(const BundleSpec& spec) {
  Container c;
  c.bundle = std::make_unique<RuncBundle>(spec);
  // The id also names the container's cgroups, which are the host's: a pid
  // alone repeats across pid namespaces (capmin runs in them in parallel).
  const std::string& dir = c.bundle->dir();
  c.id = "capmin-" + dir.substr(dir.find_last_of('.') + 1) + "-" + std::to_string(getpid()) + "-" +
         std::to_string(++runs_);
  c.runc = path_;
  const RuncBundle& bundle = *c.bundle;
  c.argv = runc({"--root", bundle.state_dir(), "--log", bundle.log_path(), "--log-format", "json",
                 "run", "--bundle", bundle.dir(), c.id});
  if (from_chroot_ || mount_cgroup_) {
    c.mounts.root_dir = bundle.host_dir();
    c.mounts.mount_cgroup = mount_cgroup_;
  }
  c.mounts.tmpfs_dir = bundle.writes_dir();
  c.mounts.dirs = bundle.layer_dirs();
  c.mounts.overlays = bundle.root_overlay();
  c.mounts.private_network = options_.image.has_value();
  if (c.mounts.private_network) {
    c.mounts.network_sysctls = options_.network_sysctls;
  }
  return c;
}

int RuncRuntime::Container::control(std::vector<std::string> args) const {
  args.insert(args.begin(), {runc, "--root", bundle->state_dir()});
  return run_quietly(args);
}

void RuncRuntime::throw_if_runc_failed(const Container& c) const {
  if (const std::string error = runc_error(c.bundle->log_path()); !error.empty()) {
    throw_runc_error(target_.argv[0], error);
  }
}

}  // namespace capmin::verify
