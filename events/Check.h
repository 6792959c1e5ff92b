// SPDX-License-Identifier: MIT
#pragma once

#include <sstream>
#include <stdexcept>
#include <string>

namespace capmin {

// A broken invariant of capmin's own (a bug, not a fact about the traced
// program): thrown by CAPMIN_CHECK, caught by the tracer's run loop, which
// ends the traced tree and keeps the report of everything seen so far.
class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

// Collects the message of a failed CAPMIN_CHECK and throws it when the
// statement ends.
class CheckFailure {
 public:
  CheckFailure(const char* file, int line, const char* condition) {
    message_ << file << ':' << line << ": check failed: " << condition << ": ";
  }
  template <typename T>
  CheckFailure& operator<<(const T& v) {
    message_ << v;
    return *this;
  }
  ~CheckFailure() noexcept(false) { throw InternalError(message_.str()); }
  CheckFailure(const CheckFailure&) = delete;
  CheckFailure& operator=(const CheckFailure&) = delete;

 private:
  std::ostringstream message_;
};

}  // namespace capmin

// CAPMIN_CHECK(cond) << "what, about which task": on in release builds.
#define CAPMIN_CHECK(cond) \
  if (cond) {              \
  } else                   \
    ::capmin::CheckFailure(__FILE__, __LINE__, #cond)
