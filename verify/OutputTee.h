// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <string>
#include <thread>

#include "events/UniqueFd.h"

namespace capmin::verify {

// While it lives, standard output and standard error (file descriptors 1
// and 2, as every process capmin starts inherits them) go through pipes:
// everything still reaches where it would have gone, and a copy is kept for
// finish(). Standard output stays standard output and standard error stays
// standard error; the copy has both, in the order they were read.
class OutputTee {
 public:
  // Throws SystemError when the pipes cannot be made. `quiet`: keep the
  // copy only, passing nothing on (the proven minimal set's re-runs, whose
  // output the user saw once already).
  explicit OutputTee(bool quiet = false);
  ~OutputTee();
  OutputTee(const OutputTee&) = delete;
  OutputTee& operator=(const OutputTee&) = delete;

  // Puts file descriptors 1 and 2 back, passes on what is still in the
  // pipes and returns the copy (at most kMaxKept bytes: the first ones).
  // A process that still holds the pipes (a daemon the program left behind)
  // is not waited for.
  std::string finish();

  static constexpr std::size_t kMaxKept = 4 << 20;

 private:
  void pump();
  void restore();

  events::UniqueFd saved_[2];  // the real standard output and error
  events::UniqueFd read_[2];   // the read ends of the two pipes
  std::atomic<bool> stopping_{false};
  bool quiet_ = false;
  std::string kept_;
  std::thread thread_;
  bool finished_ = false;
};

}  // namespace capmin::verify
