// SPDX-License-Identifier: MIT
// What a syslog datagram becomes in a run's output, and the socket that
// receives them.
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cstring>

#include "verify/Complaints.h"
#include "verify/SyslogSocket.h"

namespace capmin::verify {
namespace {

TEST(SyslogLines, Rfc3164AsGlibcSendsItLosesItsTimeAndNamesFacilityAndSeverity) {
  EXPECT_EQ(syslog_lines("<27>Dec  6 21:03:44 chronyd[812]: Could not chown /run/chrony"),
            "syslog: daemon.err: chronyd[812]: Could not chown /run/chrony\n");
  EXPECT_EQ(syslog_lines("<86>Jan 12 03:04:05 sshd[1]: ok\n"),
            "syslog: authpriv.info: sshd[1]: ok\n");
  EXPECT_EQ(syslog_lines("<191>x"), "syslog: local7.debug: x\n");
}

TEST(SyslogLines, NoPriorityOrABadOneIsUserNoticeAndTheTextIsKept) {
  EXPECT_EQ(syslog_lines("hello"), "syslog: user.notice: hello\n");
  EXPECT_EQ(syslog_lines("<999>hi"), "syslog: user.notice: <999>hi\n");
  EXPECT_EQ(syslog_lines("<2a>hi"), "syslog: user.notice: <2a>hi\n");
  EXPECT_EQ(syslog_lines(""), "");
}

TEST(SyslogLines, EachLineOfAMessageIsALineAndTrailingNulsGo) {
  static const char datagram[] = "<28>a: one\ntwo\r\n\0";
  EXPECT_EQ(syslog_lines(std::string(datagram, sizeof datagram)),
            "syslog: daemon.warning: a: one\nsyslog: daemon.warning: two\n");
}

TEST(SyslogLines, ErrorsAndWarningsCountAsComplaintsAndInfoDoesNot) {
  EXPECT_EQ(new_complaints("", syslog_lines("<27>d[1]: socket ready")).size(), 1u);
  EXPECT_EQ(new_complaints("", syslog_lines("<28>d[1]: socket ready")).size(), 1u);
  EXPECT_TRUE(new_complaints("", syslog_lines("<30>d[1]: socket ready")).empty());
  // The pid differs from run to run; the same message is no new complaint.
  EXPECT_TRUE(new_complaints(syslog_lines("<27>d[41]: x"), syslog_lines("<27>d[97]: x")).empty());
}

TEST(SyslogSocket, ReceivesWhatIsSentToItsPathAndLeavesNothingBehind) {
  std::string dir;
  {
    const SyslogSocket s;
    dir = s.socket_path().substr(0, s.socket_path().rfind('/'));
    struct stat st {};
    ASSERT_EQ(stat(s.socket_path().c_str(), &st), 0);
    EXPECT_TRUE(S_ISSOCK(st.st_mode));
    EXPECT_EQ(st.st_mode & 0777, 0666u);  // any user the program runs as may send
    ASSERT_EQ(stat(s.dev_scratch().c_str(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));

    const int c = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::strcpy(addr.sun_path, s.socket_path().c_str());
    ASSERT_EQ(sendto(c, "<27>x", 5, 0, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 5);
    close(c);
    char buf[16] = {};
    EXPECT_EQ(recv(s.fd(), buf, sizeof buf, 0), 5);
    EXPECT_STREQ(buf, "<27>x");
    EXPECT_LT(recv(s.fd(), buf, sizeof buf, 0), 0);  // non-blocking: nothing more
  }
  struct stat st {};
  EXPECT_NE(stat(dir.c_str(), &st), 0);
}

}  // namespace
}  // namespace capmin::verify
