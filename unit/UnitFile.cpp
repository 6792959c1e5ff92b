// SPDX-License-Identifier: MIT
#include "unit/UnitFile.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "events/Errors.h"

namespace capmin::unit {

namespace {

constexpr const char* kWhitespace = " \t\r";

std::string trim(const std::string& s) {
  const auto first = s.find_first_not_of(kWhitespace);
  if (first == std::string::npos) {
    return "";
  }
  return s.substr(first, s.find_last_not_of(kWhitespace) - first + 1);
}

bool is_comment(const std::string& line) { return line[0] == '#' || line[0] == ';'; }

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw UserError("cannot read the unit '" + path + "': " + std::strerror(errno));
  }
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) {
    throw UserError("cannot read the unit '" + path + "'");
  }
  return text.str();
}

}  // namespace

std::vector<UnitSetting> parse_unit_text(const std::string& text, const std::string& origin) {
  std::vector<UnitSetting> settings;
  std::string section;
  std::istringstream in(text);
  std::string raw;
  int number = 0;
  while (std::getline(in, raw)) {
    ++number;
    const int first_line = number;
    std::string line = trim(raw);
    if (line.empty() || is_comment(line)) {
      continue;
    }
    // A backslash at the end joins the next line, with a space; comment
    // lines inside the value are left out (systemd.syntax(7)).
    while (!line.empty() && line.back() == '\\') {
      line.back() = ' ';
      std::string next;
      bool more = false;
      while (std::getline(in, next)) {
        ++number;
        next = trim(next);
        if (next.empty() || !is_comment(next)) {
          more = true;
          break;
        }
      }
      if (!more) {
        break;
      }
      line += next;
    }
    line = trim(line);
    const std::string where = origin + ":" + std::to_string(first_line);
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3) {
        throw UserError(where + ": expected a section header such as [Service]");
      }
      section = line.substr(1, line.size() - 2);
      continue;
    }
    const auto eq = line.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw UserError(where + ": expected KEY=VALUE, a [Section] or a comment");
    }
    if (section.empty()) {
      throw UserError(where + ": an assignment before any [Section]");
    }
    settings.push_back({section, trim(line.substr(0, eq)), trim(line.substr(eq + 1)), where});
  }
  return settings;
}

UnitFile read_unit_file(const std::string& path) {
  namespace fs = std::filesystem;
  UnitFile unit;
  unit.path = path;
  unit.name = fs::path(path).filename().string();
  if (unit.name.size() <= 8 || unit.name.compare(unit.name.size() - 8, 8, ".service") != 0) {
    throw UserError("--unit '" + path + "': expected a service unit (NAME.service)");
  }
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    throw UserError("--unit '" + path + "': a directory, not a unit file");
  }
  unit.settings = parse_unit_text(read_text(path), path);
  const fs::path drop_in_dir = path + ".d";
  if (fs::is_directory(drop_in_dir, ec)) {
    for (const fs::directory_entry& e : fs::directory_iterator(drop_in_dir, ec)) {
      if (e.path().extension() == ".conf") {
        unit.drop_ins.push_back(e.path().string());
      }
    }
    std::sort(unit.drop_ins.begin(), unit.drop_ins.end(), [](const auto& a, const auto& b) {
      return fs::path(a).filename() < fs::path(b).filename();
    });
    for (const std::string& d : unit.drop_ins) {
      std::vector<UnitSetting> more = parse_unit_text(read_text(d), d);
      unit.settings.insert(unit.settings.end(), more.begin(), more.end());
    }
  }
  return unit;
}

}  // namespace capmin::unit
