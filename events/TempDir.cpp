// SPDX-License-Identifier: MIT
#include "events/TempDir.h"

#include <errno.h>
#include <stdlib.h>

#include "events/Errors.h"

namespace capmin::events {

std::string temp_base() {
  const char* tmp = getenv("TMPDIR");
  return tmp != nullptr && *tmp == '/' ? tmp : "/tmp";
}

std::string make_temp_dir(const std::string& name) {
  std::string tmpl = temp_base() + "/capmin-" + name + ".XXXXXX";
  if (mkdtemp(tmpl.data()) == nullptr) {
    throw SystemError("mkdtemp(" + tmpl + ")", errno);
  }
  return tmpl;
}

}  // namespace capmin::events
