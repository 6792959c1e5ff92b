// SPDX-License-Identifier: MIT
#include "tracer/decode/SockaddrText.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <cstring>
#include <string>

#include "tracer/decode/FlagNames.h"

namespace capmin::tracer {

namespace {

using events::Arg;

template <typename T>
bool copy_if_fits(const std::uint8_t* bytes, std::size_t len, T& out) {
  if (len < sizeof(T)) {
    return false;
  }
  std::memcpy(&out, bytes, sizeof(T));
  return true;
}

}  // namespace

std::vector<Arg> sockaddr_args(const std::uint8_t* bytes, std::size_t len) {
  std::vector<Arg> out;
  if (len < sizeof(sa_family_t)) {
    out.push_back({"", "<short address>", std::nullopt});
    return out;
  }
  sa_family_t family = 0;
  std::memcpy(&family, bytes, sizeof family);
  const std::string family_name = enum_text(family, names::address_families());
  auto finish = [&](std::string display) {
    out.insert(out.begin(), Arg{"", std::move(display), std::nullopt});
    out.push_back({"family", family_name, family});
    return out;
  };

  switch (family) {
    case AF_INET: {
      sockaddr_in in{};
      if (!copy_if_fits(bytes, len, in)) {
        return finish("AF_INET <short address>");
      }
      char ip[INET_ADDRSTRLEN];
      inet_ntop(AF_INET, &in.sin_addr, ip, sizeof ip);
      const int port = ntohs(in.sin_port);
      out.push_back({"ip", ip, std::nullopt});
      out.push_back({"port", std::to_string(port), port});
      return finish(std::string(ip) + ":" + std::to_string(port));
    }
    case AF_INET6: {
      // inet6_bind() accepts the RFC 2133 size, without sin6_scope_id.
      sockaddr_in6 in6{};
      if (len < offsetof(sockaddr_in6, sin6_scope_id)) {
        return finish("AF_INET6 <short address>");
      }
      std::memcpy(&in6, bytes, std::min(len, sizeof in6));
      char ip[INET6_ADDRSTRLEN];
      inet_ntop(AF_INET6, &in6.sin6_addr, ip, sizeof ip);
      const int port = ntohs(in6.sin6_port);
      out.push_back({"ip", ip, std::nullopt});
      out.push_back({"port", std::to_string(port), port});
      return finish("[" + std::string(ip) + "]:" + std::to_string(port));
    }
    case AF_UNIX: {
      const std::size_t off = offsetof(sockaddr_un, sun_path);
      if (len <= off) {
        return finish("AF_UNIX unnamed");
      }
      const std::size_t max = std::min(len - off, sizeof(sockaddr_un::sun_path));
      const char* p = reinterpret_cast<const char*>(bytes + off);
      std::string path;
      if (p[0] == '\0') {
        // Abstract names are length-delimited and may hold NULs.
        path = "@" + std::string(p + 1, max - 1);
      } else {
        path = std::string(p, strnlen(p, max));
      }
      out.push_back({"path", path, std::nullopt});
      return finish(path);
    }
    case AF_NETLINK: {
      sockaddr_nl nl{};
      if (!copy_if_fits(bytes, len, nl)) {
        return finish("AF_NETLINK <short address>");
      }
      char groups[16];
      std::snprintf(groups, sizeof groups, "0x%x", nl.nl_groups);
      out.push_back({"groups", groups, nl.nl_groups});
      return finish("netlink pid=" + std::to_string(nl.nl_pid) + " groups=" + groups);
    }
    default:
      return finish(family_name);
  }
}

}  // namespace capmin::tracer
