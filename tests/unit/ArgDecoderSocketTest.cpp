// SPDX-License-Identifier: MIT
// ArgDecoder on the socket calls: socket(2) and its names, addresses of
// bind/connect/sendto/sendmsg, socket options.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <map>

#include "events/SyscallNames.h"
#include "tracer/decode/ArgDecoder.h"

namespace capmin::tracer {
namespace {

constexpr std::uint64_t kPage = 4096;

// The mapped pages of a tracee; any other address is unreadable.
class FakeMemory : public MemoryReader {
 public:
  template <typename T>
  std::uint64_t put(std::uint64_t addr, const T& v) {
    const auto* p = reinterpret_cast<const std::uint8_t*>(&v);
    for (std::size_t i = 0; i < sizeof v; ++i) {
      auto& page = pages_[(addr + i) / kPage];
      page.resize(kPage);
      page[(addr + i) % kPage] = p[i];
    }
    return addr;
  }
  bool read(std::uint64_t addr, void* buf, std::size_t len) const override {
    auto* out = static_cast<std::uint8_t*>(buf);
    for (std::size_t i = 0; i < len; ++i) {
      auto page = pages_.find((addr + i) / kPage);
      if (page == pages_.end()) {
        return false;
      }
      out[i] = page->second[(addr + i) % kPage];
    }
    return true;
  }

