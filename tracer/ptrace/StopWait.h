// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

namespace capmin::tracer {

// waitpid(pid, status, __WALL) for a tracer that expects the next stop soon.
//
// A traced call stops its thread twice, a few microseconds apart. A tracer
// that sleeps in waitpid between the two is woken each time by an
// inter-processor interrupt, which on a virtual machine is an exit to the
// hypervisor and can cost tens of microseconds, more than the stop itself.
// So the wait first polls (WNOHANG) for a short while, kSpinMicros, and only
// then sleeps. A program that runs longer between stops costs that much
// polling per stop, a small share of a CPU; one that is idle (a server
// waiting for requests) costs nothing more.
//
// Returns what waitpid returns: the pid, or -1 with errno (EINTR when a
// signal interrupted the sleep, ECHILD when no traced task is left).
pid_t wait_for_stop(pid_t pid, int* status);

inline constexpr long kSpinMicros = 50;

}  // namespace capmin::tracer
