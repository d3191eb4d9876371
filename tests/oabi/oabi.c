/*
 * oabi.c — a program of ARM's old ABI (OABI): no C library, every system
 * call made with `svc 0x900000+n` (the number in the instruction; r7 holds
 * a decoy), arguments in r0-r6 with 64-bit ones in the next two registers
 * whatever their position.
 *
 * Built with arm-linux-gnueabi-gcc -mabi=apcs-gnu (the old APCS: 64-bit
 * members 4-aligned, every struct padded to 4 bytes), so the structs below
 * have the old ABI's layouts by construction; the program checks their
 * sizes against the kernel's OABI definitions, and the ELF header gets
 * EABI version 0 (see run.sh).
 *
 * Prints one line per check, "ok <name> <values>" or "FAIL <name> ...";
 * run.sh compares the lines with qemu-arm's and looks for FAIL.  Values
 * that differ between runs (pids, times, addresses) are not printed.
 */
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned short u16;

/* ---- system calls ---------------------------------------------------------- */

#define NR(n) (0x900000 + (n))
#define DECOY 20   /* getpid: what a wrong reading of r7 would call */

#define SYSCALL6(nr, a0, a1, a2, a3, a4, a5) ({                                        \
    register long r0 __asm__("r0") = (long)(a0);                                        \
    register long r1 __asm__("r1") = (long)(a1);                                        \
    register long r2 __asm__("r2") = (long)(a2);                                        \
    register long r3 __asm__("r3") = (long)(a3);                                        \
    register long r4 __asm__("r4") = (long)(a4);                                        \
    register long r5 __asm__("r5") = (long)(a5);                                        \
    register long r7 __asm__("r7") = DECOY;                                             \
    __asm__ volatile("svc %[n]" : "+r"(r0)                                              \
                     : [n] "i"(nr), "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7) \
                     : "memory");                                                       \
    r0; })
#define SYS(n, ...) SYSCALL6_(NR(n), ##__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#define SYSCALL6_(nr, a0, a1, a2, a3, a4, a5, ...) SYSCALL6(nr, a0, a1, a2, a3, a4, a5)

enum {
    N_exit = 1, N_fork = 2, N_read = 3, N_write = 4, N_open = 5, N_close = 6, N_unlink = 10,
    N_time = 13, N_getpid = 20, N_kill = 37, N_pipe = 42, N_getrlimit = 76, N_gettimeofday = 78,
    N_select = 82, N_mmap = 90, N_munmap = 91, N_socketcall = 102, N_stat = 106, N_fstat = 108,
    N_syscall = 113, N_wait4 = 114, N_ipc = 117, N_sigreturn = 119, N_getppid = 64,
    N_rt_sigreturn = 173, N_rt_sigaction = 174, N_pread64 = 180, N_pwrite64 = 181,
    N_ugetrlimit = 191, N_mmap2 = 192, N_truncate64 = 193, N_ftruncate64 = 194, N_stat64 = 195,
    N_fstat64 = 197, N_fcntl64 = 221, N_llseek = 140, N_exit_group = 248, N_epoll_create = 250,
    N_epoll_ctl = 251, N_epoll_wait = 252, N_statfs64 = 266, N_fstatfs64 = 267, N_bind = 282,
    N_getsockname = 286, N_semop = 298, N_fstatat64 = 327, N_readahead = 225,
    N_arm_fadvise64_64 = 270, N_pause = 29, N_setitimer = 104, N_arm_sync_file_range = 341, N_fallocate = 352,
};
#define ARM_PRIVATE(n) (0x9f0000 + (n))

/* ---- output ---------------------------------------------------------------- */

static char line[512];
static unsigned len;
static int failures;

static unsigned slen(const char *s) { unsigned n = 0; while (s[n]) n++; return n; }
static void puts_(const char *s) { while (*s && len < sizeof(line) - 2) line[len++] = *s++; }
static void hex(u64 v)
{
    char b[19];
    int i = 18;
    b[i] = 0;
    do { b[--i] = "0123456789abcdef"[v & 15]; v >>= 4; } while (v);
    b[--i] = 'x';
    b[--i] = '0';
    puts_(b + i);
}
static void flush(void)
{
    line[len++] = '\n';
    SYS(N_write, 1, line, len);
    len = 0;
}
/* One check: "ok name" or "FAIL name", then the values the caller adds. */
static void check(const char *name, int ok)
{
    puts_(ok ? "ok " : "FAIL ");
    puts_(name);
    if (!ok)
        failures++;
}
static void val(const char *k, u64 v) { puts_(" "); puts_(k); puts_("="); hex(v); }

void *memset(void *d, int c, unsigned long n) { unsigned char *p = d; while (n--) *p++ = (unsigned char)c; return d; }
void *memcpy(void *d, const void *s, unsigned long n)
{
    unsigned char *p = d;
    const unsigned char *q = s;
    while (n--) *p++ = *q++;
    return d;
}
static int mem_eq(const void *a, const void *b, unsigned n)
{
    const unsigned char *p = a, *q = b;
    for (unsigned i = 0; i < n; i++)
        if (p[i] != q[i])
            return 0;
    return 1;
}
static int all_bytes(const void *a, int c, unsigned n)
{
    const unsigned char *p = a;
    for (unsigned i = 0; i < n; i++)
        if (p[i] != (unsigned char)c)
            return 0;
    return 1;
}

/* ---- the kernel's OABI structs (by the old APCS's rules) -------------------- */

struct stat64 {                  /* arch/arm/kernel/sys_oabi-compat.c: oldabi_stat64 */
    u64 st_dev;
    u32 __pad1;
    u32 __st_ino;
    u32 st_mode, st_nlink, st_uid, st_gid;
    u64 st_rdev;
    u32 __pad2;
    s64 st_size;
    u32 st_blksize;
    u64 st_blocks;
    u32 st_atime_, st_atime_nsec, st_mtime_, st_mtime_nsec, st_ctime_, st_ctime_nsec;
    u64 st_ino;
};
struct old_stat {                /* struct stat (106-108) */
    u32 st_dev, st_ino;
    u16 st_mode, st_nlink, st_uid, st_gid;
    u32 st_rdev, st_size, st_blksize, st_blocks;
    u32 t[6];
    u32 unused[2];
};
struct statfs64 {
    u32 f_type, f_bsize;
    u64 f_blocks, f_bfree, f_bavail, f_files, f_ffree;
    u32 f_fsid[2];
    u32 f_namelen, f_frsize, f_flags, f_spare[4];
};
struct flock64 { short l_type, l_whence; s64 l_start, l_len; s32 l_pid; };
struct epoll_event { u32 events; u64 data; };
struct sembuf { u16 sem_num; short sem_op, sem_flg; };
struct sockaddr_un { u16 sun_family; char sun_path[108]; };
struct sigaction_ { void (*handler)(int, void *, void *); u32 flags; void (*restorer)(void); u32 mask[2]; };
struct timeval_ { s32 sec, usec; };

#define CHECK_SIZE(t, n) _Static_assert(sizeof(struct t) == (n), #t " is not the OABI size")
CHECK_SIZE(stat64, 96);          /* EABI: 104 */
CHECK_SIZE(old_stat, 64);
CHECK_SIZE(statfs64, 84);        /* EABI: 88 */
CHECK_SIZE(flock64, 24);         /* EABI: 32 */
CHECK_SIZE(epoll_event, 12);     /* EABI: 16 */
CHECK_SIZE(sembuf, 8);           /* EABI: 6 */
CHECK_SIZE(sockaddr_un, 112);    /* EABI: 110 */
_Static_assert(__builtin_offsetof(struct stat64, st_size) == 44, "st_size");
_Static_assert(__builtin_offsetof(struct flock64, l_start) == 4, "l_start");

/* ---- the checks -------------------------------------------------------------- */

/* Files live in the directory named by argv[1] (default /tmp). */
static char path[128], sock[128];

static void make_name(char *out, const char *dir, const char *base)
{
    unsigned n = 0;
    while (*dir && n < 80)
        out[n++] = *dir++;
    out[n++] = '/';
    while (*base)
        out[n++] = *base++;
    out[n] = 0;
}

static void files(void)
{
    SYS(N_unlink, path);
    int fd = SYS(N_open, path, 0102 | 01000, 0600);        /* O_RDWR|O_CREAT|O_TRUNC */
    check("open", fd >= 0);
    flush();
    check("write", SYS(N_write, fd, "0123456789", 10) == 10);
    flush();
    char buf[16];
    memset(buf, 0, sizeof(buf));
    /* pread64(fd, buf, n, off): off in r3/r4 (EABI would skip r3) */
    long r = SYS(N_pread64, fd, buf, 4, 6, 0);
    check("pread64", r == 4 && mem_eq(buf, "6789", 4));
    flush();
    /* a 64-bit length and offsets: a sparse file past 4 GiB */
    r = SYS(N_ftruncate64, fd, 0x10, 1);                   /* 0x100000010 */
    check("ftruncate64", r == 0);
    val("r", (u32)r);
    flush();
    r = SYS(N_pwrite64, fd, "ABCD", 4, 4, 1);              /* at 0x100000004 */
    memset(buf, 0, sizeof(buf));
    long r2 = SYS(N_pread64, fd, buf, 8, 0, 1);            /* from 0x100000000 */
    check("pwrite64-above-4g", r == 4 && r2 == 8 && mem_eq(buf, "\0\0\0\0ABCD", 8));
    flush();
    u64 pos = 0;
    r = SYS(N_llseek, fd, 1, 8, &pos, 0);                  /* SEEK_SET 0x100000008 */
    check("_llseek", r == 0 && pos == 0x100000008ull);
    val("pos", pos);
    flush();

    /* fstat64, stat64, fstatat64: the packed 96-byte struct */
    unsigned char raw[128];
    memset(raw, 0xee, sizeof(raw));
    struct stat64 *st = (struct stat64 *)raw;
    r = SYS(N_fstat64, fd, raw);
    check("fstat64", r == 0 && st->st_size == 0x100000010ll && (st->st_mode & 0170000) == 0100000 &&
                     st->st_nlink == 1 && (u32)st->st_ino == st->__st_ino &&
                     all_bytes(raw + 96, 0xee, 32));
    val("size", (u64)st->st_size);
    val("mode", st->st_mode & 07777);
    val("blksize", st->st_blksize);
    flush();
    u64 ino = st->st_ino;
    memset(raw, 0xee, sizeof(raw));
    r = SYS(N_stat64, path, raw);
    check("stat64", r == 0 && st->st_ino == ino && st->st_size == 0x100000010ll &&
                    all_bytes(raw + 96, 0xee, 32));
    flush();
    memset(raw, 0xee, sizeof(raw));
    r = SYS(N_fstatat64, -100, path, raw, 0);              /* AT_FDCWD */
    check("fstatat64", r == 0 && st->st_ino == ino && all_bytes(raw + 96, 0xee, 32));
    flush();
    /* the old struct stat: the size does not fit (EOVERFLOW) */
    struct old_stat os;
    r = SYS(N_fstat, fd, &os);
    check("fstat-old-overflow", r == -75);
    val("r", (u32)r);
    flush();
    r = SYS(N_ftruncate64, fd, 10, 0);
    r2 = SYS(N_fstat, fd, &os);
    check("fstat-old", r == 0 && r2 == 0 && os.st_size == 10 && os.st_ino == (u32)ino &&
                       (os.st_mode & 0170000) == 0100000);
    flush();
    r = SYS(N_truncate64, path, 5, 0);
    r2 = SYS(N_stat, path, &os);
    check("truncate64", r == 0 && r2 == 0 && os.st_size == 5);
    flush();

    /* the other calls with 64-bit arguments: readahead's pair follows fd
     * directly (r1/r2; EABI r2/r3), the others are aligned in both ABIs */
    r = SYS(N_readahead, fd, 0, 1, 4096);                  /* from 4 GiB (run.sh checks -strace) */
    check("readahead", r == 0);
    val("r", (u32)r);
    flush();
    r = SYS(N_arm_fadvise64_64, fd, 0, 0, 0, 4096, 0);      /* POSIX_FADV_NORMAL */
    r2 = SYS(N_arm_sync_file_range, fd, 2, 0, 0, 4096, 0);  /* SYNC_FILE_RANGE_WRITE */
    check("fadvise-sync_file_range", r == 0 && r2 == 0);
    val("r", (u32)r);
    val("r2", (u32)r2);
    flush();
    r = SYS(N_fallocate, fd, 0, 0x1000, 0, 0x2000, 0);      /* mode 0, off 4096, len 8192 */
    r2 = SYS(N_fstat64, fd, raw);
    check("fallocate", r == 0 && r2 == 0 && st->st_size == 0x3000);
    val("size", (u64)st->st_size);
    flush();
    SYS(N_ftruncate64, fd, 5, 0);

    /* statfs64 with the OABI size 84; the kernel writes no more */
    memset(raw, 0xee, sizeof(raw));
    struct statfs64 *sf = (struct statfs64 *)raw;
    r = SYS(N_statfs64, path, 84, raw);
    check("statfs64", r == 0 && sf->f_bsize != 0 && sf->f_namelen != 0 &&
                      all_bytes(raw + 84, 0xee, 4));
    val("namelen", sf->f_namelen);
    flush();
    u32 type = sf->f_type, namelen = sf->f_namelen;
    memset(raw, 0xee, sizeof(raw));
    r = SYS(N_fstatfs64, fd, 84, raw);
    check("fstatfs64", r == 0 && sf->f_type == type && sf->f_namelen == namelen);
    flush();

    /* fcntl64 F_SETLK64 / F_GETLK64 with the OABI struct flock64 (l_start at 4) */
    struct flock64 fl = { 1, 0, 5, 7, 0 };                 /* F_WRLCK, SEEK_SET */
    r = SYS(N_fcntl64, fd, 13, &fl);                       /* F_SETLK64 */
    check("fcntl64-setlk", r == 0);
    flush();
    s32 parent = SYS(N_getpid);
    long pid = SYS(N_fork);
    if (pid == 0) {
        struct flock64 q = { 0, 0, 0, 100, 0 };            /* F_RDLCK over 0..100 */
        long cr = SYS(N_fcntl64, fd, 12, &q);              /* F_GETLK64 */
        int ok = cr == 0 && q.l_type == 1 && q.l_start == 5 && q.l_len == 7 && q.l_pid == parent;
        check("fcntl64-getlk", ok);
        val("start", (u64)q.l_start);
        val("len", (u64)q.l_len);
        val("type", (u32)q.l_type);
        flush();
        SYS(N_exit, ok ? 0 : 1);
    }
    int status = -1;
    r = SYS(N_wait4, pid, &status, 0, 0);
    check("fork-wait4", r == pid && status == 0);
    flush();
    SYS(N_close, fd);
    SYS(N_unlink, path);
}

static void memory(void)
{
    /* mmap2: offsets in pages */
    long a = SYS(N_mmap2, 0, 8192, 3, 0x22, -1, 0);        /* RW, PRIVATE|ANONYMOUS */
    check("mmap2", (unsigned long)a < 0xfffff000ul);
    flush();
    /* the old mmap: a struct of six words, the offset in bytes */
    u32 args[6] = { 0, 4096, 3, 0x22, (u32)-1, 0 };
    long b = SYS(N_mmap, args);
    int ok = (unsigned long)b < 0xfffff000ul;
    if (ok) {
        *(volatile u32 *)b = 0x12345678;
        ok = *(volatile u32 *)b == 0x12345678;
    }
    check("mmap-old", ok);
    flush();
    args[5] = 100;                                         /* not page-aligned */
    long c = SYS(N_mmap, args);
    check("mmap-old-unaligned", c == -22);
    val("r", (u32)c);
    flush();
    SYS(N_munmap, a, 8192);
    SYS(N_munmap, b, 4096);
}

static void events(void)
{
    int p[2];
    check("pipe", SYS(N_pipe, p) == 0);
    flush();
    int ep = SYS(N_epoll_create, 4);
    struct epoll_event ev = { 1, 0x1122334455667788ull };  /* EPOLLIN */
    long r = SYS(N_epoll_ctl, ep, 1, p[0], &ev);           /* EPOLL_CTL_ADD */
    check("epoll_ctl", ep >= 0 && r == 0);
    flush();
    SYS(N_write, p[1], "x", 1);
    unsigned char out[36];
    memset(out, 0xee, sizeof(out));
    r = SYS(N_epoll_wait, ep, out, 3, 1000);
    struct epoll_event got;
    memcpy(&got, out, sizeof(got));
    /* one 12-byte event; the next ones untouched */
    check("epoll_wait-packed", r == 1 && got.events == 1 && got.data == 0x1122334455667788ull &&
                               all_bytes(out + 12, 0xee, 24));
    val("data", got.data);
    flush();
    /* the old select: a struct { n, in, out, ex, tv } */
    u32 rd[1] = { 1u << p[0] };
    struct timeval_ tv = { 0, 1000 };
    u32 sel[5] = { (u32)p[0] + 1, (u32)rd, 0, 0, (u32)&tv };
    r = SYS(N_select, sel);
    check("select-old", r == 1 && rd[0] == (1u << p[0]));
    flush();
    SYS(N_close, ep);
    SYS(N_close, p[0]);
    SYS(N_close, p[1]);
}

static void sockets(void)
{
    /* socketcall(SYS_SOCKETPAIR, ...), then send/recv through it */
    int sv[2] = { -1, -1 };
    u32 a[6] = { 1, 1, 0, (u32)sv };                       /* AF_UNIX, SOCK_STREAM */
    long r = SYS(N_socketcall, 8, a);
    check("socketcall-socketpair", r == 0 && sv[0] >= 0 && sv[1] >= 0);
    flush();
    u32 s[4] = { (u32)sv[0], (u32)"ping", 4, 0 };
    long w = SYS(N_socketcall, 9, s);                      /* SYS_SEND */
    char buf[8];
    memset(buf, 0, sizeof(buf));
    u32 rv[4] = { (u32)sv[1], (u32)buf, sizeof(buf), 0 };
    long n = SYS(N_socketcall, 10, rv);                    /* SYS_RECV */
    check("socketcall-send-recv", w == 4 && n == 4 && mem_eq(buf, "ping", 4));
    flush();
    check("socketcall-bad-call", SYS(N_socketcall, 99, a) == -22);
    flush();
    /* bind with sizeof(struct sockaddr_un) == 112, the OABI size */
    SYS(N_unlink, sock);
    u32 c[3] = { 1, 1, 0 };
    int fd = SYS(N_socketcall, 1, c);                      /* SYS_SOCKET */
    struct sockaddr_un sa;
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = 1;
    memcpy(sa.sun_path, sock, slen(sock) + 1);
    u32 bnd[3] = { (u32)fd, (u32)&sa, sizeof(sa) };
    r = SYS(N_socketcall, 2, bnd);                         /* SYS_BIND */
    check("socketcall-bind-112", fd >= 0 && r == 0);
    val("r", (u32)r);
    flush();
    struct sockaddr_un got;
    u32 glen = sizeof(got);
    memset(&got, 0, sizeof(got));
    r = SYS(N_getsockname, fd, &got, &glen);
    check("getsockname", r == 0 && got.sun_family == 1 && mem_eq(got.sun_path, sock, slen(sock) + 1));
    flush();
    SYS(N_close, fd);
    SYS(N_unlink, sock);
    /* the separate bind call takes 112 too */
    fd = SYS(N_socketcall, 1, c);
    r = SYS(N_bind, fd, &sa, sizeof(sa));
    check("bind-112", r == 0);
    val("r", (u32)r);
    flush();
    SYS(N_close, fd);
    SYS(N_unlink, sock);
    SYS(N_close, sv[0]);
    SYS(N_close, sv[1]);
}

static volatile int alarms;
static void on_alrm_count(int sig, void *info, void *uc) { alarms++; }

static void restorer(void);

static void sysv_ipc(void)
{
    /* ipc(SEMGET), ipc(SEMOP) with two 8-byte sembufs, ipc(SEMCTL, GETVAL) */
    long id = SYS(N_ipc, 2, 0, 2, 01600);                   /* IPC_PRIVATE, 2 sems, IPC_CREAT|0600 */
    check("ipc-semget", id >= 0);
    flush();
    /* IPC_NOWAIT: a misread entry fails instead of blocking */
    struct sembuf ops[2] = { { 0, 3, 04000 }, { 1, 5, 04000 } };
    long r = SYS(N_ipc, 1, id, 2, 0, ops);                 /* SEMOP */
    u32 arg = 0;
    long v0 = SYS(N_ipc, 3, id, 0, 12, &arg);              /* SEMCTL GETVAL */
    long v1 = SYS(N_ipc, 3, id, 1, 12, &arg);
    check("ipc-semop-sembuf8", r == 0 && v0 == 3 && v1 == 5);
    val("v0", (u32)v0);
    val("v1", (u32)v1);
    flush();
    /* the separate semop call takes the same 8-byte entries */
    struct sembuf dec[2] = { { 1, -2, 04000 }, { 0, -1, 04000 } };
    r = SYS(N_semop, id, dec, 2);
    v0 = SYS(N_ipc, 3, id, 0, 12, &arg);
    v1 = SYS(N_ipc, 3, id, 1, 12, &arg);
    check("semop-sembuf8", r == 0 && v0 == 2 && v1 == 3);
    val("v0", (u32)v0);
    val("v1", (u32)v1);
    flush();
    /* a semop that waits, interrupted by a SA_RESTART handler: EINTR,
     * never restarted (signal(7)) */
    struct sigaction_ alrm = { on_alrm_count, 0x04000000 | 0x10000000, restorer, { 0, 0 } };
    SYS(N_rt_sigaction, 14, &alrm, 0, 8);
    struct timeval_ it[2] = { { 0, 0 }, { 0, 50000 } };    /* once, after 50 ms */
    SYS(N_setitimer, 0, it, 0);
    struct sembuf wait0[1] = { { 0, -5, 0 } };             /* sem 0 is 2: waits */
    r = SYS(N_ipc, 1, id, 1, 0, wait0);
    check("ipc-semop-eintr", r == -4 && alarms == 1);
    val("r", (u32)r);
    flush();
    SYS(N_setitimer, 0, it, 0);
    r = SYS(N_semop, id, wait0, 1);
    check("semop-eintr", r == -4 && alarms == 2);
    val("r", (u32)r);
    flush();
    r = SYS(N_ipc, 3, id, 0, 0x100, &arg);                 /* SEMCTL IPC_RMID|IPC_64 */
    check("ipc-semctl-rmid", r == 0);
    flush();
    /* shared memory: SHMGET, SHMAT (the address stored through a pointer), SHMDT */
    long shm = SYS(N_ipc, 23, 0, 4096, 01600);
    u32 where = 0;
    r = SYS(N_ipc, 21, shm, 0, &where, 0);                 /* SHMAT */
    int ok = shm >= 0 && r == 0 && where != 0;
    if (ok) {
        *(volatile u32 *)where = 77;
        ok = *(volatile u32 *)where == 77;
    }
    long d = SYS(N_ipc, 22, 0, 0, 0, where);               /* SHMDT */
    long rm = SYS(N_ipc, 24, shm, 0, 0, 0);                /* SHMCTL IPC_RMID */
    check("ipc-shm", ok && d == 0 && rm == 0);
    flush();
}

static volatile int handled;
static volatile u32 siginfo_code, siginfo_addr;

static void on_usr1(int sig, void *info, void *uc) { handled = sig; }

static volatile long sleeper;
static void on_alrm(int sig, void *info, void *uc)
{
    handled = sig;
    SYS(N_kill, sleeper, 9);
}

/* SIGILL for an svc whose immediate is not 0x9xxxxx.  The saved pc is
 * already past the svc (the kernel does not rewind it), si_addr is the svc. */
static void on_ill(int sig, void *info, void *uc)
{
    siginfo_code = ((u32 *)info)[2];
    siginfo_addr = ((u32 *)info)[3];
}

/* the old C libraries' restorers: sigreturn through the old ABI */
__attribute__((naked)) static void restorer(void) { __asm__("svc #0x900077"); }
__attribute__((naked)) static void rt_restorer(void) { __asm__("svc #0x9000ad"); }

static void signals(void)
{
    struct sigaction_ sa = { on_usr1, 0x04000000, restorer, { 0, 0 } };   /* SA_RESTORER */
    long r = SYS(N_rt_sigaction, 10, &sa, 0, 8);
    check("rt_sigaction", r == 0);
    flush();
    /* registers survive the handler and sigreturn: r4-r6 live across */
    long me = SYS(N_getpid);
    register long k4 __asm__("r4") = 0x44444444;
    register long k5 __asm__("r5") = 0x55555555;
    register long k6 __asm__("r6") = 0x66666666;
    register long r0 __asm__("r0") = me;
    register long r1 __asm__("r1") = 10;
    register long r7 __asm__("r7") = DECOY;
    __asm__ volatile("svc %[n]" : "+r"(r0), "+r"(k4), "+r"(k5), "+r"(k6)
                     : [n] "i"(NR(N_kill)), "r"(r1), "r"(r7) : "memory");
    check("signal-sigreturn", handled == 10 && r0 == 0 && k4 == 0x44444444 && k5 == 0x55555555 &&
                              k6 == 0x66666666);
    flush();
    handled = 0;
    sa.flags = 0x04000000 | 4;                             /* SA_SIGINFO: rt_sigreturn */
    sa.restorer = rt_restorer;
    SYS(N_rt_sigaction, 10, &sa, 0, 8);
    SYS(N_kill, me, 10);
    check("signal-rt_sigreturn", handled == 10);
    flush();

    /* a blocking call interrupted by a SA_RESTART handler is restarted by
     * executing the svc again: wait4 must stay wait4 (not r7's decoy) */
    handled = 0;
    sleeper = SYS(N_fork);
    if (sleeper == 0)
        for (;;)
            SYS(N_pause);
    struct sigaction_ alrm = { on_alrm, 0x04000000 | 0x10000000, restorer, { 0, 0 } };  /* SA_RESTART */
    SYS(N_rt_sigaction, 14, &alrm, 0, 8);
    struct timeval_ it[2] = { { 0, 0 }, { 0, 50000 } };    /* once, after 50 ms */
    SYS(N_setitimer, 0, it, 0);
    int status = 0;
    r = SYS(N_wait4, sleeper, &status, 0, 0);
    check("wait4-restarted", r == sleeper && handled == 14 && (status & 0x7f) == 9);
    val("status", (u32)status);
    flush();

    /* svc with an immediate outside 0x900000..0x9fffff: SIGILL, ILL_ILLTRP at the svc */
    struct sigaction_ ill = { on_ill, 0x04000000 | 4, rt_restorer, { 0, 0 } };
    SYS(N_rt_sigaction, 4, &ill, 0, 8);
    u32 at;
    __asm__ volatile("adr %0, 1f\n1: svc #0x654321" : "=r"(at) :: "r0", "memory");
    check("svc-bad-immediate-sigill", siginfo_code == 4 && siginfo_addr == at);
    val("code", siginfo_code);
    flush();
    /* the same for an EABI number above the private calls' ENOSYS range */
    siginfo_code = siginfo_addr = 0;
    __asm__ volatile("mov r7, %1\n\tadr %0, 1f\n1: svc #0" : "=&r"(at) : "r"(0xf1000)
                     : "r0", "r7", "memory");
    check("eabi-bad-number-sigill", siginfo_code == 4 && siginfo_addr == at);
    flush();
    /* a number past the table, below the private calls: ENOSYS */
    r = SYSCALL6(NR(1000), 0, 0, 0, 0, 0, 0);
    check("past-table-enosys", r == -38);
    flush();
    /* an unknown private call (0x9f0000..0x9f07ff): ENOSYS */
    r = SYSCALL6(ARM_PRIVATE(0x123), 0, 0, 0, 0, 0, 0);
    check("private-enosys", r == -38);
    flush();
}

static u32 run_code(u32 *code)
{
    return ((u32 (*)(void))code)();
}

static void arm_private(void)
{
    /* set_tls (0x9f0005), read back by get_tls (0x9f0006) and the kuser helper */
    long r = SYSCALL6(ARM_PRIVATE(5), 0x5eed1e55, 0, 0, 0, 0, 0);
    long t = SYSCALL6(ARM_PRIVATE(6), 0, 0, 0, 0, 0, 0);
    u32 k = ((u32 (*)(void))0xffff0fe0)();
    check("set_tls-get_tls", r == 0 && t == 0x5eed1e55 && k == 0x5eed1e55);
    flush();
    /* cacheflush (0x9f0002) after rewriting code */
    u32 *code = (u32 *)SYS(N_mmap2, 0, 4096, 7, 0x22, -1, 0);
    code[0] = 0xe3a0002a;                                  /* mov r0, #42 */
    code[1] = 0xe12fff1e;                                  /* bx lr */
    SYSCALL6(ARM_PRIVATE(2), code, code + 2, 0, 0, 0, 0);
    u32 first = run_code(code);
    code[0] = 0xe3a00007;                                  /* mov r0, #7 */
    r = SYSCALL6(ARM_PRIVATE(2), code, code + 2, 0, 0, 0, 0);
    u32 second = run_code(code);
    check("cacheflush", r == 0 && first == 42 && second == 7);
    flush();
    SYS(N_munmap, code, 4096);
}

static void misc(void)
{
    /* syscall(113): the number as an argument */
    long p = SYS(N_getpid);
    check("syscall-indirect", SYS(N_syscall, N_getpid) == p && SYS(N_syscall, NR(N_getpid)) == p &&
                              SYS(N_syscall, N_getppid) == SYS(N_getppid));
    flush();
    struct timeval_ tv = { 0, 0 };
    long r = SYS(N_gettimeofday, &tv, 0);
    s32 t = SYS(N_time, 0);
    /* time() may lag gettimeofday (a coarse clock): only the same epoch */
    check("gettimeofday-time", r == 0 && tv.sec > 1600000000 && t - tv.sec < 60 && tv.sec - t < 60);
    flush();
    /* getrlimit (old): limits clamped to 31 bits; ugetrlimit: RLIM_INFINITY */
    u32 old[2], neu[2];
    r = SYS(N_ugetrlimit, 9, neu);                         /* RLIMIT_AS: usually unlimited */
    long r2 = SYS(N_getrlimit, 9, old);
    check("getrlimit-old", r == 0 && r2 == 0 &&
                           old[0] == (neu[0] > 0x7fffffffu ? 0x7fffffffu : neu[0]) &&
                           old[1] == (neu[1] > 0x7fffffffu ? 0x7fffffffu : neu[1]));
    val("cur", old[0]);
    val("max", old[1]);
    flush();
    /* an EABI call from the same program: svc 0 with the number in r7 */
    register long r0 __asm__("r0") = 1;
    register long r1 __asm__("r1") = (long)"eabi call\n";
    register long r2_ __asm__("r2") = 10;
    register long r7 __asm__("r7") = N_write;
    __asm__ volatile("svc #0" : "+r"(r0) : "r"(r1), "r"(r2_), "r"(r7) : "memory");
    check("eabi-svc0-mixed", r0 == 10);
    flush();
}

void oabi_main(u32 *sp)
{
    const char *dir = sp[0] > 1 ? (const char *)sp[2] : "/tmp";
    make_name(path, dir, "oabi-test.tmp");
    make_name(sock, dir, "oabi-test.sock");
    files();
    memory();
    events();
    sockets();
    sysv_ipc();
    signals();
    arm_private();
    misc();
    puts_(failures ? "some checks failed" : "all checks passed");
    flush();
    SYS(N_exit_group, failures ? 1 : 0);
}

/* The kernel starts us with argc, argv[] at sp. */
__asm__(".text\n.global _start\n_start:\n\tmov fp, #0\n\tmov r0, sp\n\tbl oabi_main\n\tb .\n");

