// SPDX-License-Identifier: MIT
#include "tracer/ptrace/MemoryReader.h"

#include <sys/uio.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace capmin::tracer {

namespace {
constexpr std::uint64_t kPage = 4096;
}  // namespace

std::size_t MemoryReader::read_partial(std::uint64_t addr, void* buf, std::size_t len) const {
  auto* out = static_cast<char*>(buf);
  std::size_t done = 0;
  while (done < len) {
    // Chunks never cross a page boundary, so one bad page stops the read
    // exactly where it starts.
    const std::uint64_t at = addr + done;
    const std::size_t chunk = std::min<std::uint64_t>(len - done, kPage - at % kPage);
    if (!read(at, out + done, chunk)) {
      break;
    }
    done += chunk;
  }
  return done;
}

std::optional<std::string> MemoryReader::read_string(std::uint64_t addr, std::size_t max) const {
  if (addr == 0) {
    return std::nullopt;
  }
  std::vector<char> buf(max);
  const std::size_t got = read_partial(addr, buf.data(), max);
  if (got == 0) {
    return std::nullopt;
  }
  const auto* end = static_cast<const char*>(std::memchr(buf.data(), '\0', got));
  return std::string(buf.data(), end != nullptr ? end - buf.data() : got);
}

bool ProcessMemory::read(std::uint64_t addr, void* buf, std::size_t len) const {
  if (len == 0) {
    return true;
  }
  return read_partial(addr, buf, len) == len;
}

bool ProcessMemory::write(std::uint64_t addr, const void* buf, std::size_t len) const {
  iovec local{const_cast<void*>(buf), len};
  iovec remote{reinterpret_cast<void*>(addr), len};
  return process_vm_writev(tid_, &local, 1, &remote, 1, 0) == static_cast<ssize_t>(len);
}

std::size_t ProcessMemory::read_partial(std::uint64_t addr, void* buf, std::size_t len) const {
  // process_vm_readv stops at the first unreadable page and returns a short
  // count, which is exactly the partial read wanted; iovecs split at page
  // boundaries make that stop precise.
  std::vector<iovec> remote;
  std::uint64_t at = addr;
  std::size_t left = len;
  while (left > 0) {
    const std::size_t chunk = std::min<std::uint64_t>(left, kPage - at % kPage);
    remote.push_back({reinterpret_cast<void*>(at), chunk});
    at += chunk;
    left -= chunk;
  }
  iovec local{buf, len};
  const ssize_t got = process_vm_readv(tid_, &local, 1, remote.data(), remote.size(), 0);
  return got > 0 ? static_cast<std::size_t>(got) : 0;
}

}  // namespace capmin::tracer
