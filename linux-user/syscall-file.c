/*
 * syscall-file.c — file and file-descriptor system calls.
 *
 * Guest buffers are host memory (guest_base + address), so most calls pass
 * straight through once the range is checked.  Buffers the kernel writes
 * into are first "prepared" (guest_prepare_write): a page we write-protected
 * for translated code would otherwise make the host call fail with EFAULT.
 */
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/guest-struct.h"
#include "linux-user/path.h"
#include "linux-user/procfs.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

const char *guest_exe_path;

/* ---- helpers ------------------------------------------------------------ */

int open_flags_to_host(uint32_t g)
{
    const LinuxTarget *t = &linux_target;
    uint32_t h = g;
    for (unsigned i = 0; i < t->n_open_flags; i++)
        h &= ~t->open_flags[i].guest;
    for (unsigned i = 0; i < t->n_open_flags; i++)
        if (g & t->open_flags[i].guest)
            h |= t->open_flags[i].host;
    return (int)h;
}

uint32_t open_flags_to_guest(int hf)
{
    const LinuxTarget *t = &linux_target;
    uint32_t h = (uint32_t)hf, g = h;
    for (unsigned i = 0; i < t->n_open_flags; i++)
        g &= ~t->open_flags[i].host;
    for (unsigned i = 0; i < t->n_open_flags; i++)
        if (h & t->open_flags[i].host)
            g |= t->open_flags[i].guest;
    return g;
}

int put_guest_stat64(uint64_t addr, const struct stat *st)
{
    GuestStruct s;
    gs_init(&s, syscall_abi()->llong_align);
    gs_u64(&s, st->st_dev);
    gs_pad(&s, 4);
    gs_u32(&s, (uint32_t)st->st_ino);       /* __st_ino */
    gs_u32(&s, st->st_mode);
    gs_u32(&s, (uint32_t)st->st_nlink);
    gs_u32(&s, st->st_uid);
    gs_u32(&s, st->st_gid);
    gs_u64(&s, st->st_rdev);
    gs_pad(&s, 4);
    gs_u64(&s, (uint64_t)st->st_size);
    gs_u32(&s, (uint32_t)st->st_blksize);
    gs_u64(&s, (uint64_t)st->st_blocks);
    gs_u32(&s, (uint32_t)st->st_atim.tv_sec);
    gs_u32(&s, (uint32_t)st->st_atim.tv_nsec);
    gs_u32(&s, (uint32_t)st->st_mtim.tv_sec);
    gs_u32(&s, (uint32_t)st->st_mtim.tv_nsec);
    gs_u32(&s, (uint32_t)st->st_ctim.tv_sec);
    gs_u32(&s, (uint32_t)st->st_ctim.tv_nsec);
    gs_u64(&s, st->st_ino);
    return copy_to_guest(addr, s.buf, gs_size(&s));
}

/* The struct stat of LP64 guests (x86_64's arch/x86/include/uapi/asm/
 * stat.h, 144 bytes): long-sized dev, ino, nlink, rdev, size, blksize,
 * blocks and times, 32-bit mode, uid and gid. */
static int put_guest_stat_lp64(uint64_t addr, const struct stat *st)
{
    GuestStruct s;
    gs_init(&s, 8);
    gs_u64(&s, st->st_dev);
    gs_u64(&s, st->st_ino);
    gs_u64(&s, st->st_nlink);
    gs_u32(&s, st->st_mode);
    gs_u32(&s, st->st_uid);
    gs_u32(&s, st->st_gid);
    gs_u32(&s, 0);
    gs_u64(&s, st->st_rdev);
    gs_u64(&s, (uint64_t)st->st_size);
    gs_u64(&s, (uint64_t)st->st_blksize);
    gs_u64(&s, (uint64_t)st->st_blocks);
    gs_u64(&s, (uint64_t)st->st_atim.tv_sec);
    gs_u64(&s, (uint64_t)st->st_atim.tv_nsec);
    gs_u64(&s, (uint64_t)st->st_mtim.tv_sec);
    gs_u64(&s, (uint64_t)st->st_mtim.tv_nsec);
    gs_u64(&s, (uint64_t)st->st_ctim.tv_sec);
    gs_u64(&s, (uint64_t)st->st_ctim.tv_nsec);
    gs_pad(&s, 24);
    return copy_to_guest(addr, s.buf, gs_size(&s));
}

