/*
 * path.c — mapping guest absolute paths through the -L prefix.
 */
#include <stdio.h>
#include <sys/stat.h>

#include "linux-user/path.h"

const char *guest_ld_prefix;

const char *guest_path(const char *path, char *buf, size_t buflen)
{
    if (!guest_ld_prefix || !path || path[0] != '/') {
        return path;
    }
    int n = snprintf(buf, buflen, "%s%s", guest_ld_prefix, path);
    if (n < 0 || (size_t)n >= buflen) {
        return path;
    }
    struct stat st;
    /* lstat: a dangling symlink inside the sysroot still belongs to it. */
    return lstat(buf, &st) == 0 ? buf : path;
}
