// SPDX-License-Identifier: MIT
// The proven minimal set's search on a scripted program: which capabilities
// it withholds, in which order, and what it keeps.
#include <gtest/gtest.h>
#include <linux/capability.h>

#include <algorithm>
#include <functional>

#include "verify/Ablation.h"

namespace capmin::verify {
namespace {

bool has(const std::vector<int>& v, int cap) {
  return std::find(v.begin(), v.end(), cap) != v.end();
}

// Every capability, SYS_ADMIN and DAC_OVERRIDE first, as the catalogue lists them.
std::vector<int> order() {
  std::vector<int> o{CAP_SYS_ADMIN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH};
  for (int c = 0; c <= CAP_LAST_CAP; ++c) {
    if (!has(o, c)) {
      o.push_back(c);
    }
  }
  return o;
}

// A program whose run, with `withheld` out of reach, finds `found(withheld)`
// and does its job when `works(withheld)`; remembers what was withheld.
struct Scripted {
  std::function<std::vector<int>(const std::vector<int>&)> found;
  std::function<bool(const std::vector<int>&)> works;
  std::vector<std::vector<int>> runs;
  WithheldRun runner() {
    return [this](int, const std::vector<int>& withheld) {
      runs.push_back(withheld);
      return WithheldOutcome{found(withheld), {works(withheld), works(withheld) ? "" : "exit 1"}};
    };
  }
};

TEST(Ablation, ARefusalTheProgramShrugsOffLeavesTheSet) {
  Scripted p;
  p.found = [](const std::vector<int>& w) {
    std::vector<int> f{CAP_FOWNER};
    if (!has(w, CAP_DAC_OVERRIDE)) f.push_back(CAP_DAC_OVERRIDE);
    return f;
  };
  p.works = [](const std::vector<int>& w) { return !has(w, CAP_FOWNER); };
  const Ablation a = ablate({CAP_DAC_OVERRIDE, CAP_FOWNER}, order(), {}, p.runner());
  EXPECT_EQ(a.set, std::vector<int>{CAP_FOWNER});
  // DAC_OVERRIDE first (listed first), then FOWNER with DAC_OVERRIDE still withheld.
  ASSERT_EQ(p.runs.size(), 2u);
  // With each, the broader ones the set does not hold: SYS_ADMIN, then
  // also DAC_READ_SEARCH and CHOWN, which come before FOWNER.
  EXPECT_EQ(p.runs[0], (std::vector<int>{CAP_DAC_OVERRIDE, CAP_SYS_ADMIN}));
  EXPECT_EQ(p.runs[1], (std::vector<int>{CAP_CHOWN, CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH,
                                         CAP_FOWNER, CAP_SYS_ADMIN}));
  EXPECT_TRUE(a.steps[0].dropped);
  EXPECT_FALSE(a.steps[1].dropped);
  EXPECT_EQ(a.adopted, 0);
}

TEST(Ablation, ANarrowerCapabilityTakesTheBroaderOnesPlaceAndIsTriedInTurn) {
  // SYS_ADMIN cures everything; withheld, BPF and PERFMON show up, and
  // each of them is needed.
  Scripted p;
  p.found = [](const std::vector<int>& w) {
    return has(w, CAP_SYS_ADMIN) ? std::vector<int>{CAP_PERFMON, CAP_BPF}
                                 : std::vector<int>{CAP_SYS_ADMIN};
  };
  p.works = [](const std::vector<int>& w) { return !has(w, CAP_BPF) && !has(w, CAP_PERFMON); };
  const Ablation a = ablate({CAP_SYS_ADMIN}, order(), {}, p.runner());
  EXPECT_EQ(a.set, (std::vector<int>{CAP_PERFMON, CAP_BPF}));
  ASSERT_EQ(p.runs.size(), 3u);
  EXPECT_EQ(p.runs[0], std::vector<int>{CAP_SYS_ADMIN});
  // Withholding PERFMON also withholds every capability before it that the
  // set lacks (all but BPF, which comes after it).
  EXPECT_TRUE(has(p.runs[1], CAP_PERFMON));
  EXPECT_TRUE(has(p.runs[1], CAP_DAC_OVERRIDE));
  EXPECT_FALSE(has(p.runs[1], CAP_BPF));
  EXPECT_TRUE(has(p.runs[2], CAP_BPF));
  EXPECT_TRUE(has(p.runs[2], CAP_SYS_ADMIN));
  EXPECT_FALSE(has(p.runs[2], CAP_PERFMON));
}

TEST(Ablation, ABroaderCapabilityNeverStandsInForANarrowerOne) {
  // Reading a file: DAC_READ_SEARCH, or DAC_OVERRIDE, which the kernel
  // accepts as well. Withholding DAC_READ_SEARCH withholds DAC_OVERRIDE too.
  Scripted p;
  p.found = [](const std::vector<int>& w) {
    return !has(w, CAP_DAC_READ_SEARCH) ? std::vector<int>{CAP_DAC_READ_SEARCH}
           : !has(w, CAP_DAC_OVERRIDE)  ? std::vector<int>{CAP_DAC_OVERRIDE}
                                        : std::vector<int>{};
  };
  p.works = [](const std::vector<int>& w) {
    return !has(w, CAP_DAC_READ_SEARCH) || !has(w, CAP_DAC_OVERRIDE);
  };
  const Ablation a = ablate({CAP_DAC_READ_SEARCH}, order(), {}, p.runner());
  ASSERT_EQ(p.runs.size(), 1u);
  EXPECT_TRUE(has(p.runs[0], CAP_DAC_OVERRIDE));
  EXPECT_TRUE(has(p.runs[0], CAP_SYS_ADMIN));
  EXPECT_EQ(a.set, std::vector<int>{CAP_DAC_READ_SEARCH});
}

TEST(Ablation, ACapabilityTheProgramNeedsStays) {
  Scripted p;
  p.found = [](const std::vector<int>&) { return std::vector<int>{CAP_CHOWN, CAP_NET_RAW}; };
  p.works = [](const std::vector<int>& w) { return w.empty(); };
  const Ablation a = ablate({CAP_CHOWN, CAP_NET_RAW}, order(), {}, p.runner());
  EXPECT_EQ(a.set, (std::vector<int>{CAP_CHOWN, CAP_NET_RAW}));
  EXPECT_EQ(p.runs.size(), 2u);
  EXPECT_EQ(a.adopted, -1);
}

TEST(Ablation, ACapabilityCapminCannotGrantIsNeverWithheldAndStays) {
  Scripted p;
  p.found = [](const std::vector<int>&) { return std::vector<int>{CAP_SYS_RESOURCE}; };
  p.works = [](const std::vector<int>&) { return true; };
  const Ablation a = ablate({CAP_SYS_RESOURCE}, order(), {CAP_SYS_RESOURCE}, p.runner());
  EXPECT_TRUE(p.runs.empty());
  EXPECT_EQ(a.set, std::vector<int>{CAP_SYS_RESOURCE});
}

TEST(Ablation, EveryCapabilityDroppedLeavesAnEmptySet) {
  Scripted p;
  p.found = [](const std::vector<int>&) { return std::vector<int>{}; };
  p.works = [](const std::vector<int>&) { return true; };
  const Ablation a = ablate({CAP_KILL, CAP_SETUID}, order(), {}, p.runner());
  EXPECT_TRUE(a.set.empty());
  // SETUID was not in the set adopted from the first run without KILL.
  EXPECT_EQ(p.runs.size(), 1u);
}

}  // namespace
}  // namespace capmin::verify
