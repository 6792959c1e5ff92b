// SPDX-License-Identifier: MIT
#pragma once

#include <string>

#include "tracer/watchers/Watcher.h"

namespace capmin::tracer {

// Kernel addresses a file shows as zeros, without an error: /proc/kallsyms,
// /proc/modules and /sys/module/*/sections/* decide at open, from the
// opener's credentials, whether to show them (kernel/kallsyms.c:
// kallsyms_show_value()). With kptr_restrict 1, or 0 while
// perf_event_paranoid is above 1 (Debian's default is 2 or 3), only an
// opener holding CAP_SYSLOG sees them; with kptr_restrict 2, nobody does.
// The host's two sysctls are read once (neither is per namespace); a
// successful open of such a file by a thread without CAP_SYSLOG effective
// is reported (`delivery: values_hidden`). It cannot be retried: what the
// open shows was fixed when it was made.
class HiddenKernelAddresses final : public Watcher {
 public:
  explicit HiddenKernelAddresses(EngineServices& engine);
  std::vector<Interest> interests() const override;
  void on_exit(pid_t tid, const Call& call, long result) override;

  // Whether the file at `path` (as /proc/TID/fd names it) shows kernel
  // addresses only to an opener with CAP_SYSLOG.
  static bool shows_addresses(const std::string& path);
  // Whether, with these sysctl values, CAP_SYSLOG makes them show.
  static bool syslog_reveals(int kptr_restrict, int perf_event_paranoid);

 private:
  bool hidden_ = false;  // on this host, without CAP_SYSLOG
};

}  // namespace capmin::tracer
