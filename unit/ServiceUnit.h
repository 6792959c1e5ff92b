// SPDX-License-Identifier: MIT
#pragma once

#include <sys/resource.h>
#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "unit/UnitFile.h"

namespace capmin::unit {

// A Limit...= setting as systemd.exec(5) reads it.
struct ResourceLimit {
  std::string key;   // "LimitNOFILE"
  int resource = 0;  // RLIMIT_NOFILE
  rlim_t soft = 0;
  rlim_t hard = 0;
};

// What a service unit says about how its main process runs, as systemd
// (252, Debian 12) reads the settings capmin emulates; every other setting
// of [Service] is named in `not_emulated`. Nothing is looked up on this
// machine yet (ServiceProcess does that).
struct ServiceUnit {
  UnitFile file;
  std::string prefix;    // "getty" of getty@tty1.service
  std::string instance;  // "tty1"; "" when it is no template's instance
  std::string type = "simple";
  // ExecStart=, specifiers expanded and unquoted; $VARIABLES are replaced
  // once the environment is known, unless the line had the ':' prefix.
  std::string executable;         // its first word: a path, or a name to look up
  std::vector<std::string> argv;  // argv[0] first ('@' gives it apart from the executable)
  bool substitute_environment = true;
  std::string exec_where;  // "FILE:LINE" of the ExecStart= that runs
  std::string user;        // as written; "" unset
  std::string group;
  std::vector<std::string> supplementary_groups;
  std::string working_directory;                                 // "" unset; "~" the user's home
  bool working_directory_optional = false;                       // the '-' prefix
  std::vector<std::pair<std::string, std::string>> environment;  // Environment=, in order
  std::vector<std::pair<std::string, bool>> environment_files;   // EnvironmentFile= (path, '-')
  std::vector<std::string> unset_environment;
  // CapabilityBoundingSet= and AmbientCapabilities= as capability masks;
  // unset when the unit does not set them (every capability, and none).
  std::optional<std::uint64_t> bounding;
  std::optional<std::uint64_t> ambient;
  std::vector<std::string> capability_lines;  // those settings as written, for "was:"
  std::optional<mode_t> umask;                // systemd's default: 0022
  std::optional<int> nice;
  bool no_new_privileges = false;
  // DynamicUser=yes: the process runs as a user systemd allocates for the
  // run (unless User= names one that exists).
  bool dynamic_user = false;
  std::vector<ResourceLimit> limits;
  // Settings of [Service] (and sections) capmin does not emulate, each once:
  // "ExecStartPre=", "PrivateTmp=", "[Socket]".
  std::vector<std::string> not_emulated;
  // Lines systemd would warn about and ignore (a capability name it does not
  // know): "FILE:LINE: ...".
  std::vector<std::string> warnings;
};

// Interprets `file`. Throws UserError "FILE:LINE: reason" for a value
// systemd would refuse, no ExecStart=, or an ExecStart= whose '+', '!' or
// '!!' prefix runs the command outside the settings capmin profiles under.
ServiceUnit interpret_service(UnitFile file);

}  // namespace capmin::unit
