#define _GNU_SOURCE
/* Sockets over loopback: TCP (accept/connect, getsockname/getpeername,
 * options), UDP (sendto/recvfrom, sendmsg/recvmsg), a unix socketpair
 * passing a descriptor with SCM_RIGHTS, sendmmsg/recvmmsg, shutdown. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/uio.h>
#include <unistd.h>

static void test_tcp(void)
{
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(ls, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(ls, 4) < 0) {
        perror("bind/listen");
        return;
    }
    socklen_t len = sizeof(a);
    getsockname(ls, (struct sockaddr *)&a, &len);
    printf("tcp: bound to loopback, port assigned %d, len %u\n", a.sin_port != 0, len);
    int c = socket(AF_INET, SOCK_STREAM, 0);
    if (connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
        perror("connect");
    struct sockaddr_in peer;
    len = sizeof(peer);
    int s = accept4(ls, (struct sockaddr *)&peer, &len, SOCK_CLOEXEC);
    printf("tcp: accepted %d, peer is loopback %d\n", s >= 0, peer.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
    struct sockaddr_in pn;
    len = sizeof(pn);
    getpeername(c, (struct sockaddr *)&pn, &len);
    printf("tcp: getpeername port matches %d\n", pn.sin_port == a.sin_port);
    setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    int v = 0;
    len = sizeof(v);
    getsockopt(c, IPPROTO_TCP, TCP_NODELAY, &v, &len);
    int type = 0;
    len = sizeof(type);
    getsockopt(c, SOL_SOCKET, SO_TYPE, &type, &len);
    printf("tcp: TCP_NODELAY %d, SO_TYPE stream %d\n", v != 0, type == SOCK_STREAM);
    struct timeval tv = { 0, 200000 }, tv2;
    setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    len = sizeof(tv2);
    getsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv2, &len);
    printf("tcp: SO_RCVTIMEO %ld.%06ld len %u\n", (long)tv2.tv_sec, (long)tv2.tv_usec, len);
    char buf[64];
    ssize_t n = recv(s, buf, sizeof(buf), 0);
    printf("tcp: recv with timeout and no data: %zd\n", n);
    send(c, "hello tcp", 9, 0);
    n = recv(s, buf, sizeof(buf), 0);
    printf("tcp: got %zd bytes '%.*s'\n", n, (int)n, buf);
    shutdown(c, SHUT_WR);
    n = recv(s, buf, sizeof(buf), 0);
    printf("tcp: after shutdown recv %zd\n", n);
    close(c);
    close(s);
    close(ls);
}

static void test_udp(void)
{
    int r = socket(AF_INET, SOCK_DGRAM, 0), w = socket(AF_INET, SOCK_DGRAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    bind(r, (struct sockaddr *)&a, sizeof(a));
    socklen_t len = sizeof(a);
    getsockname(r, (struct sockaddr *)&a, &len);
    sendto(w, "datagram", 8, 0, (struct sockaddr *)&a, sizeof(a));
    char buf[64];
    struct sockaddr_in from;
    len = sizeof(from);
    ssize_t n = recvfrom(r, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
    printf("udp: %zd '%.*s' from loopback %d len %u\n", n, (int)n, buf,
           from.sin_addr.s_addr == htonl(INADDR_LOOPBACK), len);
    /* sendmsg with two iovecs, recvmsg with two buffers. */
    struct iovec iov[2] = { { "abc", 3 }, { "defg", 4 } };
    struct msghdr m = { .msg_name = &a, .msg_namelen = sizeof(a), .msg_iov = iov, .msg_iovlen = 2 };
    sendmsg(w, &m, 0);
    char b1[2], b2[16];
    struct iovec riov[2] = { { b1, 2 }, { b2, 16 } };
    struct msghdr rm = { .msg_name = &from, .msg_namelen = sizeof(from), .msg_iov = riov, .msg_iovlen = 2 };
    n = recvmsg(r, &rm, 0);
    printf("udp: recvmsg %zd '%.2s' '%.*s' namelen %u flags %d\n", n, b1, (int)n - 2, b2, rm.msg_namelen, rm.msg_flags);
    /* sendmmsg / recvmmsg: three datagrams at once. */
    struct mmsghdr mm[3];
    struct iovec mi[3] = { { "one", 3 }, { "two", 3 }, { "three", 5 } };
    memset(mm, 0, sizeof(mm));
    for (int i = 0; i < 3; i++) {
        mm[i].msg_hdr.msg_name = &a;
        mm[i].msg_hdr.msg_namelen = sizeof(a);
        mm[i].msg_hdr.msg_iov = &mi[i];
        mm[i].msg_hdr.msg_iovlen = 1;
    }
    int sent = sendmmsg(w, mm, 3, 0);
    char rb[3][16];
    struct iovec ri[3];
    struct mmsghdr rmm[3];
    memset(rmm, 0, sizeof(rmm));
    for (int i = 0; i < 3; i++) {
        ri[i] = (struct iovec){ rb[i], 16 };
        rmm[i].msg_hdr.msg_iov = &ri[i];
        rmm[i].msg_hdr.msg_iovlen = 1;
    }
    int got = recvmmsg(r, rmm, 3, MSG_DONTWAIT, NULL);
    printf("udp: sendmmsg %d recvmmsg %d:", sent, got);
    for (int i = 0; i < got; i++)
        printf(" %.*s/%u", (int)rmm[i].msg_len, rb[i], rmm[i].msg_len);
    printf("\n");
    close(r);
    close(w);
}

