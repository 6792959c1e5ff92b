/* SPDX-License-Identifier: MIT */
/* open-heavy N: N rounds of openat + close + stat (newfstatat) of one file in
 * a private temporary directory. openat and newfstatat are calls capability
 * rules watch (their refusals can need CAP_DAC_*), but here none is refused:
 * this is the cost of watched calls that succeed. */
#include <sys/stat.h>

#include "common.h"

int main(int argc, char** argv) {
  long n = size_arg(argc, argv, 100000);
  const char* dir = make_tempdir("open");
  char file[4200];
  snprintf(file, sizeof file, "%s/f", dir);
  int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0 || write(fd, "x", 1) != 1) {
    die("create");
  }
  close(fd);
  int status = 0;
  for (long i = 0; i < n; ++i) {
    fd = openat(AT_FDCWD, file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      perror("openat");
      status = 1;
      break;
    }
    close(fd);
    struct stat st;
    if (stat(file, &st) != 0) {
      perror("stat");
      status = 1;
      break;
    }
  }
  remove_tempdir(dir);
  return status;
}
