/*
 * syscall-net.c — socket system calls.
 *
 * Socket addresses (struct sockaddr and its families) have one layout on
 * every Linux ABI and pass through.  What differs for 32-bit guests are the
 * structures holding pointers and longs: struct msghdr (28 bytes), struct
 * iovec (8), struct mmsghdr (32) and the control messages, whose header is
 * 12 bytes with 4-byte alignment instead of the host's 16 and 8; and the
 * socket options carrying a struct timeval (SO_RCVTIMEO_OLD...).  LP64
 * guests (x86_64) have the host's layouts, built by the same code with
 * 8-byte guest words.  Flags
 * (SOCK_NONBLOCK, SOCK_CLOEXEC, MSG_*) and option numbers are the
 * asm-generic ones, equal to the x86_64 host's.
 */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/guest-struct.h"
#include "linux-user/process.h"
#include "linux-user/syscall.h"

/* ---- addresses ---------------------------------------------------------- */

#define SOCKADDR_MAX 128   /* sizeof(struct sockaddr_storage) */

/* The length of an input address as the host must see it.  In ARM's old
 * ABI every struct is padded to 4 bytes, so programs pass
 * sizeof(struct sockaddr_un) == 112 where the kernel's is 110; like the
 * kernel's OABI wrappers, take 112 for an AF_UNIX address as 110. */
static socklen_t addr_len_in(const struct sockaddr *sa, socklen_t len)
{
    const socklen_t un_len = sizeof(struct sockaddr_un);
    unsigned al = syscall_abi()->struct_align;
    socklen_t guest_un_len = (un_len + al - 1) & ~(al - 1);
    if (sa && guest_un_len != un_len && len == guest_un_len && sa->sa_family == AF_UNIX)
        return un_len;
    return len;
}

/* An input address (bind, connect, sendto): checked and passed as is;
 * *len becomes the host's length. */
static int64_t addr_in(uint64_t addr, socklen_t *len, const struct sockaddr **out)
{
    *out = NULL;
    if (!addr)
        return 0;
    if ((int32_t)*len < 0 || *len > 4096)
        return -EINVAL;
    *out = guest_ptr(addr, *len, PAGE_READ);
    if (!*out && *len)
        return -EFAULT;
    *len = addr_len_in(*out, *len);
    return 0;
}

/* An output address and its value-result length (accept, getsockname,
 * recvfrom): the kernel truncates to the guest's length and reports the
 * full one, so a bounce buffer gives the same result. */
typedef struct AddrOut {
    uint64_t addr, lenp;
    struct sockaddr_storage ss;
    socklen_t len;
    uint32_t glen;
} AddrOut;

static int64_t addr_out_prepare(AddrOut *o, uint64_t addr, uint64_t lenp)
{
    o->addr = addr;
    o->lenp = addr ? lenp : 0;
    o->len = sizeof(o->ss);
    if (!addr)
        return 0;
    if (copy_from_guest(&o->glen, lenp, 4) < 0)
        return -EFAULT;
    if ((int32_t)o->glen < 0)
        return -EINVAL;
    if (o->glen && !guest_range_ok(addr, o->glen, PAGE_WRITE))
        return -EFAULT;
    return 0;
}

static int64_t addr_out_finish(AddrOut *o)
{
    if (!o->addr)
        return 0;
    uint32_t n = o->len < o->glen ? o->len : o->glen;
    if (copy_to_guest(o->addr, &o->ss, n) < 0)
        return -EFAULT;
    uint32_t full = o->len;
    return copy_to_guest(o->lenp, &full, 4);
}

#define ADDR_OUT_ARGS(o) ((o).addr ? (struct sockaddr *)&(o).ss : NULL), ((o).addr ? &(o).len : NULL)

/* ---- simple calls --------------------------------------------------------- */

int64_t sys_socket(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(socket(sarg(a[0]), sarg(a[1]), sarg(a[2])));
}

int64_t sys_socketpair(CPUCommon *cpu, const uint64_t *a)
{
    int sv[2];
    if (!guest_range_ok(a[3], 8, PAGE_WRITE))
        return -EFAULT;
    if (socketpair(sarg(a[0]), sarg(a[1]), sarg(a[2]), sv) < 0)
        return -errno;
    if (copy_to_guest(a[3], sv, 8) < 0) {
        close(sv[0]);
        close(sv[1]);
        return -EFAULT;
    }
    return 0;
}

