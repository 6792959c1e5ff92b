// SPDX-License-Identifier: MIT
#include "tracer/watchers/NetlinkSockets.h"

#include <sys/socket.h>
#include <sys/uio.h>

#include <algorithm>

#include "events/SyscallSchema.h"
#include "tracer/decode/FlagNames.h"
#include "tracer/decode/NetlinkReplies.h"
#include "tracer/ptrace/MemoryReader.h"

namespace capmin::tracer {

namespace {

// Replies are small; a dump can be large, but an error reply to a refused
// request sits in the first messages of its read.
constexpr std::size_t kMaxReplyBytes = 64 * 1024;

long number_of(const char* name) { return syscall_number(Abi::Native, name).value_or(-1); }

// The bytes a successful read/recvfrom/recvmsg delivered.
std::vector<std::uint8_t> received_bytes(pid_t tid, const Call& call, long got_bytes) {
  static const long recvmsg = number_of("recvmsg");
  const std::size_t got =
      std::min<std::size_t>(static_cast<std::size_t>(got_bytes), kMaxReplyBytes);
  ProcessMemory mem(tid);
  std::vector<std::uint8_t> out;
  if (call.native_nr != recvmsg) {
    out.resize(got);
    if (!mem.read(call.args[1], out.data(), got)) {
      out.clear();
    }
    return out;
  }
  auto msg = mem.read_value<msghdr>(call.args[1]);
  if (!msg || call.abi != Abi::Native) {
    return out;  // a 32-bit msghdr has another layout
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

std::vector<Interest> NetlinkSockets::interests() const {
  std::vector<Interest> out = {{"socket",
                                Interest::At::Success,
                                {{"domain", FieldCondition::Kind::OneOf, {"AF_NETLINK"}}},
                                {},
                                false}};
  // Seen only while the task holds a netlink socket, and so is followed.
  for (const char* call : {"close", "read", "recvfrom", "recvmsg"}) {
    out.push_back({call, Interest::At::Success, {}, {}, true});
  }
  return out;
}

void NetlinkSockets::on_new_task(pid_t parent, pid_t child) {
  if (auto it = sockets_.find(parent); it != sockets_.end()) {
    sockets_[child] = it->second;
  }
}

void NetlinkSockets::on_exit(pid_t tid, const Call& call, long result) {
  static const long socket = number_of("socket");
  static const long close = number_of("close");
  const int fd = static_cast<int>(call.args[0]);
  if (call.native_nr == socket) {
    sockets_[tid][static_cast<int>(result)] = static_cast<int>(call.args[2]);
    return;
  }
  auto task = sockets_.find(tid);
  if (task == sockets_.end()) {
    return;
  }
  auto sock = task->second.find(fd);
  if (sock == task->second.end()) {
    return;
  }
  if (call.native_nr == close) {
    task->second.erase(sock);
    if (task->second.empty()) {
      sockets_.erase(task);
    }
    return;
  }
  if (result > 0) {
    read_replies(tid, call, result, sock->second);
  }
}

void NetlinkSockets::read_replies(pid_t tid, const Call& call, long got, int protocol) {
  const std::vector<std::uint8_t> bytes = received_bytes(tid, call, got);
  for (const NetlinkRefusal& r : netlink_refusals(bytes.data(), bytes.size())) {
    events::SyscallEvent ev = engine_.make_event(tid, call, r.error);
    ev.args.push_back({events::kNetlinkReplyFields[0],
                       enum_text(protocol, names::netlink_protocols()), protocol});
    ev.args.push_back({events::kNetlinkReplyFields[1], netlink_type_name(protocol, r.request_type),
                       r.request_type});
    engine_.report(
        tid, std::move(ev),
        {.allowed = false,
         .cure = {},
         .why_not = "refused in a netlink reply, not by the call: inferred, not retried"});
  }
}

}  // namespace capmin::tracer
