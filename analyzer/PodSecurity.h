// SPDX-License-Identifier: MIT
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "analyzer/Profile.h"

namespace capmin::analyzer {

// Whether the container fits Kubernetes' Pod Security Standards, as far as
// what capmin decides goes: the capabilities it adds, its user, whether it
// needs privilege escalation. The other controls (host namespaces, volumes,
// the seccomp profile) are the pod's.
struct PodSecurity {
  bool baseline = false;
  bool restricted = false;
  // Why a profile does not fit, one sentence each, with what would.
  std::vector<std::string> breaks;
  // What fits and how a capability could be done without (a safe sysctl).
  std::vector<std::string> notes;
};

// Whether every refusal NET_BIND_SERVICE was found for is a bind: then a
// network namespace's own net.ipv4.ip_unprivileged_port_start can stand in
// for it.
bool only_binds(const Profile& p);

// nullopt when the profile's platform has no Pod Security Standards.
std::optional<PodSecurity> pod_security(const Profile& p);

}  // namespace capmin::analyzer
