// SPDX-License-Identifier: MIT
#pragma once

#include <stdexcept>
#include <string>

namespace capmin {

// A mistake of the user's or of the setup (bad option, malformed rule file,
// command not found): printed as one line, exit status 125 unless set.
class UserError : public std::runtime_error {
 public:
  explicit UserError(const std::string& what, int status = 125)
      : std::runtime_error(what), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

// A system call capmin itself needed failed: "ptrace(SEIZE): Operation not
// permitted".
class SystemError : public UserError {
 public:
  SystemError(const std::string& call, int err);
};

}  // namespace capmin
