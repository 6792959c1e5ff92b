// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <functional>
#include <string>

namespace capmin::verify {

// Runs `/bin/sh -c command` with standard input, output and error on
// /dev/null, and tells whether it exited 0 within `limit` (it is killed
// after that). The shell is not capmin's child but its grandchild's: a
// tracer that waits for every child of capmin, until none is left, must
// neither reap it nor wait for it.
// With `netns` (a /proc/PID/ns/net path), the shell runs in that network
// namespace (a container's, so that 127.0.0.1 is the container's), and the
// check fails when it cannot enter it.
bool check_passes(const std::string& command,
                  std::chrono::milliseconds limit = std::chrono::milliseconds(5000),
                  const std::string& netns = "");

// check_passes(command) as a Deadline's check; empty for an empty command.
std::function<bool()> checker(const std::string& command, const std::string& netns = "");
// The same, with the namespace's path asked for at each check (the program
// it belongs to may not exist yet when the Deadline starts).
std::function<bool()> checker(const std::string& command, std::function<std::string()> netns);

}  // namespace capmin::verify
