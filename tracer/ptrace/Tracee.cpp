// SPDX-License-Identifier: MIT
#include "tracer/ptrace/Tracee.h"

#include <sys/ptrace.h>
#include <sys/uio.h>

namespace capmin::tracer {

namespace {
// glibc's ptrace() takes a variadic request; keep the casts in one place.
long pt(int request, pid_t tid, unsigned long addr, unsigned long data) {
  return ptrace(static_cast<__ptrace_request>(request), tid, addr, data);
}
}  // namespace

bool Tracee::seize(pid_t tid, unsigned long options) {
  return pt(PTRACE_SEIZE, tid, 0, options) == 0;
}

std::optional<Registers> Tracee::regs_if_alive() const {
  Registers r;
  if (pt(PTRACE_GETREGS, tid_, 0, reinterpret_cast<unsigned long>(&r.raw())) != 0) {
    return std::nullopt;
  }
  return r;
}

bool Tracee::set_regs_if_alive(const Registers& regs) const {
  return pt(PTRACE_SETREGS, tid_, 0, reinterpret_cast<unsigned long>(&regs.raw())) == 0;
}

std::optional<__ptrace_syscall_info> Tracee::syscall_info_if_alive() const {
  __ptrace_syscall_info info{};
  if (pt(PTRACE_GET_SYSCALL_INFO, tid_, sizeof info, reinterpret_cast<unsigned long>(&info)) <= 0) {
    return std::nullopt;
  }
  return info;
}

std::optional<unsigned long> Tracee::event_msg_if_alive() const {
  unsigned long msg = 0;
  if (pt(PTRACE_GETEVENTMSG, tid_, 0, reinterpret_cast<unsigned long>(&msg)) != 0) {
    return std::nullopt;
  }
  return msg;
}

bool Tracee::syscall(int sig) const {
  return pt(PTRACE_SYSCALL, tid_, 0, static_cast<unsigned long>(sig)) == 0;
}
bool Tracee::cont(int sig) const {
  return pt(PTRACE_CONT, tid_, 0, static_cast<unsigned long>(sig)) == 0;
}
bool Tracee::listen() const { return pt(PTRACE_LISTEN, tid_, 0, 0) == 0; }
bool Tracee::interrupt() const { return pt(PTRACE_INTERRUPT, tid_, 0, 0) == 0; }

}  // namespace capmin::tracer
