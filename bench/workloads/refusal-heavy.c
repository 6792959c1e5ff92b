/* SPDX-License-Identifier: MIT */
/* refusal-heavy N [one]: N rounds of three calls the kernel refuses to a
 * uid-0 process without capabilities, each from one call site:
 *   open(temp file of mode 0000, O_RDONLY)  -> EACCES, CAP_DAC_READ_SEARCH
 *   chown(temp file, 1234 or 1235, -1)      -> EPERM,  CAP_CHOWN
 *   setgid(1234 or 1235)                    -> EPERM,  CAP_SETGID
 * With "one", only the chown: N refusals of a single call site (the
 * benchmark's memory check runs it at two sizes).
 * Run natively as root they succeed, harmlessly: the file is the workload's
 * own, in its own temporary directory, and the group change only affects this
 * process, which exits at the end. Nothing touches the network or any file
 * outside that directory. The ids alternate so that every call is a real
 * change (a call that changes nothing may be allowed without a capability, as
 * under probe mode once one has been let through). Refusals are expected: the
 * results are not checked. */
#include <sys/stat.h>

#include "common.h"

int main(int argc, char** argv) {
  long n = size_arg(argc, argv, 20000);
  int only_chown = argc > 2 && strcmp(argv[2], "one") == 0;
  const char* dir = make_tempdir("refuse");
  char file[4200];
  snprintf(file, sizeof file, "%s/f", dir);
  int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    die("create");
  }
  close(fd);
  char locked[4200];
  snprintf(locked, sizeof locked, "%s/locked", dir);
  fd = open(locked, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0000);
  if (fd < 0) {
    die("create");
  }
  close(fd);
  long refused = 0;
  for (long i = 0; i < n; ++i) {
    unsigned id = 1234 + (unsigned)(i & 1);
    refused += chown(file, id, (gid_t)-1) != 0;
    if (only_chown) {
      continue;
    }
    fd = open(locked, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      close(fd);
    } else {
      ++refused;
    }
    refused += setgid(id) != 0;
  }
  remove_tempdir(dir);
  if (getenv("BENCH_VERBOSE")) {
    fprintf(stderr, "refusal-heavy: %ld of %ld calls refused\n", refused,
            only_chown ? n : 3 * n);
  }
  return 0;
}
