/* SPDX-License-Identifier: MIT */
/* threaded N: 8 threads, each creates a file of its own in a private
 * temporary directory, then opens and closes it N times. Watched calls
 * (openat) from several threads at once: the tracer serialises them. */
#include <pthread.h>

#include "common.h"

enum { THREADS = 8 };

static long rounds;
static const char* dir;

static void* worker(void* arg) {
  long id = (long)arg;
  char file[4200];
  snprintf(file, sizeof file, "%s/t%ld", dir, id);
  int fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    return (void*)1;
  }
  close(fd);
  for (long i = 0; i < rounds; ++i) {
    fd = open(file, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      return (void*)1;
    }
    close(fd);
  }
  return NULL;
}

int main(int argc, char** argv) {
  rounds = size_arg(argc, argv, 15000);
  dir = make_tempdir("threads");
  pthread_t t[THREADS];
  for (long i = 0; i < THREADS; ++i) {
    if (pthread_create(&t[i], NULL, worker, (void*)i) != 0) {
      die("pthread_create");
    }
  }
  int status = 0;
  for (int i = 0; i < THREADS; ++i) {
    void* r;
    pthread_join(t[i], &r);
    if (r != NULL) {
      fprintf(stderr, "workload: thread %d failed to open its file\n", i);
      status = 1;
    }
  }
  remove_tempdir(dir);
  return status;
}
