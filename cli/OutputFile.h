// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <string>

#include "events/UniqueFd.h"

namespace capmin::cli {

// A file capmin writes its output to, opened before the traced program starts
// (so a bad path is refused before anything runs) and never through a
// symbolic link (the program may control the directory). "-" is stdout.
//
// The program may also replace the name while it runs (rm, then a link to a
// file of its choice): the output then goes to a new file of capmin's,
// renamed over whatever holds the name, so it is neither lost nor written
// through the program's link.
class OutputFile {
 public:
  explicit OutputFile(const std::string& path);
  OutputFile(const OutputFile&) = delete;
  OutputFile& operator=(const OutputFile&) = delete;

  // Throws SystemError if the write fails (disk full...).
  void write(const std::string& text);
  const std::string& path() const { return path_; }

 private:
  // Whether the name still leads to the file opened at the start.
  bool name_still_ours() const;
  // Writes `text` to a new file in the same directory, renamed to the name.
  void write_replacement(const std::string& text);

  std::string path_;
  events::UniqueFd file_;    // none for "-": standard output, not capmin's to close
  events::UniqueFd dir_fd_;  // the directory of a regular file; none for others
  std::string name_;         // the file's name in it
  dev_t dev_ = 0;
  ino_t ino_ = 0;
};

}  // namespace capmin::cli
