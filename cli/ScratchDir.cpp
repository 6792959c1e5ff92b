// SPDX-License-Identifier: MIT
#include "cli/ScratchDir.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <iostream>
#include <vector>

#include "events/Errors.h"

namespace capmin::cli {

ScratchDir::ScratchDir(bool write_through) {
  if (write_through) {
    return;
  }
  std::vector<char> cwd(PATH_MAX);
  if (getcwd(cwd.data(), cwd.size()) != nullptr && std::string(cwd.data()) == "/") {
    std::cerr << "capmin: warning: the working directory is /, which no overlay can cover: the "
                 "runs write to it directly (run from another directory to protect it)\n";
    return;
  }
  const char* tmp = getenv("TMPDIR");
  std::string tmpl =
      std::string(tmp != nullptr && *tmp == '/' ? tmp : "/tmp") + "/capmin-overlay.XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    throw SystemError("mkdtemp(" + tmpl + ")", errno);
  }
  path_ = tmpl;
}

ScratchDir::~ScratchDir() {
  if (!path_.empty()) {
    rmdir(path_.c_str());
  }
}

}  // namespace capmin::cli
