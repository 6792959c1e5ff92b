// SPDX-License-Identifier: MIT
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

namespace capmin::tracer {

// Reads a stopped tracee's memory. Every read is bounded and an unreadable
// address is an answer (false / nullopt), never a crash: the pointers come from
// the traced program and may be garbage.
class MemoryReader {
 public:
  virtual ~MemoryReader() = default;
  // Reads exactly `len` bytes at `addr`; false if any of them is unreadable.
  virtual bool read(std::uint64_t addr, void* buf, std::size_t len) const = 0;
  // A NUL-terminated string of at most `max` bytes (truncated, not failed,
  // when longer); nullopt when the first byte cannot be read.
  std::optional<std::string> read_string(std::uint64_t addr, std::size_t max = 4096) const;

  template <typename T>
  std::optional<T> read_value(std::uint64_t addr) const {
    T v;
    if (!read(addr, &v, sizeof v)) {
      return std::nullopt;
    }
    return v;
  }

 protected:
  // Reads up to `len` bytes, stopping early at an unreadable page; returns
  // how many were read. The base implementation calls read() byte-wise in
  // page-bounded chunks; ProcessMemory does it in one system call.
  virtual std::size_t read_partial(std::uint64_t addr, void* buf, std::size_t len) const;
};

// The memory of a live task, through process_vm_readv(2): one system call per
// read, no word-by-word PTRACE_PEEKDATA.
class ProcessMemory final : public MemoryReader {
 public:
  explicit ProcessMemory(pid_t tid) : tid_(tid) {}
  bool read(std::uint64_t addr, void* buf, std::size_t len) const override;
  // process_vm_writev(2); false unless every byte was written.
  bool write(std::uint64_t addr, const void* buf, std::size_t len) const;

 protected:
  std::size_t read_partial(std::uint64_t addr, void* buf, std::size_t len) const override;

 private:
  pid_t tid_;
};

}  // namespace capmin::tracer
