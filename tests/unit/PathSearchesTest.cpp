// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>

#include "tracer/engine/EventSink.h"
#include "tracer/watchers/PathSearches.h"

namespace capmin::tracer {
namespace {

constexpr int kEACCES = 13;
constexpr int kEPERM = 1;

class RecordingSink : public EventSink {
 public:
  void on_refusal(events::SyscallEvent&& e) override { got.push_back(std::move(e)); }
  std::vector<events::SyscallEvent> got;
};

events::SyscallEvent refused(const std::string& syscall, const std::string& path, int err) {
  events::SyscallEvent e;
  e.syscall = syscall;
  e.err = err;
  e.args = {{"path", path, std::nullopt}};
  return e;
}

TEST(PathSearches, ASearchStepForAProgramRunLaterIsTolerated) {
  RecordingSink sink;
  PathSearches s(sink);
  auto e = refused("newfstatat", "/root/bin/id", kEACCES);
  EXPECT_TRUE(s.hold(10, e));
  EXPECT_TRUE(sink.got.empty());
  // A child the shell forked runs /usr/bin/id.
  s.executed({"/usr/bin/id", "id"});
  ASSERT_EQ(sink.got.size(), 1u);
  EXPECT_NE(sink.got[0].tolerated.find("/usr/bin/id"), std::string::npos);
}

TEST(PathSearches, ARefusalWhoseProgramIsNeverRunStandsWhenItsTaskEnds) {
  RecordingSink sink;
  PathSearches s(sink);
  auto e = refused("execve", "/srv/private/tool", kEACCES);
  EXPECT_TRUE(s.hold(10, e));
  s.executed({"/usr/bin/other", "other"});
  EXPECT_TRUE(sink.got.empty());
  s.task_gone(11);
  EXPECT_TRUE(sink.got.empty());
  s.task_gone(10);
  ASSERT_EQ(sink.got.size(), 1u);
  EXPECT_TRUE(sink.got[0].tolerated.empty());
}

TEST(PathSearches, OnlyEaccesOnAPathWithADirectoryIsHeld) {
  RecordingSink sink;
  PathSearches s(sink);
  auto eperm = refused("execve", "/usr/bin/ping", kEPERM);
  auto bare = refused("execve", "ping", kEACCES);
  auto open = refused("openat", "/root/secret", kEACCES);
  EXPECT_FALSE(s.hold(1, eperm));
  EXPECT_FALSE(s.hold(1, bare));
  EXPECT_FALSE(s.hold(1, open));
}

TEST(PathSearches, HoldsABoundedNumberAndPassesOnTheOldest) {
  RecordingSink sink;
  PathSearches s(sink);
  for (std::size_t i = 0; i < PathSearches::kMaxHeld + 3; ++i) {
    auto e = refused("stat", "/root/bin/p" + std::to_string(i), kEACCES);
    s.hold(1, e);
  }
  EXPECT_EQ(sink.got.size(), 3u);
  s.flush_all();
  EXPECT_EQ(sink.got.size(), PathSearches::kMaxHeld + 3);
}

}  // namespace
}  // namespace capmin::tracer
