// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "unit/ServiceUnit.h"

namespace capmin::unit {

// A service's main process as systemd would start it on this machine: its
// user and groups looked up here, its environment built the way systemd
// builds it, its command's variables replaced.
struct ServiceProcess {
  std::string executable;  // absolute
  std::vector<std::string> argv;
  uid_t uid = 0;
  gid_t gid = 0;
  std::vector<gid_t> groups;  // the supplementary groups setgroups(2) gets
  std::vector<std::string> env;
  std::string cwd;  // absolute
  mode_t umask = 022;
  std::optional<int> nice;
  std::vector<ResourceLimit> limits;  // the unit's, and systemd's LimitNOFILE default
  bool no_new_privileges = false;
  // What the unit can grant its process: the bounding set, and for a user
  // other than root the ambient set within it (where the unit has one).
  std::vector<int> upper_bound;
  std::string bound_by;  // how, in words; "" when nothing bounds it
};

// Throws UserError for what systemd would fail the start on: a user or
// group this machine lacks (217/USER, 216/GROUP), a missing working
// directory (200/CHDIR) or environment file, an executable not in
// systemd's search path (203/EXEC, exit status 127 here).
ServiceProcess resolve_service(const ServiceUnit& unit);

// systemd's PATH for services and its search path for a plain ExecStart=
// name, as Debian 12's systemd 252 is built.
inline constexpr const char* kSystemdPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

}  // namespace capmin::unit
