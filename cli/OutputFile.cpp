// SPDX-License-Identifier: MIT
#include "cli/OutputFile.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "events/Errors.h"

namespace capmin::cli {

OutputFile::OutputFile(const std::string& path) : path_(path) {
  if (path == "-") {
    fd_ = STDOUT_FILENO;
    return;
  }
  fd_ = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644);
  if (fd_ < 0) {
    const int e = errno;
    throw UserError("cannot write '" + path + "': " + strerror(e) +
                    (e == ELOOP ? " (capmin does not write through symbolic links)" : ""));
  }
}

OutputFile::~OutputFile() {
  if (fd_ > STDERR_FILENO) {
    close(fd_);
  }
}

void OutputFile::write(const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd_, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw SystemError("write " + path_, errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace capmin::cli
