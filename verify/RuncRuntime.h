// SPDX-License-Identifier: MIT
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "verify/RuncBundle.h"
#include "verify/Runtime.h"

namespace capmin::verify {

// An image's container: its unpacked root and the process its
// configuration describes (the argv and ids are the Target's).
struct ContainerImage {
  std::string rootfs;
  std::string name;              // the reference, for the description
  std::vector<std::string> env;  // NAME=VALUE, as docker run sets them
  std::string cwd = "/";
  std::vector<gid_t> groups;
  std::string hostname = "capmin";
};

struct RuncOptions {
  std::string runc = "runc";            // a name looked up on $PATH, or a path
  std::vector<Bind> binds;              // host paths made writable inside
  bool host_network = true;             // false: a network namespace of its own
  bool write_through = false;           // the working directory and binds writable, not overlays
  std::optional<ContainerImage> image;  // set: the image's container, not this machine's "/"
  // An image's container: written into its network namespace (a
  // platform's, e.g. net.ipv4.ip_unprivileged_port_start=0 as Docker's).
  std::vector<std::pair<std::string, std::string>> network_sysctls;
};

// Runs the program in a container with runc, the runtime under Docker and
// containerd: each run gets a fresh OCI bundle (RuncBundle) with exactly the
// capabilities asked for, runs in the foreground with capmin's standard
// input, output and error, and is deleted with its bundle afterwards.
// Signals sent to capmin go to the container, as docker run forwards them.
class RuncRuntime final : public Runtime {
 public:
  // Finds runc and checks that it can work here; throws UserError (125)
  // otherwise.
  RuncRuntime(Target target, RuncOptions options);
  std::string name() const override { return "runc"; }
  std::string describe() const override;
  RunOutcome run(const std::vector<int>& caps) override;

  // What one container run is: its bundle, runc's command line, and what
  // the launcher that starts runc sets up first (in a mount namespace of
  // its own: the overlays' layers, a network of its own for an image).
  struct Container {
    std::unique_ptr<RuncBundle> bundle;
    std::string id;
    std::string runc;               // runc's executable
    std::vector<std::string> argv;  // runc run, in the foreground
    LauncherMounts mounts;
    // Runs `runc --root STATE ARGS...` quietly: its exit status.
    int control(std::vector<std::string> args) const;
  };
  Container container(const BundleSpec& spec);
  // The container of the target with `caps` in every set.
  BundleSpec bundle_spec(const std::vector<int>& caps) const;
  // After a run that failed: if runc logged why, throws it as docker run
  // reports it (UserError: 127 not found, 126 cannot run, 125 runc's own).
  void throw_if_runc_failed(const Container& c) const;
  const Target& target() const { return target_; }

 private:
  std::vector<std::string> runc(std::vector<std::string> args) const;
  std::string sysctls_text() const;  // " and NAME=VALUE, ..." of the network sysctls

  Target target_;
  RuncOptions options_;
  std::string path_;     // runc's executable
  std::string version_;  // "1.1.5+ds1", or "" if it would not say
  int runs_ = 0;
  // "/" is not a mount point (capmin runs in a chroot): runc is started
  // with a root that is one (LauncherMounts).
  bool from_chroot_ = false;
  // No cgroup hierarchy is mounted here: runc gets one of its own, mounted
  // in the same private mount namespace.
  bool mount_cgroup_ = false;
};

}  // namespace capmin::verify
