// SPDX-License-Identifier: MIT
#include "tracer/decode/ArgDecoder.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/netlink.h>
#include <linux/openat2.h>
#include <linux/sched.h>
#include <linux/sched/types.h>
#include <sys/capability.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <cstdio>
#include <string>
#include <unordered_map>

#include "events/CapabilityNames.h"
#include "events/SyscallNames.h"
#include "events/SyscallSchema.h"
#include "tracer/decode/FlagNames.h"
#include "tracer/decode/SockaddrText.h"

namespace capmin::tracer {

namespace {

using events::Arg;

constexpr const char* kUnreadable = ArgDecoder::kUnreadable;

using K = events::ArgKind;
using events::ArgSpec;

std::string hex(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0x%llx", static_cast<unsigned long long>(v));
  return buf;
}

std::string octal(std::uint64_t v) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "0%03llo", static_cast<unsigned long long>(v));
  return buf;
}

std::string file_type_name(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return "file";
    case S_IFDIR:
      return "dir";
    case S_IFCHR:
      return "chr";
    case S_IFBLK:
      return "blk";
    case S_IFIFO:
      return "fifo";
    case S_IFSOCK:
      return "sock";
    case S_IFLNK:
      return "link";
    default:
      return "unknown";
  }
}

// The permitted set of a file-capability text ("cap_net_admin,cap_net_raw+ep").
std::uint64_t permitted_in_cap_text(const std::string& text) {
  cap_t caps = cap_from_text(text.c_str());
  if (caps == nullptr) {
    return 0;
  }
  std::uint64_t mask = 0;
  for (int c = 0; c < 64; ++c) {
    cap_flag_value_t v = CAP_CLEAR;
    if (cap_get_flag(caps, static_cast<cap_value_t>(c), CAP_PERMITTED, &v) == 0 && v == CAP_SET) {
      mask |= std::uint64_t{1} << c;
    }
  }
  cap_free(caps);
  return mask;
}

std::string dirname_of(const std::string& path) {
  const auto slash = path.find_last_of('/');
  if (slash == std::string::npos) {
    return ".";
  }
  return slash == 0 ? "/" : path.substr(0, slash);
}

// Decoding state of one call: the arguments so far and what later arguments
// refer back to.
class Decoding {
 public:
  Decoding(const MemoryReader& mem, const ProcessInspector* inspector, pid_t tid,
           const std::array<std::uint64_t, 6>& regs)
      : mem_(mem), inspector_(inspector), tid_(tid), regs_(regs) {}

  void add(const char* name, std::string text, std::optional<std::int64_t> value = std::nullopt) {
    out_.push_back(Arg{name, std::move(text), value});
  }
  void add_num(const char* name, std::int64_t v) { add(name, std::to_string(v), v); }

  void decode(const ArgSpec& spec, int i);
  void add_context();
  std::vector<Arg> take() { return std::move(out_); }

 private:
  std::uint64_t reg(int i) const { return i < 6 ? regs_[i] : 0; }
  std::string string_at(std::uint64_t addr, std::size_t max = 4096) const {
    if (addr == 0) {
      return "NULL";
    }
    auto s = mem_.read_string(addr, max);
    return s ? *s : kUnreadable;
  }
  void add_sockaddr(const char* name, std::uint64_t addr, std::uint64_t len);
  void add_file_facts(const char* prefix, int dirfd, const std::string& path);
  void add_target_facts(std::int64_t pid);

  const MemoryReader& mem_;
  const ProcessInspector* inspector_;
  pid_t tid_;
  const std::array<std::uint64_t, 6>& regs_;
  std::vector<Arg> out_;
  int dirfd_ = AT_FDCWD;
  std::optional<std::string> path_;  // the call's object, for file.* facts
  std::optional<int> fd_;            // ... or the descriptor that names it
  const char* fd_name_ = "fd";       // ... and its argument's name
  bool exec_ = false;
  std::optional<std::int64_t> target_;
};

