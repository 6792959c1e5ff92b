// SPDX-License-Identifier: MIT
#include "verify/Deadline.h"

#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace capmin::verify {

Deadline::Deadline(std::optional<std::chrono::milliseconds> after, Stop stop, Check check,
                   std::chrono::milliseconds grace)
    : stop_(std::move(stop)), check_(std::move(check)) {
  if (after) {
    thread_ = std::thread([this, after, grace] { wait_and_stop(*after, grace); });
  }
}

Deadline::~Deadline() {
  {
    const std::lock_guard<std::mutex> lock(mutex_);
    cancelled_ = true;
  }
  cancelled_cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
}

bool Deadline::fired() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return fired_;
}

bool Deadline::check_passed() const {
  const std::lock_guard<std::mutex> lock(mutex_);
  return check_passed_;
}

void Deadline::wait_and_stop(std::chrono::milliseconds after, std::chrono::milliseconds grace) {
  sigset_t all;
  sigfillset(&all);
  pthread_sigmask(SIG_BLOCK, &all, nullptr);
  std::unique_lock<std::mutex> lock(mutex_);
  const auto end = std::chrono::steady_clock::now() + after;
  for (;;) {
    const auto now = std::chrono::steady_clock::now();
    if (now >= end) {
      fired_ = true;
      break;
    }
    const auto slice =
        check_ ? std::min<std::chrono::steady_clock::duration>(kCheckEvery, end - now) : end - now;
    if (cancelled_cv_.wait_for(lock, slice, [this] { return cancelled_; })) {
      return;
    }
    if (check_) {
      lock.unlock();  // the check takes its time; the run may end meanwhile
      const bool passed = check_();
      lock.lock();
      if (cancelled_) {
        return;
      }
      if (passed) {
        check_passed_ = true;
        break;
      }
    }
  }
  lock.unlock();
  stop_(SIGTERM);
  lock.lock();
  if (cancelled_cv_.wait_for(lock, grace, [this] { return cancelled_; })) {
    return;
  }
  lock.unlock();
  stop_(SIGKILL);
}

std::vector<pid_t> own_children() {
  const pid_t self = getpid();
  std::vector<pid_t> children;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", ec)) {
    const std::string name = entry.path().filename().string();
    pid_t pid = 0;
    auto [end, err] = std::from_chars(name.data(), name.data() + name.size(), pid);
    if (err != std::errc() || end != name.data() + name.size()) {
      continue;
    }
    // /proc/PID/stat: "pid (comm) state ppid ...", where comm may hold
    // spaces and parentheses: the fields start after the last ')'.
    std::ifstream in(entry.path() / "stat");
    std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    const auto paren = stat.rfind(')');
    if (paren == std::string::npos) {
      continue;
    }
    std::istringstream fields(stat.substr(paren + 1));
    char state = 0;
    pid_t ppid = 0;
    if (fields >> state >> ppid && ppid == self) {
      children.push_back(pid);
    }
  }
  return children;
}

void signal_own_children(int sig) {
  for (pid_t pid : own_children()) {
    kill(pid, sig);
  }
}

}  // namespace capmin::verify
