// SPDX-License-Identifier: MIT
// What the Robustness* end-to-end tests share (docs/robustness.md): reading
// what a run left behind, and shell snippets for Options::during that wait
// with a bound instead of sleeping a fixed time.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "Harness.h"

namespace capmin::e2e {

// A command that leaves ./marker if it runs: bad input must stop capmin first.
inline const std::vector<std::string> kLeavesMarker = {"/usr/bin/touch", "marker"};

inline std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A file the run left in its work directory.
inline std::string file_in(const CapminRun& r, const std::string& name) {
  return slurp(r.workdir + "/" + name);
}

// One word for sh.
inline std::string shell_quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  }
  return out + "'";
}

inline bool mentions(const std::string& text, const std::string& what) {
  return text.find(what) != std::string::npos;
}

// Shell for `during`: waits (at most ten seconds) until FILE exists.
inline std::string wait_for_file(const std::string& file) {
  return "i=0; while [ ! -e " + file + " ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done; ";
}

// Shell for `during`: waits (at most SECONDS) until capmin has ended, then
// prints capmin-ended or capmin-still-running. Ended means a zombie, or
// already reaped by the shell. The state is read once per look, and the
// verdict is the loop's own: a second look could meet the pid half-reaped.
inline std::string wait_for_capmin_to_end(int seconds) {
  return "i=0; ended=0; while [ $i -lt " + std::to_string(seconds * 10) +
         " ]; do st=$(sed -n 's/^State:[[:space:]]*\\(.\\).*/\\1/p' /proc/$CAPMIN_PID/status "
         "2>/dev/null); if [ -z \"$st\" ] || [ \"$st\" = Z ]; then ended=1; break; fi; "
         "sleep 0.1; i=$((i+1)); done; "
         "if [ $ended = 1 ]; then echo capmin-ended; else echo capmin-still-running; fi; ";
}

// Every run must end without capmin complaining about itself.
inline void expect_no_internal_error(const CapminRun& r) {
  EXPECT_FALSE(mentions(r.err, "internal error")) << r.err;
  EXPECT_FALSE(mentions(r.err, "CHECK")) << r.err;
}

// capmin stopped with status 125 and one line saying why, naming
// `mentioned`, and the command never ran.
inline void expect_refused_before_running(const CapminRun& r, const std::string& mentioned) {
  EXPECT_EQ(r.status, 125);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_EQ(r.err.rfind("capmin: error: ", 0), 0u) << r.err;
  EXPECT_TRUE(mentions(r.err, mentioned)) << r.err;
  EXPECT_FALSE(std::filesystem::exists(r.workdir + "/marker"))
      << "the command ran although capmin refused its input";
}

}  // namespace capmin::e2e
