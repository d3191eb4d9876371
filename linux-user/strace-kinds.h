/*
 * strace-kinds.h — how -strace shows one system call argument or result:
 * the vocabulary of the per-call table in strace-table.c.
 *
 * Input kinds are printed before the call; output kinds (_OUT) show what
 * the kernel wrote, so they are printed after it, and only when it
 * succeeded (otherwise as a pointer).
 */
#ifndef VEMU_LINUX_USER_STRACE_KINDS_H
#define VEMU_LINUX_USER_STRACE_KINDS_H

#include <stdint.h>

enum StraceArg {
    SA_END = 0,
    SA_INT,          /* signed decimal */
    SA_UINT,         /* unsigned decimal (sizes, counts) */
    SA_HEX,          /* 0x... */
    SA_OCT,          /* 0755 */
    SA_PTR,          /* NULL or 0x... */
    SA_FD,           /* a descriptor: decimal */
    SA_DIRFD,        /* AT_FDCWD or a descriptor */
    SA_PATH,         /* a NUL-terminated string: "..." */
    SA_STRV,         /* argv/envp-like array of strings */
    SA_ENVP,         /* envp: pointer and count, like strace */
    SA_BUF_IN,       /* a buffer whose length is the next argument (write) */
    SA_BUF_OUT,      /* a buffer the call filled, length = result (read) */
    SA_IOV_IN,       /* struct iovec[next argument] to write */
    SA_IOV_OUT,      /* struct iovec[next argument] filled, result bytes */
    SA_OFLAGS,       /* open(2) flags: O_RDONLY|O_CLOEXEC */
    SA_MODE,         /* creation mode: shown only after O_CREAT/O_TMPFILE */
    SA_ATFLAGS,      /* AT_SYMLINK_NOFOLLOW|AT_EMPTY_PATH */
    SA_ACCESS,       /* F_OK or R_OK|W_OK|X_OK */
    SA_WHENCE,       /* SEEK_SET... */
    SA_PROT,         /* PROT_READ|PROT_WRITE */
    SA_MMAP_FLAGS,   /* MAP_PRIVATE|MAP_ANONYMOUS */
    SA_CLONE_FLAGS,  /* CLONE_VM|...|SIGCHLD */
    SA_FCNTL_CMD,    /* F_SETFD and its argument, which this kind consumes */
    SA_IOCTL_REQ,    /* TCGETS...; the argument after it is a pointer */
    SA_SIGNAL,       /* SIGINT */
    SA_SIGACT_IN,    /* struct sigaction to install */
    SA_SIGACT_OUT,   /* the old struct sigaction */
    SA_SIGSET_IN,    /* [INT USR1] */
    SA_SIGSET_OUT,
    SA_SIGHOW,       /* SIG_BLOCK... */
    SA_DOMAIN,       /* AF_INET... */
    SA_SOCKTYPE,     /* SOCK_STREAM|SOCK_CLOEXEC */
    SA_WAIT_OPTIONS, /* WNOHANG|... */
    SA_WSTATUS_OUT,  /* [{WIFEXITED(s) && WEXITSTATUS(s) == 0}] */
    SA_FUTEX_OP,     /* FUTEX_WAIT_PRIVATE... */
    SA_STAT64_OUT,   /* {st_mode=S_IFREG|0644, st_size=...} */
    SA_STATX_OUT,
    SA_STATX_MASK,   /* STATX_BASIC_STATS... */
    SA_TS32_IN,      /* struct timespec, 32-bit time */
    SA_TS32_OUT,
    SA_TS64_IN,      /* struct timespec, 64-bit time */
    SA_TS64_OUT,
    SA_PIPE_OUT,     /* [3, 4] */
    SA_INT_OUT,      /* [value] */
    SA_OFF64,        /* a 64-bit offset in a register pair */
    SA_LLSEEK_OFF,   /* _llseek's high, low words: one 64-bit value */
    SA_LOFF_OUT,     /* [offset] (64-bit) */
    SA_DIRENTS_OUT,  /* getdents64 buffer: pointer and entry count */
    SA_CLOCKID,      /* CLOCK_MONOTONIC... */
    SA_UNAME_OUT,    /* {sysname="Linux", ...} */
    SA_RESOURCE,     /* RLIMIT_STACK... */
    SA_PRCTL_OP,     /* PR_SET_NAME... */
    SA_STR_OUT,      /* a NUL-terminated string the call wrote (getcwd) */
    SA_FDFLAGS,      /* O_CLOEXEC|O_NONBLOCK without an access mode (pipe2, dup3) */
    SA_SOCKADDR_IN,  /* struct sockaddr, length in the next argument */
    SA_SOCKADDR_OUT, /* struct sockaddr written, its length through the next pointer */
    SA_SOCKFLAGS,    /* SOCK_NONBLOCK|SOCK_CLOEXEC alone (accept4) */
    SA_SOCKLEVEL,    /* SOL_SOCKET, IPPROTO_TCP... */
    SA_SOCKOPT,      /* SO_REUSEADDR... (by the previous argument's level) */
    SA_MSGFLAGS,     /* MSG_DONTWAIT|MSG_NOSIGNAL */
    SA_SHUTHOW,      /* SHUT_RD... */
    SA_POLLFDS,      /* struct pollfd[next argument] */
    SA_EPOLL_OP,     /* EPOLL_CTL_ADD... */
    SA_MADVICE,      /* MADV_DONTNEED... */
    SA_MREMAP_FLAGS, /* MREMAP_MAYMOVE... */
    SA_MSYNC_FLAGS,  /* MS_SYNC... */
    SA_FLOCK_OP,     /* LOCK_EX|LOCK_NB */
    SA_RLIMIT_OUT,   /* struct rlimit (32-bit words) */
    SA_RLIMIT64_IN,  /* struct rlimit64 */
    SA_RLIMIT64_OUT,
    SA_TIMEVAL_OUT,  /* struct timeval, 32-bit */
    SA_GRND_FLAGS,   /* GRND_NONBLOCK... */
    SA_WHO,          /* RUSAGE_SELF..., PRIO_PROCESS..., P_PID... by call */
    SA_SKIP,         /* a padding register: not shown */
};

/* How the result is shown. */
enum StraceRet {
    SR_INT = 0,      /* decimal, or -1 ERRNO (text) */
    SR_HEX,          /* addresses (mmap2, brk) */
    SR_NONE,         /* never returns: "= ?" */
    SR_FCNTL,        /* depends on the command (F_GETFL: flags) */
};

/* Flags of a call. */
enum {
    SF_BLOCKS = 1,   /* may block: split the line when other threads run */
    SF_BEFORE = 2,   /* write the entry before the call (execve) */
};

typedef struct StraceSpec {
    const char *name;
    uint8_t ret, flags;
    uint8_t args[7];
} StraceSpec;

/* The entry for a system call name, or NULL (arguments in hex). */
const StraceSpec *strace_spec_find(const char *name);
/* The spec of name as ABI abi shows it ("<abi>:<name>" first). */
const StraceSpec *strace_spec_find_abi(const char *abi, const char *name);
/* The whole table, for tests: entry i (NULL past the end), and the index
 * of the first entry out of name order (0 if sorted). */
const StraceSpec *strace_spec_at(unsigned i);
int strace_table_check_sorted(void);

#endif
