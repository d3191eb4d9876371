/*
 * path.h — the guest's view of the host file system: absolute paths are
 * looked up under the -L prefix first (a sysroot of the guest's
 * libraries), then in the host's root.
 */
#ifndef VEMU_LINUX_USER_PATH_H
#define VEMU_LINUX_USER_PATH_H

#include <stddef.h>

extern const char *guest_ld_prefix;    /* NULL: none */

/* Returns path itself, or buf holding prefix+path when that exists. */
const char *guest_path(const char *path, char *buf, size_t buflen);

#endif
