// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <cstdint>
#include <unordered_set>

namespace capmin::tracer {

// Which failed system calls are refusals worth an event: EPERM and EACCES
// from any call, and whatever (syscall, errno) pairs the rule table names
// besides (EROFS from an open, ENOMEM from mlock...). Asked at every failed
// syscall exit, so the first question is a table lookup on the errno alone.
// Also which successful calls may hide a silent refusal.
class RefusalFilter {
 public:
  static constexpr int kMaxErrno = 256;
  static constexpr int kMaxSyscall = 1024;

  RefusalFilter();
  void add_any(int err);      // this errno from any call
  void add(int nr, int err);  // this errno from this call only
  bool wants_errno(int err) const {
    return err > 0 && err < kMaxErrno && errno_seen_[static_cast<std::size_t>(err)];
  }
  bool wants(int nr, int err) const;
  // Successful calls of `nr` are looked at too (a chmod whose set-id bit the
  // kernel may have dropped).
  void add_success(int nr);
  bool wants_success(long nr) const {
    return nr >= 0 && nr < kMaxSyscall && success_[static_cast<std::size_t>(nr)];
  }

 private:
  std::array<bool, kMaxErrno> errno_seen_{};
  std::array<bool, kMaxErrno> errno_any_{};
  std::unordered_set<std::uint64_t> pairs_;
  std::array<bool, kMaxSyscall> success_{};
};

}  // namespace capmin::tracer
