// SPDX-License-Identifier: MIT
#include <algorithm>

#include "analyzer/Analyzer.h"
#include "analyzer/emit/Formats.h"
#include "events/CapabilityNames.h"

namespace capmin::analyzer {

namespace {

void list(std::ostream& out, const char* key, const std::vector<std::string>& names) {
  out << key << '=';
  for (std::size_t i = 0; i < names.size(); ++i) {
    out << (i ? " " : "") << names[i];
  }
  out << '\n';
}

// An empty assignment first: each of these settings merges what is
// assigned to it, so the list below replaces the unit's own whether the
// lines go in the unit or in a drop-in.
void reset_list(std::ostream& out, const char* key, const std::vector<std::string>& names) {
  out << key << "=\n";
  if (!names.empty()) {
    list(out, key, names);
  }
}

// profile --unit: the unit's capability lines, corrected to the profile.
void unit_lines(const Profile& p, const UnitInfo& u, std::ostream& out) {
  const auto names = full_names(p.capabilities);
  out << "# " << u.name << ": its capability lines, as capmin found what ExecStart= needs.\n"
      << "# In the unit's [Service] section in place of its own, or in a drop-in\n"
      << "# (systemctl edit " << u.name << ").\n";
  out << "[Service]\n";
  for (const std::string& was : u.capability_lines) {
    out << "# was: " << was << '\n';
  }
  // An empty CapabilityBoundingSet= leaves the service no capability at all.
  reset_list(out, "CapabilityBoundingSet", names);
  if (non_root(p) || u.ambient) {
    // A non-root service gets capabilities only through the ambient set.
    reset_list(out, "AmbientCapabilities", non_root(p) ? names : std::vector<std::string>{});
  }
  out << "NoNewPrivileges=yes\n";
  std::vector<int> outside;
  for (const Unresolved& r : p.unresolved) {
    for (int c : r.outside_unit) {
      if (std::find(outside.begin(), outside.end(), c) == outside.end()) {
        outside.push_back(c);
      }
    }
  }
  if (!outside.empty()) {
    out << "# Also refused: calls only " << events::cap_names_text(outside, "", " or ")
        << " would allow, which the unit cannot grant (" << u.bound_by
        << "); the program ran without them. Add one above only if it must make those calls.\n";
  }
}

}  // namespace

void SystemdEmitter::emit(const Profile& p, std::ostream& out) const {
  if (p.run.unit) {
    return unit_lines(p, *p.run.unit, out);
  }
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