void Decoding::add_sockaddr(const char* name, std::uint64_t addr, std::uint64_t len) {
  if (addr == 0) {
    add(name, "NULL");
    return;
  }
  sockaddr_storage ss{};
  const std::size_t n = std::min<std::uint64_t>(len, sizeof ss);
  if (!mem_.read(addr, &ss, n)) {
    add(name, kUnreadable);
    return;
  }
  for (Arg& a : sockaddr_args(reinterpret_cast<const std::uint8_t*>(&ss), n)) {
    if (a.name.empty()) {
      a.name = name;  // the display form takes the argument's own name
    } else {
      a.name = std::string(name) + "." + a.name;
    }
    out_.push_back(std::move(a));
  }
}

void Decoding::decode(const ArgSpec& s, int i) {
  const std::uint64_t r = reg(i);
  const auto si = static_cast<std::int64_t>(r);
  const auto i32 = static_cast<std::int32_t>(r);
  switch (s.kind) {
    case K::Skip:
      return;
    case K::Int:
      // C int arguments: the kernel reads the low 32 bits, sign included.
      add_num(s.name, i32);
      return;
    case K::Uint:
      add(s.name, std::to_string(r), si);
      return;
    case K::Hex:
      add(s.name, hex(r), si);
      return;
    case K::Fd:
      add_num(s.name, i32);
      return;
    case K::FileFd:
      add_num(s.name, i32);
      fd_ = i32;
      fd_name_ = s.name;
      return;
    case K::DirFd:
      dirfd_ = i32;
      add(s.name, i32 == AT_FDCWD ? "AT_FDCWD" : std::to_string(i32), i32);
      return;
    case K::ExecPath:
      exec_ = true;
      [[fallthrough]];
    case K::Path: {
      std::string p = string_at(r);
      if (r != 0 && p != kUnreadable) {
        path_ = p;
      } else if (r == 0 && dirfd_ != AT_FDCWD) {
        // utimensat(fd, NULL, ...) (futimens) acts on the descriptor itself
        // (fs/utimes.c:do_utimes_fd); any other call fails with EFAULT.
        fd_ = dirfd_;
      }
      add(s.name, std::move(p));
      return;
    }
    case K::String:
    case K::XattrName:
      add(s.name, string_at(r));
      return;
    case K::StringLen: {
      // Not NUL-terminated: at most `len` bytes (the kernel takes no more than 64).
      const std::uint64_t len = std::min<std::uint64_t>(reg(i + 1), 256);
      add(s.name, len == 0 && r != 0 ? std::string() : string_at(r, len));
      return;
    }
    case K::OpenFlags: {
      const auto f = static_cast<std::uint32_t>(r);
      const std::uint32_t acc = f & O_ACCMODE;
      std::string text = acc == O_WRONLY ? "O_WRONLY" : acc == O_RDWR ? "O_RDWR" : "O_RDONLY";
      if ((f & ~O_ACCMODE) != 0) {
        text += "|" + flags_text(f & ~O_ACCMODE, names::open_flags());
      }
      add(s.name, std::move(text), f);
      return;
    }
    case K::CreatFlags:
      add(s.name, "O_WRONLY|O_CREAT|O_TRUNC", O_WRONLY | O_CREAT | O_TRUNC);
      return;
    case K::NoAtFlags:
      // The kernel runs execve as execveat(AT_FDCWD, path, ..., 0) and link
      // as linkat(AT_FDCWD, ..., 0): one rule covers both calls.
      add_num(s.name, 0);
      return;
    case K::OpenHow: {
      auto how = mem_.read_value<open_how>(r);
      if (!how) {
        add(s.name, kUnreadable);
        return;
      }
      std::array<std::uint64_t, 6> sub{how->flags, how->mode};
      Decoding inner(mem_, nullptr, tid_, sub);
      inner.decode({K::OpenFlags, "flags"}, 0);
      inner.decode({K::Mode, "mode"}, 1);
      for (Arg& a : inner.take()) {
        out_.push_back(std::move(a));
      }
      return;
    }
    case K::Mode:
      add(s.name, octal(r & 07777), static_cast<std::int64_t>(r & 07777));
      return;
    case K::MknodMode: {
      const auto m = static_cast<mode_t>(r);
      const std::string type = enum_text(m & S_IFMT, names::file_types());
      add(s.name, (m & S_IFMT ? type + "|" : std::string()) + octal(m & 07777), m);
      add("type", (m & S_IFMT) == 0 ? "S_IFREG" : type, m & S_IFMT);
      return;
    }
    case K::Dev: {
      // mknod(2) takes an unsigned int: the upper half of the register is not the call's.
      const auto dev = static_cast<std::uint32_t>(r);
      add(s.name, std::to_string(major(dev)) + ":" + std::to_string(minor(dev)), dev);
      return;
    }
    case K::AtFlags:
      add(s.name, flags_text(r, names::at_flags()), si);
      return;
    case K::AccessAtFlags:
      add(s.name, flags_text(r, names::access_at_flags()), si);
      return;
    case K::AccessMode:
      add(s.name, flags_text(r, names::access_modes(), "F_OK"), si);
      return;
    case K::Uid:
    case K::Gid:
      // (uid_t)-1 means "unchanged" for every call that takes one.
      add(s.name,
          static_cast<std::uint32_t>(r) == UINT32_MAX
              ? "-1"
              : std::to_string(static_cast<std::uint32_t>(r)),
          static_cast<std::uint32_t>(r) == UINT32_MAX
              ? -1
              : static_cast<std::int64_t>(static_cast<std::uint32_t>(r)));
      return;
    case K::GroupList: {
      const auto n = static_cast<std::int32_t>(r);
      std::string text;
      for (std::int32_t k = 0; k < n && k < 32; ++k) {
        auto g = mem_.read_value<std::uint32_t>(reg(1) + 4 * static_cast<std::uint64_t>(k));
        text += (k ? "," : "") + (g ? std::to_string(*g) : std::string(kUnreadable));
      }
      add(s.name, "[" + text + (n > 32 ? ",...]" : "]"), n);
      return;
    }
    case K::TargetPid:
      add_num(s.name, i32);
      target_ = i32;
      return;
    case K::Signal:
      add(s.name, signal_text(i32), i32);
      return;
    case K::Domain:
      add(s.name, enum_text(i32, names::address_families()), i32);
      return;
    case K::SockType: {
      const std::int32_t base = i32 & 0xf;
      add(s.name, enum_text(base, names::socket_types()), base);
      if ((i32 & ~0xf) != 0) {
        add("type_flags", flags_text(i32 & ~0xf, names::socket_type_flags()), i32 & ~0xf);
      }
      return;
    }
    case K::SockProto: {
      const auto domain = static_cast<std::int32_t>(reg(0));
      if (domain == AF_NETLINK) {
        add(s.name, enum_text(i32, names::netlink_protocols()), i32);
      } else if (domain == AF_PACKET) {
        // packet(7): the protocol is an ethertype in network byte order.
        const std::uint16_t ethertype = ntohs(static_cast<std::uint16_t>(i32));
        const std::string name = enum_text(ethertype, names::ethertypes());
        add(s.name, name == std::to_string(ethertype) ? hex(ethertype) : name, ethertype);
      } else {
        add(s.name, enum_text(i32, names::ip_protocols()), i32);
      }
      return;
    }
    case K::SockAddr:
      add_sockaddr(s.name, r, reg(i + 1));
      return;
    case K::MsgHdr: {
      auto msg = mem_.read_value<msghdr>(r);
      if (!msg) {
        add(s.name, kUnreadable);
      } else if (msg->msg_name != nullptr) {
        add_sockaddr(s.name, reinterpret_cast<std::uint64_t>(msg->msg_name), msg->msg_namelen);
      }
      return;
    }
    case K::SockLevel:
      add(s.name, enum_text(i32, names::socket_levels()), i32);
      return;
    case K::SockOpt:
      add(s.name, enum_text(i32, names::socket_options(static_cast<std::int32_t>(reg(i - 1)))),
          i32);
      return;
    case K::OptVal:
      if (reg(i + 1) == sizeof(int)) {
        auto v = mem_.read_value<std::int32_t>(r);
        add(s.name, v ? std::to_string(*v) : kUnreadable,
            v ? std::optional<std::int64_t>(*v) : std::nullopt);
      }
      return;
    case K::IoctlReq:
      add(s.name,
          enum_text(static_cast<std::uint32_t>(r), names::ioctl_requests()) ==
                  std::to_string(static_cast<std::uint32_t>(r))
              ? hex(static_cast<std::uint32_t>(r))
              : enum_text(static_cast<std::uint32_t>(r), names::ioctl_requests()),
          static_cast<std::uint32_t>(r));
      return;
    case K::CloneFlags: {
      // clone(2) keeps the exit signal in the low byte.
      const std::uint64_t f = r & ~static_cast<std::uint64_t>(0xff);
      add(s.name, flags_text(f, names::clone_flags()), static_cast<std::int64_t>(f));
      return;
    }
    case K::NsFlags:
      add(s.name, flags_text(static_cast<std::uint32_t>(r), names::clone_flags()),
          static_cast<std::uint32_t>(r));
      return;
    case K::Clone3: {
      auto flags = mem_.read_value<std::uint64_t>(r);  // clone_args.flags is first
      if (!flags) {
        add(s.name, kUnreadable);
        return;
      }
      add(s.name, flags_text(*flags, names::clone_flags()), static_cast<std::int64_t>(*flags));
      auto set_tid_size = mem_.read_value<std::uint64_t>(r + offsetof(clone_args, set_tid_size));
      if (set_tid_size && *set_tid_size != 0) {
        add_num("set_tid_size", static_cast<std::int64_t>(*set_tid_size));
      }
      return;
    }
    case K::MountFlags: {
      // path_mount(): the old magic in the upper half is discarded with that half.
      const std::uint64_t half = 0xffff0000;
      const bool magic = (r & half) == MS_MGC_VAL;
      const std::uint64_t f = magic ? r & ~half : r;
      const std::string text = flags_text(f, names::mount_flags());
      add(s.name,
          !magic   ? text
          : f == 0 ? "MS_MGC_VAL"
                   : "MS_MGC_VAL|" + text,
          static_cast<std::int64_t>(f));
      return;
    }
    case K::UmountFlags:
      add(s.name, flags_text(r, names::umount_flags()), si);
      return;
    case K::PrctlOption:
      add(s.name, enum_text(i32, names::prctl_options()), i32);
      return;
    case K::PrctlArg2: {
      const auto option = static_cast<std::int32_t>(reg(0));
      if (option == PR_CAPBSET_DROP || option == PR_CAPBSET_READ) {
        add(s.name, events::cap_name(i32), i32);
        add("cap", events::cap_name(i32), i32);
      } else if (option == PR_CAP_AMBIENT) {
        add(s.name, enum_text(i32, names::cap_ambient_ops()), i32);
        if (i32 == PR_CAP_AMBIENT_RAISE || i32 == PR_CAP_AMBIENT_LOWER ||
            i32 == PR_CAP_AMBIENT_IS_SET) {
          add("cap", events::cap_name(static_cast<std::int32_t>(reg(2))),
              static_cast<std::int32_t>(reg(2)));
        }
      } else {
        add(s.name, hex(r), si);
      }
      return;
    }
    case K::Capset: {
      auto hdr = mem_.read_value<__user_cap_header_struct>(reg(0));
      __user_cap_data_struct data[2]{};
      if (!hdr || reg(1) == 0 || !mem_.read(reg(1), data, sizeof data)) {
        add(s.name, kUnreadable);
        return;
      }
      add_num("pid", hdr->pid);
      auto mask = [&](std::uint32_t __user_cap_data_struct::*field) {
        return static_cast<std::uint64_t>(data[0].*field) |
               (static_cast<std::uint64_t>(data[1].*field) << 32);
      };
      add("effective", events::cap_mask_text(mask(&__user_cap_data_struct::effective)),
          static_cast<std::int64_t>(mask(&__user_cap_data_struct::effective)));
      add("permitted", events::cap_mask_text(mask(&__user_cap_data_struct::permitted)),
          static_cast<std::int64_t>(mask(&__user_cap_data_struct::permitted)));
      add("inheritable", events::cap_mask_text(mask(&__user_cap_data_struct::inheritable)),
          static_cast<std::int64_t>(mask(&__user_cap_data_struct::inheritable)));
      return;
    }
    case K::Clock:
      add(s.name, enum_text(i32, names::clocks()), i32);
      return;
    case K::TimexModes: {
      auto modes = mem_.read_value<std::uint32_t>(r);  // struct timex starts with modes
      add(s.name, modes ? hex(*modes) : kUnreadable,
          modes ? std::optional<std::int64_t>(*modes) : std::nullopt);
      return;
    }
    case K::SchedPolicy:
      add(s.name, enum_text(i32 & ~SCHED_RESET_ON_FORK, names::sched_policies()),
          i32 & ~SCHED_RESET_ON_FORK);
      return;
    case K::SchedParam: {
      auto prio = mem_.read_value<std::int32_t>(r);
      add(s.name, prio ? std::to_string(*prio) : kUnreadable,
          prio ? std::optional<std::int64_t>(*prio) : std::nullopt);
      return;
    }
    case K::SchedAttr: {
      auto attr = mem_.read_value<sched_attr>(r);
      if (!attr) {
        add(s.name, kUnreadable);
        return;
      }
      add(s.name, enum_text(attr->sched_policy, names::sched_policies()), attr->sched_policy);
      add_num("nice", attr->sched_nice);
      add_num("priority", attr->sched_priority);
      return;
    }
    case K::PrioWhich:
      add(s.name, enum_text(i32, names::priority_which()), i32);
      return;
    case K::IoprioClass:
      // IOPRIO_PRIO_CLASS: the class sits above bit 13.
      add(s.name, enum_text((r >> 13) & 0x7, names::ioprio_classes()),
          static_cast<std::int64_t>((r >> 13) & 0x7));
      return;
    case K::Rlimit:
      add(s.name, enum_text(i32, names::rlimits()), i32);
      return;
    case K::RlimitVal: {
      if (r == 0) {
        add(s.name, "NULL");
        return;
      }
      struct {
        std::uint64_t cur, max;
      } lim{};
      if (!mem_.read(r, &lim, sizeof lim)) {
        add(s.name, kUnreadable);
        return;
      }
      auto num = [](std::uint64_t v) {
        return v == UINT64_MAX ? std::string("unlimited") : std::to_string(v);
      };
      add(s.name, num(lim.cur) + "/" + num(lim.max));
      return;
    }
    case K::MmapFlags:
      add(s.name, flags_text(r, names::mmap_flags()), si);
      return;
    case K::MlockallFlags:
      add(s.name, flags_text(r, names::mlockall_flags()), si);
      return;
    case K::PtraceReq:
      add(s.name, enum_text(si, names::ptrace_requests()), si);
      return;
    case K::FcntlCmd:
      add(s.name, enum_text(i32, names::fcntl_commands()), i32);
      return;
    case K::IpcCmd:
      add(s.name, enum_text(i32 & 0xff, names::ipc_commands()), i32 & 0xff);
      return;
    case K::SyslogAction:
      add(s.name, enum_text(i32, names::syslog_actions()), i32);
      return;
    case K::RebootCmd:
      add(s.name, enum_text(static_cast<std::uint32_t>(r), names::reboot_commands()),
          static_cast<std::uint32_t>(r));
      return;
    case K::BpfCmd:
      add(s.name, enum_text(i32, names::bpf_commands()), i32);
      return;
    case K::BpfAttr: {
      // BPF_MAP_CREATE and BPF_PROG_LOAD both start their attr with the type.
      const auto cmd = static_cast<std::int32_t>(reg(0));
      if (cmd == 0 /* BPF_MAP_CREATE */ || cmd == 5 /* BPF_PROG_LOAD */) {
        auto type = mem_.read_value<std::uint32_t>(r);
        add(cmd == 0 ? "map_type" : "prog_type", type ? std::to_string(*type) : kUnreadable,
            type ? std::optional<std::int64_t>(*type) : std::nullopt);
      }
      return;
    }
    case K::Times:
      add(s.name, r == 0 ? "NULL" : "explicit", r == 0 ? 0 : 1);
      return;
  }
}

