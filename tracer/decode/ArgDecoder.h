// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <vector>

#include "events/SyscallEvent.h"
#include "tracer/ptrace/MemoryReader.h"
#include "tracer/ptrace/ProcessInspector.h"

namespace capmin::tracer {

// Turns the raw registers of a refused system call into named arguments that
// rules can test: paths, flags by name, socket addresses, signal targets. It
// knows the argument layout of each system call; it knows nothing of what a
// capability is for.
//
// Names are stable (rules depend on them): see policies/README.md. Arguments
// read from the call are plain names ("path", "flags", "port" is
// "addr.port"); facts looked up about the objects they name carry a prefix:
// "file.*" (the object at "path"), "parent.*" (its directory), "target.*"
// (the task a signal or ptrace request names), "caller.*" (the refused task).
class ArgDecoder {
 public:
  // The text of an argument whose memory could not be read.
  static constexpr const char* kUnreadable = "<unreadable>";

  // `inspector` may be null: then only what registers and memory hold is
  // decoded (unit tests, fuzzing).
  ArgDecoder(const MemoryReader& mem, const ProcessInspector* inspector, pid_t tid)
      : mem_(mem), inspector_(inspector), tid_(tid) {}

  std::vector<events::Arg> decode(int nr, const std::array<std::uint64_t, 6>& regs) const;

 private:
  const MemoryReader& mem_;
  const ProcessInspector* inspector_;
  pid_t tid_;
};

}  // namespace capmin::tracer
