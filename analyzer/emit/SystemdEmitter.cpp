// SPDX-License-Identifier: MIT
#include "analyzer/emit/Formats.h"

namespace capmin::analyzer {

namespace {
void list(std::ostream& out, const char* key, const std::vector<std::string>& names) {
  out << key << '=';
  for (std::size_t i = 0; i < names.size(); ++i) {
    out << (i ? " " : "") << names[i];
  }
  out << '\n';
}
}  // namespace

void SystemdEmitter::emit(const Profile& p, std::ostream& out) const {
  const auto names = full_names(p.capabilities);
  out << "[Service]\n";
  if (p.run.user_given) {
    out << "User=" << p.run.uid << "\nGroup=" << p.run.gid << '\n';
  }
  // An empty CapabilityBoundingSet= leaves the service no capability at all.
  list(out, "CapabilityBoundingSet", names);
  if (non_root(p)) {
    // A non-root service gets capabilities only through the ambient set.
    list(out, "AmbientCapabilities", names);
  }
  out << "NoNewPrivileges=yes\n";
}

}  // namespace capmin::analyzer