int64_t sys_bind(CPUCommon *cpu, const uint64_t *a)
{
    const struct sockaddr *sa;
    socklen_t len = (socklen_t)a[2];
    int64_t r = addr_in(a[1], &len, &sa);
    return r < 0 ? r : host_result(bind(sarg(a[0]), sa, len));
}

int64_t sys_connect(CPUCommon *cpu, const uint64_t *a)
{
    const struct sockaddr *sa;
    socklen_t len = (socklen_t)a[2];
    int64_t r = addr_in(a[1], &len, &sa);
    return r < 0 ? r : safe_syscall(SYS_connect, (long)sarg(a[0]), (long)sa, (long)len);
}

int64_t sys_listen(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(listen(sarg(a[0]), sarg(a[1])));
}

int64_t sys_accept4(CPUCommon *cpu, const uint64_t *a)
{
    AddrOut o;
    int64_t r = addr_out_prepare(&o, a[1], a[2]);
    if (r < 0)
        return r;
    long fd = safe_syscall(SYS_accept4, (long)sarg(a[0]), (long)(o.addr ? &o.ss : NULL),
                           (long)(o.addr ? &o.len : NULL), (long)sarg(a[3]));
    if (fd < 0)
        return fd;
    if (addr_out_finish(&o) < 0) {
        close(fd);
        return -EFAULT;
    }
    return fd;
}

int64_t sys_accept(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[4] = { a[0], a[1], a[2], 0 };
    return sys_accept4(cpu, b);
}

static int64_t do_getname(const uint64_t *a, bool peer)
{
    AddrOut o;
    int64_t r = addr_out_prepare(&o, a[1], a[2]);
    if (r < 0)
        return r;
    if (!a[1])
        return -EFAULT;
    int fd = sarg(a[0]);
    if ((peer ? getpeername(fd, ADDR_OUT_ARGS(o)) : getsockname(fd, ADDR_OUT_ARGS(o))) < 0)
        return -errno;
    return addr_out_finish(&o);
}

int64_t sys_getsockname(CPUCommon *cpu, const uint64_t *a) { return do_getname(a, false); }
int64_t sys_getpeername(CPUCommon *cpu, const uint64_t *a) { return do_getname(a, true); }

int64_t sys_sendto(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t len = guest_ulong(a[2]);
    const void *buf = guest_ptr(a[1], len, PAGE_READ);
    if (!buf && len)
        return -EFAULT;
    const struct sockaddr *sa;
    socklen_t alen = (socklen_t)a[5];
    int64_t r = addr_in(a[4], &alen, &sa);
    if (r < 0)
        return r;
    return safe_syscall(SYS_sendto, (long)sarg(a[0]), (long)buf, (long)len, (long)sarg(a[3]), (long)sa,
                        (long)(sa ? alen : 0));
}

int64_t sys_send(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[6] = { a[0], a[1], a[2], a[3], 0, 0 };
    return sys_sendto(cpu, b);
}

int64_t sys_recvfrom(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t len = guest_ulong(a[2]);
    void *buf = guest_ptr(a[1], len, PAGE_WRITE);
    if (!buf && len)
        return -EFAULT;
    AddrOut o;
    int64_t r = addr_out_prepare(&o, a[4], a[5]);
    if (r < 0)
        return r;
    long n = safe_syscall(SYS_recvfrom, (long)sarg(a[0]), (long)buf, (long)len, (long)sarg(a[3]),
                          (long)(o.addr ? &o.ss : NULL), (long)(o.addr ? &o.len : NULL));
    if (n < 0)
        return n;
    if (addr_out_finish(&o) < 0)
        return -EFAULT;
    return n;
}

int64_t sys_recv(CPUCommon *cpu, const uint64_t *a)
{
    uint64_t b[6] = { a[0], a[1], a[2], a[3], 0, 0 };
    return sys_recvfrom(cpu, b);
}

int64_t sys_shutdown(CPUCommon *cpu, const uint64_t *a)
{
    return host_result(shutdown(sarg(a[0]), sarg(a[1])));
}

/* ---- socket options ------------------------------------------------------- */

