// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace capmin::cli {

// The empty directory on which each run mounts the tmpfs of its overlay
// over the working directory (LaunchSpec::scratch); removed when this goes.
// The runs' writes live in their own mount namespaces, so it stays empty.
class ScratchDir {
 public:
  // `write_through`: no overlay, and no directory (path() is empty). Nor
  // when the working directory (`cwd`, else capmin's own) is /, which an
  // overlay would have to replace (a one-line warning says so). Throws
  // SystemError when it cannot be made.
  explicit ScratchDir(bool write_through, const std::string& cwd = "");
  ~ScratchDir();
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

}  // namespace capmin::cli