/* A guest path argument, mapped through -L for lookups.  NULL: EFAULT. */
static const char *path_arg(uint64_t addr, char *buf, size_t len, bool lookup)
{
    const char *p = guest_string(addr, PATH_MAX);
    if (!p) {
        return NULL;
    }
    if (guest_exe_path && strcmp(p, "/proc/self/exe") == 0) {
        return guest_exe_path;
    }
    return lookup ? guest_path(p, buf, len) : p;
}

#define PATH_ARG(var, addr, lookup)                                   \
    char var##_buf[PATH_MAX + 256];                                   \
    const char *var = path_arg(addr, var##_buf, sizeof(var##_buf), lookup); \
    if (!var)                                                          \
        return -EFAULT

static int dirfd_arg(uint64_t v) { return sarg(v); }

/* ---- read and write --------------------------------------------------- */

int64_t sys_read(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t len = guest_ulong(a[2]);
    void *p = guest_ptr(a[1], len, PAGE_WRITE);
    if (!p)
        return -EFAULT;
    return safe_syscall(SYS_read, (long)sarg(a[0]), (long)p, (long)len);
}

int64_t sys_write(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t len = guest_ulong(a[2]);
    const void *p = guest_ptr(a[1], len, PAGE_READ);
    if (!p)
        return -EFAULT;
    return safe_syscall(SYS_write, (long)sarg(a[0]), (long)p, (long)len);
}

int64_t sys_pread64(CPUCommon *cpu, const uint64_t *a)
{
    unsigned i = 3;
    int64_t off = (int64_t)syscall_arg64(a, &i);
    uint64_t len = guest_ulong(a[2]);
    void *p = guest_ptr(a[1], len, PAGE_WRITE);
    if (!p)
        return -EFAULT;
    return host_result(pread(sarg(a[0]), p, len, off));
}

int64_t sys_pwrite64(CPUCommon *cpu, const uint64_t *a)
{
    unsigned i = 3;
    int64_t off = (int64_t)syscall_arg64(a, &i);
    uint64_t len = guest_ulong(a[2]);
    const void *p = guest_ptr(a[1], len, PAGE_READ);
    if (!p)
        return -EFAULT;
    return host_result(pwrite(sarg(a[0]), p, len, off));
}

int64_t guest_iovec(uint64_t addr, uint64_t cnt, struct iovec *iov, unsigned prot)
{
    if (cnt > IOV_MAX)
        return -EINVAL;
    /* struct iovec: two guest words (8 or 16 bytes) */
    int64_t g[2];
    unsigned ws = guest_long_size();
    for (uint64_t i = 0; i < cnt; i++) {
        if (get_guest_longs(addr + i * 2 * ws, g, 2) < 0)
            return -EFAULT;
        g[0] = (int64_t)guest_ulong((uint64_t)g[0]);
        g[1] = (int64_t)guest_ulong((uint64_t)g[1]);
        void *p = guest_ptr(g[0], g[1], prot);
        if (!p && g[1])
            return -EFAULT;
        iov[i].iov_base = p;
        iov[i].iov_len = g[1];
    }
    return 0;
}

int64_t sys_readv(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t cnt = guest_ulong(a[2]);
    if (cnt > IOV_MAX)
        return -EINVAL;
    struct iovec iov[cnt ? cnt : 1];
    int64_t r = guest_iovec(a[1], cnt, iov, PAGE_WRITE);
    if (r < 0)
        return r;
    return safe_syscall(SYS_readv, (long)sarg(a[0]), (long)iov, (long)cnt);
}

int64_t sys_writev(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t cnt = guest_ulong(a[2]);
    if (cnt > IOV_MAX)
        return -EINVAL;
    struct iovec iov[cnt ? cnt : 1];
    int64_t r = guest_iovec(a[1], cnt, iov, PAGE_READ);
    if (r < 0)
        return r;
    return safe_syscall(SYS_writev, (long)sarg(a[0]), (long)iov, (long)cnt);
}

/* ---- open, close, seek ------------------------------------------------- */

int64_t sys_openat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], true);
    int flags = open_flags_to_host((uint32_t)a[2]);
    const char *gpath = guest_string(a[1], PATH_MAX);
    if (gpath && gpath[0] == '/') {
        int r = procfs_open(gpath, flags);
        if (r != PROCFS_NOT_EMULATED)
            return r;
    }
    return host_result(openat(dirfd_arg(a[0]), path, flags, (mode_t)a[3]));
}