void Decoding::add_file_facts(const char* prefix, int dirfd, const std::string& path) {
  const std::string p(prefix);
  auto info = inspector_->stat_path(tid_, dirfd, path, /*follow=*/true);
  // A dangling symlink is the object of a path; a descriptor (empty path)
  // has no link of its own to look at.
  if (!info && !path.empty()) {
    info = inspector_->stat_path(tid_, dirfd, path, /*follow=*/false);
  }
  add((p + ".exists").c_str(), info ? "yes" : "no", info ? 1 : 0);
  if (!info) {
    return;
  }
  // Names are built at run time, so keep them in the Arg (std::string).
  out_.push_back(Arg{p + ".uid", std::to_string(info->uid), info->uid});
  out_.push_back(Arg{p + ".gid", std::to_string(info->gid), info->gid});
  out_.push_back(Arg{p + ".mode", octal(info->mode & 07777), info->mode & 07777});
  out_.push_back(Arg{p + ".type", file_type_name(info->mode), info->mode & S_IFMT});
}

void Decoding::add_target_facts(std::int64_t pid) {
  if (pid <= 0) {
    return;  // process groups and "everybody": no single target
  }
  auto target = inspector_->creds(static_cast<pid_t>(pid));
  auto me = inspector_->creds(tid_);
  if (!target || !me) {
    return;
  }
  out_.push_back(Arg{"target.uid", std::to_string(target->ruid), target->ruid});
  // kernel/signal.c:kill_ok_by_cred(): any of the caller's real/effective uid
  // matching the target's real/saved uid is enough.
  const bool same = me->euid == target->suid || me->euid == target->ruid ||
                    me->ruid == target->suid || me->ruid == target->ruid;
  out_.push_back(Arg{"target.same_uid", same ? "yes" : "no", same ? 1 : 0});
}

