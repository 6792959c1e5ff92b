// SPDX-License-Identifier: MIT
#include "cli/ScratchDir.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include <iostream>
#include <vector>

#include "events/Errors.h"
#include "events/TempDir.h"
#include "tracer/launch/Mounts.h"

namespace capmin::cli {

namespace {

// Whether `path` lies on a mount this process can see in its mount table.
bool on_visible_mount(const std::string& path) {
  for (const tracer::VisibleMount& m : tracer::visible_mounts()) {
    if (m.point == "/" || path == m.point || path.rfind(m.point + "/", 0) == 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

ScratchDir::ScratchDir(bool write_through, const std::string& dir) {
  if (write_through) {
    return;
  }
  std::vector<char> own(PATH_MAX);
  const std::string cwd = !dir.empty()                                ? dir
                          : getcwd(own.data(), own.size()) != nullptr ? own.data()
                                                                      : "";
  if (cwd == "/") {
    std::cerr << "capmin: warning: the working directory is /, which no overlay can cover: the "
                 "runs write to it directly (run from another directory to protect it)\n";
    return;
  }
  const std::string base = events::temp_base();
  // Under a chroot whose root is no mount, a directory on the root's mount
  // cannot be kept from the namespace capmin came from: written through.
  if (!on_visible_mount(cwd) || !on_visible_mount(base)) {
    std::cerr << "capmin: warning: the working directory (or " << base
              << ") lies on a mount capmin cannot see (it runs in a chroot): the runs write to "
                 "it directly\n";
    return;
  }
  path_ = events::make_temp_dir("overlay");
}

ScratchDir::~ScratchDir() {
  if (!path_.empty()) {
    rmdir(path_.c_str());
  }
}

}  // namespace capmin::cli
