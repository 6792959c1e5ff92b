// SPDX-License-Identifier: MIT
// The argument decoder on arbitrary registers and tracee memory: every
// pointer a traced program passes may be garbage, point into the middle of
// its data, or run off the end of a mapping. The decoded event is summarised
// and matched against the built-in rules, as the tracer and analyzer do with
// each refusal.
//
// Input: 2 bytes choose the system call (0..460), 1 byte the errno, then six
// registers of 9 bytes each: a selector and a value. The selector makes the
// value a raw number, a pointer into the memory at kHead, a pointer into the
// memory at kTail (which ends at an unmapped page), or a sign-extended int.
// The remaining bytes are the tracee's memory, mapped at both places.
#include <cerrno>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <vector>

#include "analyzer/RuleTable.h"
#include "events/SyscallEvent.h"
#include "events/SyscallNames.h"
#include "tracer/decode/ArgDecoder.h"
#include "tracer/ptrace/MemoryReader.h"

namespace {

constexpr std::uint64_t kPage = 4096;
constexpr std::uint64_t kHead = 0x10000;     // the memory starts on a page boundary
constexpr std::uint64_t kTail = 0x7ff00000;  // ... and ends on one: the next page is unmapped
constexpr int kMaxSyscall = 460;

std::uint64_t page_up(std::uint64_t n) { return (n + kPage - 1) / kPage * kPage; }

// A tracee's memory: the fuzzer's bytes, in whole pages (zero-filled around
// them) at two addresses; every other address is unmapped.
class FuzzMemory final : public capmin::tracer::MemoryReader {
 public:
  explicit FuzzMemory(const std::vector<std::uint8_t>& bytes) {
    const std::uint64_t span = page_up(bytes.size());
    Region head{kHead, std::vector<std::uint8_t>(span)};
    std::copy(bytes.begin(), bytes.end(), head.bytes.begin());
    Region tail{kTail - span, std::vector<std::uint8_t>(span)};
    std::copy(bytes.begin(), bytes.end(), tail.bytes.end() - bytes.size());
    regions_ = {std::move(head), std::move(tail)};
  }

  bool read(std::uint64_t addr, void* buf, std::size_t len) const override {
    if (len == 0) {
      return true;
    }
    for (const Region& r : regions_) {
      if (addr >= r.base && addr - r.base < r.bytes.size() &&
          len <= r.bytes.size() - (addr - r.base)) {
        std::memcpy(buf, r.bytes.data() + (addr - r.base), len);
        return true;
      }
    }
    return false;
  }

 private:
  struct Region {
    std::uint64_t base;
    std::vector<std::uint8_t> bytes;
  };
  std::vector<Region> regions_;
};

// Reads the input front to back; past its end, zeros.
class Input {
 public:
  Input(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  std::uint64_t take(std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) {
      v |= static_cast<std::uint64_t>(at_ < size_ ? data_[at_] : 0) << (8 * i);
      ++at_;
    }
    return v;
  }
  std::vector<std::uint8_t> rest() const {
    return at_ < size_ ? std::vector<std::uint8_t>(data_ + at_, data_ + size_)
                       : std::vector<std::uint8_t>();
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t at_ = 0;
};

const capmin::analyzer::RuleTable& builtin_rules() {
  static const capmin::analyzer::RuleTable table = [] {
    capmin::analyzer::RuleTable t;
    t.load_file(CAPMIN_RULES_FILE);
    return t;
  }();
  return table;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Input in(data, size);
  const int nr = static_cast<int>(in.take(2) % (kMaxSyscall + 1));
  static constexpr int kErrnos[] = {EPERM, EACCES, EROFS, EINVAL};
  const int err = kErrnos[in.take(1) % std::size(kErrnos)];
  std::uint64_t selectors[6];
  std::uint64_t values[6];
  for (int i = 0; i < 6; ++i) {
    selectors[i] = in.take(1);
    values[i] = in.take(8);
  }
  const std::vector<std::uint8_t> bytes = in.rest();
  const std::uint64_t span = bytes.empty() ? 1 : bytes.size();

  std::array<std::uint64_t, 6> regs{};
  for (int i = 0; i < 6; ++i) {
    switch (selectors[i] % 4) {
      case 0:
        regs[i] = values[i];
        break;
      case 1:
        regs[i] = kHead + values[i] % span;
        break;
      case 2:
        regs[i] = kTail - 1 - values[i] % span;
        break;
      default:
        regs[i] = static_cast<std::uint64_t>(
            static_cast<std::int64_t>(static_cast<std::int32_t>(values[i])));
        break;
    }
  }

  FuzzMemory mem(bytes);
  capmin::events::SyscallEvent e;
  e.pid = e.tid = 4242;
  e.nr = nr;
  e.syscall = capmin::events::syscall_name(nr);
  e.err = err;
  e.args = capmin::tracer::ArgDecoder(mem, nullptr, e.tid).decode(nr, regs);
  (void)e.args_summary();
  if (const auto* rule = builtin_rules().match(e)) {
    (void)rule->candidates_for(e);
  }
  return 0;
}
