// SPDX-License-Identifier: MIT
#include "analyzer/PodSecurity.h"

#include <linux/capability.h>

#include <algorithm>

#include "events/CapabilityNames.h"

namespace capmin::analyzer {

namespace {

bool in(const std::vector<int>& set, int cap) {
  return std::find(set.begin(), set.end(), cap) != set.end();
}

}  // namespace

bool only_binds(const Profile& p) {
  for (const Finding& f : p.findings) {
    if (f.capability != CAP_NET_BIND_SERVICE) {
      continue;
    }
    for (const Evidence& e : f.evidence) {
      if (e.syscall != "bind") {
        return false;
      }
    }
  }
  return true;
}

std::optional<PodSecurity> pod_security(const Profile& p) {
  const Platform::PodSecurityLists& lists = p.platform.pod_security;
  if (!lists.known) {
    return std::nullopt;
  }
  PodSecurity s;
  s.baseline = true;
  s.restricted = true;
  for (int cap : p.capabilities) {
    if (!in(lists.baseline_add, cap)) {
      s.baseline = false;
      s.restricted = false;
      s.breaks.push_back(events::cap_short_name(cap) +
                         ": neither baseline nor restricted lets a container add it");
    } else if (!in(lists.restricted_add, cap)) {
      s.restricted = false;
      s.breaks.push_back(events::cap_short_name(cap) +
                         ": restricted lets a container add only NET_BIND_SERVICE");
    }
  }
  if (p.run.uid == 0) {
    s.restricted = false;
    s.breaks.push_back(
        "it runs as uid 0: restricted needs runAsNonRoot: true (a non-root USER in the image, "
        "or runAsUser)");
  } else if (!p.capabilities.empty()) {
    s.restricted = false;
    s.breaks.push_back("uid " + std::to_string(p.run.uid) +
                       " gets capabilities only from file capabilities (Kubernetes sets no "
                       "ambient set), which need allowPrivilegeEscalation: true; restricted "
                       "needs false");
  }
  if (in(p.capabilities, CAP_NET_BIND_SERVICE)) {
    s.notes.push_back("NET_BIND_SERVICE: the one capability restricted lets a container add");
  }
  if (in(p.capabilities, CAP_NET_BIND_SERVICE) && only_binds(p)) {
    s.notes.push_back(
        "instead of NET_BIND_SERVICE, the pod can set net.ipv4.ip_unprivileged_port_start to "
        "\"0\" in its securityContext.sysctls (a safe sysctl, allowed by baseline and "
        "restricted): every uid may then bind ports below 1024");
  }
  return s;
}

}  // namespace capmin::analyzer
