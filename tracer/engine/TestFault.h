// SPDX-License-Identifier: MIT
#pragma once

#include <cstdlib>
#include <stdexcept>
#include <string>

namespace capmin::tracer {

// A failure injected for the tests of what capmin does when it fails while
// tracing: CAPMIN_TEST_FAULT=STAGE:N throws at the Nth pass through STAGE
// ("decode": decoding a refusal, "sink": handing it on). Read once; without
// the variable nothing ever throws.
class TestFault {
 public:
  TestFault() {
    const char* v = std::getenv("CAPMIN_TEST_FAULT");
    const std::string s = v != nullptr ? v : "";
    const auto colon = s.find(':');
    if (colon != std::string::npos) {
      stage_ = s.substr(0, colon);
      left_ = std::atol(s.c_str() + colon + 1);
    }
  }
  void at(const char* stage) {
    if (!stage_.empty() && stage_ == stage && --left_ == 0) {
      throw std::runtime_error("test fault injected at " + stage_ + " (CAPMIN_TEST_FAULT)");
    }
  }

 private:
  std::string stage_;
  long left_ = 0;
};

}  // namespace capmin::tracer
