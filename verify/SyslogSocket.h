// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

#include "events/UniqueFd.h"

namespace capmin::verify {

// A datagram socket that stands in for /dev/log during a run: the run
// mounts it over /dev/log in a mount namespace of its own
// (tracer::LaunchSpec::dev_log), so that what the program sends to syslog
// reaches capmin instead of the host's logger. A daemon that cannot chown
// its control socket often says so only there, and exits 0.
//
// It lives in a directory of its own under $TMPDIR (or /tmp): the socket
// `log`, and an empty `dev` for the tmpfs of an overlay over /dev where
// /dev has no log to mount on. Both are removed when the object goes.
class SyslogSocket {
 public:
  // Throws SystemError when the directory or the socket cannot be made.
  SyslogSocket();
  ~SyslogSocket();
  SyslogSocket(const SyslogSocket&) = delete;
  SyslogSocket& operator=(const SyslogSocket&) = delete;

  int fd() const { return fd_.get(); }  // non-blocking
  std::string socket_path() const { return dir_ + "/log"; }
  std::string dev_scratch() const { return dir_ + "/dev"; }

  // Whether capmin can give a run a mount namespace of its own (it holds
  // CAP_SYS_ADMIN): otherwise the program's syslog is left alone.
  static bool usable();

 private:
  std::string dir_;
  events::UniqueFd fd_;
};

// One syslog datagram as lines of the program's output, each
// "syslog: FACILITY.SEVERITY: MESSAGE", the RFC 3164 time stamp left out
// (an RFC 5424 one stays: new_complaints blanks its numbers). Severities
// err and worse, and warning, read as complaints.
std::string syslog_lines(std::string_view datagram);

}  // namespace capmin::verify