int64_t sys_open(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[4] = { (uint32_t)AT_FDCWD, a[0], a[1], a[2] };
    return sys_openat(cpu, b);
}

int64_t sys_creat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], false);
    return host_result(creat(path, (mode_t)a[1]));
}

int64_t sys_close(CPUCommon *cpu, const uint64_t *a)
{
    int fd = sarg(a[0]);
    /* Our own descriptors (log file) are not the guest's to close. */
    if (exec_log_file && fd > 2 && fd == fileno(exec_log_file))
        return -EBADF;
    dir_cookies_forget(fd);
    return host_result(close(fd));
}

static int64_t do_lseek(int fd, int64_t off, int whence)
{
    int64_t host_off;
    if (whence == SEEK_SET && dir_cookie_to_host(fd, (uint64_t)off, &host_off)) {
        off = host_off;
    }
    return host_result(lseek(fd, off, whence));
}

int64_t sys_lseek(CPUCommon *cpu, const uint64_t *a)
{
    /* off_t is a guest long: 32-bit guests cannot see past 2 GiB here */
    int64_t r = do_lseek(sarg(a[0]), guest_slong(a[1]), sarg(a[2]));
    if (guest_long_size() == 4 && r > INT32_MAX)
        return -EOVERFLOW;
    return r;
}

int64_t sys__llseek(CPUCommon *cpu, const uint64_t *a)
{
    int64_t off = (int64_t)(((uint64_t)(uint32_t)a[1] << 32) | (uint32_t)a[2]);
    int64_t r = do_lseek(sarg(a[0]), off, sarg(a[4]));
    if (r < 0)
        return r;
    if (copy_to_guest(a[3], &r, 8) < 0)
        return -EFAULT;
    return 0;
}

/* ---- stat ---------------------------------------------------------------- */

static int64_t do_fstatat(int dirfd, const char *path, uint64_t buf, int flags)
{
    struct stat st;
    if (fstatat(dirfd, path, &st, flags) < 0)
        return -errno;
    return put_guest_stat64(buf, &st);
}

/* The 32-bit struct stat of stat/lstat/fstat (106-108; what old C
 * libraries without stat64 call): 32-bit dev, ino, rdev, size, blocks and
 * times, 16-bit mode, nlink, uid and gid.  Like the kernel's cp_new_stat:
 * EOVERFLOW when the inode, size or link count does not fit, uid/gid
 * 65534 when they do not. */
static int64_t put_guest_old_stat(uint64_t addr, const struct stat *st)
{
    if (st->st_ino > UINT32_MAX || st->st_size > INT32_MAX || st->st_nlink > UINT16_MAX)
        return -EOVERFLOW;
    GuestStruct s;
    gs_init(&s, syscall_abi()->llong_align);
    gs_u32(&s, (uint32_t)st->st_dev);
    gs_u32(&s, (uint32_t)st->st_ino);
    gs_u16(&s, (uint16_t)st->st_mode);
    gs_u16(&s, (uint16_t)st->st_nlink);
    gs_u16(&s, st->st_uid > UINT16_MAX ? 65534 : (uint16_t)st->st_uid);
    gs_u16(&s, st->st_gid > UINT16_MAX ? 65534 : (uint16_t)st->st_gid);
    gs_u32(&s, (uint32_t)st->st_rdev);
    gs_u32(&s, (uint32_t)st->st_size);
    gs_u32(&s, (uint32_t)st->st_blksize);
    gs_u32(&s, (uint32_t)st->st_blocks);
    gs_u32(&s, (uint32_t)st->st_atim.tv_sec);
    gs_u32(&s, (uint32_t)st->st_atim.tv_nsec);
    gs_u32(&s, (uint32_t)st->st_mtim.tv_sec);
    gs_u32(&s, (uint32_t)st->st_mtim.tv_nsec);
    gs_u32(&s, (uint32_t)st->st_ctim.tv_sec);
    gs_u32(&s, (uint32_t)st->st_ctim.tv_nsec);
    gs_u32(&s, 0);
    gs_u32(&s, 0);
    return copy_to_guest(addr, s.buf, gs_size(&s));   /* 64 bytes */
}

