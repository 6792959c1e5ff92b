// SPDX-License-Identifier: MIT
#include "events/SyscallEvent.h"

namespace capmin::events {

const Arg* SyscallEvent::find(std::string_view name) const {
  for (const Arg& a : args) {
    if (a.name == name) {
      return &a;
    }
  }
  return nullptr;
}

std::string SyscallEvent::args_summary() const {
  std::string out;
  for (const Arg& a : args) {
    // Facts the tracer looked up rather than read from the call ("file.uid",
    // "target.uid") are for rules; the one-line summary shows the call itself.
    if (a.name.find('.') != std::string::npos) {
      continue;
    }
    if (!out.empty()) {
      out += ", ";
    }
    out += a.name;
    out += '=';
    out += a.text;
  }
  return out;
}

}  // namespace capmin::events
