// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "analyzer/Profile.h"
#include "tracer/launch/LaunchSpec.h"

namespace capmin::cli {

// A systemd service's main process as `systemctl start` would run it on
// this machine (unit/ServiceProcess), in the terms of capmin's runs: its
// command, identity and process settings, the capabilities its unit cannot
// grant (withheld from every run), and what the profile says of the unit.
// Settings capmin does not emulate are named on standard error in one line,
// lines systemd would ignore in one line each. Throws UserError as
// unit::read_unit_file, interpret_service and resolve_service do.
struct UnitProcess {
  std::vector<std::string> argv;
  uid_t uid = 0;
  gid_t gid = 0;
  tracer::ProcessSettings process;
  std::vector<int> withhold;
  analyzer::UnitInfo info;
};
UnitProcess unit_process(const std::string& path);

}  // namespace capmin::cli
