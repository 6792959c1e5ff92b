// SPDX-License-Identifier: MIT
#include "events/SyscallSchema.h"

#include <string>
#include <unordered_map>

namespace capmin::events {

namespace {
using K = ArgKind;
}  // namespace

const std::vector<CallSchema>& call_schemas() {
  static const std::vector<CallSchema> t = {
      // Files and paths.
      {"open", {{K::Path, "path"}, {K::OpenFlags, "flags"}, {K::Mode, "mode"}}},
      {"openat",
       {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::OpenFlags, "flags"}, {K::Mode, "mode"}}},
      {"openat2", {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::OpenHow, "how"}}},
      {"creat", {{K::Path, "path"}, {K::Mode, "mode"}, {K::CreatFlags, "flags"}}},
      {"execve", {{K::ExecPath, "path"}, {K::NoAtFlags, "flags"}}},
      {"execveat",
       {{K::DirFd, "dirfd"},
        {K::ExecPath, "path"},
        {K::Skip, ""},
        {K::Skip, ""},
        {K::AtFlags, "flags"}}},
      {"uselib", {{K::Path, "path"}}},
      {"access", {{K::Path, "path"}, {K::AccessMode, "amode"}}},
      {"faccessat", {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::AccessMode, "amode"}}},
      {"faccessat2",
       {{K::DirFd, "dirfd"},
        {K::Path, "path"},
        {K::AccessMode, "amode"},
        {K::AccessAtFlags, "flags"}}},
      {"stat", {{K::Path, "path"}}},
      {"lstat", {{K::Path, "path"}}},
      {"newfstatat",
       {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::Skip, ""}, {K::AtFlags, "flags"}}},
      {"statx", {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::AtFlags, "flags"}}},
      {"statfs", {{K::Path, "path"}}},
      {"readlink", {{K::Path, "path"}}},
      {"readlinkat", {{K::DirFd, "dirfd"}, {K::Path, "path"}}},
      {"chdir", {{K::Path, "path"}}},
      {"fchdir", {{K::FileFd, "fd"}}},
      {"chroot", {{K::Path, "path"}}},
      {"mkdir", {{K::Path, "path"}, {K::Mode, "mode"}}},
      {"mkdirat", {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::Mode, "mode"}}},
      {"mknod", {{K::Path, "path"}, {K::MknodMode, "mode"}, {K::Dev, "dev"}}},
      {"mknodat",
       {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::MknodMode, "mode"}, {K::Dev, "dev"}}},
      {"rmdir", {{K::Path, "path"}}},
      {"unlink", {{K::Path, "path"}}},
      {"unlinkat", {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::AtFlags, "flags"}}},
      {"rename", {{K::Path, "path"}, {K::String, "path2"}}},
      {"renameat",
       {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::Int, "dirfd2"}, {K::String, "path2"}}},
      {"renameat2",
       {{K::DirFd, "dirfd"},
        {K::Path, "path"},
        {K::Int, "dirfd2"},
        {K::String, "path2"},
        {K::Hex, "flags"}}},
      {"link", {{K::Path, "path"}, {K::String, "path2"}, {K::NoAtFlags, "flags"}}},
      {"linkat",
       {{K::DirFd, "dirfd"},
        {K::Path, "path"},
        {K::Int, "dirfd2"},
        {K::String, "path2"},
        {K::AtFlags, "flags"}}},
      {"symlink", {{K::String, "target"}, {K::Path, "path"}}},
      {"symlinkat", {{K::String, "target"}, {K::DirFd, "dirfd"}, {K::Path, "path"}}},
      {"chmod", {{K::Path, "path"}, {K::Mode, "mode"}}},
      {"fchmod", {{K::FileFd, "fd"}, {K::Mode, "mode"}}},
      {"fchmodat", {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::Mode, "mode"}}},
      {"fchmodat2",
       {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::Mode, "mode"}, {K::AtFlags, "flags"}}},
      {"chown", {{K::Path, "path"}, {K::Uid, "uid"}, {K::Gid, "gid"}}},
      {"lchown", {{K::Path, "path"}, {K::Uid, "uid"}, {K::Gid, "gid"}}},
      {"fchown", {{K::FileFd, "fd"}, {K::Uid, "uid"}, {K::Gid, "gid"}}},
      {"fchownat",
       {{K::DirFd, "dirfd"},
        {K::Path, "path"},
        {K::Uid, "uid"},
        {K::Gid, "gid"},
        {K::AtFlags, "flags"}}},
      {"truncate", {{K::Path, "path"}, {K::Uint, "length"}}},
      {"ftruncate", {{K::FileFd, "fd"}, {K::Uint, "length"}}},
      // Writes: refused by the file's own handler (a sysctl, oom_score_adj),
      // after an open that succeeded; seen on the descriptors the
      // WriteTimeFiles watcher keeps apart.
      {"write", {{K::FileFd, "fd"}}},
      {"pwrite64", {{K::FileFd, "fd"}}},
      {"writev", {{K::FileFd, "fd"}}},
      {"utime", {{K::Path, "path"}, {K::Times, "times"}}},
      {"utimes", {{K::Path, "path"}, {K::Times, "times"}}},
      {"futimesat", {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::Times, "times"}}},
      {"utimensat",
       {{K::DirFd, "dirfd"}, {K::Path, "path"}, {K::Times, "times"}, {K::AtFlags, "flags"}}},
      {"setxattr", {{K::Path, "path"}, {K::XattrName, "name"}}},
      {"lsetxattr", {{K::Path, "path"}, {K::XattrName, "name"}}},
      {"fsetxattr", {{K::FileFd, "fd"}, {K::XattrName, "name"}}},
      {"removexattr", {{K::Path, "path"}, {K::XattrName, "name"}}},
      {"lremovexattr", {{K::Path, "path"}, {K::XattrName, "name"}}},
      {"fremovexattr", {{K::FileFd, "fd"}, {K::XattrName, "name"}}},
      {"getxattr", {{K::Path, "path"}, {K::XattrName, "name"}}},
      {"lgetxattr", {{K::Path, "path"}, {K::XattrName, "name"}}},
      {"fgetxattr", {{K::FileFd, "fd"}, {K::XattrName, "name"}}},
      {"listxattr", {{K::Path, "path"}}},
      {"llistxattr", {{K::Path, "path"}}},
      {"inotify_add_watch", {{K::Fd, "fd"}, {K::Path, "path"}, {K::Hex, "mask"}}},
      {"name_to_handle_at", {{K::DirFd, "dirfd"}, {K::Path, "path"}}},
      {"open_by_handle_at", {{K::Fd, "mount_fd"}, {K::Skip, ""}, {K::OpenFlags, "flags"}}},
      {"acct", {{K::Path, "path"}}},
      {"swapon", {{K::Path, "path"}, {K::Hex, "flags"}}},
      {"swapoff", {{K::Path, "path"}}},
      {"quotactl", {{K::Hex, "cmd"}, {K::String, "special"}, {K::Int, "id"}}},
      {"fanotify_init", {{K::Hex, "flags"}, {K::OpenFlags, "event_f_flags"}}},
      {"fanotify_mark",
       {{K::Fd, "fd"},
        {K::Hex, "flags"},
        {K::Hex, "mask"},
        {K::DirFd, "dirfd"},
        {K::Path, "path"}}},
      // Mounts and namespaces.
      {"mount",
       {{K::String, "source"},
        {K::String, "target"},
        {K::String, "fstype"},
        {K::MountFlags, "flags"}}},
      {"umount2", {{K::String, "target"}, {K::UmountFlags, "flags"}}},
      {"pivot_root", {{K::String, "new_root"}, {K::String, "put_old"}}},
      {"fsopen", {{K::String, "fstype"}, {K::Hex, "flags"}}},
      {"fspick", {{K::DirFd, "dirfd"}, {K::String, "path"}, {K::Hex, "flags"}}},
      {"fsmount", {{K::Fd, "fd"}, {K::Hex, "flags"}}},
      {"fsconfig", {{K::Fd, "fd"}, {K::Int, "cmd"}}},
      {"move_mount", {{K::DirFd, "from_dirfd"}, {K::String, "from_path"}}},
      {"open_tree", {{K::DirFd, "dirfd"}, {K::String, "path"}, {K::Hex, "flags"}}},
      {"mount_setattr", {{K::DirFd, "dirfd"}, {K::String, "path"}}},
      {"unshare", {{K::NsFlags, "flags"}}},
      {"clone", {{K::CloneFlags, "flags"}}},
      {"clone3", {{K::Clone3, "flags"}}},
      {"setns", {{K::FileFd, "fd"}, {K::NsFlags, "nstype"}}},
      // Credentials and capabilities.
      {"setuid", {{K::Uid, "uid"}}},
      {"setgid", {{K::Gid, "gid"}}},
      {"setfsuid", {{K::Uid, "uid"}}},
      {"setfsgid", {{K::Gid, "gid"}}},
      {"setreuid", {{K::Uid, "ruid"}, {K::Uid, "euid"}}},
      {"setregid", {{K::Gid, "rgid"}, {K::Gid, "egid"}}},
      {"setresuid", {{K::Uid, "ruid"}, {K::Uid, "euid"}, {K::Uid, "suid"}}},
      {"setresgid", {{K::Gid, "rgid"}, {K::Gid, "egid"}, {K::Gid, "sgid"}}},
      {"setgroups", {{K::GroupList, "groups"}}},
      {"capset", {{K::Capset, "caps"}}},
      {"prctl", {{K::PrctlOption, "option"}, {K::PrctlArg2, "arg2"}}},
      // Signals.
      {"kill", {{K::TargetPid, "pid"}, {K::Signal, "sig"}}},
      {"tkill", {{K::TargetPid, "tid"}, {K::Signal, "sig"}}},
      {"tgkill", {{K::Int, "tgid"}, {K::TargetPid, "tid"}, {K::Signal, "sig"}}},
      {"rt_sigqueueinfo", {{K::TargetPid, "pid"}, {K::Signal, "sig"}}},
      {"rt_tgsigqueueinfo", {{K::Int, "tgid"}, {K::TargetPid, "tid"}, {K::Signal, "sig"}}},
      {"pidfd_send_signal", {{K::Fd, "pidfd"}, {K::Signal, "sig"}}},
      // Sockets.
      {"socket", {{K::Domain, "domain"}, {K::SockType, "type"}, {K::SockProto, "protocol"}}},
      {"socketpair", {{K::Domain, "domain"}, {K::SockType, "type"}, {K::SockProto, "protocol"}}},
      {"bind", {{K::Fd, "fd"}, {K::SockAddr, "addr"}}},
      {"connect", {{K::Fd, "fd"}, {K::SockAddr, "addr"}}},
      {"sendto",
       {{K::Fd, "fd"}, {K::Skip, ""}, {K::Uint, "len"}, {K::Hex, "flags"}, {K::SockAddr, "addr"}}},
      {"sendmsg", {{K::Fd, "fd"}, {K::MsgHdr, "addr"}, {K::Hex, "flags"}}},
      // Reads that carry netlink replies: the tracer adds the protocol and
      // the refused request.
      {"read", {{K::Fd, "fd"}}},
      {"recvfrom", {{K::Fd, "fd"}}},
      {"recvmsg", {{K::Fd, "fd"}}},
      {"setsockopt",
       {{K::Fd, "fd"}, {K::SockLevel, "level"}, {K::SockOpt, "option"}, {K::OptVal, "value"}}},
      {"getsockopt", {{K::Fd, "fd"}, {K::SockLevel, "level"}, {K::SockOpt, "option"}}},
      {"ioctl", {{K::FileFd, "fd"}, {K::IoctlReq, "request"}, {K::Hex, "arg"}}},
      // Processes, tracing, scheduling.
      {"ptrace", {{K::PtraceReq, "request"}, {K::TargetPid, "pid"}}},
      {"process_vm_readv", {{K::TargetPid, "pid"}}},
      {"process_vm_writev", {{K::TargetPid, "pid"}}},
      {"kcmp", {{K::TargetPid, "pid"}, {K::Int, "pid2"}, {K::Int, "type"}}},
      {"pidfd_open", {{K::TargetPid, "pid"}}},
      {"pidfd_getfd", {{K::Fd, "pidfd"}, {K::Int, "targetfd"}}},
      {"get_robust_list", {{K::TargetPid, "pid"}}},
      {"move_pages", {{K::TargetPid, "pid"}}},
      {"migrate_pages", {{K::TargetPid, "pid"}}},
      {"process_madvise", {{K::Fd, "pidfd"}}},
      {"perf_event_open", {{K::Skip, ""}, {K::Int, "pid"}, {K::Int, "cpu"}}},
      {"bpf", {{K::BpfCmd, "cmd"}, {K::BpfAttr, "type"}}},
      {"setpriority", {{K::PrioWhich, "which"}, {K::Int, "who"}, {K::Int, "prio"}}},
      {"sched_setscheduler",
       {{K::Int, "pid"}, {K::SchedPolicy, "policy"}, {K::SchedParam, "priority"}}},
      {"sched_setparam", {{K::Int, "pid"}, {K::SchedParam, "priority"}}},
      {"sched_setattr", {{K::Int, "pid"}, {K::SchedAttr, "policy"}}},
      {"sched_setaffinity", {{K::Int, "pid"}}},
      {"ioprio_set", {{K::Int, "which"}, {K::Int, "who"}, {K::IoprioClass, "class"}}},
      {"mbind",
       {{K::Hex, "addr"},
        {K::Uint, "len"},
        {K::Int, "mode"},
        {K::Skip, ""},
        {K::Skip, ""},
        {K::Hex, "flags"}}},
      {"set_mempolicy", {{K::Int, "mode"}}},
      // Resources and memory.
      {"setrlimit", {{K::Rlimit, "resource"}, {K::RlimitVal, "limit"}}},
      {"prlimit64", {{K::TargetPid, "pid"}, {K::Rlimit, "resource"}, {K::RlimitVal, "limit"}}},
      {"mlock", {{K::Hex, "addr"}, {K::Uint, "len"}}},
      {"mlock2", {{K::Hex, "addr"}, {K::Uint, "len"}, {K::Hex, "flags"}}},
      {"mlockall", {{K::MlockallFlags, "flags"}}},
      {"mmap",
       {{K::Hex, "addr"},
        {K::Uint, "len"},
        {K::Hex, "prot"},
        {K::MmapFlags, "flags"},
        {K::Int, "fd"}}},
      {"mremap", {{K::Hex, "addr"}, {K::Uint, "old_len"}, {K::Uint, "new_len"}, {K::Hex, "flags"}}},
      {"fcntl", {{K::Fd, "fd"}, {K::FcntlCmd, "cmd"}, {K::Int, "arg"}}},
      {"shmget", {{K::Hex, "key"}, {K::Uint, "size"}, {K::Hex, "flags"}}},
      {"shmctl", {{K::Int, "id"}, {K::IpcCmd, "cmd"}}},
      {"shmat", {{K::Int, "id"}, {K::Hex, "addr"}, {K::Hex, "flags"}}},
      {"msgget", {{K::Hex, "key"}, {K::Hex, "flags"}}},
      {"msgctl", {{K::Int, "id"}, {K::IpcCmd, "cmd"}}},
      {"msgsnd", {{K::Int, "id"}}},
      {"msgrcv", {{K::Int, "id"}}},
      {"semget", {{K::Hex, "key"}, {K::Int, "nsems"}, {K::Hex, "flags"}}},
      {"semctl", {{K::Int, "id"}, {K::Int, "num"}, {K::IpcCmd, "cmd"}}},
      {"semop", {{K::Int, "id"}}},
      {"semtimedop", {{K::Int, "id"}}},
      {"mq_open", {{K::String, "name"}, {K::OpenFlags, "flags"}, {K::Mode, "mode"}}},
      // Time.
      {"settimeofday", {}},
      {"clock_settime", {{K::Clock, "clock"}}},
      {"adjtimex", {{K::TimexModes, "modes"}}},
      {"clock_adjtime", {{K::Clock, "clock"}, {K::TimexModes, "modes"}}},
      {"timerfd_create", {{K::Clock, "clock"}, {K::Hex, "flags"}}},
      {"timer_create", {{K::Clock, "clock"}}},
      {"clock_nanosleep", {{K::Clock, "clock"}}},
      // The system.
      {"sethostname", {{K::StringLen, "name"}}},
      {"setdomainname", {{K::StringLen, "name"}}},
      {"reboot", {{K::Hex, "magic"}, {K::Hex, "magic2"}, {K::RebootCmd, "cmd"}}},
      {"init_module", {{K::Skip, ""}, {K::Uint, "len"}, {K::String, "params"}}},
      {"finit_module", {{K::FileFd, "fd"}, {K::String, "params"}, {K::Hex, "flags"}}},
      {"delete_module", {{K::String, "name"}, {K::Hex, "flags"}}},
      {"kexec_load", {{K::Hex, "entry"}}},
      {"kexec_file_load", {{K::Fd, "kernel_fd"}}},
      {"syslog", {{K::SyslogAction, "action"}}},
      {"iopl", {{K::Int, "level"}}},
      {"ioperm", {{K::Hex, "from"}, {K::Uint, "num"}, {K::Int, "on"}}},
      {"keyctl", {{K::Int, "op"}}},
      {"userfaultfd", {{K::Hex, "flags"}}},
      {"io_uring_setup", {{K::Uint, "entries"}}},
      {"vhangup", {}},
  };
  return t;
}

