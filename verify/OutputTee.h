// SPDX-License-Identifier: MIT
#pragma once

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "events/UniqueFd.h"
#include "tracer/launch/LaunchSpec.h"

namespace capmin::verify {

class SyslogSocket;

// While it lives, standard output and standard error (file descriptors 1
// and 2, as every process capmin starts inherits them) go through pipes:
// everything still reaches where it would have gone, and a copy is kept for
// finish(). Standard output stays standard output and standard error stays
// standard error; the copy has both, in the order they were read.
//
// With `receive_syslog`, what the program sends to syslog is part of the
// copy too (and passed on to standard error), as lines "syslog:
// FACILITY.SEVERITY: MESSAGE", when the run mounts dev_log() over /dev/log.
class OutputTee {
 public:
  // Throws SystemError when the pipes cannot be made. `quiet`: keep the
  // copy only, passing nothing on (the proven minimal set's re-runs, whose
  // output the user saw once already).
  explicit OutputTee(bool quiet = false, bool receive_syslog = false);
  ~OutputTee();
  OutputTee(const OutputTee&) = delete;
  OutputTee& operator=(const OutputTee&) = delete;

  // Puts file descriptors 1 and 2 back, passes on what is still in the
  // pipes and returns the copy (at most kMaxKept bytes: the first ones).
  // A process that still holds the pipes (a daemon the program left behind)
  // is not waited for.
  std::string finish();

  // What the run's LaunchSpec::dev_log must be for its syslog to be in the
  // copy; none without receive_syslog, or when capmin cannot give a run a
  // mount namespace (SyslogSocket::usable).
  std::optional<tracer::DevLog> dev_log() const;

  static constexpr std::size_t kMaxKept = 4 << 20;

 private:
  void pump();
  void restore();
  void keep(int stream, const char* data, std::size_t size);
  void receive_syslog();

  events::UniqueFd saved_[2];  // the real standard output and error
  events::UniqueFd read_[2];   // the read ends of the two pipes
  std::atomic<bool> stopping_{false};
  bool quiet_ = false;
  std::unique_ptr<SyslogSocket> syslog_;
  std::string kept_;
  std::thread thread_;
  bool finished_ = false;
};

}  // namespace capmin::verify