/* SOL_SOCKET options whose value is a struct timeval of the guest's
 * 32-bit time (the _OLD numbers); the _NEW numbers take 64-bit time,
 * which is the host's struct timeval layout. */
#define GUEST_SO_RCVTIMEO_OLD 20
#define GUEST_SO_SNDTIMEO_OLD 21

int64_t sys_setsockopt(CPUCommon *cpu, const uint64_t *a)
{
    int fd = sarg(a[0]), level = sarg(a[1]), name = sarg(a[2]);
    uint64_t len = guest_ulong(a[4]);
    if (level == SOL_SOCKET && (name == GUEST_SO_RCVTIMEO_OLD || name == GUEST_SO_SNDTIMEO_OLD)) {
        int64_t v[2];
        if (len < 2 * guest_long_size())
            return -EINVAL;
        if (get_guest_longs(a[3], v, 2) < 0)
            return -EFAULT;
        struct timeval tv = { v[0], v[1] };
        return host_result(setsockopt(fd, level, name, &tv, sizeof(tv)));
    }
    if (len > 65536)
        return -EINVAL;
    /* Everything else has one layout on every Linux ABI (ints, struct
     * linger, ip_mreq, in6_addr, sock_fprog's array...). */
    const void *p = guest_ptr(a[3], len, PAGE_READ);
    if (!p && len)
        return -EFAULT;
    return host_result(setsockopt(fd, level, name, p, (socklen_t)len));
}

int64_t sys_getsockopt(CPUCommon *cpu, const uint64_t *a)
{
    int fd = sarg(a[0]), level = sarg(a[1]), name = sarg(a[2]);
    uint32_t glen;
    if (copy_from_guest(&glen, a[4], 4) < 0)
        return -EFAULT;
    if ((int32_t)glen < 0)
        return -EINVAL;
    if (level == SOL_SOCKET && (name == GUEST_SO_RCVTIMEO_OLD || name == GUEST_SO_SNDTIMEO_OLD)) {
        struct timeval tv;
        socklen_t l = sizeof(tv);
        if (getsockopt(fd, level, name, &tv, &l) < 0)
            return -errno;
        int64_t v[2] = { tv.tv_sec, tv.tv_usec };
        uint8_t raw[16];
        unsigned ws = guest_long_size();
        for (unsigned i = 0; i < 2; i++)
            memcpy(raw + i * ws, &v[i], ws);      /* little-endian: the low bytes */
        uint32_t n = glen < 2 * ws ? glen : 2 * ws;
        if (copy_to_guest(a[3], raw, n) < 0 || copy_to_guest(a[4], &n, 4) < 0)
            return -EFAULT;
        return 0;
    }
    uint8_t buf[512];
    socklen_t l = glen < sizeof(buf) ? glen : sizeof(buf);
    if (getsockopt(fd, level, name, buf, &l) < 0)
        return -errno;
    uint32_t n = l < glen ? l : glen;
    if (copy_to_guest(a[3], buf, n) < 0 || copy_to_guest(a[4], &n, 4) < 0)
        return -EFAULT;
    return 0;
}

/* ---- msghdr and control messages ---------------------------------------- */

/* struct msghdr of the guest: name, namelen (int), iov, iovlen, control,
 * controllen, flags (int), with pointers and size_t as guest words (28
 * bytes on 32-bit guests, 56 on LP64 ones). */
typedef struct GuestMsghdr {
    uint64_t name, namelen, iov, iovlen, control, controllen, flags;
} GuestMsghdr;

/* Offsets of namelen, controllen and flags, which a receive updates. */
static unsigned msg_off_namelen(void) { return guest_long_size(); }
static unsigned msg_off_controllen(void) { return 5 * guest_long_size(); }
static unsigned msg_off_flags(void) { return 6 * guest_long_size(); }
static unsigned msg_size(void) { return 7 * guest_long_size(); }

static int get_guest_msghdr(uint64_t addr, GuestMsghdr *g)
{
    uint8_t raw[56];
    if (copy_from_guest(raw, addr, msg_size()) < 0)
        return -EFAULT;
    GuestStructReader r = { .buf = raw, .llalign = 4 };
    g->name = gsr_ptr(&r);
    g->namelen = gsr_u32(&r);
    g->iov = gsr_ptr(&r);
    g->iovlen = gsr_ulong(&r);
    g->control = gsr_ptr(&r);
    g->controllen = gsr_ulong(&r);
    g->flags = gsr_u32(&r);
    return 0;
}