void Decoding::add_context() {
  if (inspector_ == nullptr) {
    return;
  }
  if (auto c = inspector_->creds(tid_)) {
    out_.push_back(Arg{"caller.uid", std::to_string(c->ruid), c->ruid});
    out_.push_back(Arg{"caller.euid", std::to_string(c->euid), c->euid});
    out_.push_back(Arg{"caller.fsuid", std::to_string(c->fsuid), c->fsuid});
    out_.push_back(Arg{"caller.fsgid", std::to_string(c->fsgid), c->fsgid});
  }
  if (path_) {
    add_file_facts("file", dirfd_, *path_);
    add_file_facts("parent", dirfd_, dirname_of(*path_));
    if (exec_) {
      if (auto caps = inspector_->file_caps(tid_, dirfd_, *path_)) {
        out_.push_back(Arg{"file.caps", *caps, std::nullopt});
        const std::uint64_t permitted = permitted_in_cap_text(*caps);
        out_.push_back(Arg{"file.permitted", events::cap_mask_text(permitted),
                           static_cast<std::int64_t>(permitted)});
      }
    }
  }
  if (fd_ && *fd_ >= 0) {
    // The object as the program holds it: /proc/TID/fd/N leads to it
    // whatever became of its name.
    add_file_facts("file", *fd_, "");
    if (auto target = inspector_->fd_target(tid_, *fd_)) {
      // Shown with the descriptor, as strace -y does: fd=3</proc/sys/...>.
      for (Arg& a : out_) {
        if (a.name == fd_name_) {
          a.text += "<" + *target + ">";
        }
      }
      out_.push_back(Arg{"file.path", *target, std::nullopt});
    }
  }
  if (target_) {
    add_target_facts(*target_);
  }
}

}  // namespace

std::vector<events::Arg> ArgDecoder::decode(int nr,
                                            const std::array<std::uint64_t, 6>& regs) const {
  static const std::unordered_map<int, const events::CallSchema*> by_nr = [] {
    std::unordered_map<int, const events::CallSchema*> m;
    for (const events::CallSchema& s : events::call_schemas()) {
      if (auto n = events::syscall_number(s.syscall)) {
        m.emplace(*n, &s);
      }
    }
    return m;
  }();
  Decoding d(mem_, inspector_, tid_, regs);
  auto it = by_nr.find(nr);
  if (it == by_nr.end()) {
    // A call no rule decodes: its raw registers are still evidence.
    for (int i = 0; i < 6; ++i) {
      d.add(("arg" + std::to_string(i)).c_str(), hex(regs[i]), static_cast<std::int64_t>(regs[i]));
    }
    return d.take();
  }
  const auto& args = it->second->args;
  for (std::size_t i = 0; i < args.size(); ++i) {
    d.decode(args[i], static_cast<int>(i));
  }
  d.add_context();
  return d.take();
}

}  // namespace capmin::tracer
