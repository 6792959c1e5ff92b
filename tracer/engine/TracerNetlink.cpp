// SPDX-License-Identifier: MIT
// The tracer's netlink watch: refusals of rtnetlink, nfnetlink, genetlink
// and audit requests come back in NLMSG_ERROR replies while the sendmsg
// itself succeeds, so a task that opens a netlink socket is followed call by
// call until it closes it, and its replies are read.
#include <errno.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>

#include <algorithm>

#include "tracer/decode/FlagNames.h"
#include "tracer/ptrace/MemoryReader.h"
#include "tracer/decode/NetlinkReplies.h"
#include "tracer/ptrace/Tracee.h"
#include "tracer/engine/Tracer.h"

namespace capmin::tracer {

namespace {

// Replies are small; a dump can be large, but an error reply to a refused
// request sits in the first messages of its read.
constexpr std::size_t kMaxReplyBytes = 64 * 1024;

// The bytes a successful read/recvfrom/recvmsg delivered.
std::vector<std::uint8_t> received_bytes(pid_t tid, const Registers& regs) {
  const std::size_t got =
      std::min<std::size_t>(static_cast<std::size_t>(regs.result()), kMaxReplyBytes);
  ProcessMemory mem(tid);
  std::vector<std::uint8_t> out;
  if (regs.syscall_nr() != SYS_recvmsg) {
    out.resize(got);
    if (!mem.read(regs.arg(1), out.data(), got)) {
      out.clear();
    }
    return out;
  }
  auto msg = mem.read_value<msghdr>(regs.arg(1));
  if (!msg) {
    return out;
  }
  for (std::size_t i = 0; i < msg->msg_iovlen && i < 64 && out.size() < got; ++i) {
    auto iov =
        mem.read_value<iovec>(reinterpret_cast<std::uint64_t>(msg->msg_iov) + i * sizeof(iovec));
    if (!iov) {
      break;
    }
    const std::size_t n = std::min(iov->iov_len, got - out.size());
    const std::size_t at = out.size();
    out.resize(at + n);
    if (!mem.read(reinterpret_cast<std::uint64_t>(iov->iov_base), out.data() + at, n)) {
      out.resize(at);
      break;
    }
  }
  return out;
}

}  // namespace

void Tracer::track_netlink(pid_t tid, Task& task, const Registers& regs) {
  const long nr = regs.syscall_nr();
  const int fd = static_cast<int>(regs.arg(0));
  if (nr == SYS_socket) {
    if (static_cast<int>(regs.arg(0)) == AF_NETLINK) {
      task.netlink[static_cast<int>(regs.result())] = static_cast<int>(regs.arg(2));
    }
    return;
  }
  auto sock = task.netlink.find(fd);
  if (sock == task.netlink.end()) {
    return;
  }
  if (nr == SYS_close) {
    task.netlink.erase(sock);
    return;
  }
  if ((nr != SYS_read && nr != SYS_recvfrom && nr != SYS_recvmsg) || regs.result() <= 0) {
    return;
  }
  const int protocol = sock->second;
  const std::vector<std::uint8_t> bytes = received_bytes(tid, regs);
  for (const NetlinkRefusal& r : netlink_refusals(bytes.data(), bytes.size())) {
    // The event is the read that brought the refusal, with the refused
    // request named; it is not retried (the request is gone by now), so it
    // is inferred even in probe mode.
    events::SyscallEvent ev = make_event(tid, regs, r.error, task);
    mark_unreachable(tid, task, ev);
    if (stacks_on_ && sink_.wants_stack(ev)) {
      ev.stack = stacks_.walk(tid);
    }
    ev.args.push_back({"protocol", enum_text(protocol, names::netlink_protocols()), protocol});
    ev.args.push_back({"request", netlink_type_name(protocol, r.request_type), r.request_type});
    ev.probe_note = "refused in a netlink reply, not by the call: inferred, not retried";
    ++result_.stats.refusals;
    sink_.on_refusal(std::move(ev));
  }
}

}  // namespace capmin::tracer