static void test_scm_rights(void)
{
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0) {
        perror("socketpair");
        return;
    }
    int p[2];
    pipe(p);
    write(p[1], "through the fd", 14);
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(2 * sizeof(int))];
    } ctl;
    memset(&ctl, 0, sizeof(ctl));
    struct iovec iov = { "x", 1 };
    struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl.buf,
                        .msg_controllen = CMSG_SPACE(2 * sizeof(int)) };
    struct cmsghdr *c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(2 * sizeof(int));
    int fds[2] = { p[0], p[1] };
    memcpy(CMSG_DATA(c), fds, sizeof(fds));
    ssize_t n = sendmsg(sv[0], &m, 0);
    printf("scm_rights: sendmsg %zd\n", n);
    close(p[0]);
    union {
        struct cmsghdr h;
        char buf[CMSG_SPACE(2 * sizeof(int))];
    } rctl;
    char ch;
    struct iovec riov = { &ch, 1 };
    struct msghdr rm = { .msg_iov = &riov, .msg_iovlen = 1, .msg_control = rctl.buf, .msg_controllen = sizeof(rctl.buf) };
    n = recvmsg(sv[1], &rm, 0);
    struct cmsghdr *rc = CMSG_FIRSTHDR(&rm);
    printf("scm_rights: recvmsg %zd, controllen %u, cmsg %s len %u\n", n, (unsigned)rm.msg_controllen,
           rc && rc->cmsg_type == SCM_RIGHTS ? "SCM_RIGHTS" : "missing", rc ? (unsigned)rc->cmsg_len : 0);
    if (rc) {
        int got[2];
        memcpy(got, CMSG_DATA(rc), sizeof(got));
        char buf[32];
        n = read(got[0], buf, sizeof(buf));
        printf("scm_rights: read through received fd: '%.*s'\n", (int)n, buf);
        close(got[0]);
        close(got[1]);
    }
    /* Credentials pass too. */
    int one = 1;
    setsockopt(sv[1], SOL_SOCKET, SO_PASSCRED, &one, sizeof(one));
    struct ucred cr;
    socklen_t len = sizeof(cr);
    getsockopt(sv[0], SOL_SOCKET, SO_PEERCRED, &cr, &len);
    printf("scm: SO_PEERCRED pid is ours %d\n", cr.pid == getpid());
    close(sv[0]);
    close(sv[1]);
}

int main(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    test_tcp();
    test_udp();
    test_scm_rights();
    return 0;
}