/* struct cmsghdr: cmsg_len (size_t), level, type; payloads aligned to the
 * guest word. */
#define GUEST_CMSG_HDR (guest_long_size() == 8 ? 16u : 12u)
#define GUEST_CMSG_ALIGN(n) (((n) + guest_long_size() - 1) & ~(guest_long_size() - 1))

/* One message converted for the host. */
typedef struct HostMsg {
    struct msghdr h;
    struct iovec iov[UIO_MAXIOV];
    uint8_t *control;       /* malloc'd, or NULL */
    GuestMsghdr g;
    uint64_t gaddr;
} HostMsg;

/* How a guest control payload's length maps to the host's. */
static uint32_t cmsg_payload_to_host(int level, int type, uint32_t glen)
{
    (void)level;
    (void)type;
    return glen;   /* SCM_RIGHTS (ints), SCM_CREDENTIALS (3 ints), IP_* ints: same */
}

static int64_t msg_from_guest(HostMsg *m, uint64_t gaddr, bool receive)
{
    memset(&m->h, 0, sizeof(m->h));
    m->control = NULL;
    m->gaddr = gaddr;
    if (get_guest_msghdr(gaddr, &m->g) < 0)
        return -EFAULT;
    GuestMsghdr *g = &m->g;
    if (g->name) {
        if ((int32_t)g->namelen < 0)
            return -EINVAL;
        m->h.msg_name = guest_ptr(g->name, g->namelen, receive ? PAGE_WRITE : PAGE_READ);
        if (!m->h.msg_name && g->namelen)
            return -EFAULT;
        m->h.msg_namelen = receive ? g->namelen : addr_len_in(m->h.msg_name, g->namelen);
    }
    if (g->iovlen > UIO_MAXIOV)
        return -EMSGSIZE;
    int64_t r = guest_iovec(g->iov, g->iovlen, m->iov, receive ? PAGE_WRITE : PAGE_READ);
    if (r < 0)
        return r;
    m->h.msg_iov = m->iov;
    m->h.msg_iovlen = g->iovlen;
    if (g->control && g->controllen) {
        if (g->controllen > 65536)
            return -ENOBUFS;
        /* Host headers are 4 bytes longer and 8-aligned: twice the room is
         * always enough for the same messages. */
        size_t hlen = (size_t)g->controllen * 2 + 64;
        m->control = calloc(1, hlen);
        if (!m->control)
            return -ENOMEM;
        m->h.msg_control = m->control;
        m->h.msg_controllen = hlen;
        if (!receive) {
            uint8_t *gbuf = malloc(g->controllen);
            if (!gbuf)
                return -ENOMEM;
            if (copy_from_guest(gbuf, g->control, g->controllen) < 0) {
                free(gbuf);
                return -EFAULT;
            }
            struct cmsghdr *hc = CMSG_FIRSTHDR(&m->h);
            size_t used = 0;
            for (uint32_t off = 0; off + GUEST_CMSG_HDR <= g->controllen;) {
                uint32_t w[3];
                uint64_t clen;
                if (guest_long_size() == 8) {
                    memcpy(&clen, gbuf + off, 8);
                    memcpy(&w[1], gbuf + off + 8, 8);
                } else {
                    memcpy(w, gbuf + off, 12);
                    clen = w[0];
                }
                if (clen < GUEST_CMSG_HDR || off + clen > g->controllen) {
                    free(gbuf);
                    return -EINVAL;
                }
                uint32_t plen = (uint32_t)clen - GUEST_CMSG_HDR;
                uint32_t hplen = cmsg_payload_to_host((int)w[1], (int)w[2], plen);
                if (!hc || used + CMSG_SPACE(hplen) > hlen) {
                    free(gbuf);
                    return -EINVAL;
                }
                hc->cmsg_len = CMSG_LEN(hplen);
                hc->cmsg_level = (int)w[1];
                hc->cmsg_type = (int)w[2];
                memcpy(CMSG_DATA(hc), gbuf + off + GUEST_CMSG_HDR, plen);
                used += CMSG_SPACE(hplen);
                m->h.msg_controllen = used;
                hc = CMSG_NXTHDR(&m->h, hc);
                off += GUEST_CMSG_ALIGN(clen);
            }
            m->h.msg_controllen = used;
            if (!used)
                m->h.msg_control = NULL;
            free(gbuf);
        }
    }
    m->h.msg_flags = 0;
    return 0;
}

