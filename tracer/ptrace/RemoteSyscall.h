// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <array>
#include <cstdint>
#include <optional>
#include <vector>

#include "tracer/ptrace/Registers.h"

namespace capmin::tracer {

// Runs system calls inside a thread stopped at a syscall stop, and puts the
// thread back as it was when it goes out of scope: registers restored, the
// scratch memory it borrowed rewritten with its old bytes, signals that
// arrived meanwhile sent again, a group-stop it took part in meanwhile
// entered again. All tracee execution for injection goes through here.
//
// Built at an exit stop, the thread is left at that exit stop with its
// original registers (or with the result set by set_result()). Built at an
// entry stop, the original call has not run yet: the thread is left about to
// execute its syscall instruction again, so the call is made afresh (and
// reported again) after the injected ones.
//
// The thread may die while it runs calls (another thread's exit_group, a
// SIGKILL): then call() returns nullopt, nothing is restored, and
// death_status() holds the wait status for the tracer's books.
class RemoteSyscall {
 public:
  enum class At { Entry, Exit };

  // `abi`: the calling convention of the call the thread is stopped in; the
  // injected calls use it too (their numbers and registers).
  RemoteSyscall(pid_t tid, At where, Abi abi = Abi::Native);
  ~RemoteSyscall();
  RemoteSyscall(const RemoteSyscall&) = delete;
  RemoteSyscall& operator=(const RemoteSyscall&) = delete;

  bool ok() const { return ok_; }
  // The result of call `nr` (in the ABI's numbering; a negative errno on
  // failure), or nullopt if the thread is gone.
  std::optional<long> call(long nr, const std::array<std::uint64_t, 6>& args);
  // Copies `len` bytes into memory of the thread's stack below its red zone
  // and returns their address. One area per object, at most kScratchSize.
  std::optional<std::uint64_t> put(const void* data, std::size_t len);
  // The value the interrupted call returns when the thread resumes (exit
  // stops only).
  void set_result(long value) { result_ = value; }

  const Registers& saved() const { return saved_; }
  // The tasks the injected calls created (a retried clone or fork).
  const std::vector<pid_t>& children() const { return children_; }
  std::optional<int> death_status() const { return death_; }

  static constexpr std::size_t kScratchSize = 128;

 private:
  enum class Stop { Entry, Exit, Dead };
  Stop wait_for_syscall_stop();

  pid_t tid_;
  At where_;
  bool ok_ = false;
  bool at_entry_ = false;  // still at the original entry stop
  bool injected_ = false;
  Registers saved_;
  std::optional<long> result_;
  std::optional<int> death_;
  std::optional<std::uint64_t> scratch_addr_;
  std::array<std::uint8_t, kScratchSize> scratch_saved_{};
  std::vector<int> stashed_signals_;
  std::vector<pid_t> children_;
  bool owes_group_stop_ = false;  // it took part in a group-stop meanwhile
};

}  // namespace capmin::tracer
