// SPDX-License-Identifier: MIT
#include "verify/Mounts.h"

#include <libmount/libmount.h>

#include <memory>

namespace capmin::verify {

std::vector<VisibleMount> visible_mounts(const std::string& mountinfo) {
  const std::unique_ptr<libmnt_table, decltype(&mnt_unref_table)> table(
      mnt_new_table_from_file(mountinfo.c_str()), mnt_unref_table);
  const std::unique_ptr<libmnt_iter, decltype(&mnt_free_iter)> it(mnt_new_iter(MNT_ITER_FORWARD),
                                                                  mnt_free_iter);
  std::vector<VisibleMount> mounts;
  if (!table || !it) {
    return mounts;
  }
  libmnt_fs* fs = nullptr;
  while (mnt_table_next_fs(table.get(), it.get(), &fs) == 0) {
    const char* point = mnt_fs_get_target(fs);
    const char* type = mnt_fs_get_fstype(fs);
    mounts.push_back({point != nullptr ? point : "", type != nullptr ? type : ""});
  }
  return mounts;
}

}  // namespace capmin::verify
