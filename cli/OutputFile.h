// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace capmin::cli {

// A file capmin writes its output to, opened before the traced program starts
// (so a bad path is refused before anything runs) and never through a
// symbolic link (the program may control the directory). "-" is stdout.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  ~OutputFile();
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Throws SystemError if the write fails (disk full...).
  void write(const std::string& text);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

}  // namespace capmin::cli
