// SPDX-License-Identifier: MIT
#include "tracer/ptrace/ProcessInspector.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/capability.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string_view>
#include <vector>

#include "events/UniqueFd.h"

namespace capmin::tracer {

namespace {

// The values of the "Name:\tv1\tv2..." lines of /proc/<tid>/status named by
// `keys`, in that order, from one read of the file (the kernel renders all
// of it each time); nullopt unless every one was found.
std::optional<std::vector<std::string>> status_lines(pid_t tid,
                                                     const std::vector<std::string_view>& keys) {
  // One open and read into a buffer, no stream: this runs for each refusal.
  char path[32];
  std::snprintf(path, sizeof path, "/proc/%d/status", static_cast<int>(tid));
  const events::UniqueFd fd(open(path, O_RDONLY | O_CLOEXEC));
  if (!fd) {
    return std::nullopt;
  }
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(fd.get(), buf, sizeof buf)) != 0;) {
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      return std::nullopt;
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
  std::vector<std::string> values(keys.size());
  std::size_t found = 0;
  for (std::string_view rest = text; found < keys.size() && !rest.empty();) {
    const std::size_t eol = rest.find('\n');
    const std::string_view line = rest.substr(0, eol);
    rest.remove_prefix(eol == std::string_view::npos ? rest.size() : eol + 1);
    for (std::size_t k = 0; k < keys.size(); ++k) {
      if (line.size() > keys[k].size() && line.substr(0, keys[k].size()) == keys[k] &&
          line[keys[k].size()] == ':') {
        values[k] = line.substr(keys[k].size() + 1);
        ++found;
      }
    }
  }
  if (found < keys.size()) {
    return std::nullopt;
  }
  return values;
}

// The whitespace-separated numbers of a status value, in `base`.
template <typename T>
std::vector<T> numbers_in(const std::string& value, int base = 10) {
  std::vector<T> out;
  const char* p = value.c_str();
  for (;;) {
    char* end = nullptr;
    errno = 0;
    const unsigned long long v = std::strtoull(p, &end, base);
    if (end == p || errno != 0) {
      return out;
    }
    out.push_back(static_cast<T>(v));
    p = end;
  }
}

}  // namespace

std::optional<ProcessInspector::Creds> ProcInspector::creds(pid_t tid) const {
  auto lines = status_lines(tid, {"Uid", "Gid"});
  if (!lines) {
    return std::nullopt;
  }
  const auto uids = numbers_in<uid_t>((*lines)[0]);
  const auto gids = numbers_in<gid_t>((*lines)[1]);
  if (uids.size() != 4 || gids.size() != 4) {
    return std::nullopt;
  }
  return Creds{uids[0], uids[1], uids[2], uids[3], gids[0], gids[1], gids[2], gids[3]};
}

std::optional<pid_t> ProcInspector::tgid(pid_t tid) const {
  auto lines = status_lines(tid, {"Tgid"});
  const auto t = lines ? numbers_in<pid_t>((*lines)[0]) : std::vector<pid_t>{};
  if (t.size() != 1) {
    return std::nullopt;
  }
  return t[0];
}

std::optional<std::vector<gid_t>> ProcInspector::groups(pid_t tid) const {
  auto lines = status_lines(tid, {"Groups"});
  if (!lines) {
    return std::nullopt;
  }
  return numbers_in<gid_t>((*lines)[0]);
}

std::optional<std::uint64_t> ProcInspector::ambient_caps(pid_t tid) const {
  auto lines = status_lines(tid, {"CapAmb"});
  const auto mask =
      lines ? numbers_in<std::uint64_t>((*lines)[0], 16) : std::vector<std::uint64_t>{};
  if (mask.size() != 1) {
    return std::nullopt;
  }
  return mask[0];
}

namespace {

std::optional<std::string> link_of(const std::string& link) {
  char buf[PATH_MAX];
  const ssize_t n = readlink(link.c_str(), buf, sizeof buf - 1);
  if (n <= 0) {
    return std::nullopt;
  }
  return std::string(buf, static_cast<std::size_t>(n));
}

}  // namespace

std::string ProcInspector::without_root(const std::string& root, std::string path) {
  if (root.empty() || root == "/" || path.size() <= root.size() ||
      path.compare(0, root.size(), root) != 0 || path[root.size()] != '/') {
    return path;
  }
  return path.substr(root.size());
}

std::string ProcInspector::as_the_task_names_it(pid_t tid, std::string path) {
  if (path.empty() || path[0] != '/') {
    return path;  // socket:[N], pipe:[N], anon_inode:...
  }
  const auto root = link_of("/proc/" + std::to_string(tid) + "/root");
  return root ? without_root(*root, std::move(path)) : path;
}

std::optional<std::string> ProcInspector::exe(pid_t tid) const {
  auto path = link_of("/proc/" + std::to_string(tid) + "/exe");
  return path ? std::optional(as_the_task_names_it(tid, std::move(*path))) : std::nullopt;
}

std::optional<std::string> ProcInspector::fd_target(pid_t tid, int fd) const {
  auto path = link_of("/proc/" + std::to_string(tid) + "/fd/" + std::to_string(fd));
  return path ? std::optional(as_the_task_names_it(tid, std::move(*path))) : std::nullopt;
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
