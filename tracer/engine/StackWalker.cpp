// SPDX-License-Identifier: MIT
#include "tracer/engine/StackWalker.h"

#include <libunwind-ptrace.h>

#include <cinttypes>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "tracer/ptrace/ProcessInspector.h"

namespace capmin::tracer {

namespace {

// One line of /proc/PID/maps that holds `ip`: the file and the offset of
// `ip` in it, for frames without a symbol.
std::string module_offset(pid_t tid, std::uint64_t ip) {
  std::ifstream maps("/proc/" + std::to_string(tid) + "/maps");
  std::string line;
  while (std::getline(maps, line)) {
    std::uint64_t start = 0;
    std::uint64_t end = 0;
    std::uint64_t offset = 0;
    char perms[8] = {};
    if (std::sscanf(line.c_str(), "%" SCNx64 "-%" SCNx64 " %7s %" SCNx64, &start, &end, perms,
                    &offset) != 4 ||
        ip < start || ip >= end) {
      continue;
    }
    const auto slash = line.find('/');
    const std::string file = slash == std::string::npos
                                 ? "?"
                                 : ProcInspector::as_the_task_names_it(tid, line.substr(slash));
    char buf[64];
    std::snprintf(buf, sizeof buf, "+0x%" PRIx64, ip - start + offset);
    return file + buf;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, ip);
  return buf;
}

std::string basename_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

StackWalker::StackWalker() {
  auto as = unw_create_addr_space(&_UPT_accessors, 0);
  unw_set_caching_policy(as, UNW_CACHE_GLOBAL);
  address_space_ = as;
}

StackWalker::~StackWalker() {
  unw_destroy_addr_space(static_cast<unw_addr_space_t>(address_space_));
}

void StackWalker::forget_maps() {
  unw_flush_cache(static_cast<unw_addr_space_t>(address_space_), 0, 0);
  last_tid_ = 0;
}

std::vector<std::string> StackWalker::walk(pid_t tid) {
  std::vector<std::string> frames;
  if (tid != last_tid_) {
    forget_maps();
    last_tid_ = tid;
  }
  void* upt = _UPT_create(tid);
  if (upt == nullptr) {
    return frames;
  }
  unw_cursor_t cursor;
  if (unw_init_remote(&cursor, static_cast<unw_addr_space_t>(address_space_), upt) == 0) {
    do {
      unw_word_t ip = 0;
      if (unw_get_reg(&cursor, UNW_REG_IP, &ip) != 0 || ip == 0) {
        break;
      }
      const std::string where = module_offset(tid, ip);
      char name[256];
      unw_word_t off = 0;
      if (unw_get_proc_name(&cursor, name, sizeof name, &off) == 0) {
        std::ostringstream f;
        f << name << "+0x" << std::hex << off << " ("
          << basename_of(where.substr(0, where.find('+'))) << ')';
        frames.push_back(f.str());
      } else {
        frames.push_back(where);
      }
    } while (frames.size() < kMaxFrames && unw_step(&cursor) > 0);
  }
  _UPT_destroy(upt);
  return frames;
}

}  // namespace capmin::tracer
