// SPDX-License-Identifier: MIT
#include "tracer/ptrace/ProcessInspector.h"

#include <fcntl.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <fstream>
#include <memory>
#include <sstream>
#include <string_view>
#include <vector>

namespace capmin::tracer {

namespace {

// The values of the "Name:\tv1\tv2..." lines of /proc/<tid>/status named by
// `keys`, in that order, from one read of the file (the kernel renders all
// of it each time); nullopt unless every one was found.
std::optional<std::vector<std::istringstream>> status_lines(pid_t tid,
                                                            const std::vector<std::string>& keys) {
  std::ifstream in("/proc/" + std::to_string(tid) + "/status");
  std::vector<std::istringstream> values(keys.size());
  std::size_t found = 0;
  for (std::string line; found < keys.size() && std::getline(in, line);) {
    for (std::size_t k = 0; k < keys.size(); ++k) {
      const std::string& key = keys[k];
      if (line.size() > key.size() && line.compare(0, key.size(), key) == 0 &&
          line[key.size()] == ':') {
        values[k].str(line.substr(key.size() + 1));
        ++found;
      }
    }
  }
  if (found < keys.size()) {
    return std::nullopt;
  }
  return values;
}

}  // namespace

std::optional<ProcessInspector::Creds> ProcInspector::creds(pid_t tid) const {
  auto lines = status_lines(tid, {"Uid", "Gid"});
  Creds c{};
  if (!lines || !((*lines)[0] >> c.ruid >> c.euid >> c.suid >> c.fsuid) ||
      !((*lines)[1] >> c.rgid >> c.egid >> c.sgid >> c.fsgid)) {
    return std::nullopt;
  }
  return c;
}

std::optional<pid_t> ProcInspector::tgid(pid_t tid) const {
  auto lines = status_lines(tid, {"Tgid"});
  pid_t t = 0;
  if (!lines || !((*lines)[0] >> t)) {
    return std::nullopt;
  }
  return t;
}

std::optional<std::vector<gid_t>> ProcInspector::groups(pid_t tid) const {
  auto lines = status_lines(tid, {"Groups"});
  if (!lines) {
    return std::nullopt;
  }
  std::vector<gid_t> out;
  for (gid_t g = 0; (*lines)[0] >> g;) {
    out.push_back(g);
  }
  return out;
}

std::optional<std::uint64_t> ProcInspector::ambient_caps(pid_t tid) const {
  auto lines = status_lines(tid, {"CapAmb"});
  std::uint64_t mask = 0;
  if (!lines || !((*lines)[0] >> std::hex >> mask)) {
    return std::nullopt;
  }
  return mask;
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
  // /proc/self names whoever reads it: looked up by capmin it would be
  // capmin. glibc's fchmodat(AT_SYMLINK_NOFOLLOW) and fchownat(AT_EMPTY_PATH)
  // fallbacks name files this way ("/proc/self/fd/3").
  for (const std::string_view self : {"/proc/self", "/proc/thread-self"}) {
    if (path.compare(0, self.size(), self) == 0 &&
        (path.size() == self.size() || path[self.size()] == '/')) {
      return base + path.substr(self.size());
    }
  }
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
