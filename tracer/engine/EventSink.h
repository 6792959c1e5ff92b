// SPDX-License-Identifier: MIT
#pragma once

#include "events/SyscallEvent.h"

namespace capmin::tracer {

// Receives each refusal as the tracer sees it. Called on the tracer's thread,
// with the refused task stopped.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void on_refusal(events::SyscallEvent&& event) = 0;
  // Whether this refusal's call stack is still wanted: walking one costs
  // reads of the tracee, so a refusal already seen is not walked again.
  virtual bool wants_stack(const events::SyscallEvent& event) const {
    (void)event;
    return true;
  }
};

}  // namespace capmin::tracer
