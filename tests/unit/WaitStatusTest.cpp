// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/ptrace.h>

#include "tracer/ptrace/WaitStatus.h"

namespace capmin::tracer {
namespace {

using Kind = WaitStatus::Kind;

// Raw statuses built as the kernel builds them (kernel/exit.c, ptrace(2)).
int exited(int code) { return (code & 0xff) << 8; }
int killed(int sig, bool core = false) { return sig | (core ? 0x80 : 0); }
int stopped(int sig, int event = 0) { return (event << 16) | (sig << 8) | 0x7f; }

TEST(WaitStatus, AnExitCarriesItsCode) {
  for (int code : {0, 1, 42, 255}) {
    const WaitStatus ws(exited(code));
    EXPECT_EQ(ws.kind(), Kind::Exited) << code;
    EXPECT_EQ(ws.exit_code(), code);
  }
  EXPECT_EQ(WaitStatus(exited(3)).describe(), "exited 3");
}

TEST(WaitStatus, AFatalSignalCarriesTheSignal) {
  const WaitStatus ws(killed(SIGKILL));
  EXPECT_EQ(ws.kind(), Kind::Killed);
  EXPECT_EQ(ws.fatal_signal(), SIGKILL);
  const WaitStatus dumped(killed(SIGSEGV, /*core=*/true));
  EXPECT_EQ(dumped.kind(), Kind::Killed);
  EXPECT_EQ(dumped.fatal_signal(), SIGSEGV);
}

TEST(WaitStatus, DescribesADeathByAnySignal) {
  EXPECT_EQ(WaitStatus(killed(SIGKILL)).describe(), "killed by SIGKILL");
  // Real-time signals have no abbreviation in glibc; they must still print.
  EXPECT_EQ(WaitStatus(killed(SIGRTMIN + 1)).describe(), "killed by SIGRTMIN+1");
}

TEST(WaitStatus, TellsASyscallStopByTheTraceSysgoodBit) {
  const WaitStatus ws(stopped(SIGTRAP | 0x80));
  EXPECT_EQ(ws.kind(), Kind::SyscallStop);
  EXPECT_EQ(ws.stop_signal(), SIGTRAP | 0x80);
  EXPECT_EQ(ws.describe(), "syscall-stop");
  // A plain SIGTRAP is a signal, not a system call.
  EXPECT_EQ(WaitStatus(stopped(SIGTRAP)).kind(), Kind::SignalStop);
}

TEST(WaitStatus, TellsASeccompStop) {
  const WaitStatus ws(stopped(SIGTRAP, PTRACE_EVENT_SECCOMP));
  EXPECT_EQ(ws.kind(), Kind::SeccompStop);
  EXPECT_EQ(ws.ptrace_event(), PTRACE_EVENT_SECCOMP);
  EXPECT_EQ(ws.describe(), "seccomp-stop");
}

TEST(WaitStatus, TellsForkCloneAndExecEvents) {
  for (int event : {PTRACE_EVENT_FORK, PTRACE_EVENT_VFORK, PTRACE_EVENT_CLONE, PTRACE_EVENT_EXEC,
                    PTRACE_EVENT_VFORK_DONE, PTRACE_EVENT_EXIT}) {
    const WaitStatus ws(stopped(SIGTRAP, event));
    EXPECT_EQ(ws.kind(), Kind::PtraceEvent) << event;
    EXPECT_EQ(ws.ptrace_event(), event);
    EXPECT_EQ(ws.stop_signal(), SIGTRAP);
  }
  EXPECT_EQ(WaitStatus(stopped(SIGTRAP, PTRACE_EVENT_EXEC)).describe(), "ptrace-event 4");
}

TEST(WaitStatus, TellsAGroupStopByItsStoppingSignal) {
  for (int sig : {SIGSTOP, SIGTSTP, SIGTTIN, SIGTTOU}) {
    const WaitStatus ws(stopped(sig, PTRACE_EVENT_STOP));
    EXPECT_EQ(ws.kind(), Kind::GroupStop) << sig;
    EXPECT_EQ(ws.stop_signal(), sig);
    EXPECT_EQ(ws.ptrace_event(), PTRACE_EVENT_STOP);
  }
  EXPECT_EQ(WaitStatus(stopped(SIGSTOP, PTRACE_EVENT_STOP)).describe(), "group-stop");
}

TEST(WaitStatus, TellsAnInterruptStopBySigtrap) {
  const WaitStatus ws(stopped(SIGTRAP, PTRACE_EVENT_STOP));
  EXPECT_EQ(ws.kind(), Kind::InterruptStop);
  EXPECT_EQ(ws.describe(), "interrupt-stop");
}

TEST(WaitStatus, TellsASignalDeliveryStop) {
  for (int sig : {SIGINT, SIGTERM, SIGCHLD, SIGSTOP, SIGUSR1}) {
    const WaitStatus ws(stopped(sig));
    EXPECT_EQ(ws.kind(), Kind::SignalStop) << sig;
    EXPECT_EQ(ws.stop_signal(), sig);
    EXPECT_EQ(ws.ptrace_event(), 0);
  }
  EXPECT_EQ(WaitStatus(stopped(SIGTERM)).describe(), "signal-stop 15");
}

TEST(WaitStatus, KeepsTheRawStatus) {
  const int raw = stopped(SIGTRAP, PTRACE_EVENT_CLONE);
  EXPECT_EQ(WaitStatus(raw).raw(), raw);
}

}  // namespace
}  // namespace capmin::tracer
