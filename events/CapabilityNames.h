// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace capmin::events {

// Capability names and numbers from libcap, in the spelling of capabilities(7)
// and Docker's documentation: "CAP_NET_RAW" and "NET_RAW".
std::string cap_name(int cap);        // "CAP_NET_RAW"
std::string cap_short_name(int cap);  // "NET_RAW"
// Accepts "CAP_NET_RAW", "NET_RAW", "cap_net_raw"; nullopt if unknown.
std::optional<int> cap_from_name(std::string_view name);
// Highest capability number this machine's libcap and kernel know.
int cap_last();
// A set of capabilities as a 64-bit mask (bit N for capability N), and back.
std::uint64_t cap_mask(const std::vector<int>& caps);
std::vector<int> cap_list(std::uint64_t mask);
// Every capability up to cap_last(), as a mask.
std::uint64_t cap_all();
// "CAP_CHOWN|CAP_NET_RAW" for a 64-bit capability mask; "0" when empty.
std::string cap_mask_text(std::uint64_t mask);
// "CAP_CHOWN, CAP_NET_RAW" (joined by `separator`), or `none` when empty.
std::string cap_names_text(const std::vector<int>& caps, std::string_view none = "none",
                           std::string_view separator = ", ");
// Names close to `wrong` (edit distance, prefix), for "did you mean" hints.
std::vector<std::string> cap_close_names(std::string_view wrong);

}  // namespace capmin::events
