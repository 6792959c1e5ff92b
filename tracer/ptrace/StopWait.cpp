// SPDX-License-Identifier: MIT
#include "tracer/ptrace/StopWait.h"

#include <sys/wait.h>
#include <time.h>

namespace capmin::tracer {

namespace {

long micros_since(const timespec& start) {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return (now.tv_sec - start.tv_sec) * 1'000'000L + (now.tv_nsec - start.tv_nsec) / 1000;
}

}  // namespace

pid_t wait_for_stop(pid_t pid, int* status) {
  timespec start{};
  clock_gettime(CLOCK_MONOTONIC, &start);  // vDSO: no system call
  do {
    const pid_t got = waitpid(pid, status, __WALL | WNOHANG);
    if (got != 0) {
      return got;  // a stop, or an error (ECHILD) a sleep would give too
    }
  } while (micros_since(start) < kSpinMicros);
  return waitpid(pid, status, __WALL);
}

}  // namespace capmin::tracer
