// SPDX-License-Identifier: MIT
#include "cli/LaterRunsInput.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace capmin::cli {

long long stdin_offset() {
  struct stat st {};
  if (fstat(0, &st) != 0 || !S_ISREG(st.st_mode)) {
    return -1;
  }
  return static_cast<long long>(lseek(0, 0, SEEK_CUR));
}

LaterRunsInput::LaterRunsInput(long long offset) : offset_(offset) {
  struct stat st {};
  if (fstat(0, &st) == 0 && (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode))) {
    saved_ = fcntl(0, F_DUPFD_CLOEXEC, 3);
    const int null = open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (saved_ >= 0 && null >= 0 && dup2(null, 0) == 0) {
      replaced_ = true;
    }
    if (null >= 0) {
      close(null);
    }
  }
}

LaterRunsInput::~LaterRunsInput() {
  if (saved_ >= 0) {
    if (replaced_) {
      dup2(saved_, 0);
    }
    close(saved_);
  }
}

void LaterRunsInput::before_run() const {
  if (offset_ >= 0) {
    lseek(0, static_cast<off_t>(offset_), SEEK_SET);
  }
}

verify::RunOutcome SameInputRuntime::run(const std::vector<int>& caps) {
  input_.before_run();
  return inner_.run(caps);
}

}  // namespace capmin::cli