/* After a receive: the control messages, name length and flags back into
 * the guest's msghdr. */
static int64_t msg_to_guest(HostMsg *m)
{
    GuestMsghdr *g = &m->g;
    uint32_t flags = (uint32_t)m->h.msg_flags;
    uint32_t gused = 0;
    if (m->control && m->h.msg_controllen) {
        uint8_t *out = calloc(1, g->controllen ? g->controllen : 1);
        if (!out)
            return -ENOMEM;
        for (struct cmsghdr *hc = CMSG_FIRSTHDR(&m->h); hc; hc = CMSG_NXTHDR(&m->h, hc)) {
            uint32_t plen = (uint32_t)(hc->cmsg_len - CMSG_LEN(0));
            if (hc->cmsg_level == SOL_SOCKET && hc->cmsg_type == SO_TIMESTAMP_OLD &&
                plen == sizeof(struct timeval)) {
                /* A 64-bit host timeval becomes the guest's (two longs). */
                struct timeval tv;
                memcpy(&tv, CMSG_DATA(hc), sizeof(tv));
                if (guest_long_size() == 4) {
                    int32_t v[2] = { (int32_t)tv.tv_sec, (int32_t)tv.tv_usec };
                    memcpy(CMSG_DATA(hc), v, 8);
                    plen = 8;
                }
            }
            uint32_t clen = GUEST_CMSG_HDR + plen;
            if (gused + clen > g->controllen) {
                flags |= MSG_CTRUNC;
                /* Descriptors that did not fit are closed, as the kernel does. */
                if (hc->cmsg_level == SOL_SOCKET && hc->cmsg_type == SCM_RIGHTS) {
                    int *fds = (int *)CMSG_DATA(hc);
                    for (uint32_t i = 0; i < plen / 4; i++)
                        close(fds[i]);
                }
                continue;
            }
            if (guest_long_size() == 8) {
                uint64_t l = clen;
                int32_t lt[2] = { hc->cmsg_level, hc->cmsg_type };
                memcpy(out + gused, &l, 8);
                memcpy(out + gused + 8, lt, 8);
            } else {
                uint32_t w[3] = { clen, (uint32_t)hc->cmsg_level, (uint32_t)hc->cmsg_type };
                memcpy(out + gused, w, 12);
            }
            memcpy(out + gused + GUEST_CMSG_HDR, CMSG_DATA(hc), plen);
            gused += GUEST_CMSG_ALIGN(clen);
            if (gused > g->controllen)
                gused = g->controllen;
        }
        if (gused && copy_to_guest(g->control, out, gused) < 0) {
            free(out);
            return -EFAULT;
        }
        free(out);
    }
    uint32_t upd[3] = { (uint32_t)m->h.msg_namelen, gused, flags };
    uint64_t cl = gused;     /* controllen is a size_t: 4 or 8 bytes */
    if (copy_to_guest(m->gaddr + msg_off_namelen(), &upd[0], 4) < 0 ||
        copy_to_guest(m->gaddr + msg_off_controllen(), &cl, guest_long_size()) < 0 ||
        copy_to_guest(m->gaddr + msg_off_flags(), &upd[2], 4) < 0)
        return -EFAULT;
    return 0;
}

static void msg_free(HostMsg *m)
{
    free(m->control);
    m->control = NULL;
}

int64_t sys_sendmsg(CPUCommon *cpu, const uint64_t *a)
{
    HostMsg *m = malloc(sizeof(*m));
    if (!m)
        return -ENOMEM;
    int64_t r = msg_from_guest(m, a[1], false);
    if (r == 0)
        r = safe_syscall(SYS_sendmsg, (long)sarg(a[0]), (long)&m->h, (long)sarg(a[2]));
    msg_free(m);
    free(m);
    return r;
}

