// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace capmin::analyzer {

// What a container platform gives a program by default, for what capmin
// prints about it and for the image runs made as it would make them.
// Loaded from policies/platforms.yaml, where each fact has its source.
struct Platform {
  std::string name;   // "docker", as --platform takes it
  std::string label;  // "Docker", for text
  std::string description;
  // The bounding set of a container nothing was added to or dropped from.
  std::vector<int> default_capabilities;
  // What the engine writes into a network namespace it makes for the
  // container (a new one otherwise starts from the kernel's defaults).
  struct Sysctl {
    std::string name;  // "net.ipv4.ip_unprivileged_port_start"
    std::string value;
    std::string since;  // which versions do it
  };
  std::vector<Sysctl> network_sysctls;
  std::string network_sysctls_note;
  // Its default seccomp profile: the calls it lets through only while the
  // container's bounding set holds a capability, and those it refuses
  // whatever the capabilities.
  struct Gate {
    int capability = -1;
    std::vector<std::string> syscalls;
    std::string args;  // "" for every call of them; else which (text)
  };
  struct Seccomp {
    bool applied_by_default = false;
    std::string applied_note;
    std::vector<Gate> gated;
    std::vector<std::string> refused_always;
    // Gated calls the profile lets through anyway on kernels capmin runs on
    // (ptrace since 4.8).
    std::vector<std::string> unconditional_now;
  } seccomp;

  // The calls to watch for under its default seccomp profile: the gated
  // ones and those it refuses always, that this machine's system call
  // table names; none when it applies no profile by default. clone and
  // clone3 are left out: their gate depends on the flags, and they are
  // made at every fork and thread.
  std::vector<std::string> watched_calls() const;

  // Kubernetes' Pod Security Standards: the capabilities the baseline and
  // restricted profiles let a container add (everything else dropped).
  struct PodSecurityLists {
    bool known = false;  // false: the platform has no such standards
    std::vector<int> baseline_add;
    std::vector<int> restricted_add;
  } pod_security;

  // The value of a network sysctl this platform sets, or nullptr.
  const Sysctl* sysctl(const std::string& name) const;
};

class PlatformTable {
 public:
  // Throws UserError "file:line:column: ..." on a malformed file.
  void load_file(const std::string& path);
  void load_string(const std::string& yaml, const std::string& origin);

  // nullptr for a name the table lacks.
  const Platform* find(const std::string& name) const;
  // The names --platform takes, in the file's order.
  std::vector<std::string> names() const;

 private:
  std::vector<Platform> platforms_;
};

}  // namespace capmin::analyzer
