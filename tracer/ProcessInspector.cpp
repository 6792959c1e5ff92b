// SPDX-License-Identifier: MIT
#include "tracer/ProcessInspector.h"

#include <fcntl.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <fstream>
#include <memory>
#include <sstream>

namespace capmin::tracer {

namespace {

// The values of one "Name:\tv1\tv2..." line of /proc/<tid>/status.
std::optional<std::istringstream> status_line(pid_t tid, const std::string& key) {
  std::ifstream in("/proc/" + std::to_string(tid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 &&
        line[key.size()] == ':') {
      return std::istringstream(line.substr(key.size() + 1));
    }
  }
  return std::nullopt;
}

}  // namespace

std::optional<ProcessInspector::Creds> ProcInspector::creds(pid_t tid) const {
  // One read of the file for both lines: the kernel renders all of it.
  std::ifstream in("/proc/" + std::to_string(tid) + "/status");
  std::istringstream uids;
  std::istringstream gids;
  int found = 0;
  for (std::string line; found < 2 && std::getline(in, line);) {
    if (line.rfind("Uid:", 0) == 0) {
      uids.str(line.substr(4));
      ++found;
    } else if (line.rfind("Gid:", 0) == 0) {
      gids.str(line.substr(4));
      ++found;
    }
  }
  Creds c{};
  if (found < 2 || !(uids >> c.ruid >> c.euid >> c.suid >> c.fsuid) ||
      !(gids >> c.rgid >> c.egid >> c.sgid >> c.fsgid)) {
    return std::nullopt;
  }
  return c;
}

std::optional<pid_t> ProcInspector::tgid(pid_t tid) const {
  auto line = status_line(tid, "Tgid");
  pid_t t = 0;
  if (!line || !(*line >> t)) {
    return std::nullopt;
  }
  return t;
}

std::optional<std::string> ProcInspector::exe(pid_t tid) const {
  char buf[PATH_MAX];
  const std::string link = "/proc/" + std::to_string(tid) + "/exe";
  const ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
  if (n <= 0) {
    return std::nullopt;
  }
  return std::string(buf, static_cast<std::size_t>(n));
}

std::optional<std::string> ProcInspector::argv0(pid_t tid) const {
  std::ifstream in("/proc/" + std::to_string(tid) + "/cmdline");
  std::string first;
  if (!std::getline(in, first, '\0') || first.empty()) {
    return std::nullopt;
  }
  return first;
}

std::string ProcInspector::proc_path(pid_t tid, int dirfd, const std::string& path) {
  const std::string base = "/proc/" + std::to_string(tid);
  if (!path.empty() && path[0] == '/') {
    return base + "/root" + path;
  }
  const std::string dir = dirfd == AT_FDCWD ? base + "/cwd" : base + "/fd/" + std::to_string(dirfd);
  return path.empty() ? dir : dir + "/" + path;
}

std::optional<ProcessInspector::FileInfo> ProcInspector::stat_path(pid_t tid, int dirfd,
                                                                   const std::string& path,
                                                                   bool follow) const {
  struct stat st {};
  const std::string p = proc_path(tid, dirfd, path);
  if ((follow ? stat(p.c_str(), &st) : lstat(p.c_str(), &st)) != 0) {
    return std::nullopt;
  }
  return FileInfo{st.st_uid, st.st_gid, st.st_mode};
}

std::optional<std::string> ProcInspector::file_caps(pid_t tid, int dirfd,
                                                    const std::string& path) const {
  const std::string p = proc_path(tid, dirfd, path);
  std::unique_ptr<struct _cap_struct, decltype(&cap_free)> caps(cap_get_file(p.c_str()), &cap_free);
  if (!caps) {
    return std::nullopt;
  }
  std::unique_ptr<char, decltype(&cap_free)> text(cap_to_text(caps.get(), nullptr), &cap_free);
  if (!text) {
    return std::nullopt;
  }
  return std::string(text.get());
}

}  // namespace capmin::tracer
