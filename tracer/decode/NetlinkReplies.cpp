// SPDX-License-Identifier: MIT
#include "tracer/decode/NetlinkReplies.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include <cstring>

#include "tracer/decode/FlagNames.h"

#define NV(x) \
  NamedValue { static_cast<std::uint64_t>(x), #x }

namespace capmin::tracer {

std::vector<NetlinkRefusal> netlink_refusals(const std::uint8_t* bytes, std::size_t len) {
  std::vector<NetlinkRefusal> out;
  std::size_t off = 0;
  while (off + sizeof(nlmsghdr) <= len) {
    nlmsghdr h{};
    std::memcpy(&h, bytes + off, sizeof h);
    if (h.nlmsg_len < sizeof(nlmsghdr) || h.nlmsg_len > len - off) {
      break;
    }
    if (h.nlmsg_type == NLMSG_ERROR && h.nlmsg_len >= sizeof(nlmsghdr) + sizeof(int)) {
      int error = 0;
      std::memcpy(&error, bytes + off + sizeof(nlmsghdr), sizeof error);
      if (error == -EPERM || error == -EACCES) {
        NetlinkRefusal r;
        r.error = -error;
        r.seq = h.nlmsg_seq;
        // struct nlmsgerr: the error, then the refused request's header.
        if (h.nlmsg_len >= sizeof(nlmsghdr) + sizeof(int) + sizeof(nlmsghdr)) {
          nlmsghdr req{};
          std::memcpy(&req, bytes + off + sizeof(nlmsghdr) + sizeof(int), sizeof req);
          r.request_type = req.nlmsg_type;
          r.seq = req.nlmsg_seq;
        }
        out.push_back(r);
      }
    }
    off += NLMSG_ALIGN(h.nlmsg_len);
  }
  return out;
}

std::string netlink_type_name(int protocol, std::uint16_t type) {
  static const NamedValue route[] = {
      NV(RTM_NEWLINK),    NV(RTM_DELLINK),    NV(RTM_GETLINK),   NV(RTM_SETLINK),
      NV(RTM_NEWADDR),    NV(RTM_DELADDR),    NV(RTM_GETADDR),   NV(RTM_NEWROUTE),
      NV(RTM_DELROUTE),   NV(RTM_GETROUTE),   NV(RTM_NEWNEIGH),  NV(RTM_DELNEIGH),
      NV(RTM_GETNEIGH),   NV(RTM_NEWRULE),    NV(RTM_DELRULE),   NV(RTM_GETRULE),
      NV(RTM_NEWQDISC),   NV(RTM_DELQDISC),   NV(RTM_NEWTCLASS), NV(RTM_DELTCLASS),
      NV(RTM_NEWTFILTER), NV(RTM_DELTFILTER), NV(RTM_NEWNSID),   NV(RTM_DELNSID),
      NV(RTM_NEWNETCONF), NV(RTM_NEWCHAIN),   NV(RTM_DELCHAIN),  NV(RTM_NEWNEXTHOP),
      NV(RTM_DELNEXTHOP),
  };
  static const NamedValue audit[] = {
      NV(AUDIT_GET),      NV(AUDIT_SET),      NV(AUDIT_LIST_RULES),  NV(AUDIT_ADD_RULE),
      NV(AUDIT_DEL_RULE), NV(AUDIT_USER),     NV(AUDIT_LOGIN),       NV(AUDIT_SIGNAL_INFO),
      NV(AUDIT_TTY_GET),  NV(AUDIT_TTY_SET),  NV(AUDIT_SET_FEATURE), NV(AUDIT_GET_FEATURE),
      NV(AUDIT_USER_AVC), NV(AUDIT_USER_TTY),
  };
  switch (protocol) {
    case NETLINK_ROUTE:
      return enum_text(type, route);
    case NETLINK_AUDIT:
      // User-space messages (AUDIT_USER_LOGIN and friends, in libaudit) sit
      // in two ranges the kernel header names only by their bounds.
      if ((type >= AUDIT_FIRST_USER_MSG && type <= AUDIT_LAST_USER_MSG) ||
          (type >= AUDIT_FIRST_USER_MSG2 && type <= AUDIT_LAST_USER_MSG2)) {
        return "AUDIT_USER_MSG_" + std::to_string(type);
      }
      return enum_text(type, audit);
    case NETLINK_NETFILTER: {
      static const NamedValue subsys[] = {
          NV(NFNL_SUBSYS_CTNETLINK),  NV(NFNL_SUBSYS_CTNETLINK_EXP),
          NV(NFNL_SUBSYS_QUEUE),      NV(NFNL_SUBSYS_ULOG),
          NV(NFNL_SUBSYS_OSF),        NV(NFNL_SUBSYS_IPSET),
          NV(NFNL_SUBSYS_ACCT),       NV(NFNL_SUBSYS_CTNETLINK_TIMEOUT),
          NV(NFNL_SUBSYS_CTHELPER),   NV(NFNL_SUBSYS_NFTABLES),
          NV(NFNL_SUBSYS_NFT_COMPAT),
      };
      // nfnetlink puts the subsystem in the high byte of the type.
      return enum_text(type >> 8, subsys) + "/" + std::to_string(type & 0xff);
    }
    default:
      return std::to_string(type);
  }
}

}  // namespace capmin::tracer
