/* SPDX-License-Identifier: MIT */
/* Shared helpers of the capmin benchmark workloads (bench/workloads/). Each
 * workload takes a size N as its first argument and works only inside a
 * temporary directory of its own, made under $TMPDIR (or /tmp) and removed
 * before it exits. Under capmin it runs as uid 0 with no capabilities, so it
 * must never need one: the directory it makes is its own (owner uid 0). */
#ifndef CAPMIN_BENCH_COMMON_H
#define CAPMIN_BENCH_COMMON_H

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static inline void die(const char* what) {
  fprintf(stderr, "workload: %s: %s\n", what, strerror(errno));
  exit(1);
}

static inline long size_arg(int argc, char** argv, long fallback) {
  if (argc < 2) {
    return fallback;
  }
  char* end = NULL;
  long n = strtol(argv[1], &end, 10);
  if (*end != '\0' || n < 1) {
    fprintf(stderr, "usage: %s [N>0]\n", argv[0]);
    exit(2);
  }
  return n;
}

/* Makes the workload's private directory; returns its path (static buffer). */
static inline const char* make_tempdir(const char* name) {
  static char path[4096];
  const char* base = getenv("TMPDIR");
  snprintf(path, sizeof path, "%s/capmin-bench-%s.XXXXXX", base && *base ? base : "/tmp", name);
  if (!mkdtemp(path)) {
    die("mkdtemp");
  }
  return path;
}

/* Removes the files of a flat directory made by make_tempdir, then the directory. */
static inline void remove_tempdir(const char* path) {
  DIR* d = opendir(path);
  if (d) {
    struct dirent* e;
    while ((e = readdir(d)) != NULL) {
      if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) {
        unlinkat(dirfd(d), e->d_name, 0);
      }
    }
    closedir(d);
  }
  rmdir(path);
}

#endif
