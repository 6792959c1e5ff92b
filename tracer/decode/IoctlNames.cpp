// SPDX-License-Identifier: MIT
// The ioctl request names rules care about. A file of its own because
// <linux/fs.h> and glibc's <sys/mount.h> cannot be included together.
#include <linux/blkpg.h>
#include <linux/fs.h>
#include <linux/if_tun.h>
#include <linux/kd.h>
#include <linux/rtc.h>
#include <linux/sockios.h>
#include <linux/vt.h>
#include <sys/ioctl.h>

#include "tracer/decode/FlagNames.h"

#define NV(x) \
  NamedValue { static_cast<std::uint64_t>(x), #x }

namespace capmin::tracer::names {

std::span<const NamedValue> ioctl_requests() {
  static const NamedValue t[] = {
      NV(TIOCSTI),
      NV(TIOCSCTTY),
      NV(TIOCSETD),
      NV(TIOCCONS),
      NV(TIOCGWINSZ),
      NV(TIOCSWINSZ),
      NV(TCGETS),
      NV(TCSETS),
      NV(FIONREAD),
      NV(FIONBIO),
      NV(FIOCLEX),
      NV(FS_IOC_GETFLAGS),
      NV(FS_IOC_SETFLAGS),
      NV(FS_IOC_FSGETXATTR),
      NV(FS_IOC_FSSETXATTR),
      NV(FIBMAP),
      NV(FIFREEZE),
      NV(FITHAW),
      NV(FITRIM),
      NV(BLKFLSBUF),
      NV(BLKRRPART),
      NV(BLKROSET),
      NV(BLKPG),
      NV(BLKDISCARD),
      NV(BLKGETSIZE64),
      NV(SIOCSIFFLAGS),
      NV(SIOCGIFFLAGS),
      NV(SIOCSIFADDR),
      NV(SIOCSIFNETMASK),
      NV(SIOCSIFMTU),
      NV(SIOCSIFNAME),
      NV(SIOCSIFHWADDR),
      NV(SIOCADDRT),
      NV(SIOCDELRT),
      NV(SIOCSIFTXQLEN),
      NV(SIOCBRADDBR),
      NV(SIOCBRDELBR),
      NV(SIOCGIFINDEX),
      NV(SIOCGIFCONF),
      NV(SIOCETHTOOL),
      NV(SIOCSIFBR),
      NV(SIOCADDMULTI),
      NV(SIOCDELMULTI),
      NV(SIOCSARP),
      NV(SIOCDARP),
      NV(TUNSETIFF),
      NV(TUNSETPERSIST),
      NV(TUNSETOWNER),
      NV(TUNSETGROUP),
      NV(KDSIGACCEPT),
      NV(KDSKBENT),
      NV(KDSETKEYCODE),
      NV(KDFONTOP),
      NV(VT_RESIZE),
      NV(VT_RESIZEX),
      NV(RTC_SET_TIME),
      NV(RTC_ALM_SET),
      NV(RTC_IRQP_SET),
      NV(RTC_EPOCH_SET),
  };
  return t;
}

}  // namespace capmin::tracer::names
