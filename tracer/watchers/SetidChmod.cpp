// SPDX-License-Identifier: MIT
#include "tracer/watchers/SetidChmod.h"

#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>

#include "events/SyscallSchema.h"
#include "tracer/decode/ArgDecoder.h"
#include "tracer/ptrace/ProcessInspector.h"

namespace capmin::tracer {

namespace {

std::optional<std::int64_t> value_of(const events::SyscallEvent& ev, const char* field) {
  const events::Arg* a = ev.find(field);
  return a != nullptr ? a->value : std::nullopt;
}

}  // namespace

std::vector<Interest> SetidChmod::interests() const {
  std::vector<Interest> out;
  for (const char* call : {"chmod", "fchmod", "fchmodat", "fchmodat2"}) {
    out.push_back({call,
                   Interest::At::Success,
                   {{"mode", FieldCondition::Kind::AnyFlag, {std::to_string(S_ISGID)}}},
                   {},
                   false});
  }
  return out;
}

void SetidChmod::on_exit(pid_t tid, const Call& call, long result) {
  (void)result;
  // The file as the call left it: the event's file.* facts, looked up
  // through the path or, for fchmod, the descriptor.
  events::SyscallEvent ev = engine_.make_event(tid, call, 0);
  const auto mode = value_of(ev, "file.mode");
  const auto gid = value_of(ev, "file.gid");
  const auto fsgid = value_of(ev, "caller.fsgid");
  if (!mode || !gid || !fsgid || (*mode & S_ISGID) != 0) {
    return;  // kept (or the file is gone, or the caller: nothing to say)
  }
  const ProcessInspector& proc = engine_.inspector();
  const auto groups = proc.groups(tid);
  if (!groups) {
    return;
  }
  const bool member = *fsgid == *gid || std::find(groups->begin(), groups->end(),
                                                  static_cast<gid_t>(*gid)) != groups->end();
  ev.args.push_back({events::kSetidDroppedFields[0], member ? "yes" : "no", member ? 1 : 0});
  ev.args.push_back({events::kSetidDroppedFields[1], "S_ISGID", S_ISGID});
  // Where the file is, to look at it again after a retry.
  const events::Arg* path = ev.find("path");
  const auto fd = value_of(ev, "fd");
  const auto dirfd = value_of(ev, "dirfd");
  const int at = fd ? static_cast<int>(*fd) : dirfd ? static_cast<int>(*dirfd) : AT_FDCWD;
  const std::string where = path != nullptr ? path->text : "";
  if (path != nullptr && where == ArgDecoder::kUnreadable) {
    return;
  }
  const Retry retry{.allowed = true,
                    .cure =
                        [&proc, tid, at, where](long retried) {
                          auto after = proc.stat_path(tid, at, where, /*follow=*/true);
                          return retried >= 0 && after && (after->mode & S_ISGID) != 0;
                        },
                    .why_not = {}};
  engine_.report(tid, std::move(ev), retry);
}

}  // namespace capmin::tracer
