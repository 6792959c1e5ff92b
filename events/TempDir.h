// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace capmin::events {

// Where capmin makes its temporary directories: $TMPDIR when it is an
// absolute path, else /tmp.
std::string temp_base();

// A new, empty directory "BASE/capmin-NAME.XXXXXX" (mkdtemp: mode 0700),
// its path returned. Throws SystemError.
std::string make_temp_dir(const std::string& name);

}  // namespace capmin::events
