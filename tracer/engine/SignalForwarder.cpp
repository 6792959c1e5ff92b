// SPDX-License-Identifier: MIT
#include "tracer/engine/SignalForwarder.h"

#include <signal.h>
#include <time.h>

namespace capmin::tracer {

namespace {

constexpr int kSignals[6] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2};
constexpr time_t kSecondInterruptWindow = 3;

volatile sig_atomic_t g_target = 0;
volatile sig_atomic_t g_kill_requested = 0;
volatile sig_atomic_t g_interrupted = 0;  // never reset
volatile time_t g_last_interrupt = 0;

void on_signal(int sig, siginfo_t* info, void*) {
  // Only what kill(2) and friends send is forwarded: a signal the terminal
  // generated went to the command's process group already.
  const bool from_process =
      info->si_code == SI_USER || info->si_code == SI_QUEUE || info->si_code == SI_TKILL;
  if (from_process && g_target > 0) {
    kill(static_cast<pid_t>(g_target), sig);
  }
  if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP || sig == SIGQUIT) {
    g_interrupted = 1;
  }
  if (sig == SIGINT || sig == SIGTERM) {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (g_last_interrupt != 0 && now.tv_sec - g_last_interrupt <= kSecondInterruptWindow) {
      g_kill_requested = 1;
    }
    g_last_interrupt = now.tv_sec == 0 ? 1 : now.tv_sec;
  }
  if (g_kill_requested && g_target > 0) {
    // The tracer may be handling a stop rather than waiting, or be about to
    // wait for a program that makes no more stops: the command's death is a
    // stop it cannot miss, and then it kills the rest of the tree.
    kill(static_cast<pid_t>(g_target), SIGKILL);
  }
}

}  // namespace

SignalForwarder::SignalForwarder(pid_t target) {
  g_target = target;
  g_kill_requested = 0;
  g_last_interrupt = 0;
  struct sigaction sa {};
  sa.sa_sigaction = on_signal;
  sa.sa_flags = SA_SIGINFO;  // no SA_RESTART: waitpid returns EINTR so the loop can act
  sigemptyset(&sa.sa_mask);
  for (int i = 0; i < 6; ++i) {
    sigaction(kSignals[i], &sa, &saved_[i]);
  }
}

SignalForwarder::~SignalForwarder() {
  for (int i = 0; i < 6; ++i) {
    sigaction(kSignals[i], &saved_[i], nullptr);
  }
  g_target = 0;
}

bool SignalForwarder::kill_requested() { return g_kill_requested != 0; }

bool SignalForwarder::interrupted() { return g_interrupted != 0; }

void SignalForwarder::target_gone() { g_target = 0; }

}  // namespace capmin::tracer
