// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace capmin::verify {

// The lines of `run` that say something went wrong (a warning, an error, a
// refusal) and that `reference` does not hold, in the order printed. Lines
// are compared with what varies from run to run blanked out: every number
// (pids, times, ports chosen by the kernel) and every hexadecimal address.
// A program that exits 0 but prints "cannot chown socket" without a
// capability it had before has not done its whole job.
std::vector<std::string> new_complaints(std::string_view reference, std::string_view run);

// `line` with its numbers and addresses blanked, as new_complaints compares.
std::string normalised_line(std::string_view line);

}  // namespace capmin::verify
