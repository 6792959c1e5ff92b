// SPDX-License-Identifier: MIT
#include "verify/SyslogSocket.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/capability.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <array>
#include <cctype>
#include <cstring>

#include "events/Errors.h"
#include "events/TempDir.h"

namespace capmin::verify {

namespace {

// sys/syslog.h's facility and priority names, by number.
constexpr std::array<const char*, 24> kFacilities = {
    "kern",   "user",   "mail",     "daemon", "auth",   "syslog", "lpr",    "news",
    "uucp",   "cron",   "authpriv", "ftp",    "ntp",    "audit",  "alert",  "clock",
    "local0", "local1", "local2",   "local3", "local4", "local5", "local6", "local7"};
constexpr std::array<const char*, 8> kSeverities = {"emerg",   "alert",  "crit", "err",
                                                    "warning", "notice", "info", "debug"};

bool digit(char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; }

// "Mmm dd hh:mm:ss " (RFC 3164, what glibc's syslog(3) sends).
bool rfc3164_stamp(std::string_view s) {
  if (s.size() < 16 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':' || s[15] != ' ') {
    return false;
  }
  for (std::size_t i : {7u, 8u, 10u, 11u, 13u, 14u}) {
    if (!digit(s[i])) {
      return false;
    }
  }
  return std::isalpha(static_cast<unsigned char>(s[0])) != 0;
}

}  // namespace

SyslogSocket::SyslogSocket() {
  dir_ = events::make_temp_dir("syslog");
  const std::string path = socket_path();
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.size() >= sizeof addr.sun_path || mkdir(dev_scratch().c_str(), 0700) != 0) {
    const int err = path.size() >= sizeof addr.sun_path ? ENAMETOOLONG : errno;
    rmdir(dir_.c_str());
    throw SystemError("the syslog socket in " + dir_, err);
  }
  std::memcpy(addr.sun_path, path.c_str(), path.size() + 1);
  fd_.reset(socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
  // Any user the program runs as may send to it, as to the real /dev/log.
  if (!fd_ || bind(fd_.get(), reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0 ||
      chmod(path.c_str(), 0666) != 0) {
    const int err = errno;
    unlink(path.c_str());
    rmdir(dev_scratch().c_str());
    rmdir(dir_.c_str());
    throw SystemError("the syslog socket " + path, err);
  }
  // Room for a burst: a sender blocks once the queue is full.
  const int size = 1 << 20;
  setsockopt(fd_.get(), SOL_SOCKET, SO_RCVBUF, &size, sizeof size);
}

SyslogSocket::~SyslogSocket() {
  fd_.reset();
  unlink(socket_path().c_str());
  rmdir(dev_scratch().c_str());
  rmdir(dir_.c_str());
}

bool SyslogSocket::usable() {
  cap_t caps = cap_get_proc();
  cap_flag_value_t v = CAP_CLEAR;
  if (caps != nullptr) {
    cap_get_flag(caps, CAP_SYS_ADMIN, CAP_EFFECTIVE, &v);
    cap_free(caps);
  }
  return v == CAP_SET;
}

std::string syslog_lines(std::string_view datagram) {
  std::string label = "user.notice";  // RFC 3164's default for no priority
  if (datagram.size() > 2 && datagram[0] == '<') {
    const std::size_t end = datagram.find('>');
    if (end != std::string_view::npos && end > 1 && end <= 4) {
      int pri = 0;
      bool number = true;
      for (char c : datagram.substr(1, end - 1)) {
        number = number && digit(c);
        pri = pri * 10 + (c - '0');
      }
      if (number && pri < 192) {
        label = std::string(kFacilities[static_cast<std::size_t>(pri >> 3)]) + "." +
                kSeverities[static_cast<std::size_t>(pri & 7)];
        datagram.remove_prefix(end + 1);
      }
    }
  }
  if (rfc3164_stamp(datagram)) {
    datagram.remove_prefix(16);
  }
  std::string out;
  for (std::size_t start = 0; start < datagram.size();) {
    std::size_t end = datagram.find('\n', start);
    if (end == std::string_view::npos) {
      end = datagram.size();
    }
    std::string_view line = datagram.substr(start, end - start);
    while (!line.empty() && (line.back() == '\0' || line.back() == '\r')) {
      line.remove_suffix(1);
    }
    if (!line.empty()) {
      out += "syslog: " + label + ": ";
      out += line;
      out += '\n';
    }
    start = end + 1;
  }
  return out;
}

}  // namespace capmin::verify
