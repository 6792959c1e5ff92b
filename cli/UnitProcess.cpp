// SPDX-License-Identifier: MIT
#include "cli/UnitProcess.h"

#include <linux/capability.h>
#include <sys/resource.h>

#include <algorithm>
#include <iostream>

#include "cli/OneLine.h"
#include "events/CapabilityNames.h"
#include "tracer/ptrace/CapSets.h"
#include "unit/ServiceProcess.h"
#include "unit/ServiceUnit.h"

namespace capmin::cli {

namespace {

// A limit above capmin's own hard limit needs CAP_SYS_RESOURCE, which
// systemd (PID 1) holds and capmin, on some hosts, does not: it is then
// lowered to what capmin can set, and said so.
tracer::ProcessSettings::Limit settable(const unit::ResourceLimit& l) {
  tracer::ProcessSettings::Limit limit{l.resource, l.soft, l.hard};
  rlimit own{};
  const auto caps = tracer::capget_of(0);
  const bool can_raise = caps && (caps->effective & (std::uint64_t{1} << CAP_SYS_RESOURCE)) != 0;
  if (can_raise || getrlimit(static_cast<__rlimit_resource>(l.resource), &own) != 0 ||
      own.rlim_max == RLIM_INFINITY || (l.hard != RLIM_INFINITY && l.hard <= own.rlim_max)) {
    return limit;
  }
  limit.hard = own.rlim_max;
  limit.soft = std::min(limit.soft, own.rlim_max);
  std::cerr << "capmin: warning: " << l.key << "=" << l.soft << ":"
            << (l.hard == RLIM_INFINITY ? std::string("infinity") : std::to_string(l.hard))
            << " lowered to " << limit.soft << ":" << limit.hard
            << ", all capmin can set without CAP_SYS_RESOURCE\n";
  return limit;
}

}  // namespace

UnitProcess unit_process(const std::string& path) {
  const unit::ServiceUnit unit = unit::interpret_service(unit::read_unit_file(path));
  const unit::ServiceProcess p = unit::resolve_service(unit);
  for (const std::string& w : unit.warnings) {
    std::cerr << "capmin: warning: " << one_line(w) << '\n';
  }
  if (!unit.not_emulated.empty()) {
    std::string names;
    for (const std::string& n : unit.not_emulated) {
      names += (names.empty() ? "" : ", ") + n;
    }
    std::cerr << "capmin: note: " << one_line(path)
              << ": not emulated, the profile is of ExecStart= without them: " << one_line(names)
              << '\n';
  }
  UnitProcess u;
  u.argv = p.argv;
  u.uid = p.uid;
  u.gid = p.gid;
  tracer::ProcessSettings& s = u.process;
  s.executable = p.executable;
  s.env = p.env;
  s.cwd = p.cwd;
  s.groups = p.groups;
  s.umask = p.umask;
  s.nice = p.nice;
  for (const unit::ResourceLimit& l : p.limits) {
    s.limits.push_back(settable(l));
  }
  s.no_new_privs = p.no_new_privileges;
  s.stdin_null = true;  // StandardInput=null, systemd's default
  for (int c = 0; c <= events::cap_last(); ++c) {
    if (std::find(p.upper_bound.begin(), p.upper_bound.end(), c) == p.upper_bound.end()) {
      u.withhold.push_back(c);
    }
  }

  analyzer::UnitInfo& info = u.info;
  info.file = path;
  info.name = unit.file.name;
  info.drop_ins = unit.file.drop_ins;
  info.user = unit.user;
  info.dynamic_user = unit.dynamic_user;
  info.group = unit.group;
  info.working_directory = p.cwd;
  if (unit.bounding) {
    info.bounding = events::cap_list(*unit.bounding);
  }
  if (unit.ambient) {
    info.ambient = events::cap_list(*unit.ambient);
  }
  info.capability_lines = unit.capability_lines;
  info.upper_bound = p.upper_bound;
  info.bound_by = p.bound_by;
  info.not_emulated = unit.not_emulated;
  return u;
}

}  // namespace capmin::cli