static int64_t do_old_fstatat(int dirfd, const char *path, uint64_t buf, int flags)
{
    struct stat st;
    if (fstatat(dirfd, path, &st, flags) < 0)
        return -errno;
    return put_guest_old_stat(buf, &st);
}

int64_t sys_stat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], true);
    return do_old_fstatat(AT_FDCWD, path, a[1], 0);
}

int64_t sys_lstat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], true);
    return do_old_fstatat(AT_FDCWD, path, a[1], AT_SYMLINK_NOFOLLOW);
}

int64_t sys_fstat(CPUCommon *cpu, const uint64_t *a)
{
    return do_old_fstatat(sarg(a[0]), "", a[1], AT_EMPTY_PATH);
}

int64_t sys_stat64(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], true);
    return do_fstatat(AT_FDCWD, path, a[1], 0);
}

int64_t sys_lstat64(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], true);
    return do_fstatat(AT_FDCWD, path, a[1], AT_SYMLINK_NOFOLLOW);
}

int64_t sys_fstat64(CPUCommon *cpu, const uint64_t *a)
{
    return do_fstatat(sarg(a[0]), "", a[1], AT_EMPTY_PATH);
}

int64_t sys_fstatat64(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], true);
    return do_fstatat(dirfd_arg(a[0]), path, a[2], sarg(a[3]));
}

static int64_t do_newfstatat(int dirfd, const char *path, uint64_t buf, int flags)
{
    struct stat st;
    if (fstatat(dirfd, path, &st, flags) < 0)
        return -errno;
    return put_guest_stat_lp64(buf, &st);
}

int64_t sys_newstat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], true);
    return do_newfstatat(AT_FDCWD, path, a[1], 0);
}

int64_t sys_newlstat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], true);
    return do_newfstatat(AT_FDCWD, path, a[1], AT_SYMLINK_NOFOLLOW);
}

int64_t sys_newfstat(CPUCommon *cpu, const uint64_t *a)
{
    return do_newfstatat(sarg(a[0]), "", a[1], AT_EMPTY_PATH);
}

int64_t sys_newfstatat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], true);
    return do_newfstatat(dirfd_arg(a[0]), path, a[2], sarg(a[3]));
}

int64_t sys_statx(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], true);
    /* struct statx has one layout on every architecture: the kernel can
     * write it straight into guest memory. */
    void *buf = guest_ptr(a[4], sizeof(struct statx), PAGE_WRITE);
    if (!buf)
        return -EFAULT;
    return host_result(syscall(SYS_statx, dirfd_arg(a[0]), path, sarg(a[2]), (unsigned)a[3], buf));
}

static int64_t put_statfs64(uint64_t addr, const struct statfs *sf)
{
    GuestStruct s;
    gs_init(&s, syscall_abi()->llong_align);
    /* __statfs_word: u32 on 32-bit guests, long on LP64 ones */
    gs_long(&s, sf->f_type);
    gs_long(&s, sf->f_bsize);
    gs_u64(&s, sf->f_blocks);
    gs_u64(&s, sf->f_bfree);
    gs_u64(&s, sf->f_bavail);
    gs_u64(&s, sf->f_files);
    gs_u64(&s, sf->f_ffree);
    int fsid[2];
    memcpy(fsid, &sf->f_fsid, sizeof(fsid));
    gs_u32(&s, (uint32_t)fsid[0]);
    gs_u32(&s, (uint32_t)fsid[1]);
    gs_long(&s, sf->f_namelen);
    gs_long(&s, sf->f_frsize);
    gs_long(&s, sf->f_flags);
    for (int i = 0; i < 4; i++)
        gs_long(&s, 0);
    return copy_to_guest(addr, s.buf, gs_size(&s));
}

