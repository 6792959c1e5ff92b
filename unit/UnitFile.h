// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace capmin::unit {

// One KEY=VALUE line of a unit file, as systemd.syntax(7) reads it: the
// value with its surrounding whitespace removed and continuation lines
// joined, nothing else interpreted.
struct UnitSetting {
  std::string section;  // "Service"
  std::string key;      // "ExecStart"
  std::string value;
  std::string where;  // "FILE:LINE", for messages
};

// A unit file and its drop-ins, every assignment in the order systemd
// applies them.
struct UnitFile {
  std::string path;
  std::string name;                   // the file's name: "nginx.service", "getty@tty1.service"
  std::vector<std::string> drop_ins;  // the FILE.d/*.conf read after it, in that order
  std::vector<UnitSetting> settings;
};

// Parses unit-file text. `origin` names it in messages. Throws UserError
// "ORIGIN:LINE: reason" for a line that is neither a comment, a [Section]
// nor KEY=VALUE, or an assignment before any section.
std::vector<UnitSetting> parse_unit_text(const std::string& text, const std::string& origin);

// Reads the unit file at `path` and the drop-ins systemd would read beside
// it (PATH.d/*.conf, by file name). Throws UserError when it cannot be read
// or parsed, or its name is no service's.
UnitFile read_unit_file(const std::string& path);

}  // namespace capmin::unit
