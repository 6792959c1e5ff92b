// SPDX-License-Identifier: MIT
#include "tracer/launch/Mounts.h"

#include <dlfcn.h>
#include <libmount/libmount.h>

#include <memory>

#include "events/Errors.h"

namespace capmin::tracer {

namespace {

// libmount is loaded the first time a mount table is read, not when capmin
// starts: with the libblkid, libselinux and libpcre2 it brings, loading it
// was about 1 ms of every run, and only runc verification reads mount tables.
struct LibMount {
  decltype(&mnt_new_table_from_file) new_table_from_file;
  decltype(&mnt_unref_table) unref_table;
  decltype(&mnt_new_iter) new_iter;
  decltype(&mnt_free_iter) free_iter;
  decltype(&mnt_table_next_fs) table_next_fs;
  decltype(&mnt_fs_get_target) fs_get_target;
  decltype(&mnt_fs_get_fstype) fs_get_fstype;
};

template <typename F>
void bind(void* lib, const char* name, F& fn) {
  fn = reinterpret_cast<F>(dlsym(lib, name));
  if (fn == nullptr) {
    throw UserError(std::string("libmount.so.1 has no ") + name + ": " + dlerror());
  }
}

LibMount load_libmount() {
  // Never closed: the functions are used until capmin exits.
  void* lib = dlopen("libmount.so.1", RTLD_NOW | RTLD_LOCAL);
  if (lib == nullptr) {
    throw UserError(std::string("cannot load libmount (Debian: libmount1): ") + dlerror());
  }
  LibMount m{};
  bind(lib, "mnt_new_table_from_file", m.new_table_from_file);
  bind(lib, "mnt_unref_table", m.unref_table);
  bind(lib, "mnt_new_iter", m.new_iter);
  bind(lib, "mnt_free_iter", m.free_iter);
  bind(lib, "mnt_table_next_fs", m.table_next_fs);
  bind(lib, "mnt_fs_get_target", m.fs_get_target);
  bind(lib, "mnt_fs_get_fstype", m.fs_get_fstype);
  return m;
}

const LibMount& libmount() {
  static const LibMount lib = load_libmount();
  return lib;
}

}  // namespace

std::vector<VisibleMount> visible_mounts(const std::string& mountinfo) {
  const LibMount& mnt = libmount();
  const std::unique_ptr<libmnt_table, decltype(mnt.unref_table)> table(
      mnt.new_table_from_file(mountinfo.c_str()), mnt.unref_table);
  const std::unique_ptr<libmnt_iter, decltype(mnt.free_iter)> it(mnt.new_iter(MNT_ITER_FORWARD),
                                                                 mnt.free_iter);
  std::vector<VisibleMount> mounts;
  if (!table || !it) {
    return mounts;
  }
  libmnt_fs* fs = nullptr;
  while (mnt.table_next_fs(table.get(), it.get(), &fs) == 0) {
    const char* point = mnt.fs_get_target(fs);
    const char* type = mnt.fs_get_fstype(fs);
    mounts.push_back({point != nullptr ? point : "", type != nullptr ? type : ""});
  }
  return mounts;
}

}  // namespace capmin::tracer
