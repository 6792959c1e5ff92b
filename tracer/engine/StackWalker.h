// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace capmin::tracer {

// The call stack of a stopped thread, through libunwind's ptrace accessors:
// one address space with a global cache for every tracee, one _UPT context
// per walk, a frame limit, and the cache flushed when a program's mappings
// change (execve) or another process is walked (the cache is keyed by
// address). Each frame reads "function+0xoff (module)" where a symbol
// is known, "module+0xoff" otherwise. Only walked for refusals.
class StackWalker {
 public:
  static constexpr int kMaxFrames = 16;

  StackWalker();
  ~StackWalker();
  StackWalker(const StackWalker&) = delete;
  StackWalker& operator=(const StackWalker&) = delete;

  std::vector<std::string> walk(pid_t tid);
  // After an execve or a new mapping: cached unwind info may be stale.
  void forget_maps();

 private:
  void* address_space_;  // unw_addr_space_t
  pid_t last_tid_ = 0;   // the cache holds this thread's address space
};

}  // namespace capmin::tracer