/* statfs(path, buf) and fstatfs(fd, buf) of LP64 guests: struct statfs
 * there is struct statfs64's layout with long words. */
int64_t sys_statfs_word(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], true);
    struct statfs sf;
    if (statfs(path, &sf) < 0)
        return -errno;
    return put_statfs64(a[1], &sf);
}

int64_t sys_fstatfs_word(CPUCommon *cpu, const uint64_t *a)
{
    struct statfs sf;
    if (fstatfs(sarg(a[0]), &sf) < 0)
        return -errno;
    return put_statfs64(a[1], &sf);
}

int64_t sys_statfs64(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], true);
    struct statfs sf;
    if (statfs(path, &sf) < 0)
        return -errno;
    return put_statfs64(a[2], &sf);
}

int64_t sys_fstatfs64(CPUCommon *cpu, const uint64_t *a)
{
    struct statfs sf;
    if (fstatfs(sarg(a[0]), &sf) < 0)
        return -errno;
    return put_statfs64(a[2], &sf);
}

/* ---- names --------------------------------------------------------------- */

int64_t sys_faccessat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], true);
    return host_result(syscall(SYS_faccessat, dirfd_arg(a[0]), path, sarg(a[2])));
}

int64_t sys_faccessat2(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], true);
    return host_result(faccessat(dirfd_arg(a[0]), path, sarg(a[2]), sarg(a[3])));
}

int64_t sys_access(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[3] = { (uint32_t)AT_FDCWD, a[0], a[1] };
    return sys_faccessat(cpu, b);
}

int64_t sys_readlinkat(CPUCommon *cpu, const uint64_t *a)
{
    const char *p = guest_string(a[1], PATH_MAX);
    if (!p)
        return -EFAULT;
    int64_t len = sarg(a[3]);
    if (len <= 0)
        return -EINVAL;
    char *buf = guest_ptr(a[2], (uint64_t)len, PAGE_WRITE);
    if (!buf)
        return -EFAULT;
    if (guest_exe_path && (strcmp(p, "/proc/self/exe") == 0)) {
        size_t n = strlen(guest_exe_path);
        if (n > (size_t)len)
            n = (size_t)len;
        memcpy(buf, guest_exe_path, n);
        return (int64_t)n;
    }
    char pb[PATH_MAX + 256];
    return host_result(readlinkat(dirfd_arg(a[0]), guest_path(p, pb, sizeof(pb)), buf, (size_t)len));
}

int64_t sys_readlink(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[4] = { (uint32_t)AT_FDCWD, a[0], a[1], a[2] };
    return sys_readlinkat(cpu, b);
}

int64_t sys_getcwd(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t size = guest_ulong(a[1]);
    char *buf = guest_ptr(a[0], size, PAGE_WRITE);
    if (!buf)
        return -EFAULT;
    /* The raw syscall returns the length including the NUL. */
    return host_result(syscall(SYS_getcwd, buf, size));
}

int64_t sys_chdir(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], false);
    return host_result(chdir(path));
}

int64_t sys_fchdir(CPUCommon *cpu, const uint64_t *a) { return host_result(fchdir(sarg(a[0]))); }

int64_t sys_mkdirat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], false);
    return host_result(mkdirat(dirfd_arg(a[0]), path, (mode_t)a[2]));
}

int64_t sys_mkdir(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], false);
    return host_result(mkdir(path, (mode_t)a[1]));
}

int64_t sys_rmdir(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], false);
    return host_result(rmdir(path));
}

int64_t sys_unlinkat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], false);
    return host_result(unlinkat(dirfd_arg(a[0]), path, sarg(a[2])));
}

int64_t sys_unlink(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], false);
    return host_result(unlink(path));
}

int64_t sys_renameat2(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(from, a[1], false);
    PATH_ARG(to, a[3], false);
    return host_result(syscall(SYS_renameat2, dirfd_arg(a[0]), from, dirfd_arg(a[2]), to,
                               (unsigned)a[4]));
}

int64_t sys_renameat(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[5] = { a[0], a[1], a[2], a[3], 0 };
    return sys_renameat2(cpu, b);
}

int64_t sys_rename(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[5] = { (uint32_t)AT_FDCWD, a[0], (uint32_t)AT_FDCWD, a[1], 0 };
    return sys_renameat2(cpu, b);
}