 private:
  std::map<std::uint64_t, std::vector<std::uint8_t>> pages_;
};

constexpr std::uint64_t kAddr = 0x10000;
constexpr std::uint64_t kOther = 0x20000;
constexpr std::uint64_t kUnmapped = 0xdead0000;

class ArgDecoderSocketTest : public ::testing::Test {
 protected:
  std::map<std::string, events::Arg> decode(const char* syscall,
                                            std::array<std::uint64_t, 6> regs) {
    std::map<std::string, events::Arg> out;
    const int nr = events::syscall_number(syscall).value();
    for (auto& a : ArgDecoder(mem_, nullptr, 7).decode(nr, regs)) {
      EXPECT_TRUE(out.emplace(a.name, a).second) << "twice: " << a.name;
    }
    return out;
  }
  // bind(3, addr, len) with `sa` written at kAddr.
  template <typename T>
  std::map<std::string, events::Arg> bind(const T& sa, std::size_t len = sizeof(T)) {
    return decode("bind", {3, mem_.put(kAddr, sa), len, 0, 0, 0});
  }
  FakeMemory mem_;
};

sockaddr_in in4(const char* ip, int port) {
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET, ip, &a.sin_addr);
  return a;
}

sockaddr_in6 in6(const char* ip, int port) {
  sockaddr_in6 a{};
  a.sin6_family = AF_INET6;
  a.sin6_port = htons(static_cast<std::uint16_t>(port));
  inet_pton(AF_INET6, ip, &a.sin6_addr);
  return a;
}

TEST_F(ArgDecoderSocketTest, DecodesAnIpv4BindAddress) {
  auto d = bind(in4("0.0.0.0", 80));
  EXPECT_EQ(d["fd"].text, "3");
  EXPECT_EQ(d["addr"].text, "0.0.0.0:80");
  EXPECT_EQ(d["addr.port"].text, "80");
  EXPECT_EQ(d["addr.port"].value, 80);
  EXPECT_EQ(d["addr.family"].text, "AF_INET");
  EXPECT_EQ(d["addr.family"].value, AF_INET);
  EXPECT_EQ(d["addr.ip"].text, "0.0.0.0");
  EXPECT_EQ(d.size(), 5u);
}

TEST_F(ArgDecoderSocketTest, DecodesAnIpv6BindAddress) {
  auto d = bind(in6("::1", 443));
  EXPECT_EQ(d["addr"].text, "[::1]:443");
  EXPECT_EQ(d["addr.ip"].text, "::1");
  EXPECT_EQ(d["addr.port"].value, 443);
  EXPECT_EQ(d["addr.family"].text, "AF_INET6");
}

TEST_F(ArgDecoderSocketTest, AcceptsAnIpv6AddressWithoutScopeId) {
  // The kernel takes the 24-byte RFC 2133 sockaddr_in6 (SIN6_LEN_RFC2133).
  auto d = bind(in6("::", 80), 24);
  EXPECT_EQ(d["addr"].text, "[::]:80");
  EXPECT_EQ(d["addr.port"].value, 80);
}

TEST_F(ArgDecoderSocketTest, DecodesUnixPathsAndAbstractNames) {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::strcpy(un.sun_path, "/run/app.sock");
  auto d = bind(un, offsetof(sockaddr_un, sun_path) + 14);
  EXPECT_EQ(d["addr"].text, "/run/app.sock");
  EXPECT_EQ(d["addr.path"].text, "/run/app.sock");
  EXPECT_EQ(d["addr.family"].text, "AF_UNIX");

  sockaddr_un abstract{};
  abstract.sun_family = AF_UNIX;
  std::memcpy(abstract.sun_path, "\0hidden", 7);
  d = bind(abstract, offsetof(sockaddr_un, sun_path) + 7);
  EXPECT_EQ(d["addr"].text, "@hidden");
  EXPECT_EQ(d["addr.path"].text, "@hidden");
}

TEST_F(ArgDecoderSocketTest, ShowsShortAddressesAsShort) {
  EXPECT_EQ(bind(in4("127.0.0.1", 80), 8)["addr"].text, "AF_INET <short address>");
  EXPECT_EQ(bind(in6("::1", 80), 20)["addr"].text, "AF_INET6 <short address>");
  EXPECT_EQ(bind(in4("127.0.0.1", 80), 1)["addr"].text, "<short address>");
  EXPECT_EQ(bind(in4("127.0.0.1", 80), 0)["addr"].text, "<short address>");
  auto d = bind(in4("127.0.0.1", 80), 2);
  EXPECT_EQ(d["addr"].text, "AF_INET <short address>");
  EXPECT_EQ(d["addr.family"].text, "AF_INET");
  EXPECT_EQ(d.count("addr.port"), 0u);
}

TEST_F(ArgDecoderSocketTest, ReadsNoMoreThanSockaddrStorageAndOnlyMappedBytes) {
  // An address in the last 16 bytes of a page, the next page unmapped: a
  // length that reaches past the page makes it unreadable, never read.
  const std::uint64_t at = mem_.put(kOther + kPage - 16, in4("10.0.0.1", 22));
  EXPECT_EQ(decode("bind", {3, at, 16, 0, 0, 0})["addr"].text, "10.0.0.1:22");
  EXPECT_EQ(decode("bind", {3, at, 17, 0, 0, 0})["addr"].text, "<unreadable>");
  // A huge length is cut to sizeof(sockaddr_storage).
  mem_.put(kAddr, in4("10.0.0.2", 23));
  EXPECT_EQ(decode("bind", {3, kAddr, 1 << 20, 0, 0, 0})["addr"].text, "10.0.0.2:23");
}

TEST_F(ArgDecoderSocketTest, DecodesNetlinkAddresses) {
  sockaddr_nl nl{};
  nl.nl_family = AF_NETLINK;
  nl.nl_pid = 0;
  nl.nl_groups = 0x11;
  auto d = bind(nl);
  EXPECT_EQ(d["addr"].text, "netlink pid=0 groups=0x11");
  EXPECT_EQ(d["addr.groups"].value, 0x11);
  EXPECT_EQ(d["addr.family"].text, "AF_NETLINK");
}

TEST_F(ArgDecoderSocketTest, ShowsNullAndUnreadableAddresses) {
  EXPECT_EQ(decode("bind", {3, 0, 16, 0, 0, 0})["addr"].text, "NULL");
  EXPECT_EQ(decode("bind", {3, kUnmapped, 16, 0, 0, 0})["addr"].text, "<unreadable>");
  EXPECT_EQ(decode("connect", {3, kUnmapped, 16, 0, 0, 0})["addr"].text, "<unreadable>");
}

TEST_F(ArgDecoderSocketTest, DecodesTheDestinationOfSendtoAndSendmsg) {
  auto d = decode("sendto", {4, 0, 64, MSG_DONTWAIT, mem_.put(kAddr, in4("10.1.2.3", 53)), 16});
  EXPECT_EQ(d["addr"].text, "10.1.2.3:53");
  EXPECT_EQ(d["len"].text, "64");
  EXPECT_EQ(d["flags"].text, "0x40");

  msghdr msg{};
  msg.msg_name = reinterpret_cast<void*>(kAddr);
  msg.msg_namelen = sizeof(sockaddr_in);
  d = decode("sendmsg", {4, mem_.put(kOther, msg), 0, 0, 0, 0});
  EXPECT_EQ(d["addr"].text, "10.1.2.3:53");
  EXPECT_EQ(d["addr.port"].value, 53);
  EXPECT_EQ(decode("sendmsg", {4, kUnmapped, 0, 0, 0, 0})["addr"].text, "<unreadable>");
}

TEST_F(ArgDecoderSocketTest, SplitsTheSocketTypeFromItsFlags) {
  auto d = decode("socket", {AF_INET, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_ICMP, 0, 0, 0});
  EXPECT_EQ(d["domain"].text, "AF_INET");
  EXPECT_EQ(d["domain"].value, AF_INET);
  EXPECT_EQ(d["type"].text, "SOCK_RAW");
  EXPECT_EQ(d["type"].value, SOCK_RAW);
  EXPECT_EQ(d["type_flags"].text, "SOCK_CLOEXEC");
  EXPECT_EQ(d["protocol"].text, "IPPROTO_ICMP");
  d = decode("socket", {AF_INET6, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, 0, 0, 0});
  EXPECT_EQ(d["type"].text, "SOCK_DGRAM");
  EXPECT_EQ(d["type_flags"].text, "SOCK_NONBLOCK|SOCK_CLOEXEC");
  EXPECT_EQ(d["protocol"].text, "IPPROTO_IP");
  d = decode("socket", {AF_INET, SOCK_STREAM, 0, 0, 0, 0});
  EXPECT_EQ(d.count("type_flags"), 0u);
}

TEST_F(ArgDecoderSocketTest, NamesProtocolsByTheDomainTheyBelongTo) {
  EXPECT_EQ(decode("socket", {AF_NETLINK, SOCK_RAW, NETLINK_AUDIT, 0, 0, 0})["protocol"].text,
            "NETLINK_AUDIT");
  EXPECT_EQ(decode("socket", {AF_NETLINK, SOCK_DGRAM, NETLINK_ROUTE, 0, 0, 0})["protocol"].text,
            "NETLINK_ROUTE");
  // NETLINK_ROUTE is 0 and IPPROTO_IP is 0: the domain decides.
  EXPECT_EQ(decode("socket", {AF_INET, SOCK_DGRAM, 0, 0, 0, 0})["protocol"].text, "IPPROTO_IP");
  // packet(7): an ethertype in network byte order, shown and valued in host order.
  auto all = decode("socket", {AF_PACKET, SOCK_RAW, htons(ETH_P_ALL), 0, 0, 0})["protocol"];
  EXPECT_EQ(all.text, "ETH_P_ALL");
  EXPECT_EQ(all.value, ETH_P_ALL);
  EXPECT_EQ(decode("socket", {AF_PACKET, SOCK_RAW, htons(ETH_P_IP), 0, 0, 0})["protocol"].text,
            "ETH_P_IP");
  EXPECT_EQ(decode("socket", {AF_PACKET, SOCK_RAW, htons(0x1234), 0, 0, 0})["protocol"].text,
            "0x1234");
  EXPECT_EQ(decode("socket", {12345, SOCK_RAW, 0, 0, 0, 0})["domain"].text, "12345");
}

TEST_F(ArgDecoderSocketTest, NamesSocketOptionLevelsOptionsAndIntValues) {
  const int seven = 7;
  auto d = decode("setsockopt", {3, SOL_SOCKET, SO_MARK, mem_.put(kAddr, seven), 4, 0});
  EXPECT_EQ(d["level"].text, "SOL_SOCKET");
  EXPECT_EQ(d["option"].text, "SO_MARK");
  EXPECT_EQ(d["value"].text, "7");
  EXPECT_EQ(d["value"].value, 7);
  d = decode("setsockopt", {3, IPPROTO_IP, IP_TRANSPARENT, kAddr, 4, 0});
  EXPECT_EQ(d["level"].text, "IPPROTO_IP");
  EXPECT_EQ(d["option"].text, "IP_TRANSPARENT");
  d = decode("setsockopt", {3, IPPROTO_TCP, TCP_REPAIR, kAddr, 4, 0});
  EXPECT_EQ(d["option"].text, "TCP_REPAIR");
  d = decode("setsockopt", {3, SOL_NETLINK, NETLINK_ADD_MEMBERSHIP, kAddr, 4, 0});
  EXPECT_EQ(d["option"].text, "NETLINK_ADD_MEMBERSHIP");
  // Options of levels without a table, and values that are not an int.
  d = decode("setsockopt", {3, 9999, 77, kAddr, 16, 0});
  EXPECT_EQ(d["level"].text, "9999");
  EXPECT_EQ(d["option"].text, "77");
  EXPECT_EQ(d.count("value"), 0u);
  EXPECT_EQ(decode("setsockopt", {3, SOL_SOCKET, SO_MARK, kUnmapped, 4, 0})["value"].text,
            "<unreadable>");
}

}  // namespace
}  // namespace capmin::tracer
