// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "verify/LauncherSetup.h"

namespace capmin::verify {

// Starts argv[0] (a path) with capmin's standard input, output and error,
// or with all three on /dev/null when `quiet`. Throws SystemError.
pid_t spawn(const std::vector<std::string>& argv, bool quiet = false);
// As spawn(), in a mount namespace of its own set up as `mounts` says.
// Throws SystemError naming the step that failed.
pid_t spawn_in_mount_namespace(const std::vector<std::string>& argv, const LauncherMounts& mounts);
// Whether a cgroup hierarchy (v1 or v2) is mounted where this process sees it.
bool cgroup_mounted();
// Runs argv[0] quietly and returns its exit status (-1 if it could not
// start or was killed).
int run_quietly(const std::vector<std::string>& argv);
// Runs argv[0] and returns what it wrote to standard output ("" if it
// failed).
std::string output_of(const std::vector<std::string>& argv);
// The path of an executable: `name` itself when it holds a '/', else the
// first match on $PATH; "" when there is none.
std::string find_program(const std::string& name);

}  // namespace capmin::verify
