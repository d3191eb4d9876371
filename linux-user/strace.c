/*
 * strace.c — -strace: formatting one guest system call as a line of
 * strace-like text (see strace.h), argument by argument, following the
 * kinds the table in strace-table.c gives for the call.
 *
 * Flag names and values are written here as Linux numbers them for every
 * target we have (the asm-generic values, which the x86_64 host shares),
 * except open(2) flags, whose guest numbering the target describes
 * (LinuxTarget.open_flags): those are matched through it.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "exec/exec.h"
#include "host/host-abi.h"
#include "linux-user/guest-mem.h"
#include "linux-user/guest-struct.h"
#include "linux-user/strace-kinds.h"
#include "linux-user/strace.h"
#include "linux-user/syscall.h"

/* Strings and buffers are cut after this many bytes, like strace -s 32. */
#define STRACE_STRLEN 32
/* Arrays (argv, iovecs) after this many elements. */
#define STRACE_MAXELEM 16

/* Set once the guest made a thread: blocking calls are then split. */
static volatile bool strace_threads_seen;

/* ---- text building ------------------------------------------------------- */

static void out(StraceCall *sc, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(StraceCall *sc, const char *fmt, ...)
{
    unsigned room = sizeof(sc->text) - sc->len;
    if (room <= 1)
        return;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(sc->text + sc->len, room, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    sc->len += (unsigned)n < room ? (unsigned)n : room - 1;
}

/* One line, one write(2): lines of threads and processes do not mix. */
static void flush_line(StraceCall *sc)
{
    if (sc->len > sizeof(sc->text) - 2)
        sc->len = sizeof(sc->text) - 2;
    sc->text[sc->len++] = '\n';
    FILE *f = exec_log_file ? exec_log_file : stderr;
    fflush(f);
    const char *p = sc->text;
    size_t left = sc->len;
    while (left) {
        ssize_t n = write(fileno(f), p, left);
        if (n <= 0)
            break;
        p += n;
        left -= (size_t)n;
    }
    sc->len = 0;
}

static void out_quoted(StraceCall *sc, const uint8_t *s, size_t n, bool more)
{
    out(sc, "\"");
    for (size_t i = 0; i < n; i++) {
        uint8_t c = s[i];
        switch (c) {
        case '"': out(sc, "\\\""); break;
        case '\\': out(sc, "\\\\"); break;
        case '\n': out(sc, "\\n"); break;
        case '\t': out(sc, "\\t"); break;
        case '\r': out(sc, "\\r"); break;
        case '\f': out(sc, "\\f"); break;
        case '\v': out(sc, "\\v"); break;
        default:
            if (c >= 0x20 && c < 0x7f) {
                out(sc, "%c", c);
            } else if (i + 1 < n && s[i + 1] >= '0' && s[i + 1] <= '7') {
                out(sc, "\\%03o", c);     /* a digit follows: all three digits */
            } else {
                out(sc, "\\%o", c);
            }
        }
    }
    out(sc, more ? "\"..." : "\"");
}

static void out_ptr(StraceCall *sc, uint64_t v)
{
    if (v)
        out(sc, "0x%llx", (unsigned long long)v);
    else
        out(sc, "NULL");
}

/* A NUL-terminated guest string, cut after max bytes. */
static void out_string(StraceCall *sc, uint64_t addr, size_t max)
{
    if (!addr) {
        out(sc, "NULL");
        return;
    }
    size_t n = 0;
    while (n <= max && guest_range_ok(addr + n, 1, PAGE_READ) && *(const char *)g2h(addr + n))
        n++;
    if (!guest_range_ok(addr + (n > max ? max : n), 1, PAGE_READ)) {
        out_ptr(sc, addr);
        return;
    }
    out_quoted(sc, g2h(addr), n > max ? max : n, n > max);
}

/* len bytes of guest buffer, at most STRACE_STRLEN shown. */
static void out_buffer(StraceCall *sc, uint64_t addr, uint64_t len)
{
    uint64_t shown = len > STRACE_STRLEN ? STRACE_STRLEN : len;
    if (!guest_range_ok(addr, shown, PAGE_READ)) {
        out_ptr(sc, addr);
        return;
    }
    out_quoted(sc, g2h(addr), shown, len > shown);
}

typedef struct FlagName {
    uint32_t value;
    const char *name;
} FlagName;

#define FN(x) { x, #x }
#define NFLAGS(t) (sizeof(t) / sizeof((t)[0]))

/* Each name whose bits are all set, joined by '|', then what is left in
 * hex; "0" (or zero_name) for none. */
static void out_flags(StraceCall *sc, const FlagName *t, size_t n, uint32_t v, const char *zero_name)
{
    if (!v) {
        out(sc, "%s", zero_name ? zero_name : "0");
        return;
    }
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (t[i].value && (v & t[i].value) == t[i].value) {
            out(sc, "%s%s", first ? "" : "|", t[i].name);
            v &= ~t[i].value;
            first = false;
        }
    }
    if (v)
        out(sc, "%s%#x", first ? "" : "|", v);
}

/* One value of an enumeration, or the number. */
static void out_enum(StraceCall *sc, const FlagName *t, size_t n, uint32_t v)
{
    for (size_t i = 0; i < n; i++) {
        if (t[i].value == v) {
            out(sc, "%s", t[i].name);
            return;
        }
    }
    out(sc, "%d", (int32_t)v);
}

/* ---- open flags -------------------------------------------------------- */

typedef struct OpenFlagName {
    const char *name;
    uint32_t generic;       /* the asm-generic (x86_64 kernel) value */
    int host;               /* the host libc's constant: matched against the target's pairs */
} OpenFlagName;

/* strace's order; multi-bit names before their parts. */
static const OpenFlagName open_flag_names[] = {
    { "O_CREAT", 0100, O_CREAT }, { "O_EXCL", 0200, O_EXCL }, { "O_NOCTTY", 0400, O_NOCTTY },
    { "O_TRUNC", 01000, O_TRUNC }, { "O_APPEND", 02000, O_APPEND },
    { "O_NONBLOCK", 04000, O_NONBLOCK }, { "O_SYNC", 04010000, O_SYNC },
    { "O_DSYNC", 010000, O_DSYNC }, { "FASYNC", 020000, FASYNC },
    { "O_DIRECT", 040000, O_DIRECT }, { "O_LARGEFILE", 0100000, HOST_O_LARGEFILE },
    { "O_TMPFILE", 020200000, O_TMPFILE },
    { "O_DIRECTORY", 0200000, O_DIRECTORY }, { "O_NOFOLLOW", 0400000, O_NOFOLLOW },
    { "O_NOATIME", 01000000, O_NOATIME }, { "O_CLOEXEC", 02000000, O_CLOEXEC },
    { "O_PATH", 010000000, O_PATH },
};

static FlagName guest_open_flags[NFLAGS(open_flag_names)];

/* The guest's value of a flag: the target's pair whose host value is the
 * flag's (the libc constant, or for O_LARGEFILE the kernel's, which a
 * 64-bit host's glibc defines as 0), else the generic value. */
static uint32_t guest_open_bit(uint32_t generic, int host)
{
    const LinuxTarget *t = &linux_target;
    for (unsigned i = 0; i < t->n_open_flags; i++)
        if (t->open_flags[i].host == (uint32_t)host)
            return t->open_flags[i].guest;
    return generic;
}

static void open_flags_init(void)
{
    for (size_t i = 0; i < NFLAGS(open_flag_names); i++) {
        const OpenFlagName *f = &open_flag_names[i];
        uint32_t v;
        if (!strcmp(f->name, "O_TMPFILE"))      /* __O_TMPFILE | O_DIRECTORY */
            v = 020000000 | guest_open_bit(0200000, O_DIRECTORY);
        else if (!strcmp(f->name, "O_SYNC"))    /* __O_SYNC | O_DSYNC */
            v = 04000000 | guest_open_bit(010000, O_DSYNC);
        else
            v = guest_open_bit(f->generic, f->host);
        guest_open_flags[i] = (FlagName){ v, f->name };
    }
}

static void out_oflags(StraceCall *sc, uint32_t v)
{
    static const char *const acc[] = { "O_RDONLY", "O_WRONLY", "O_RDWR", "O_ACCMODE" };
    out(sc, "%s", acc[v & 3]);
    v &= ~3u;
    if (v) {
        out(sc, "|");
        out_flags(sc, guest_open_flags, NFLAGS(guest_open_flags), v, NULL);
    }
}

static bool oflags_take_mode(uint32_t v)
{
    return (v & 0100) || (v & 020000000);   /* O_CREAT, __O_TMPFILE */
}

/* ---- the other flag sets ------------------------------------------------ */

static const FlagName at_flags[] = {
    { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_REMOVEDIR" }, { 0x400, "AT_SYMLINK_FOLLOW" },
    { 0x800, "AT_NO_AUTOMOUNT" }, { 0x1000, "AT_EMPTY_PATH" }, { 0x2000, "AT_STATX_FORCE_SYNC" },
    { 0x4000, "AT_STATX_DONT_SYNC" }, { 0x8000, "AT_RECURSIVE" },
};
static const FlagName at_flags_access[] = {
    { 0x100, "AT_SYMLINK_NOFOLLOW" }, { 0x200, "AT_EACCESS" }, { 0x1000, "AT_EMPTY_PATH" },
};
static const FlagName access_modes[] = { { 4, "R_OK" }, { 2, "W_OK" }, { 1, "X_OK" } };
static const FlagName whences[] = {
    { 0, "SEEK_SET" }, { 1, "SEEK_CUR" }, { 2, "SEEK_END" }, { 3, "SEEK_DATA" }, { 4, "SEEK_HOLE" },
};
static const FlagName prots[] = {
    { 1, "PROT_READ" }, { 2, "PROT_WRITE" }, { 4, "PROT_EXEC" }, { 8, "PROT_SEM" },
    { 0x01000000, "PROT_GROWSDOWN" }, { 0x02000000, "PROT_GROWSUP" },
};
static const FlagName map_types[] = {
    { 1, "MAP_SHARED" }, { 2, "MAP_PRIVATE" }, { 3, "MAP_SHARED_VALIDATE" },
};
static const FlagName map_flags[] = {
    { 0x10, "MAP_FIXED" }, { 0x20, "MAP_ANONYMOUS" }, { 0x100, "MAP_GROWSDOWN" },
    { 0x800, "MAP_DENYWRITE" }, { 0x1000, "MAP_EXECUTABLE" }, { 0x2000, "MAP_LOCKED" },
    { 0x4000, "MAP_NORESERVE" }, { 0x8000, "MAP_POPULATE" }, { 0x10000, "MAP_NONBLOCK" },
    { 0x20000, "MAP_STACK" }, { 0x40000, "MAP_HUGETLB" }, { 0x80000, "MAP_SYNC" },
    { 0x100000, "MAP_FIXED_NOREPLACE" }, { 0x4000000, "MAP_UNINITIALIZED" },
};
static const FlagName clone_flags[] = {
    { 0x100, "CLONE_VM" }, { 0x200, "CLONE_FS" }, { 0x400, "CLONE_FILES" },
    { 0x800, "CLONE_SIGHAND" }, { 0x1000, "CLONE_PIDFD" }, { 0x2000, "CLONE_PTRACE" },
    { 0x4000, "CLONE_VFORK" }, { 0x8000, "CLONE_PARENT" }, { 0x10000, "CLONE_THREAD" },
    { 0x20000, "CLONE_NEWNS" }, { 0x40000, "CLONE_SYSVSEM" }, { 0x80000, "CLONE_SETTLS" },
    { 0x100000, "CLONE_PARENT_SETTID" }, { 0x200000, "CLONE_CHILD_CLEARTID" },
    { 0x400000, "CLONE_DETACHED" }, { 0x800000, "CLONE_UNTRACED" },
    { 0x1000000, "CLONE_CHILD_SETTID" }, { 0x2000000, "CLONE_NEWCGROUP" },
    { 0x4000000, "CLONE_NEWUTS" }, { 0x8000000, "CLONE_NEWIPC" }, { 0x10000000, "CLONE_NEWUSER" },
    { 0x20000000, "CLONE_NEWPID" }, { 0x40000000, "CLONE_NEWNET" }, { 0x80000000, "CLONE_IO" },
};
static const FlagName fcntl_cmds[] = {
    { 0, "F_DUPFD" }, { 1, "F_GETFD" }, { 2, "F_SETFD" }, { 3, "F_GETFL" }, { 4, "F_SETFL" },
    { 5, "F_GETLK" }, { 6, "F_SETLK" }, { 7, "F_SETLKW" }, { 8, "F_SETOWN" }, { 9, "F_GETOWN" },
    { 10, "F_SETSIG" }, { 11, "F_GETSIG" }, { 12, "F_GETLK64" }, { 13, "F_SETLK64" },
    { 14, "F_SETLKW64" }, { 15, "F_SETOWN_EX" }, { 16, "F_GETOWN_EX" }, { 36, "F_OFD_GETLK" },
    { 37, "F_OFD_SETLK" }, { 38, "F_OFD_SETLKW" }, { 1024, "F_SETLEASE" }, { 1025, "F_GETLEASE" },
    { 1026, "F_NOTIFY" }, { 1030, "F_DUPFD_CLOEXEC" }, { 1031, "F_SETPIPE_SZ" },
    { 1032, "F_GETPIPE_SZ" }, { 1033, "F_ADD_SEALS" }, { 1034, "F_GET_SEALS" },
};
static const FlagName fd_flags[] = { { 1, "FD_CLOEXEC" } };
/* Terminal and file ioctls: the asm-generic numbers, which ARM uses too. */
static const FlagName ioctl_reqs[] = {
    { 0x5401, "TCGETS" }, { 0x5402, "TCSETS" }, { 0x5403, "TCSETSW" }, { 0x5404, "TCSETSF" },
    { 0x5405, "TCGETA" }, { 0x5406, "TCSETA" }, { 0x5407, "TCSETAW" }, { 0x5408, "TCSETAF" },
    { 0x5409, "TCSBRK" }, { 0x540A, "TCXONC" }, { 0x540B, "TCFLSH" }, { 0x540C, "TIOCEXCL" },
    { 0x540D, "TIOCNXCL" }, { 0x540E, "TIOCSCTTY" }, { 0x540F, "TIOCGPGRP" },
    { 0x5410, "TIOCSPGRP" }, { 0x5411, "TIOCOUTQ" }, { 0x5412, "TIOCSTI" },
    { 0x5413, "TIOCGWINSZ" }, { 0x5414, "TIOCSWINSZ" }, { 0x5415, "TIOCMGET" },
    { 0x5416, "TIOCMBIS" }, { 0x5417, "TIOCMBIC" }, { 0x5418, "TIOCMSET" },
    { 0x541B, "FIONREAD" }, { 0x541C, "TIOCLINUX" }, { 0x541D, "TIOCCONS" },
    { 0x5421, "FIONBIO" }, { 0x5422, "TIOCNOTTY" }, { 0x5423, "TIOCSETD" }, { 0x5424, "TIOCGETD" },
    { 0x5425, "TCSBRKP" }, { 0x5429, "TIOCGSID" }, { 0x80045430, "TIOCGPTN" },
    { 0x40045431, "TIOCSPTLCK" }, { 0x5441, "TIOCGPTPEER" }, { 0x5450, "FIONCLEX" },
    { 0x5451, "FIOCLEX" }, { 0x5452, "FIOASYNC" }, { 0x5460, "FIOQSIZE" },
    { 0x80086601, "FS_IOC_GETFLAGS" }, { 0x40086602, "FS_IOC_SETFLAGS" },
};
static const FlagName sa_flags[] = {
    { 1, "SA_NOCLDSTOP" }, { 2, "SA_NOCLDWAIT" }, { 4, "SA_SIGINFO" },
    { 0x04000000, "SA_RESTORER" }, { 0x08000000, "SA_ONSTACK" }, { 0x10000000, "SA_RESTART" },
    { 0x40000000, "SA_NODEFER" }, { 0x80000000, "SA_RESETHAND" },
};
static const FlagName sig_hows[] = { { 0, "SIG_BLOCK" }, { 1, "SIG_UNBLOCK" }, { 2, "SIG_SETMASK" } };
static const FlagName domains[] = {
    { 0, "AF_UNSPEC" }, { 1, "AF_UNIX" }, { 2, "AF_INET" }, { 10, "AF_INET6" },
    { 16, "AF_NETLINK" }, { 17, "AF_PACKET" }, { 38, "AF_ALG" }, { 40, "AF_VSOCK" },
};
static const FlagName sock_types[] = {
    { 1, "SOCK_STREAM" }, { 2, "SOCK_DGRAM" }, { 3, "SOCK_RAW" }, { 4, "SOCK_RDM" },
    { 5, "SOCK_SEQPACKET" }, { 6, "SOCK_DCCP" }, { 10, "SOCK_PACKET" },
};
static const FlagName wait_options[] = {
    { 1, "WNOHANG" }, { 2, "WSTOPPED" }, { 4, "WEXITED" }, { 8, "WCONTINUED" },
    { 0x01000000, "WNOWAIT" }, { 0x20000000, "__WNOTHREAD" }, { 0x40000000, "__WALL" },
    { 0x80000000, "__WCLONE" },
};
static const FlagName futex_ops[] = {
    { 0, "FUTEX_WAIT" }, { 1, "FUTEX_WAKE" }, { 2, "FUTEX_FD" }, { 3, "FUTEX_REQUEUE" },
    { 4, "FUTEX_CMP_REQUEUE" }, { 5, "FUTEX_WAKE_OP" }, { 6, "FUTEX_LOCK_PI" },
    { 7, "FUTEX_UNLOCK_PI" }, { 8, "FUTEX_TRYLOCK_PI" }, { 9, "FUTEX_WAIT_BITSET" },
    { 10, "FUTEX_WAKE_BITSET" }, { 11, "FUTEX_WAIT_REQUEUE_PI" }, { 12, "FUTEX_CMP_REQUEUE_PI" },
    { 13, "FUTEX_LOCK_PI2" },
};
static const FlagName statx_masks[] = {
    { 0x7ff, "STATX_BASIC_STATS" }, { 1, "STATX_TYPE" }, { 2, "STATX_MODE" },
    { 4, "STATX_NLINK" }, { 8, "STATX_UID" }, { 0x10, "STATX_GID" }, { 0x20, "STATX_ATIME" },
    { 0x40, "STATX_MTIME" }, { 0x80, "STATX_CTIME" }, { 0x100, "STATX_INO" },
    { 0x200, "STATX_SIZE" }, { 0x400, "STATX_BLOCKS" }, { 0x800, "STATX_BTIME" },
    { 0x1000, "STATX_MNT_ID" }, { 0x2000, "STATX_DIOALIGN" },
};
static const FlagName clock_ids[] = {
    { 0, "CLOCK_REALTIME" }, { 1, "CLOCK_MONOTONIC" }, { 2, "CLOCK_PROCESS_CPUTIME_ID" },
    { 3, "CLOCK_THREAD_CPUTIME_ID" }, { 4, "CLOCK_MONOTONIC_RAW" }, { 5, "CLOCK_REALTIME_COARSE" },
    { 6, "CLOCK_MONOTONIC_COARSE" }, { 7, "CLOCK_BOOTTIME" }, { 8, "CLOCK_REALTIME_ALARM" },
    { 9, "CLOCK_BOOTTIME_ALARM" }, { 11, "CLOCK_TAI" },
};
static const FlagName resources[] = {
    { 0, "RLIMIT_CPU" }, { 1, "RLIMIT_FSIZE" }, { 2, "RLIMIT_DATA" }, { 3, "RLIMIT_STACK" },
    { 4, "RLIMIT_CORE" }, { 5, "RLIMIT_RSS" }, { 6, "RLIMIT_NPROC" }, { 7, "RLIMIT_NOFILE" },
    { 8, "RLIMIT_MEMLOCK" }, { 9, "RLIMIT_AS" }, { 10, "RLIMIT_LOCKS" },
    { 11, "RLIMIT_SIGPENDING" }, { 12, "RLIMIT_MSGQUEUE" }, { 13, "RLIMIT_NICE" },
    { 14, "RLIMIT_RTPRIO" }, { 15, "RLIMIT_RTTIME" },
};
static const FlagName prctl_ops[] = {
    { 1, "PR_SET_PDEATHSIG" }, { 2, "PR_GET_PDEATHSIG" }, { 3, "PR_GET_DUMPABLE" },
    { 4, "PR_SET_DUMPABLE" }, { 15, "PR_SET_NAME" }, { 16, "PR_GET_NAME" },
    { 21, "PR_GET_SECCOMP" }, { 22, "PR_SET_SECCOMP" }, { 36, "PR_SET_CHILD_SUBREAPER" },
    { 38, "PR_SET_NO_NEW_PRIVS" }, { 39, "PR_GET_NO_NEW_PRIVS" }, { 0x53564d41, "PR_SET_VMA" },
};

static const FlagName msg_flags[] = {
    { 1, "MSG_OOB" }, { 2, "MSG_PEEK" }, { 4, "MSG_DONTROUTE" }, { 8, "MSG_CTRUNC" },
    { 0x20, "MSG_TRUNC" }, { 0x40, "MSG_DONTWAIT" }, { 0x80, "MSG_EOR" }, { 0x100, "MSG_WAITALL" },
    { 0x2000, "MSG_ERRQUEUE" }, { 0x4000, "MSG_NOSIGNAL" }, { 0x8000, "MSG_MORE" },
    { 0x10000, "MSG_WAITFORONE" }, { 0x40000000, "MSG_CMSG_CLOEXEC" },
};
static const FlagName shut_hows[] = { { 0, "SHUT_RD" }, { 1, "SHUT_WR" }, { 2, "SHUT_RDWR" } };
static const FlagName sock_levels[] = {
    { 0, "SOL_IP" }, { 1, "SOL_SOCKET" }, { 6, "SOL_TCP" }, { 17, "SOL_UDP" }, { 41, "SOL_IPV6" },
};
static const FlagName so_opts[] = {
    { 1, "SO_DEBUG" }, { 2, "SO_REUSEADDR" }, { 3, "SO_TYPE" }, { 4, "SO_ERROR" },
    { 5, "SO_DONTROUTE" }, { 6, "SO_BROADCAST" }, { 7, "SO_SNDBUF" }, { 8, "SO_RCVBUF" },
    { 9, "SO_KEEPALIVE" }, { 10, "SO_OOBINLINE" }, { 12, "SO_PRIORITY" }, { 13, "SO_LINGER" },
    { 15, "SO_REUSEPORT" }, { 16, "SO_PASSCRED" }, { 17, "SO_PEERCRED" }, { 18, "SO_RCVLOWAT" },
    { 19, "SO_SNDLOWAT" }, { 20, "SO_RCVTIMEO_OLD" }, { 21, "SO_SNDTIMEO_OLD" },
    { 29, "SO_TIMESTAMP_OLD" }, { 30, "SO_ACCEPTCONN" }, { 38, "SO_PROTOCOL" }, { 39, "SO_DOMAIN" },
};
static const FlagName tcp_opts[] = {
    { 1, "TCP_NODELAY" }, { 2, "TCP_MAXSEG" }, { 3, "TCP_CORK" }, { 4, "TCP_KEEPIDLE" },
    { 5, "TCP_KEEPINTVL" }, { 6, "TCP_KEEPCNT" },
};
static const FlagName ipv6_opts[] = { { 26, "IPV6_V6ONLY" } };
static const FlagName poll_events[] = {
    { 1, "POLLIN" }, { 2, "POLLPRI" }, { 4, "POLLOUT" }, { 8, "POLLERR" }, { 0x10, "POLLHUP" },
    { 0x20, "POLLNVAL" }, { 0x40, "POLLRDNORM" }, { 0x80, "POLLRDBAND" }, { 0x100, "POLLWRNORM" },
    { 0x200, "POLLWRBAND" }, { 0x400, "POLLMSG" }, { 0x2000, "POLLRDHUP" },
};
static const FlagName epoll_ops[] = { { 1, "EPOLL_CTL_ADD" }, { 2, "EPOLL_CTL_DEL" }, { 3, "EPOLL_CTL_MOD" } };
static const FlagName madvices[] = {
    { 0, "MADV_NORMAL" }, { 1, "MADV_RANDOM" }, { 2, "MADV_SEQUENTIAL" }, { 3, "MADV_WILLNEED" },
    { 4, "MADV_DONTNEED" }, { 8, "MADV_FREE" }, { 9, "MADV_REMOVE" }, { 10, "MADV_DONTFORK" },
    { 11, "MADV_DOFORK" }, { 12, "MADV_MERGEABLE" }, { 13, "MADV_UNMERGEABLE" },
    { 14, "MADV_HUGEPAGE" }, { 15, "MADV_NOHUGEPAGE" }, { 16, "MADV_DONTDUMP" }, { 17, "MADV_DODUMP" },
};
static const FlagName mremap_flags[] = { { 1, "MREMAP_MAYMOVE" }, { 2, "MREMAP_FIXED" }, { 4, "MREMAP_DONTUNMAP" } };
static const FlagName msync_flags[] = { { 1, "MS_ASYNC" }, { 2, "MS_INVALIDATE" }, { 4, "MS_SYNC" } };
static const FlagName flock_ops[] = { { 1, "LOCK_SH" }, { 2, "LOCK_EX" }, { 4, "LOCK_NB" }, { 8, "LOCK_UN" } };
static const FlagName grnd_flags[] = { { 1, "GRND_NONBLOCK" }, { 2, "GRND_RANDOM" }, { 4, "GRND_INSECURE" } };
static const FlagName rusage_whos[] = { { 0, "RUSAGE_SELF" }, { 0xffffffffu, "RUSAGE_CHILDREN" }, { 1, "RUSAGE_THREAD" } };
static const FlagName prio_whichs[] = { { 0, "PRIO_PROCESS" }, { 1, "PRIO_PGRP" }, { 2, "PRIO_USER" } };
static const FlagName id_types[] = { { 0, "P_ALL" }, { 1, "P_PID" }, { 2, "P_PGID" }, { 3, "P_PIDFD" } };

/* ---- signals --------------------------------------------------------- */

/* Guest signal numbers are the generic ones on every target we run. */
static const char *const signal_names[32] = {
    NULL, "HUP", "INT", "QUIT", "ILL", "TRAP", "ABRT", "BUS", "FPE", "KILL", "USR1", "SEGV",
    "USR2", "PIPE", "ALRM", "TERM", "STKFLT", "CHLD", "CONT", "STOP", "TSTP", "TTIN", "TTOU",
    "URG", "XCPU", "XFSZ", "VTALRM", "PROF", "WINCH", "IO", "PWR", "SYS",
};

/* "SIGINT" (with prefix) or "INT" (in sets); SIGRTMIN, SIGRT_n. */
static void out_signame(StraceCall *sc, int sig, bool prefix)
{
    const char *p = prefix ? "SIG" : "";
    if (sig > 0 && sig < 32)
        out(sc, "%s%s", p, signal_names[sig]);
    else if (sig == 32)
        out(sc, "%sRTMIN", p);
    else if (sig > 32 && sig <= 64)
        out(sc, "%sRT_%d", p, sig - 32);
    else
        out(sc, "%d", sig);
}

static void out_sigset(StraceCall *sc, uint64_t set)
{
    bool inverted = __builtin_popcountll(set) > 32;
    if (inverted) {
        set = ~set;
        out(sc, "~");
    }
    out(sc, "[");
    bool first = true;
    for (int s = 1; s <= 64; s++) {
        if (set & (1ull << (s - 1))) {
            if (!first)
                out(sc, " ");
            out_signame(sc, s, false);
            first = false;
        }
    }
    out(sc, "]");
}

static bool read_guest(void *dst, uint64_t addr, size_t len)
{
    if (!addr || !guest_range_ok(addr, len, PAGE_READ))
        return false;
    memcpy(dst, g2h(addr), len);
    return true;
}

static void out_sigset_at(StraceCall *sc, uint64_t addr)
{
    uint64_t set;
    if (!read_guest(&set, addr, 8)) {
        out_ptr(sc, addr);
        return;
    }
    out_sigset(sc, set);
}

/* The kernel's struct sigaction: handler, flags, restorer (guest words),
 * 64-bit mask (4-byte aligned on 32-bit guests). */
static void out_sigaction(StraceCall *sc, uint64_t addr)
{
    uint64_t w[5];
    int64_t l[3];
    uint32_t m[2];
    unsigned ws = guest_long_size();
    if (get_guest_longs(addr, l, 3) < 0 || !read_guest(m, addr + 3 * ws, 8)) {
        out_ptr(sc, addr);
        return;
    }
    for (int i = 0; i < 3; i++)
        w[i] = guest_ulong((uint64_t)l[i]);
    w[3] = m[0];
    w[4] = m[1];
    out(sc, "{sa_handler=");
    if (w[0] == 0)
        out(sc, "SIG_DFL");
    else if (w[0] == 1)
        out(sc, "SIG_IGN");
    else
        out(sc, "0x%llx", (unsigned long long)w[0]);
    out(sc, ", sa_mask=");
    out_sigset(sc, w[3] | (uint64_t)w[4] << 32);
    out(sc, ", sa_flags=");
    out_flags(sc, sa_flags, NFLAGS(sa_flags), (uint32_t)w[1], NULL);
    if (w[1] & 0x04000000)
        out(sc, ", sa_restorer=0x%llx", (unsigned long long)w[2]);
    out(sc, "}");
}

/* ---- structs ---------------------------------------------------------- */

static void out_mode_type(StraceCall *sc, uint32_t mode)
{
    static const FlagName types[] = {
        { 0140000, "S_IFSOCK" }, { 0120000, "S_IFLNK" }, { 0100000, "S_IFREG" },
        { 060000, "S_IFBLK" }, { 040000, "S_IFDIR" }, { 020000, "S_IFCHR" }, { 010000, "S_IFIFO" },
    };
    for (size_t i = 0; i < NFLAGS(types); i++) {
        if ((mode & 0170000) == types[i].value) {
            out(sc, "%s|%#o", types[i].name, mode & 07777);
            return;
        }
    }
    out(sc, "%#o", mode);
}

static void out_dev(StraceCall *sc, uint64_t dev)
{
    out(sc, "makedev(%#x, %#x)", (unsigned)(((dev >> 32) & 0xfffff000u) | ((dev >> 8) & 0xfff)),
        (unsigned)(((dev >> 12) & 0xffffff00u) | (dev & 0xff)));
}

/* struct stat64 as put_guest_stat64 lays it out. */
static void out_stat64(StraceCall *sc, uint64_t addr)
{
    uint8_t buf[128];
    if (!read_guest(buf, addr, 96)) {
        out_ptr(sc, addr);
        return;
    }
    GuestStructReader r = { .buf = buf, .llalign = syscall_abi()->llong_align };
    (void)gsr_u64(&r);                  /* st_dev */
    r.off += 4;
    (void)gsr_u32(&r);                  /* __st_ino */
    uint32_t mode = gsr_u32(&r);
    (void)gsr_u32(&r);                  /* nlink */
    (void)gsr_u32(&r);
    (void)gsr_u32(&r);                  /* uid, gid */
    uint64_t rdev = gsr_u64(&r);
    r.off += 4;
    uint64_t size = gsr_u64(&r);
    out(sc, "{st_mode=");
    out_mode_type(sc, mode);
    if ((mode & 0170000) == 020000 || (mode & 0170000) == 060000) {
        out(sc, ", st_rdev=");
        out_dev(sc, rdev);
    } else {
        out(sc, ", st_size=%llu", (unsigned long long)size);
    }
    out(sc, ", ...}");
}

/* struct statx: the same on every architecture. */
static void out_statx(StraceCall *sc, uint64_t addr)
{
    uint8_t buf[0x30];
    if (!read_guest(buf, addr, sizeof(buf))) {
        out_ptr(sc, addr);
        return;
    }
    uint16_t mode;
    uint64_t size;
    memcpy(&mode, buf + 0x1c, 2);
    memcpy(&size, buf + 0x28, 8);
    out(sc, "{stx_mode=");
    out_mode_type(sc, mode);
    out(sc, ", stx_size=%llu, ...}", (unsigned long long)size);
}

static void out_timespec(StraceCall *sc, uint64_t addr, bool time64)
{
    if (time64) {
        int64_t v[2];
        if (!read_guest(v, addr, 16)) {
            out_ptr(sc, addr);
            return;
        }
        out(sc, "{tv_sec=%lld, tv_nsec=%d}", (long long)v[0], (int32_t)v[1]);
    } else {
        int64_t v[2];            /* two guest longs */
        if (get_guest_longs(addr, v, 2) < 0) {
            out_ptr(sc, addr);
            return;
        }
        out(sc, "{tv_sec=%lld, tv_nsec=%lld}", (long long)v[0], (long long)v[1]);
    }
}

static void out_wstatus(StraceCall *sc, uint64_t addr)
{
    int32_t s;
    if (!read_guest(&s, addr, 4)) {
        out_ptr(sc, addr);
        return;
    }
    if ((s & 0x7f) == 0) {
        out(sc, "[{WIFEXITED(s) && WEXITSTATUS(s) == %d}]", (s >> 8) & 0xff);
    } else if ((s & 0xff) == 0x7f) {
        out(sc, "[{WIFSTOPPED(s) && WSTOPSIG(s) == ");
        out_signame(sc, (s >> 8) & 0xff, true);
        out(sc, "}]");
    } else if (s == 0xffff) {
        out(sc, "[{WIFCONTINUED(s)}]");
    } else {
        out(sc, "[{WIFSIGNALED(s) && WTERMSIG(s) == ");
        out_signame(sc, s & 0x7f, true);
        out(sc, "%s}]", (s & 0x80) ? " && WCOREDUMP(s)" : "");
    }
}

static void out_uname(StraceCall *sc, uint64_t addr)
{
    if (!guest_range_ok(addr, 65 * 2, PAGE_READ)) {
        out_ptr(sc, addr);
        return;
    }
    out(sc, "{sysname=");
    out_string(sc, addr, 64);
    out(sc, ", nodename=");
    out_string(sc, addr + 65, 64);
    out(sc, ", ...}");
}

/* A NULL-terminated array of 32-bit string pointers. */
static void out_strv(StraceCall *sc, uint64_t addr)
{
    if (!addr) {
        out(sc, "NULL");
        return;
    }
    out(sc, "[");
    for (unsigned i = 0;; i++) {
        uint32_t p;
        if (!read_guest(&p, addr + 4 * i, 4)) {
            out(sc, "%s0x%llx", i ? ", " : "", (unsigned long long)(addr + 4 * i));
            break;
        }
        if (!p)
            break;
        if (i == STRACE_MAXELEM) {
            out(sc, ", ...");
            break;
        }
        if (i)
            out(sc, ", ");
        out_string(sc, p, STRACE_STRLEN);
    }
    out(sc, "]");
}

static void out_envp(StraceCall *sc, uint64_t addr)
{
    out_ptr(sc, addr);
    unsigned n = 0;
    uint32_t p;
    while (addr && n < 100000 && read_guest(&p, addr + 4 * n, 4) && p)
        n++;
    if (addr)
        out(sc, " /* %u var%s */", n, n == 1 ? "" : "s");
}

/* struct iovec[cnt] (two guest words each); `bytes` of data shown in all. */
static void out_iovec(StraceCall *sc, uint64_t addr, uint64_t cnt, uint64_t bytes, bool data)
{
    unsigned ws = guest_long_size();
    out(sc, "[");
    for (uint64_t i = 0; i < cnt; i++) {
        int64_t w[2];
        if (get_guest_longs(addr + 2 * ws * i, w, 2) < 0) {
            out(sc, "%s0x%llx", i ? ", " : "", (unsigned long long)(addr + 2 * ws * i));
            break;
        }
        uint64_t v[2] = { guest_ulong((uint64_t)w[0]), guest_ulong((uint64_t)w[1]) };
        if (i == STRACE_MAXELEM) {
            out(sc, ", ...");
            break;
        }
        out(sc, "%s{iov_base=", i ? ", " : "");
        uint64_t n = v[1] < bytes ? v[1] : bytes;
        if (data)
            out_buffer(sc, v[0], n);
        else
            out_ptr(sc, v[0]);
        bytes -= n;
        out(sc, ", iov_len=%llu}", (unsigned long long)v[1]);
    }
    out(sc, "]");
}

static void out_dirents(StraceCall *sc, uint64_t addr, int64_t len)
{
    out_ptr(sc, addr);
    unsigned n = 0;
    for (int64_t off = 0; off + 19 <= len; n++) {
        uint16_t reclen;
        if (!read_guest(&reclen, addr + (uint64_t)off + 16, 2) || reclen == 0)
            break;
        off += reclen;
    }
    out(sc, " /* %u entr%s */", n, n == 1 ? "y" : "ies");
}

/* struct sockaddr of len bytes. */
static void out_sockaddr(StraceCall *sc, uint64_t addr, uint64_t len)
{
    uint8_t b[128];
    if (len > sizeof(b))
        len = sizeof(b);
    if (len < 2 || !read_guest(b, addr, len)) {
        out_ptr(sc, addr);
        return;
    }
    uint16_t fam;
    memcpy(&fam, b, 2);
    out(sc, "{sa_family=");
    out_enum(sc, domains, NFLAGS(domains), fam);
    if (fam == 1) {                                 /* AF_UNIX */
        size_t n = len - 2;
        if (n && b[2] == 0) {                       /* abstract: @name */
            out(sc, ", sun_path=@");
            out_quoted(sc, b + 3, n - 1, false);
        } else {
            size_t l = strnlen((const char *)b + 2, n);
            out(sc, ", sun_path=");
            out_quoted(sc, b + 2, l, false);
        }
    } else if (fam == 2 && len >= 8) {              /* AF_INET */
        char ip[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, b + 4, ip, sizeof(ip));
        out(sc, ", sin_port=htons(%u), sin_addr=inet_addr(\"%s\")", (unsigned)(b[2] << 8 | b[3]), ip);
    } else if (fam == 10 && len >= 24) {            /* AF_INET6 */
        char ip[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, b + 8, ip, sizeof(ip));
        out(sc, ", sin6_port=htons(%u), sin6_addr=\"%s\"", (unsigned)(b[2] << 8 | b[3]), ip);
    } else {
        out(sc, ", ...");
    }
    out(sc, "}");
}

static void out_pollfds(StraceCall *sc, uint64_t addr, uint64_t n)
{
    out(sc, "[");
    for (uint64_t i = 0; i < n; i++) {
        struct { int32_t fd; int16_t events, revents; } p;
        if (i == STRACE_MAXELEM) {
            out(sc, ", ...");
            break;
        }
        if (!read_guest(&p, addr + 8 * i, 8)) {
            out(sc, "%s0x%llx", i ? ", " : "", (unsigned long long)(addr + 8 * i));
            break;
        }
        out(sc, "%s{fd=%d, events=", i ? ", " : "", p.fd);
        out_flags(sc, poll_events, NFLAGS(poll_events), (uint16_t)p.events, "0");
        out(sc, "}");
    }
    out(sc, "]");
}

static void out_rlim_value(StraceCall *sc, uint64_t v, bool wide)
{
    if (wide ? v == UINT64_MAX : v == UINT32_MAX)
        out(sc, wide ? "RLIM64_INFINITY" : "RLIM_INFINITY");
    else
        out(sc, "%llu", (unsigned long long)v);
}

static void out_rlimit(StraceCall *sc, uint64_t addr, bool wide)
{
    uint64_t cur, max;
    if (wide) {
        uint64_t v[2];
        if (!read_guest(v, addr, 16)) {
            out_ptr(sc, addr);
            return;
        }
        cur = v[0], max = v[1];
    } else if (guest_long_size() == 8) {
        uint64_t v[2];           /* LP64: struct rlimit is struct rlimit64 */
        if (!read_guest(v, addr, 16)) {
            out_ptr(sc, addr);
            return;
        }
        cur = v[0], max = v[1];
        wide = true;
    } else {
        uint32_t v[2];
        if (!read_guest(v, addr, 8)) {
            out_ptr(sc, addr);
            return;
        }
        cur = v[0], max = v[1];
    }
    out(sc, "{rlim_cur=");
    out_rlim_value(sc, cur, wide);
    out(sc, ", rlim_max=");
    out_rlim_value(sc, max, wide);
    out(sc, "}");
}

/* ---- arguments --------------------------------------------------------- */

static bool kind_is_output(uint8_t k)
{
    switch (k) {
    case SA_BUF_OUT: case SA_IOV_OUT: case SA_SIGACT_OUT: case SA_SIGSET_OUT:
    case SA_WSTATUS_OUT: case SA_STAT64_OUT: case SA_STATX_OUT: case SA_TS32_OUT:
    case SA_TS64_OUT: case SA_PIPE_OUT: case SA_INT_OUT: case SA_LOFF_OUT: case SA_DIRENTS_OUT:
    case SA_UNAME_OUT: case SA_STR_OUT: case SA_SOCKADDR_OUT: case SA_RLIMIT_OUT:
    case SA_RLIMIT64_OUT: case SA_TIMEVAL_OUT:
        return true;
    default:
        return false;
    }
}

static uint64_t reg(StraceCall *sc, unsigned i)
{
    return i < 7 ? guest_ulong(sc->a[i]) : 0;
}

/* Print argument kind k from register sc->next_reg, advancing it.  ok:
 * the call succeeded with result ret (output kinds are only read then). */
static void out_arg(StraceCall *sc, uint8_t k, bool ok, int64_t ret)
{
    unsigned i = sc->next_reg;
    uint64_t v = reg(sc, i);
    sc->next_reg = i + 1;
    if (kind_is_output(k) && !ok) {
        out_ptr(sc, v);
        return;
    }
    switch (k) {
    case SA_INT: case SA_FD: out(sc, "%d", (int32_t)v); break;
    case SA_UINT: out(sc, "%llu", (unsigned long long)v); break;
    case SA_HEX: out(sc, "%#llx", (unsigned long long)v); break;
    case SA_OCT: out(sc, "%#llo", (unsigned long long)v); break;
    case SA_PTR: out_ptr(sc, v); break;
    case SA_DIRFD:
        if ((int32_t)v == -100)
            out(sc, "AT_FDCWD");
        else
            out(sc, "%d", (int32_t)v);
        break;
    case SA_PATH: out_string(sc, v, 1024); break;
    case SA_STRV: out_strv(sc, v); break;
    case SA_ENVP: out_envp(sc, v); break;
    case SA_BUF_IN: out_buffer(sc, v, reg(sc, i + 1)); break;
    case SA_BUF_OUT: {
        uint64_t n = (uint64_t)ret;
        if (n > reg(sc, i + 1))
            n = reg(sc, i + 1);
        out_buffer(sc, v, n);
        break;
    }
    case SA_IOV_IN: out_iovec(sc, v, reg(sc, i + 1), UINT64_MAX, true); break;
    case SA_IOV_OUT: out_iovec(sc, v, reg(sc, i + 1), (uint64_t)ret, true); break;
    case SA_OFLAGS:
        sc->last_oflags = (uint32_t)v;
        out_oflags(sc, (uint32_t)v);
        break;
    case SA_MODE:
        if (oflags_take_mode(sc->last_oflags))
            out(sc, "%#llo", (unsigned long long)v);
        else if (sc->len && sc->text[sc->len - 1] == ',')
            sc->len--;       /* not shown: take back its separator */
        break;
    case SA_ATFLAGS:
        if (sc->def && !strncmp(sc->def->name, "faccessat", 9))
            out_flags(sc, at_flags_access, NFLAGS(at_flags_access), (uint32_t)v, NULL);
        else
            out_flags(sc, at_flags, NFLAGS(at_flags), (uint32_t)v, NULL);
        break;
    case SA_ACCESS: out_flags(sc, access_modes, NFLAGS(access_modes), (uint32_t)v, "F_OK"); break;
    case SA_WHENCE: out_enum(sc, whences, NFLAGS(whences), (uint32_t)v); break;
    case SA_PROT: out_flags(sc, prots, NFLAGS(prots), (uint32_t)v, "PROT_NONE"); break;
    case SA_MMAP_FLAGS: {
        uint32_t f = (uint32_t)v;
        out_enum(sc, map_types, NFLAGS(map_types), f & 0xf);
        if (f & ~0xfu) {
            out(sc, "|");
            out_flags(sc, map_flags, NFLAGS(map_flags), f & ~0xfu, NULL);
        }
        break;
    }
    case SA_CLONE_FLAGS: {
        uint32_t f = (uint32_t)v;
        if (f & ~0xffu)
            out_flags(sc, clone_flags, NFLAGS(clone_flags), f & ~0xffu, NULL);
        if (f & 0xff) {
            if (f & ~0xffu)
                out(sc, "|");
            out_signame(sc, (int)(f & 0xff), true);
        } else if (!(f & ~0xffu)) {
            out(sc, "0");
        }
        break;
    }
    case SA_FCNTL_CMD: {
        uint32_t cmd = (uint32_t)v;
        uint64_t arg = reg(sc, i + 1);
        out_enum(sc, fcntl_cmds, NFLAGS(fcntl_cmds), cmd);
        switch (cmd) {
        case 1: case 3: case 9: case 11: case 1025: case 1032: case 1034:
            break;                              /* F_GET*: no argument */
        case 2:
            out(sc, ",");
            out_flags(sc, fd_flags, NFLAGS(fd_flags), (uint32_t)arg, NULL);
            break;
        case 4:
            out(sc, ",");
            out_oflags(sc, (uint32_t)arg);
            break;
        case 5: case 6: case 7: case 12: case 13: case 14: case 36: case 37: case 38:
        case 15: case 16:
            out(sc, ",");
            out_ptr(sc, arg);
            break;
        default:
            out(sc, ",%d", (int32_t)arg);
        }
        sc->next_reg = i + 2;
        break;
    }
    case SA_IOCTL_REQ: out_enum(sc, ioctl_reqs, NFLAGS(ioctl_reqs), (uint32_t)v); break;
    case SA_SIGNAL: out_signame(sc, (int32_t)v, true); break;
    case SA_SIGACT_IN: case SA_SIGACT_OUT: out_sigaction(sc, v); break;
    case SA_SIGSET_IN: case SA_SIGSET_OUT: out_sigset_at(sc, v); break;
    case SA_SIGHOW: out_enum(sc, sig_hows, NFLAGS(sig_hows), (uint32_t)v); break;
    case SA_DOMAIN: out_enum(sc, domains, NFLAGS(domains), (uint32_t)v); break;
    case SA_SOCKTYPE: case SA_SOCKFLAGS: {
        /* SOCK_NONBLOCK and SOCK_CLOEXEC are the guest's O_ values. */
        uint32_t t = (uint32_t)v;
        FlagName f[2] = { { guest_open_bit(04000, O_NONBLOCK), "SOCK_NONBLOCK" },
                          { guest_open_bit(02000000, O_CLOEXEC), "SOCK_CLOEXEC" } };
        if (k == SA_SOCKTYPE) {
            out_enum(sc, sock_types, NFLAGS(sock_types), t & 0xf);
            t &= ~0xfu;
            if (t)
                out(sc, "|");
        }
        if (t || k == SA_SOCKFLAGS)
            out_flags(sc, f, 2, t, NULL);
        break;
    }
    case SA_WAIT_OPTIONS: out_flags(sc, wait_options, NFLAGS(wait_options), (uint32_t)v, NULL); break;
    case SA_WSTATUS_OUT:
        if (ret > 0)
            out_wstatus(sc, v);
        else
            out_ptr(sc, v);
        break;
    case SA_FUTEX_OP: {
        uint32_t op = (uint32_t)v;
        out_enum(sc, futex_ops, NFLAGS(futex_ops), op & 0x7f);
        if (op & 128)
            out(sc, "_PRIVATE");
        if (op & 256)
            out(sc, "|FUTEX_CLOCK_REALTIME");
        if (op & ~0x1ffu)
            out(sc, "|%#x", op & ~0x1ffu);
        break;
    }
    case SA_STAT64_OUT: out_stat64(sc, v); break;
    case SA_STATX_OUT: out_statx(sc, v); break;
    case SA_STATX_MASK: out_flags(sc, statx_masks, NFLAGS(statx_masks), (uint32_t)v, NULL); break;
    case SA_TS32_IN: case SA_TS32_OUT: out_timespec(sc, v, false); break;
    case SA_TS64_IN: case SA_TS64_OUT: out_timespec(sc, v, true); break;
    case SA_PIPE_OUT: {
        int32_t fds[2];
        if (read_guest(fds, v, 8))
            out(sc, "[%d, %d]", fds[0], fds[1]);
        else
            out_ptr(sc, v);
        break;
    }
    case SA_INT_OUT: {
        int32_t x;
        if (read_guest(&x, v, 4))
            out(sc, "[%d]", x);
        else
            out_ptr(sc, v);
        break;
    }
    case SA_OFF64: {
        unsigned j = i;
        uint64_t off = syscall_arg64(sc->a, &j);
        sc->next_reg = j;
        out(sc, "%lld", (long long)off);
        break;
    }
    case SA_LLSEEK_OFF:
        out(sc, "%lld", (long long)(reg(sc, i) << 32 | reg(sc, i + 1)));
        sc->next_reg = i + 2;
        break;
    case SA_LOFF_OUT: {
        int64_t x;
        if (read_guest(&x, v, 8))
            out(sc, "[%lld]", (long long)x);
        else
            out_ptr(sc, v);
        break;
    }
    case SA_DIRENTS_OUT: out_dirents(sc, v, ret); break;
    case SA_CLOCKID: out_enum(sc, clock_ids, NFLAGS(clock_ids), (uint32_t)v); break;
    case SA_UNAME_OUT: out_uname(sc, v); break;
    case SA_RESOURCE: out_enum(sc, resources, NFLAGS(resources), (uint32_t)v); break;
    case SA_PRCTL_OP: out_enum(sc, prctl_ops, NFLAGS(prctl_ops), (uint32_t)v); break;
    case SA_STR_OUT: out_string(sc, v, 1024); break;
    case SA_FDFLAGS: out_flags(sc, guest_open_flags, NFLAGS(guest_open_flags), (uint32_t)v, NULL); break;
    case SA_SOCKADDR_IN: out_sockaddr(sc, v, reg(sc, i + 1)); break;
    case SA_SOCKADDR_OUT: {
        uint32_t len;
        if (v && read_guest(&len, reg(sc, i + 1), 4))
            out_sockaddr(sc, v, len);
        else
            out_ptr(sc, v);
        break;
    }
    case SA_SOCKLEVEL: out_enum(sc, sock_levels, NFLAGS(sock_levels), (uint32_t)v); break;
    case SA_SOCKOPT: {
        uint32_t level = i ? (uint32_t)reg(sc, i - 1) : 0;
        if (level == 1)
            out_enum(sc, so_opts, NFLAGS(so_opts), (uint32_t)v);
        else if (level == 6)
            out_enum(sc, tcp_opts, NFLAGS(tcp_opts), (uint32_t)v);
        else if (level == 41)
            out_enum(sc, ipv6_opts, NFLAGS(ipv6_opts), (uint32_t)v);
        else
            out(sc, "%d", (int32_t)v);
        break;
    }
    case SA_MSGFLAGS: out_flags(sc, msg_flags, NFLAGS(msg_flags), (uint32_t)v, NULL); break;
    case SA_SHUTHOW: out_enum(sc, shut_hows, NFLAGS(shut_hows), (uint32_t)v); break;
    case SA_POLLFDS: out_pollfds(sc, v, reg(sc, i + 1)); break;
    case SA_EPOLL_OP: out_enum(sc, epoll_ops, NFLAGS(epoll_ops), (uint32_t)v); break;
    case SA_MADVICE: out_enum(sc, madvices, NFLAGS(madvices), (uint32_t)v); break;
    case SA_MREMAP_FLAGS: out_flags(sc, mremap_flags, NFLAGS(mremap_flags), (uint32_t)v, NULL); break;
    case SA_MSYNC_FLAGS: out_flags(sc, msync_flags, NFLAGS(msync_flags), (uint32_t)v, NULL); break;
    case SA_FLOCK_OP: out_flags(sc, flock_ops, NFLAGS(flock_ops), (uint32_t)v, NULL); break;
    case SA_RLIMIT_OUT: out_rlimit(sc, v, false); break;
    case SA_RLIMIT64_IN: case SA_RLIMIT64_OUT: out_rlimit(sc, v, true); break;
    case SA_TIMEVAL_OUT: {
        int64_t tv[2];
        if (get_guest_longs(v, tv, 2) == 0)
            out(sc, "{tv_sec=%lld, tv_usec=%lld}", (long long)tv[0], (long long)tv[1]);
        else
            out_ptr(sc, v);
        break;
    }
    case SA_GRND_FLAGS: out_flags(sc, grnd_flags, NFLAGS(grnd_flags), (uint32_t)v, NULL); break;
    case SA_WHO: {
        const char *n = sc->def ? sc->def->name : "";
        if (!strcmp(n, "getrusage"))
            out_enum(sc, rusage_whos, NFLAGS(rusage_whos), (uint32_t)v);
        else if (!strcmp(n, "waitid"))
            out_enum(sc, id_types, NFLAGS(id_types), (uint32_t)v);
        else
            out_enum(sc, prio_whichs, NFLAGS(prio_whichs), (uint32_t)v);
        break;
    }
    case SA_SKIP: break;
    default: out(sc, "%#llx", (unsigned long long)v); break;
    }
}

/* Print arguments from sc->next_arg on; at entry (!after) stop before the
 * first output kind. */
static void out_args(StraceCall *sc, bool after, bool ok, int64_t ret)
{
    if (!sc->spec) {
        /* No description: the registers in hex, as many as the table says. */
        if (after)
            return;
        unsigned n = sc->def ? sc->def->n_args : 6;
        for (unsigned i = 0; i < n && i < 7; i++)
            out(sc, "%s%#llx", i ? "," : "", (unsigned long long)reg(sc, i));
        sc->next_arg = 7;
        return;
    }
    while (sc->next_arg < 7) {
        uint8_t k = sc->spec->args[sc->next_arg];
        if (k == SA_END)
            break;
        if (!after && kind_is_output(k))
            return;
        if (sc->next_arg && k != SA_SKIP)
            out(sc, ",");
        out_arg(sc, k, ok, ret);
        sc->next_arg++;
    }
    sc->next_arg = 7;
}

static void out_errno(StraceCall *sc, int e)
{
    const char *name = strerrorname_np(e);
    if (name)
        out(sc, "-1 %s (%s)", name, strerror(e));
    else
        out(sc, "-1 errno %d", e);
}

static void out_result(StraceCall *sc, int64_t ret)
{
    out(sc, " = ");
    if (ret < 0 && ret >= -4095) {
        out_errno(sc, (int)-ret);
        return;
    }
    unsigned kind = sc->spec ? sc->spec->ret : SR_INT;
    switch (kind) {
    case SR_HEX:
        out(sc, "%#llx", (unsigned long long)ret);
        break;
    case SR_FCNTL: {
        uint32_t cmd = (uint32_t)reg(sc, 1);
        out(sc, "%lld", (long long)ret);
        if (cmd == 3) {                     /* F_GETFL */
            out(sc, " (flags ");
            out_oflags(sc, (uint32_t)ret);
            out(sc, ")");
        } else if (cmd == 1) {              /* F_GETFD */
            out(sc, " (flags ");
            out_flags(sc, fd_flags, NFLAGS(fd_flags), (uint32_t)ret, NULL);
            out(sc, ")");
        }
        break;
    }
    default:
        out(sc, "%lld", (long long)ret);
    }
}

/* ---- the hooks ------------------------------------------------------- */

static void out_prefix(StraceCall *sc)
{
    out(sc, "%ld ", (long)syscall(SYS_gettid));
}

/* The line was started at entry, but a fork's child finishes it with its
 * own id: rewrite the prefix if the thread id is no longer the same. */
static void fix_prefix(StraceCall *sc)
{
    char now[32];
    int n = snprintf(now, sizeof(now), "%ld ", (long)syscall(SYS_gettid));
    const char *sp = memchr(sc->text, ' ', sc->len);
    if (n <= 0 || !sp)
        return;
    unsigned old = (unsigned)(sp - sc->text) + 1;
    if (old == (unsigned)n && !memcmp(sc->text, now, old))
        return;
    if (sc->len - old + (unsigned)n >= sizeof(sc->text))
        return;
    memmove(sc->text + n, sc->text + old, sc->len - old);
    memcpy(sc->text, now, (size_t)n);
    sc->len = sc->len - old + (unsigned)n;
}

static const char *call_name(StraceCall *sc)
{
    return sc->def ? sc->def->name : "syscall";
}

static pthread_once_t strace_once = PTHREAD_ONCE_INIT;

void strace_syscall_enter(StraceCall *sc, uint32_t nr, const LinuxSyscallDef *def,
                          const uint64_t *a)
{
    pthread_once(&strace_once, open_flags_init);
    sc->nr = nr;
    sc->def = def;
    sc->spec = def ? strace_spec_find_abi(syscall_abi()->name, def->name) : NULL;
    memcpy(sc->a, a, sizeof(sc->a));
    sc->next_arg = sc->next_reg = 0;
    sc->last_oflags = 0;
    sc->entry_written = false;
    sc->len = 0;
    out_prefix(sc);
    if (def)
        out(sc, "%s(", def->name);
    else
        out(sc, "syscall_%u(", nr);
    /* A thread is about to exist: from now on blocking calls are split.
     * Set before the call, as the new thread may block before the clone
     * returns in its parent. */
    if (def && !strcmp(def->name, "clone") && (reg(sc, 0) & 0x10000))
        strace_threads_seen = true;
    out_args(sc, false, false, 0);
    if (sc->spec && sc->spec->ret == SR_NONE) {
        out(sc, ") = ?");
        flush_line(sc);
        sc->entry_written = true;
        return;
    }
    bool split = sc->spec && ((sc->spec->flags & SF_BEFORE) ||
                              ((sc->spec->flags & SF_BLOCKS) && strace_threads_seen));
    if (split) {
        bool more = sc->next_arg < 7 && sc->spec->args[sc->next_arg] != SA_END;
        out(sc, "%s <unfinished ...>", more && sc->next_arg ? "," : more ? "" : ")");
        flush_line(sc);
        sc->entry_written = true;
    }
}

void strace_syscall_exit(StraceCall *sc, int64_t ret)
{
    if (sc->entry_written) {
        if (sc->spec && sc->spec->ret == SR_NONE)
            return;             /* exit failed?  Nothing more to say. */
        out_prefix(sc);
        out(sc, "<... %s resumed>", call_name(sc));
        bool had_args = sc->next_arg > 0;
        unsigned len0 = sc->len;
        out_args(sc, true, ret >= 0, ret);
        /* The separator before the first output argument was written with
         * the entry: drop the one out_args put. */
        if (had_args && sc->len > len0 && sc->text[len0] == ',')
            memmove(sc->text + len0, sc->text + len0 + 1, sc->len-- - len0 - 1);
    } else {
        fix_prefix(sc);
        out_args(sc, true, ret >= 0, ret);
    }
    out(sc, ")");
    out_result(sc, ret);
    flush_line(sc);
}

void strace_syscall_exit_noreturn(StraceCall *sc)
{
    if (!sc->entry_written) {
        out_args(sc, true, true, 0);
        out(sc, ") = ?");
        flush_line(sc);
    }
}
