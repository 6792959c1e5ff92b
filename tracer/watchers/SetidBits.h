// SPDX-License-Identifier: MIT
#pragma once

#include <sys/stat.h>

namespace capmin::tracer {

// The bits a write or truncation clears from a regular file without
// CAP_FSETID (fs/inode.c:should_remove_suid): set-user-ID, and set-group-ID
// when the group may execute (without that, S_ISGID is a locking mark).
inline mode_t clearable_setid_bits(mode_t mode) {
  mode_t bits = mode & S_ISUID;
  if ((mode & (S_ISGID | S_IXGRP)) == (S_ISGID | S_IXGRP)) {
    bits |= S_ISGID;
  }
  return S_ISREG(mode) ? bits : 0;
}

// "S_ISUID", "S_ISGID" or both, as the events name dropped bits.
inline const char* setid_bit_names(mode_t bits) {
  return bits == (S_ISUID | S_ISGID) ? "S_ISUID|S_ISGID" : bits == S_ISUID ? "S_ISUID" : "S_ISGID";
}

}  // namespace capmin::tracer