int64_t sys_recvmsg(CPUCommon *cpu, const uint64_t *a)
{
    HostMsg *m = malloc(sizeof(*m));
    if (!m)
        return -ENOMEM;
    int64_t r = msg_from_guest(m, a[1], true);
    if (r == 0) {
        r = safe_syscall(SYS_recvmsg, (long)sarg(a[0]), (long)&m->h, (long)sarg(a[2]));
        if (r >= 0) {
            int64_t e = msg_to_guest(m);
            if (e < 0)
                r = e;
        }
    }
    msg_free(m);
    free(m);
    return r;
}

/* sendmmsg/recvmmsg: one message at a time through the host calls, which
 * gives the same results (counts, partial success) as the kernel's loop. */
#define GUEST_MMSG_SIZE (msg_size() + guest_long_size())   /* struct mmsghdr: 32 or 64 bytes */

int64_t sys_sendmmsg(CPUCommon *cpu, const uint64_t *a)
{
    uint32_t vlen = (uint32_t)a[2];
    if (vlen > UIO_MAXIOV)
        vlen = UIO_MAXIOV;
    int flags = sarg(a[3]);
    HostMsg *m = malloc(sizeof(*m));
    if (!m)
        return -ENOMEM;
    int64_t done = 0, err = 0;
    for (uint32_t i = 0; i < vlen; i++) {
        uint64_t ga = a[1] + (uint64_t)i * GUEST_MMSG_SIZE;
        err = msg_from_guest(m, ga, false);
        if (err == 0)
            err = safe_syscall(SYS_sendmsg, (long)sarg(a[0]), (long)&m->h, (long)flags);
        msg_free(m);
        if (err < 0)
            break;
        uint32_t n = (uint32_t)err;
        if (copy_to_guest(ga + msg_size(), &n, 4) < 0) {
            err = -EFAULT;
            break;
        }
        done++;
        err = 0;
    }
    free(m);
    return done ? done : err;
}

static int64_t do_recvmmsg(const uint64_t *a, bool time64)
{
    uint32_t vlen = (uint32_t)a[2];
    if (vlen > UIO_MAXIOV)
        vlen = UIO_MAXIOV;
    int flags = sarg(a[3]);
    struct timespec deadline = { 0, 0 }, now;
    bool timed = a[4] != 0;
    if (timed) {
        struct timespec ts;
        if ((time64 ? get_timespec64(a[4], &ts) : get_timespec32(a[4], &ts)) < 0)
            return -EFAULT;
        clock_gettime(CLOCK_MONOTONIC, &now);
        deadline.tv_sec = now.tv_sec + ts.tv_sec;
        deadline.tv_nsec = now.tv_nsec + ts.tv_nsec;
        if (deadline.tv_nsec >= 1000000000) {
            deadline.tv_sec++;
            deadline.tv_nsec -= 1000000000;
        }
    }
    HostMsg *m = malloc(sizeof(*m));
    if (!m)
        return -ENOMEM;
    int64_t done = 0, err = 0;
    for (uint32_t i = 0; i < vlen; i++) {
        uint64_t ga = a[1] + (uint64_t)i * GUEST_MMSG_SIZE;
        err = msg_from_guest(m, ga, true);
        if (err == 0)
            err = safe_syscall(SYS_recvmsg, (long)sarg(a[0]), (long)&m->h, (long)flags);
        if (err >= 0) {
            uint32_t n = (uint32_t)err;
            int64_t e = msg_to_guest(m);
            if (e == 0 && copy_to_guest(ga + msg_size(), &n, 4) < 0)
                e = -EFAULT;
            err = e;
        }
        msg_free(m);
        if (err < 0)
            break;
        done++;
        /* MSG_WAITFORONE: only the first waits. */
        if (flags & MSG_WAITFORONE)
            flags |= MSG_DONTWAIT;
        if (timed) {
            clock_gettime(CLOCK_MONOTONIC, &now);
            if (now.tv_sec > deadline.tv_sec ||
                (now.tv_sec == deadline.tv_sec && now.tv_nsec >= deadline.tv_nsec))
                break;
        }
    }
    free(m);
    return done ? done : err;
}

int64_t sys_recvmmsg(CPUCommon *cpu, const uint64_t *a) { return do_recvmmsg(a, false); }
int64_t sys_recvmmsg_time64(CPUCommon *cpu, const uint64_t *a) { return do_recvmmsg(a, true); }
