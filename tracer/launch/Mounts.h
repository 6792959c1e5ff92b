// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace capmin::tracer {

// A mount this process can see: where it is mounted (its octal escapes, such
// as \040 for a space, decoded) and its file system type ("cgroup2").
struct VisibleMount {
  std::string point;
  std::string type;
};

// The mounts listed in a mountinfo file, parsed by libmount, in its order.
// Lines libmount cannot parse are left out; a file that cannot be read gives
// none. The path is for tests: every caller reads this process's own.
std::vector<VisibleMount> visible_mounts(const std::string& mountinfo = "/proc/self/mountinfo");

}  // namespace capmin::tracer
