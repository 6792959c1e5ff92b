// SPDX-License-Identifier: MIT
// What a traced program says, as the proof of the minimal set reads it: a
// syslog datagram of any bytes turned into output lines, and two outputs
// compared for new complaints (every line through RE2 and the number
// blanking). The first half of the input is the reference run's output,
// the second the datagram and then the later run's output.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "verify/Complaints.h"
#include "verify/SyslogSocket.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view all(reinterpret_cast<const char*>(data), size);
  const std::string_view reference = all.substr(0, size / 2);
  const std::string_view rest = all.substr(size / 2);
  const std::string run = std::string(rest) + capmin::verify::syslog_lines(rest);
  for (const std::string& line : capmin::verify::new_complaints(reference, run)) {
    (void)capmin::verify::normalised_line(line);
  }
  return 0;
}
