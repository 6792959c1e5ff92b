// SPDX-License-Identifier: MIT
#include "tracer/watchers/CredentialChanges.h"

namespace capmin::tracer {

std::vector<Interest> CredentialChanges::interests() const {
  // kernel/sys.c: the calls that commit new uids or gids for the calling
  // thread (capset and prctl change capabilities, which are not kept).
  std::vector<Interest> out;
  for (const char* call : {"setuid", "setgid", "setreuid", "setregid", "setresuid", "setresgid",
                           "setfsuid", "setfsgid"}) {
    out.push_back({call, Interest::At::Success, {}, {}, false});
  }
  return out;
}

void CredentialChanges::on_exit(pid_t tid, const Call& call, long result) {
  (void)call;
  (void)result;
  engine_.credentials_changed(tid);
}

}  // namespace capmin::tracer
