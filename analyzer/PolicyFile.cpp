// SPDX-License-Identifier: MIT
#include "analyzer/PolicyFile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "events/Errors.h"
#include "events/UniqueFd.h"

namespace capmin::analyzer {

std::string read_policy_file(const std::string& path, const std::string& what) {
  const auto cannot = [&](int err) {
    return UserError("cannot read " + what + " '" + path + "': " + strerror(err));
  };
  // O_NONBLOCK only for the open: opening a FIFO for reading otherwise waits
  // for a writer (fs/fifo.c:fifo_open), maybe forever.
  const events::UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK));
  if (fd.get() < 0) {
    throw cannot(errno);
  }
  const int flags = fcntl(fd.get(), F_GETFL);
  if (flags < 0 || fcntl(fd.get(), F_SETFL, flags & ~O_NONBLOCK) != 0) {
    throw cannot(errno);
  }
  std::string text;
  char buf[64 * 1024];
  for (;;) {
    const ssize_t n = read(fd.get(), buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n < 0) {
      throw cannot(errno);
    }
    if (n == 0) {
      return text;
    }
    if (text.size() + static_cast<std::size_t>(n) > kMaxPolicyFileBytes) {
      throw UserError(what + " '" + path + "' is larger than " +
                      std::to_string(kMaxPolicyFileBytes / (1024 * 1024)) +
                      " MiB: not a rule file");
    }
    text.append(buf, static_cast<std::size_t>(n));
  }
}

}  // namespace capmin::analyzer
