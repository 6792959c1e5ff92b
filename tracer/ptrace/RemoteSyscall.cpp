// SPDX-License-Identifier: MIT
#include "tracer/ptrace/RemoteSyscall.h"

#include <errno.h>
#include <signal.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "tracer/ptrace/MemoryReader.h"
#include "tracer/ptrace/StopWait.h"
#include "tracer/ptrace/Tracee.h"
#include "tracer/ptrace/WaitStatus.h"

namespace capmin::tracer {

namespace {
// The x86_64 ABI lets functions use 128 bytes below the stack pointer
// without moving it; borrowed memory starts below that.
constexpr std::uint64_t kRedZone = 128;
}  // namespace

RemoteSyscall::RemoteSyscall(pid_t tid, At where, Abi abi)
    : tid_(tid), where_(where), at_entry_(where == At::Entry) {
  if (auto r = Tracee(tid_).regs_if_alive()) {
    saved_ = *r;
    saved_.set_abi(abi);
    ok_ = true;
  }
}

RemoteSyscall::Stop RemoteSyscall::wait_for_syscall_stop() {
  Tracee t(tid_);
  for (;;) {
    int status = 0;
    if (wait_for_stop(tid_, &status) < 0) {
      if (errno == EINTR) {
        continue;
      }
      death_ = 0;
      return Stop::Dead;
    }
    const WaitStatus ws(status);
    switch (ws.kind()) {
      case WaitStatus::Kind::Exited:
      case WaitStatus::Kind::Killed:
        death_ = status;
        return Stop::Dead;
      case WaitStatus::Kind::SyscallStop: {
        auto info = t.syscall_info_if_alive();
        if (!info) {
          continue;
        }
        return info->op == PTRACE_SYSCALL_INFO_EXIT ? Stop::Exit : Stop::Entry;
      }
      case WaitStatus::Kind::SignalStop:
        // Delivered on the way back to user space before the injected
        // instruction ran: hold it back, send it again at the end.
        stashed_signals_.push_back(ws.stop_signal());
        t.syscall(0);
        continue;
      case WaitStatus::Kind::GroupStop:
        // Another thread stopped the group (SIGSTOP, SIGTSTP...) and this
        // one took part. The injected calls must still end, but the thread
        // owes the stop: it is made to trap again before it runs any of its
        // own code (~RemoteSyscall), or it would run on while its parent
        // has been told it stopped.
        owes_group_stop_ = true;
        t.syscall(0);
        continue;
      case WaitStatus::Kind::PtraceEvent:
        // A fork/clone event of the injected call itself (a retried clone):
        // its child reports to the main loop, which must know whose it is.
        if (ws.ptrace_event() == PTRACE_EVENT_FORK || ws.ptrace_event() == PTRACE_EVENT_VFORK ||
            ws.ptrace_event() == PTRACE_EVENT_CLONE) {
          if (auto child = t.event_msg_if_alive()) {
            children_.push_back(static_cast<pid_t>(*child));
          }
        }
        t.syscall(0);
        continue;
      case WaitStatus::Kind::InterruptStop:
      case WaitStatus::Kind::SeccompStop:
        // A filter's trace stop of an injected call: go on to the exit.
        t.syscall(0);
        continue;
    }
  }
}

std::optional<long> RemoteSyscall::call(long nr, const std::array<std::uint64_t, 6>& args) {
  if (!ok_) {
    return std::nullopt;
  }
  Tracee t(tid_);
  Registers r = saved_;
  if (at_entry_) {
    // At an entry stop the kernel takes the call number and arguments from
    // the registers after the stop: replace them and let it run.
    r.set_syscall(nr, args);
    at_entry_ = false;
    if (!t.set_regs_if_alive(r) || !t.syscall(0)) {
      ok_ = false;
      return std::nullopt;
    }
  } else {
    // At an exit stop: back up to the syscall instruction with the new call
    // in the registers, run to its entry stop, then to its exit.
    r.set_syscall(nr, args);
    r.set_ip(saved_.ip() - Registers::kSyscallInsnLength);
    if (!t.set_regs_if_alive(r) || !t.syscall(0)) {
      ok_ = false;
      return std::nullopt;
    }
    if (wait_for_syscall_stop() != Stop::Entry) {
      ok_ = false;
      return std::nullopt;
    }
    if (!t.syscall(0)) {
      ok_ = false;
      return std::nullopt;
    }
  }
  injected_ = true;
  if (wait_for_syscall_stop() != Stop::Exit) {
    ok_ = false;
    return std::nullopt;
  }
  auto after = t.regs_if_alive();
  if (!after) {
    ok_ = false;
    return std::nullopt;
  }
  after->set_abi(saved_.abi());
  return after->result();
}

std::optional<std::uint64_t> RemoteSyscall::put(const void* data, std::size_t len) {
  if (!ok_ || len > kScratchSize) {
    return std::nullopt;
  }
  ProcessMemory mem(tid_);
  if (!scratch_addr_) {
    // Below the red zone first; if the stack ends there, the bytes just
    // above the stack pointer, which are the thread's own and are put back.
    for (std::uint64_t addr :
         {(saved_.sp() - kRedZone - kScratchSize) & ~std::uint64_t{15}, saved_.sp()}) {
      if (mem.read(addr, scratch_saved_.data(), kScratchSize)) {
        scratch_addr_ = addr;
        break;
      }
    }
    if (!scratch_addr_) {
      return std::nullopt;
    }
  }
  if (!mem.write(*scratch_addr_, data, len)) {
    return std::nullopt;
  }
  return scratch_addr_;
}

RemoteSyscall::~RemoteSyscall() {
  if (!ok_ && death_) {
    return;  // nothing left to restore
  }
  if (scratch_addr_) {
    ProcessMemory(tid_).write(*scratch_addr_, scratch_saved_.data(), kScratchSize);
  }
  Registers r = saved_;
  if (where_ == At::Exit) {
    if (result_) {
      r.set_result(*result_);
    }
  } else if (injected_) {
    // The original call was replaced by the injected one: make the thread
    // execute its syscall instruction again, with the original number.
    r.set_ip(saved_.ip() - Registers::kSyscallInsnLength);
    r.set_result(saved_.syscall_nr());
  }
  Tracee(tid_).set_regs_if_alive(r);
  for (int sig : stashed_signals_) {
    syscall(SYS_tkill, tid_, sig);
  }
  if (owes_group_stop_) {
    // Traps with PTRACE_EVENT_STOP as soon as it is resumed: a group-stop
    // again if the group is still stopped, a mere interrupt if SIGCONT came
    // meanwhile (kernel/signal.c:do_jobctl_trap).
    Tracee(tid_).interrupt();
  }
}

}  // namespace capmin::tracer
