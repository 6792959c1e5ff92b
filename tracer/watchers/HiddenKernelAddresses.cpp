// SPDX-License-Identifier: MIT
#include "tracer/watchers/HiddenKernelAddresses.h"

#include <fcntl.h>
#include <linux/capability.h>

#include <fstream>

#include "events/SyscallSchema.h"
#include "tracer/ptrace/CapSets.h"
#include "tracer/ptrace/ProcessInspector.h"

namespace capmin::tracer {

namespace {

std::optional<int> sysctl(const char* path) {
  std::ifstream in(path);
  int v = 0;
  if (in >> v) {
    return v;
  }
  return std::nullopt;
}

bool starts_with(const std::string& s, const char* prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

HiddenKernelAddresses::HiddenKernelAddresses(EngineServices& engine) : Watcher(engine) {
  const auto kptr = sysctl("/proc/sys/kernel/kptr_restrict");
  // Without perf events, kallsyms_for_perf() is false: as if paranoid.
  const int paranoid = sysctl("/proc/sys/kernel/perf_event_paranoid").value_or(2);
  hidden_ = kptr && syslog_reveals(*kptr, paranoid);
}

bool HiddenKernelAddresses::syslog_reveals(int kptr_restrict, int perf_event_paranoid) {
  return kptr_restrict == 1 || (kptr_restrict == 0 && perf_event_paranoid > 1);
}

bool HiddenKernelAddresses::shows_addresses(const std::string& path) {
  if (path == "/proc/kallsyms" || path == "/proc/modules") {
    return true;
  }
  const char* prefix = "/sys/module/";
  const std::size_t sections = path.find("/sections/");
  return starts_with(path, prefix) && sections != std::string::npos &&
         path.find('/', std::char_traits<char>::length(prefix)) == sections;
}

std::vector<Interest> HiddenKernelAddresses::interests() const {
  if (!hidden_) {
    return {};
  }
  std::vector<Interest> out;
  for (const char* open : {"open", "openat"}) {
    out.push_back({open, Interest::At::Success, {}, {}, false});
  }
  return out;
}

void HiddenKernelAddresses::on_exit(pid_t tid, const Call& call, long result) {
  // Only a read shows the addresses: a write-only open costs no readlink
  // (WriteTimeFiles looks at those), and this runs at every open's exit.
  static const long open = syscall_number(Abi::Native, "open").value_or(-1);
  const std::uint64_t flags = call.native_nr == open ? call.args[1] : call.args[2];
  if (call.abi != Abi::Native || result < 0 || (flags & O_ACCMODE) == O_WRONLY) {
    return;
  }
  const ProcessInspector& proc = engine_.inspector();
  const auto target = proc.fd_target(tid, static_cast<int>(result));
  if (!target || !shows_addresses(*target)) {
    return;
  }
  const auto caps = capget_of(tid);
  if (!caps || (caps->effective & (std::uint64_t{1} << CAP_SYSLOG)) != 0) {
    return;  // it sees them
  }
  events::SyscallEvent ev = engine_.make_event(tid, call, 0);
  ev.args.push_back({events::kValuesHiddenFields[0], "kernel_addresses", std::nullopt});
  engine_.report(tid, std::move(ev),
                 Retry{.allowed = false,
                       .cure = {},
                       .why_not = "not retried: what the file shows was fixed when it was "
                                  "opened, by the opener's capabilities"});
}

}  // namespace capmin::tracer
