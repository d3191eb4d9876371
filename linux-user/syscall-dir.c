/*
 * syscall-dir.c — getdents64, with directory offsets a 32-bit guest can
 * hold.
 *
 * Host file systems (ext4 with dir_index, btrfs...) use 63-bit hashes as
 * directory offsets.  A 32-bit guest's readdir() fails with EOVERFLOW on
 * such d_off values and telldir()/seekdir() truncate them, so every d_off
 * we hand out is a small cookie (1, 2, 3...) that lseek() on the same
 * descriptor maps back to the host offset.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

typedef struct DirCookies {
    int64_t *host_off;      /* cookie c (>= 1) stands for host_off[c - 1] */
    uint32_t n, cap;
} DirCookies;

static DirCookies *dirs;    /* indexed by fd */
static int n_dirs;

void dir_cookies_forget(int fd)
{
    if (fd >= 0 && fd < n_dirs) {
        free(dirs[fd].host_off);
        memset(&dirs[fd], 0, sizeof(dirs[fd]));
    }
}

int dir_cookie_to_host(int fd, uint64_t cookie, int64_t *host_off)
{
    if (fd < 0 || fd >= n_dirs || !dirs[fd].host_off) {
        return 0;
    }
    if (cookie == 0) {
        *host_off = 0;
        return 1;
    }
    if (cookie > dirs[fd].n) {
        return 0;
    }
    *host_off = dirs[fd].host_off[cookie - 1];
    return 1;
}

static DirCookies *cookies_for(int fd)
{
    if (fd < 0 || fd > 1 << 20) {
        return NULL;
    }
    if (fd >= n_dirs) {
        int n = fd + 16;
        DirCookies *d = realloc(dirs, (size_t)n * sizeof(*d));
        if (!d)
            return NULL;
        memset(d + n_dirs, 0, (size_t)(n - n_dirs) * sizeof(*d));
        dirs = d;
        n_dirs = n;
    }
    return &dirs[fd];
}

/* A new cookie for host offset off.  Re-reading a directory hands out
 * new cookies (the table grows with what was read, never quadratically
 * searched); lseek maps old and new ones alike. */
static uint32_t cookie_for(DirCookies *d, int64_t off)
{
    if (d->n >= INT32_MAX - 1)
        return 0;
    if (d->n == d->cap) {
        uint32_t cap = d->cap ? d->cap * 2 : 64;
        int64_t *p = realloc(d->host_off, cap * sizeof(*p));
        if (!p)
            return 0;
        d->host_off = p;
        d->cap = cap;
    }
    d->host_off[d->n++] = off;
    return d->n;
}

/* struct linux_dirent64 is laid out identically for every guest:
 * u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]. */
int64_t sys_getdents64(CPUCommon *cpu, const uint64_t *a)
{
    int fd = sarg(a[0]);
    uint64_t count = guest_ulong(a[2]);
    uint8_t *buf = guest_ptr(a[1], count, PAGE_WRITE);
    if (!buf)
        return -EFAULT;
    DirCookies *d = cookies_for(fd);
    if (!d)
        return -ENOMEM;
    long n = syscall(SYS_getdents64, fd, buf, count);
    if (n < 0)
        return -errno;
    for (long off = 0; off < n; ) {
        uint16_t reclen;
        int64_t doff;
        memcpy(&reclen, buf + off + 16, 2);
        memcpy(&doff, buf + off + 8, 8);
        int64_t cookie = cookie_for(d, doff);
        if (cookie == 0)
            return -ENOMEM;
        memcpy(buf + off + 8, &cookie, 8);
        if (reclen == 0)
            break;
        off += reclen;
    }
    return n;
}