int64_t sys_symlinkat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(target, a[0], false);
    PATH_ARG(path, a[2], false);
    return host_result(symlinkat(target, dirfd_arg(a[1]), path));
}

int64_t sys_symlink(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[3] = { a[0], (uint32_t)AT_FDCWD, a[1] };
    return sys_symlinkat(cpu, b);
}

int64_t sys_linkat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(from, a[1], false);
    PATH_ARG(to, a[3], false);
    return host_result(linkat(dirfd_arg(a[0]), from, dirfd_arg(a[2]), to, sarg(a[4])));
}

int64_t sys_link(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[5] = { (uint32_t)AT_FDCWD, a[0], (uint32_t)AT_FDCWD, a[1], 0 };
    return sys_linkat(cpu, b);
}

int64_t sys_fchmodat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], false);
    return host_result(fchmodat(dirfd_arg(a[0]), path, (mode_t)a[2], 0));
}

int64_t sys_chmod(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], false);
    return host_result(chmod(path, (mode_t)a[1]));
}

int64_t sys_fchmod(CPUCommon *cpu, const uint64_t *a) { return host_result(fchmod(sarg(a[0]), (mode_t)a[1])); }

int64_t sys_fchownat(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[1], false);
    return host_result(fchownat(dirfd_arg(a[0]), path, (uid_t)a[2], (gid_t)a[3], sarg(a[4])));
}

int64_t sys_chown32(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], false);
    return host_result(chown(path, (uid_t)a[1], (gid_t)a[2]));
}

int64_t sys_lchown32(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], false);
    return host_result(lchown(path, (uid_t)a[1], (gid_t)a[2]));
}

int64_t sys_fchown32(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(fchown(sarg(a[0]), (uid_t)a[1], (gid_t)a[2]));
}

int64_t sys_truncate64(CPUCommon *cpu, const uint64_t *a)
{
    PATH_ARG(path, a[0], false);
    unsigned i = 1;
    return host_result(truncate(path, (off_t)syscall_arg64(a, &i)));
}

int64_t sys_ftruncate64(CPUCommon *cpu, const uint64_t *a)
{
    unsigned i = 1;
    return host_result(ftruncate(sarg(a[0]), (off_t)syscall_arg64(a, &i)));
}

int64_t sys_fsync(CPUCommon *cpu, const uint64_t *a) { return host_result(fsync(sarg(a[0]))); }
int64_t sys_fdatasync(CPUCommon *cpu, const uint64_t *a) { return host_result(fdatasync(sarg(a[0]))); }

/* ---- descriptors ------------------------------------------------------- */

int64_t sys_dup(CPUCommon *cpu, const uint64_t *a) { return host_result(dup(sarg(a[0]))); }

int64_t sys_dup2(CPUCommon *cpu, const uint64_t *a)
{
    dir_cookies_forget(sarg(a[1]));
    return host_result(dup2(sarg(a[0]), sarg(a[1])));
}

int64_t sys_dup3(CPUCommon *cpu, const uint64_t *a)
{
    dir_cookies_forget(sarg(a[1]));
    return host_result(dup3(sarg(a[0]), sarg(a[1]), open_flags_to_host((uint32_t)a[2])));
}

static int64_t do_pipe2(uint64_t addr, int flags)
{
    int fds[2];
    if (!guest_prepare_write(addr, 8))
        return -EFAULT;
    if (pipe2(fds, flags) < 0)
        return -errno;
    int32_t g[2] = { fds[0], fds[1] };
    memcpy(g2h(addr), g, 8);
    return 0;
}

int64_t sys_pipe(CPUCommon *cpu, const uint64_t *a) { return do_pipe2(a[0], 0); }
int64_t sys_pipe2(CPUCommon *cpu, const uint64_t *a) { return do_pipe2(a[0], open_flags_to_host((uint32_t)a[1])); }

/* struct flock64 in the guest: short type, short whence, loff_t start,
 * loff_t len, pid_t pid. */