const CallSchema* call_schema(std::string_view syscall) {
  static const std::unordered_map<std::string_view, const CallSchema*> by_name = [] {
    std::unordered_map<std::string_view, const CallSchema*> m;
    for (const CallSchema& c : call_schemas()) {
      m.emplace(c.syscall, &c);
    }
    return m;
  }();
  auto it = by_name.find(syscall);
  return it == by_name.end() ? nullptr : it->second;
}

std::vector<std::string> fields_of(const ArgSpec& arg) {
  const std::string n = arg.name;
  auto with = [&](std::vector<std::string> more) {
    more.insert(more.begin(), n);
    return more;
  };
  auto file_facts = [](const std::string& prefix) {
    return std::vector<std::string>{prefix + ".exists", prefix + ".uid", prefix + ".gid",
                                    prefix + ".mode", prefix + ".type"};
  };
  switch (arg.kind) {
    case K::Skip:
      return {};
    case K::FileFd: {
      std::vector<std::string> out = with(file_facts("file"));
      out.push_back("file.path");
      return out;
    }
    case K::Path:
    case K::ExecPath: {
      std::vector<std::string> out = with(file_facts("file"));
      for (std::string& p : file_facts("parent")) {
        out.push_back(std::move(p));
      }
      if (arg.kind == K::ExecPath) {
        out.push_back("file.caps");
        out.push_back("file.permitted");
      }
      return out;
    }
    case K::TargetPid:
      return with({"target.uid", "target.same_uid"});
    case K::SockType:
      return with({"type_flags"});
    case K::SockAddr:
    case K::MsgHdr:
      // tracer/decode/SockaddrText: the display form takes the argument's name.
      return with({n + ".family", n + ".ip", n + ".port", n + ".path", n + ".groups"});
    case K::OpenHow:
      return {n, "flags", "mode"};
    case K::MknodMode:
      return with({"type"});
    case K::PrctlArg2:
      return with({"cap"});
    case K::Capset:
      return with({"pid", "effective", "permitted", "inheritable"});
    case K::Clone3:
      return with({"set_tid_size"});
    case K::SchedAttr:
      return with({"nice", "priority"});
    case K::BpfAttr:
      return {"map_type", "prog_type"};
    default:
      return {n};
  }
}

std::vector<std::string> event_fields(std::string_view syscall) {
  const CallSchema* call = call_schema(syscall);
  if (call == nullptr) {
    return {"arg0", "arg1", "arg2", "arg3", "arg4", "arg5"};
  }
  std::vector<std::string> out = {"caller.uid", "caller.euid", "caller.fsuid", "caller.fsgid"};
  for (const ArgSpec& a : call->args) {
    for (std::string& f : fields_of(a)) {
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace capmin::events
