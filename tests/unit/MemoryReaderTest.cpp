// SPDX-License-Identifier: MIT
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>

#include "tracer/ptrace/MemoryReader.h"

namespace capmin::tracer {
namespace {

constexpr std::uint64_t kPage = 4096;

// `bytes` at `begin`, in pages of their own: the rest of those pages reads as
// zeros, every other page is unmapped. Counts the reads it is asked for.
class RangeMemory : public MemoryReader {
 public:
  RangeMemory(std::uint64_t begin, const std::string& bytes)
      : first_(begin / kPage),
        image_((begin + bytes.size() + kPage - 1) / kPage * kPage - first_ * kPage, '\0') {
    image_.replace(begin - first_ * kPage, bytes.size(), bytes);
  }
  bool read(std::uint64_t addr, void* buf, std::size_t len) const override {
    ++reads_;
    const std::uint64_t base = first_ * kPage;
    if (addr < base || addr - base > image_.size() || len > image_.size() - (addr - base)) {
      return false;
    }
    std::memcpy(buf, image_.data() + (addr - base), len);
    return true;
  }
  mutable int reads_ = 0;

 private:
  std::uint64_t first_;
  std::string image_;
};

TEST(MemoryReader, ReadsAStringUpToItsNul) {
  RangeMemory mem(0x1000, std::string("hello\0world", 11));
  EXPECT_EQ(mem.read_string(0x1000), "hello");
  EXPECT_EQ(mem.read_string(0x1006), "world");
}

TEST(MemoryReader, StopsAStringAtTheEndOfTheReadableMemory) {
  // Four bytes at the very end of a page, the next page unmapped.
  RangeMemory mem(3 * kPage - 4, "abcd");
  EXPECT_EQ(mem.read_string(3 * kPage - 4), "abcd");
}

TEST(MemoryReader, BoundsAStringByItsMaximum) {
  RangeMemory mem(0x1000, std::string(100, 'x'));
  EXPECT_EQ(mem.read_string(0x1000, 10), std::string(10, 'x'));
}

TEST(MemoryReader, FailsAStringWhoseFirstByteIsUnreadable) {
  RangeMemory mem(0x1000, "abc");
  EXPECT_EQ(mem.read_string(0x9000), std::nullopt);
  EXPECT_EQ(mem.read_string(0), std::nullopt);
  EXPECT_EQ(mem.read_string(0x1000, 0), std::nullopt);
}

TEST(MemoryReader, ReadsNoPageTwice) {
  RangeMemory mem(kPage, std::string(2 * kPage, 'y') + '\0');
  ASSERT_EQ(mem.read_string(kPage + 10)->size(), 4096u);
  EXPECT_LE(mem.reads_, 3);
}

TEST(MemoryReader, ReadsAValue) {
  const std::uint32_t v = 0xcafef00d;
  // The value fills the last four bytes of its page.
  RangeMemory mem(kPage - 4, std::string(reinterpret_cast<const char*>(&v), sizeof v));
  EXPECT_EQ(mem.read_value<std::uint32_t>(kPage - 4), 0xcafef00du);
  EXPECT_EQ(mem.read_value<std::uint64_t>(kPage - 4), std::nullopt);
  EXPECT_EQ(mem.read_value<std::uint32_t>(kPage - 2), std::nullopt);
}

TEST(ProcessMemory, ReadsThisProcessesOwnMemory) {
  static const char text[] = "capmin reads its own memory";
  ProcessMemory mem(getpid());
  EXPECT_EQ(mem.read_string(reinterpret_cast<std::uint64_t>(text)), text);
  EXPECT_EQ(mem.read_string(8), std::nullopt);  // page zero is never mapped
  char out[4];
  EXPECT_FALSE(mem.read(8, out, sizeof out));
  EXPECT_TRUE(mem.read(reinterpret_cast<std::uint64_t>(text), out, 0));
}

}  // namespace
}  // namespace capmin::tracer