static int flock64_from_guest(uint64_t addr, struct flock *fl)
{
    uint8_t raw[32];
    GuestStructReader r = { raw, 0, syscall_abi()->llong_align, 0 };
    unsigned size = syscall_abi()->llong_align == 8 ? 32 : 24;
    if (copy_from_guest(raw, addr, size) < 0)
        return -EFAULT;
    fl->l_type = (short)gsr_u16(&r);
    fl->l_whence = (short)gsr_u16(&r);
    fl->l_start = (off_t)gsr_u64(&r);
    fl->l_len = (off_t)gsr_u64(&r);
    fl->l_pid = (pid_t)gsr_u32(&r);
    return 0;
}

static int flock64_to_guest(uint64_t addr, const struct flock *fl)
{
    GuestStruct s;
    gs_init(&s, syscall_abi()->llong_align);
    gs_u16(&s, (uint16_t)fl->l_type);
    gs_u16(&s, (uint16_t)fl->l_whence);
    gs_u64(&s, (uint64_t)fl->l_start);
    gs_u64(&s, (uint64_t)fl->l_len);
    gs_u32(&s, (uint32_t)fl->l_pid);
    return copy_to_guest(addr, s.buf, gs_size(&s));
}

/* F_GETLK/F_SETLK/F_SETLKW of 32-bit guests: struct flock with the
 * guest's 32-bit off_t: type, whence, start, len, pid (16 bytes). */
static int64_t fcntl_flock32(int fd, int cmd, uint64_t addr)
{
    int32_t w[4];
    uint16_t tw[2];
    if (copy_from_guest(tw, addr, 4) < 0 || copy_from_guest(w, addr + 4, 12) < 0)
        return -EFAULT;
    struct flock fl = { .l_type = (short)tw[0], .l_whence = (short)tw[1], .l_start = w[0],
                        .l_len = w[1], .l_pid = w[2] };
    if (fcntl(fd, cmd, &fl) < 0)
        return -errno;
    if (cmd == F_GETLK) {
        if (fl.l_start > INT32_MAX || fl.l_len > INT32_MAX)
            return -EOVERFLOW;
        tw[0] = (uint16_t)fl.l_type;
        tw[1] = (uint16_t)fl.l_whence;
        int32_t o[3] = { (int32_t)fl.l_start, (int32_t)fl.l_len, fl.l_pid };
        if (copy_to_guest(addr, tw, 4) < 0 || copy_to_guest(addr + 4, o, 12) < 0)
            return -EFAULT;
    }
    return 0;
}

/* fcntl command numbers of the 32-bit generic ABI (ARM, i386). */
enum { G_F_GETLK64 = 12, G_F_SETLK64 = 13, G_F_SETLKW64 = 14 };

int64_t sys_fcntl64(CPUCommon *cpu, const uint64_t *a)
{
    int fd = sarg(a[0]), cmd = sarg(a[1]);
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
    case F_GETFD:
    case F_SETFD:
    case F_GETOWN:
    case F_SETOWN:
    case F_SETSIG:
    case F_GETSIG:
    case F_SETLEASE:
    case F_GETLEASE:
    case F_NOTIFY:
    case F_SETPIPE_SZ:
    case F_GETPIPE_SZ:
    case F_ADD_SEALS:
    case F_GET_SEALS:
        return host_result(fcntl(fd, cmd, (long)sarg(a[2])));
    case F_GETFL: {
        int r = fcntl(fd, F_GETFL);
        return r < 0 ? -errno : (int64_t)open_flags_to_guest(r);
    }
    case F_SETFL:
        return host_result(fcntl(fd, F_SETFL, open_flags_to_host((uint32_t)a[2])));
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
        if (guest_long_size() == 4)
            return fcntl_flock32(fd, cmd, a[2]);
        /* LP64: struct flock is flock64's layout */
        /* fall through */
    case G_F_GETLK64:
    case G_F_SETLK64:
    case G_F_SETLKW64:
    case F_OFD_GETLK:      /* the open file description locks take flock64 */
    case F_OFD_SETLK:
    case F_OFD_SETLKW: {
        struct flock fl;
        if (flock64_from_guest(a[2], &fl) < 0)
            return -EFAULT;
        int hcmd = cmd == G_F_GETLK64 ? F_GETLK : cmd == G_F_SETLK64 ? F_SETLK
                   : cmd == G_F_SETLKW64 ? F_SETLKW : cmd;
        if (fcntl(fd, hcmd, &fl) < 0)
            return -errno;
        if (cmd == G_F_GETLK64 || cmd == F_OFD_GETLK)
            return flock64_to_guest(a[2], &fl);
        return 0;
    }
    default:
        return -EINVAL;
    }
}

