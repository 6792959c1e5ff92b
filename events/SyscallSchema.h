// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace capmin::events {

// How one register of a system call is read. One table of calls (below)
// says which kind each argument is; the tracer's decoder turns a kind into
// named arguments, its seccomp filter into register tests, and the rule
// loader into the fields a rule may name. Kinds that need a neighbouring
// register (a length, the socket level before an option) read it themselves.
enum class ArgKind {
  Skip,
  Int,
  Uint,
  Hex,
  Fd,      // a descriptor that is not the call's object (a socket, a pidfd)
  FileFd,  // the call's object by descriptor: also looked up as file.*
  DirFd,
  Path,       // the call's object: also looked up as file.* / parent.*
  ExecPath,   // Path, plus the file's capabilities (file.caps)
  String,     // a string that is not a path of the caller (mount source, fstype)
  StringLen,  // a string whose length is the next register (sethostname)
  OpenFlags,
  CreatFlags,  // creat(2): the flags it implies, taken from no register
  NoAtFlags,   // execve(2), link(2): the flags of the *at call they are, 0 (no register)
  OpenHow,     // openat2(2): struct open_how
  Mode,        // permission bits, octal
  MknodMode,   // file type and permission bits, plus "type"
  Dev,
  AtFlags,
  AccessAtFlags,  // faccessat2's flags (AT_EACCESS shares AT_REMOVEDIR's bit)
  AccessMode,
  Uid,
  Gid,
  GroupList,  // setgroups(size, list)
  TargetPid,  // a pid (or tid) another task is named by: looked up as target.*
  Signal,
  Domain,
  SockType,
  SockProto,  // depends on the domain in register 0
  SockAddr,   // pointer, and its length in the next register
  MsgHdr,     // sendmsg(2): the destination address inside struct msghdr
  SockLevel,
  SockOpt,  // depends on the level in the previous register
  OptVal,   // an int option value when optlen (next register) is 4
  IoctlReq,
  CloneFlags,  // clone(2): the exit signal in the low byte removed
  NsFlags,     // unshare(2), setns(2): CLONE_NEW* only (0x80 is CLONE_NEWTIME)
  Clone3,      // struct clone_args
  MountFlags,
  UmountFlags,
  PrctlOption,
  PrctlArg2,  // depends on the option in register 0
  Capset,     // capset(hdr, data): the requested sets, by name
  Clock,
  TimexModes,  // struct timex: modes
  SchedPolicy,
  SchedParam,  // struct sched_param: priority
  SchedAttr,   // struct sched_attr: policy, nice, priority
  PrioWhich,
  IoprioClass,
  Rlimit,
  RlimitVal,  // struct rlimit: soft/hard
  MmapFlags,
  MlockallFlags,
  PtraceReq,
  FcntlCmd,
  IpcCmd,
  SyslogAction,
  RebootCmd,
  BpfCmd,
  BpfAttr,  // bpf(cmd, attr): the map or program type for the commands that have one
  Times,    // utimensat/utimes: NULL (now) or explicit
  XattrName,
};

struct ArgSpec {
  ArgKind kind;
  const char* name;
};

// The argument layout of one system call some rule or watcher can want,
// register by register (x86_64 names; 32-bit calls are decoded through the
// x86_64 call of the same layout).
struct CallSchema {
  const char* syscall;
  std::vector<ArgSpec> args;
};

const std::vector<CallSchema>& call_schemas();
// nullptr for a call the table does not describe: its event carries only
// its raw registers, arg0 ... arg5.
const CallSchema* call_schema(std::string_view syscall);

// The fields an argument of this kind puts in an event ("addr" gives addr,
// addr.family, addr.port...; a Path also file.* and parent.*).
std::vector<std::string> fields_of(const ArgSpec& arg);
// Every field an event of this call can carry: its arguments' fields and
// the caller's ids (caller.*); arg0 ... arg5 for a call the table lacks.
std::vector<std::string> event_fields(std::string_view syscall);

// Fields the tracer adds to the events of refusals that no errno shows:
// a netlink reply's refusal (on the read that brought it) and set-id bits
// a chmod, write, truncation or creation dropped (`dropped_at`: truncate or
// create, for the calls that can do either).
inline constexpr const char* kNetlinkReplyFields[] = {"protocol", "request"};
inline constexpr const char* kSetidDroppedFields[] = {"caller.in_file_group", "dropped",
                                                      "dropped_at"};
// ... and what an open that succeeded shows as zeros (`hidden`:
// kernel_addresses).
inline constexpr const char* kValuesHiddenFields[] = {"hidden"};

}  // namespace capmin::events
