// SPDX-License-Identifier: MIT
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <linux/netlink.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#include <cstring>
#include <memory>

#include "tracer/decode/SockaddrText.h"

namespace capmin::tracer {
namespace {

// Decodes the first `len` bytes of `sa` from a heap copy of exactly `len`
// bytes, so that a read past `len` is a heap overflow the ASan build reports.
template <typename T>
std::vector<events::Arg> decode(const T& sa, std::size_t len) {
  std::unique_ptr<std::uint8_t[]> exact(new std::uint8_t[len]);
  std::memcpy(exact.get(), &sa, std::min(len, sizeof sa));
  return sockaddr_args(exact.get(), len);
}

std::string display(const std::vector<events::Arg>& args) {
  return args.empty() ? "<nothing>" : args.front().text;
}

const events::Arg* part(const std::vector<events::Arg>& args, const std::string& name) {
  for (const auto& a : args) {
    if (a.name == name) {
      return &a;
    }
  }
  return nullptr;
}

sockaddr_storage storage_of(sa_family_t family) {
  sockaddr_storage ss{};
  ss.ss_family = family;
  // Non-zero bytes everywhere else, so that a missing NUL or a bad bound shows.
  auto* bytes = reinterpret_cast<std::uint8_t*>(&ss);
  for (std::size_t i = sizeof(sa_family_t); i < sizeof ss; ++i) {
    bytes[i] = static_cast<std::uint8_t>('a' + i % 26);
  }
  return ss;
}

TEST(SockaddrText, ShowsAnIpv4AddressAndItsParts) {
  sockaddr_in in{};
  in.sin_family = AF_INET;
  in.sin_port = htons(8443);
  inet_pton(AF_INET, "192.168.1.20", &in.sin_addr);
  const auto args = decode(in, sizeof in);
  ASSERT_EQ(args.size(), 4u);
  EXPECT_EQ(args[0].name, "");
  EXPECT_EQ(args[0].text, "192.168.1.20:8443");
  EXPECT_EQ(part(args, "ip")->text, "192.168.1.20");
  EXPECT_EQ(part(args, "port")->value, 8443);
  EXPECT_EQ(part(args, "family")->text, "AF_INET");
  EXPECT_EQ(part(args, "family")->value, AF_INET);
}

TEST(SockaddrText, ShowsAnIpv6AddressInBrackets) {
  sockaddr_in6 in6{};
  in6.sin6_family = AF_INET6;
  in6.sin6_port = htons(80);
  inet_pton(AF_INET6, "::ffff:1.2.3.4", &in6.sin6_addr);
  const auto args = decode(in6, sizeof in6);
  EXPECT_EQ(display(args), "[::ffff:1.2.3.4]:80");
  EXPECT_EQ(part(args, "ip")->text, "::ffff:1.2.3.4");
  EXPECT_EQ(part(args, "port")->text, "80");
}

TEST(SockaddrText, CallsAnAddressWithoutAFamilyShort) {
  const sockaddr_in in{};
  for (std::size_t len : {0u, 1u}) {
    const auto args = decode(in, len);
    ASSERT_EQ(args.size(), 1u);
    EXPECT_EQ(args[0].text, "<short address>");
  }
}

TEST(SockaddrText, NeedsTheWholeFixedPartOfAnInternetAddress) {
  const auto in = storage_of(AF_INET);
  for (std::size_t len = 2; len < sizeof(sockaddr_in); ++len) {
    EXPECT_EQ(display(decode(in, len)), "AF_INET <short address>") << len;
    EXPECT_EQ(part(decode(in, len), "port"), nullptr) << len;
  }
  EXPECT_NE(part(decode(in, sizeof(sockaddr_in)), "port"), nullptr);
  const auto in6 = storage_of(AF_INET6);
  // The kernel accepts sockaddr_in6 without its trailing sin6_scope_id.
  const std::size_t rfc2133 = offsetof(sockaddr_in6, sin6_scope_id);
  for (std::size_t len = 2; len < rfc2133; ++len) {
    EXPECT_EQ(display(decode(in6, len)), "AF_INET6 <short address>") << len;
  }
  EXPECT_NE(part(decode(in6, rfc2133), "port"), nullptr);
  EXPECT_NE(part(decode(in6, sizeof(sockaddr_in6)), "port"), nullptr);
}

TEST(SockaddrText, ReadsAUnixPathUpToItsNul) {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::strcpy(un.sun_path, "/run/docker.sock");
  const auto args = decode(un, sizeof un);
  EXPECT_EQ(display(args), "/run/docker.sock");
  EXPECT_EQ(part(args, "path")->text, "/run/docker.sock");
  EXPECT_EQ(part(args, "family")->text, "AF_UNIX");
}

TEST(SockaddrText, ReadsAUnixPathWithoutNulOnlyUpToTheLength) {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::memcpy(un.sun_path, "/tmp/sockXYZ", 12);
  EXPECT_EQ(display(decode(un, offsetof(sockaddr_un, sun_path) + 9)), "/tmp/sock");
  EXPECT_EQ(display(decode(un, offsetof(sockaddr_un, sun_path))), "AF_UNIX unnamed");
}

TEST(SockaddrText, NeverReadsAUnixPathBeyondSunPath) {
  const auto ss = storage_of(AF_UNIX);  // no NUL anywhere after the family
  const auto args = decode(ss, sizeof ss);
  EXPECT_EQ(part(args, "path")->text.size(), sizeof(sockaddr_un::sun_path));
}

TEST(SockaddrText, ShowsAbstractNamesWithAnAtAndKeepsTheirBytes) {
  sockaddr_un un{};
  un.sun_family = AF_UNIX;
  std::memcpy(un.sun_path, "\0app\0x", 6);
  const std::size_t off = offsetof(sockaddr_un, sun_path);
  EXPECT_EQ(display(decode(un, off + 4)), "@app");
  EXPECT_EQ(display(decode(un, off + 6)), std::string("@app\0x", 6));
  EXPECT_EQ(display(decode(un, off + 1)), "@");
}

TEST(SockaddrText, ShowsNetlinkPidAndGroups) {
  sockaddr_nl nl{};
  nl.nl_family = AF_NETLINK;
  nl.nl_pid = 4321;
  nl.nl_groups = 0x5;
  const auto args = decode(nl, sizeof nl);
  EXPECT_EQ(display(args), "netlink pid=4321 groups=0x5");
  EXPECT_EQ(part(args, "groups")->value, 5);
  EXPECT_EQ(display(decode(nl, sizeof nl - 1)), "AF_NETLINK <short address>");
}

TEST(SockaddrText, NamesAFamilyItCannotDecode) {
  const auto packet = storage_of(AF_PACKET);
  EXPECT_EQ(display(decode(packet, 20)), "AF_PACKET");
  EXPECT_EQ(part(decode(packet, 20), "family")->value, AF_PACKET);
  const auto unknown = storage_of(250);
  EXPECT_EQ(display(decode(unknown, 16)), "250");
}

// Every family, every length a call can give: an answer each time, whose
// first entry is the display form, and never a read past the length.
TEST(SockaddrText, AnswersForEveryFamilyAndLength) {
  for (const sa_family_t family : std::initializer_list<sa_family_t>{
           AF_UNSPEC, AF_UNIX, AF_INET, AF_INET6, AF_NETLINK, AF_PACKET, AF_BLUETOOTH,
           static_cast<sa_family_t>(0xffff)}) {
    const auto ss = storage_of(family);
    for (std::size_t len = 0; len <= sizeof(sockaddr_storage); ++len) {
      const auto args = decode(ss, len);
      ASSERT_FALSE(args.empty()) << family << "/" << len;
      EXPECT_EQ(args[0].name, "") << family << "/" << len;
      EXPECT_FALSE(args[0].text.empty()) << family << "/" << len;
      if (len >= sizeof(sa_family_t)) {
        ASSERT_NE(part(args, "family"), nullptr) << family << "/" << len;
        EXPECT_EQ(part(args, "family")->value, family);
      } else {
        EXPECT_EQ(args.size(), 1u);
      }
    }
  }
}

}  // namespace
}  // namespace capmin::tracer