/* ---- ioctl ------------------------------------------------------------- */

/* Terminal ioctls: the generic numbers and the kernel's struct termios
 * (4 flag words, c_line, 19 c_cc) and struct winsize are the same on every
 * supported guest and host. */
#define KERNEL_TERMIOS_SIZE 36

int64_t sys_ioctl(CPUCommon *cpu, const uint64_t *a)
{
    int fd = sarg(a[0]);
    uint32_t req = (uint32_t)a[1];
    uint64_t arg = guest_ulong(a[2]);
    void *p;
    switch (req) {
    case TCGETS:
        if (!(p = guest_ptr(arg, KERNEL_TERMIOS_SIZE, PAGE_WRITE)))
            return -EFAULT;
        return host_result(ioctl(fd, req, p));
    case TCSETS:
    case TCSETSW:
    case TCSETSF:
        if (!(p = guest_ptr(arg, KERNEL_TERMIOS_SIZE, PAGE_READ)))
            return -EFAULT;
        return host_result(ioctl(fd, req, p));
    case TIOCGWINSZ:
        if (!(p = guest_ptr(arg, sizeof(struct winsize), PAGE_WRITE)))
            return -EFAULT;
        return host_result(ioctl(fd, req, p));
    case TIOCSWINSZ:
        if (!(p = guest_ptr(arg, sizeof(struct winsize), PAGE_READ)))
            return -EFAULT;
        return host_result(ioctl(fd, req, p));
    case FIONREAD:
    case TIOCGPGRP:
    case TIOCOUTQ:
        if (!(p = guest_ptr(arg, 4, PAGE_WRITE)))
            return -EFAULT;
        return host_result(ioctl(fd, req, p));
    case TIOCSPGRP:
    case FIONBIO:
    case FIOASYNC:
        if (!(p = guest_ptr(arg, 4, PAGE_READ)))
            return -EFAULT;
        return host_result(ioctl(fd, req, p));
    case FIOCLEX:
    case FIONCLEX:
    case TIOCSCTTY:
    case TIOCNOTTY:
        return host_result(ioctl(fd, req, (long)arg));
    default:
        if (exec_log_enabled(LOG_UNIMP))
            exec_log("unimplemented ioctl 0x%x on fd %d\n", req, fd);
        return -ENOTTY;
    }
}

/* ---- poll, utimensat ---------------------------------------------------- */

int64_t sys_poll(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t n = guest_ulong(a[1]);
    if (n > 65536)
        return -EINVAL;
    /* struct pollfd: int fd; short events; short revents — same everywhere. */
    struct pollfd *p = guest_ptr(a[0], n * sizeof(struct pollfd), PAGE_WRITE);
    if (!p && n)
        return -EFAULT;
    /* as ppoll (aarch64 hosts have no poll system call): a negative
     * timeout waits for ever */
    int64_t ms = sarg(a[2]);
    struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (ms % 1000) * 1000000 };
    return safe_syscall(SYS_ppoll, (long)p, (long)n, (long)(ms < 0 ? NULL : &ts), 0L, 8L);
}


int64_t sys_utimensat_time64(CPUCommon *cpu, const uint64_t *a)
{
    struct timespec ts[2], *tsp = NULL;
    if (a[2]) {
        if (get_timespec64(a[2], &ts[0]) < 0 || get_timespec64(a[2] + 16, &ts[1]) < 0)
            return -EFAULT;
        tsp = ts;
    }
    if (!a[1])   /* futimens: the kernel accepts a NULL path with a descriptor */
        return host_result(syscall(SYS_utimensat, dirfd_arg(a[0]), NULL, tsp, sarg(a[3])));
    PATH_ARG(path, a[1], false);
    return host_result(utimensat(dirfd_arg(a[0]), path, tsp, sarg(a[3])));
}
