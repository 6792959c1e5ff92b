// SPDX-License-Identifier: MIT
#pragma once

#include "verify/Runtime.h"

namespace capmin::verify {

// Runs the program directly on this machine, untraced, with exactly the
// capabilities given (tracer::run_untraced), in capmin's own namespaces,
// working directory and environment.
class NativeRuntime final : public Runtime {
 public:
  explicit NativeRuntime(Target target) : target_(std::move(target)) {}
  std::string name() const override { return "native"; }
  std::string describe() const override;
  RunOutcome run(const std::vector<int>& caps) override;

 private:
  Target target_;
};

}  // namespace capmin::verify
