// SPDX-License-Identifier: MIT
#include "cli/OutputFile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <random>

#include "events/Errors.h"

namespace capmin::cli {

namespace {

void write_all(int fd, const std::string& text, const std::string& what) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) {
        continue;
      }
      throw SystemError("write " + what, errno);
    }
    done += static_cast<std::size_t>(n);
  }
}

}  // namespace

OutputFile::OutputFile(const std::string& path) : path_(path) {
  if (path == "-") {
    return;
  }
  file_.reset(open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644));
  if (!file_) {
    const int e = errno;
    throw UserError("cannot write '" + path + "': " + strerror(e) +
                    (e == ELOOP ? " (capmin does not write through symbolic links)" : ""));
  }
  struct stat st {};
  if (fstat(file_.get(), &st) != 0 || !S_ISREG(st.st_mode)) {
    return;  // a device or a pipe: written as it is
  }
  dev_ = st.st_dev;
  ino_ = st.st_ino;
  const auto slash = path.rfind('/');
  const std::string dir = slash == std::string::npos ? "."
                          : slash == 0               ? "/"
                                                     : path.substr(0, slash);
  name_ = slash == std::string::npos ? path : path.substr(slash + 1);
  // Held from now on: the directory the user named, even if the program
  // renames it or a parent of it.
  dir_fd_.reset(open(dir.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
}

bool OutputFile::name_still_ours() const {
  struct stat st {};
  return fstatat(dir_fd_.get(), name_.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 &&
         st.st_dev == dev_ && st.st_ino == ino_;
}

void OutputFile::write(const std::string& text) {
  if (!dir_fd_ || name_still_ours()) {
    write_all(file_ ? file_.get() : STDOUT_FILENO, text, path_);
    return;
  }
  write_replacement(text);
}

void OutputFile::write_replacement(const std::string& text) {
  std::random_device random;
  std::string temp;
  events::UniqueFd fd;
  for (int attempt = 0; attempt < 16 && !fd; ++attempt) {
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, ".capmin-%08x", random());
    temp = "." + name_ + suffix;
    // O_EXCL: a name the program made in the meantime is never reused.
    fd.reset(openat(dir_fd_.get(), temp.c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644));
    if (!fd && errno != EEXIST) {
      throw SystemError("write " + path_ + " (the program replaced it; a new file)", errno);
    }
  }
  if (!fd) {
    throw SystemError("write " + path_ + " (the program replaced it; a new file)", EEXIST);
  }
  try {
    write_all(fd.get(), text, path_);
  } catch (...) {
    fd.reset();
    unlinkat(dir_fd_.get(), temp.c_str(), 0);
    throw;
  }
  fd.reset();
  // rename replaces a link at the name itself, never its target.
  if (renameat(dir_fd_.get(), temp.c_str(), dir_fd_.get(), name_.c_str()) != 0) {
    const int e = errno;
    unlinkat(dir_fd_.get(), temp.c_str(), 0);
    throw SystemError("write " + path_ + " (the program replaced it; rename)", e);
  }
}

}  // namespace capmin::cli
