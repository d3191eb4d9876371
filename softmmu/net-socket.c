/*
 * net-socket.c — the "socket" network backend: a virtual wire to another
 * emulator (vemu or QEMU) over the host's sockets, in QEMU's formats so
 * the two interoperate:
 *   listen=[HOST]:PORT   wait for one peer over TCP (a later peer replaces
 *                        a gone one);
 *   connect=HOST:PORT    connect to a listening peer at startup;
 *     over TCP each frame is a 4-byte big-endian length and the frame;
 *   mcast=GROUP:PORT[,localaddr=ADDR]  a UDP multicast group: every
 *                        member sees every frame (a hub); loopback is on,
 *                        so emulators on one host can share it;
 *   udp=HOST:PORT,localaddr=HOST:PORT  unicast UDP datagrams, one frame each.
 * Frames the NIC sends while no TCP peer is connected are dropped, as on
 * an unplugged cable.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "softmmu/main-loop.h"
#include "softmmu/net-socket.h"

enum { MODE_LISTEN, MODE_CONNECT, MODE_MCAST, MODE_UDP };

typedef struct SocketBackend {
    NetClient *nc;
    int mode;
    int listen_fd;               /* MODE_LISTEN */
    int fd;                      /* the stream or datagram socket, -1: none */
    struct sockaddr_in dgram_to; /* MODE_MCAST / MODE_UDP destination */
    char where[96];              /* for info network */
    /* TCP receive state: the length prefix, then the frame */
    uint8_t rbuf[4 + NET_MAX_FRAME + 64];
    size_t rlen;
} SocketBackend;

static int fail(char **err, const char *fmt, const char *a, const char *b)
{
    if (asprintf(err, fmt, a, b) < 0)
        *err = NULL;
    return -1;
}

/* "HOST:PORT" (HOST may be empty: any / localhost) into sin. */
static int parse_hostport(const char *s, struct sockaddr_in *sin, bool empty_host_any)
{
    const char *colon = strrchr(s, ':');
    if (!colon || !colon[1])
        return -1;
    char host[256];
    snprintf(host, sizeof host, "%.*s", (int)(colon - s), s);
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port <= 0 || port > 65535)
        return -1;
    memset(sin, 0, sizeof *sin);
    sin->sin_family = AF_INET;
    sin->sin_port = htons((uint16_t)port);
    if (!host[0]) {
        sin->sin_addr.s_addr = htonl(empty_host_any ? INADDR_ANY : INADDR_LOOPBACK);
        return 0;
    }
    if (inet_pton(AF_INET, host, &sin->sin_addr) == 1)
        return 0;
    struct addrinfo hints = { .ai_family = AF_INET }, *res;
    if (getaddrinfo(host, NULL, &hints, &res))
        return -1;
    sin->sin_addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr;
    freeaddrinfo(res);
    return 0;
}

static void stream_readable(void *opaque);

static void drop_stream(SocketBackend *s)
{
    if (s->fd < 0)
        return;
    main_loop_set_fd_handler(s->fd, NULL, NULL, NULL);
    close(s->fd);
    s->fd = -1;
    s->rlen = 0;
}

static void stream_readable(void *opaque)
{
    SocketBackend *s = opaque;
    ssize_t n = read(s->fd, s->rbuf + s->rlen, sizeof s->rbuf - s->rlen);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        drop_stream(s);          /* the peer went away: wait for another (listen) */
        return;
    }
    if (n < 0)
        return;
    s->rlen += (size_t)n;
    /* every complete frame in the buffer */
    size_t off = 0;
    while (s->rlen - off >= 4) {
        uint32_t len = (uint32_t)s->rbuf[off] << 24 | (uint32_t)s->rbuf[off + 1] << 16 |
                       (uint32_t)s->rbuf[off + 2] << 8 | s->rbuf[off + 3];
        if (len > sizeof s->rbuf - 4) {
            fprintf(stderr, "vemu: -netdev socket: a frame of %u bytes: not our protocol; disconnected\n",
                    len);
            drop_stream(s);
            return;
        }
        if (s->rlen - off < 4 + len)
            break;
        if (len <= NET_MAX_FRAME + 4)
            net_send(s->nc, s->rbuf + off + 4, len);
        off += 4 + len;
    }
    memmove(s->rbuf, s->rbuf + off, s->rlen - off);
    s->rlen -= off;
}

static void accept_ready(void *opaque)
{
    SocketBackend *s = opaque;
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    drop_stream(s);              /* one peer at a time: the newest wins */
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    s->fd = fd;
    main_loop_set_fd_handler(fd, stream_readable, NULL, s);
}

static void dgram_readable(void *opaque)
{
    SocketBackend *s = opaque;
    uint8_t buf[NET_MAX_FRAME + 64];
    for (int i = 0; i < 64; i++) {
        ssize_t n = recv(s->fd, buf, sizeof buf, MSG_DONTWAIT);
        if (n <= 0)
            return;
        if ((size_t)n <= NET_MAX_FRAME + 4)
            net_send(s->nc, buf, (size_t)n);
    }
}

/* Write all of buf to a blocking-enough stream; false when the peer is gone. */
static bool write_all(int fd, const uint8_t *buf, size_t len)
{
    while (len) {
        ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
            struct timeval tv = { 0, 1000 };
            fd_set w;
            FD_ZERO(&w);
            FD_SET(fd, &w);
            select(fd + 1, NULL, &w, NULL, &tv);
            continue;
        }
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

static bool socket_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    SocketBackend *s = nc->opaque;
    if (s->fd < 0)
        return true;             /* no wire: the frame is lost */
    if (s->mode == MODE_MCAST || s->mode == MODE_UDP) {
        sendto(s->fd, buf, len, MSG_DONTWAIT, (struct sockaddr *)&s->dgram_to, sizeof s->dgram_to);
        return true;
    }
    uint8_t hdr[4] = { (uint8_t)(len >> 24), (uint8_t)(len >> 16), (uint8_t)(len >> 8), (uint8_t)len };
    if (!write_all(s->fd, hdr, 4) || !write_all(s->fd, buf, len))
        drop_stream(s);
    return true;
}

static void socket_describe(NetClient *nc, char *buf, size_t size)
{
    SocketBackend *s = nc->opaque;
    snprintf(buf, size, "type=socket,%s%s", s->where,
             s->mode == MODE_LISTEN && s->fd < 0 ? " (waiting for a peer)" : "");
}

static const NetClientOps socket_net_ops = {
    .kind = "socket", .receive = socket_receive, .describe = socket_describe,
};

static int setup_listen(SocketBackend *s, const char *v, char **err)
{
    struct sockaddr_in sin;
    if (parse_hostport(v, &sin, true) < 0)
        return fail(err, "socket: listen=%s: not [HOST]:PORT%s", v, "");
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof sin) < 0 || listen(fd, 1) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return fail(err, "socket: listen=%s: %s", v, strerror(e));
    }
    s->listen_fd = fd;
    main_loop_set_fd_handler(fd, accept_ready, NULL, s);
    snprintf(s->where, sizeof s->where, "listen=%s", v);
    return 0;
}

static int setup_connect(SocketBackend *s, const char *v, char **err)
{
    struct sockaddr_in sin;
    if (parse_hostport(v, &sin, false) < 0)
        return fail(err, "socket: connect=%s: not HOST:PORT%s", v, "");
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect(fd, (struct sockaddr *)&sin, sizeof sin) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return fail(err, "socket: connect=%s: %s", v, strerror(e));
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
    s->fd = fd;
    main_loop_set_fd_handler(fd, stream_readable, NULL, s);
    snprintf(s->where, sizeof s->where, "connect=%s", v);
    return 0;
}

static int setup_dgram(SocketBackend *s, const char *v, const char *local, char **err)
{
    struct sockaddr_in to, me;
    bool mcast = s->mode == MODE_MCAST;
    if (parse_hostport(v, &to, false) < 0)
        return fail(err, "socket: %s: not HOST:PORT%s", v, "");
    if (mcast && !IN_MULTICAST(ntohl(to.sin_addr.s_addr)))
        return fail(err, "socket: mcast=%s: not a multicast address%s", v, "");
    memset(&me, 0, sizeof me);
    me.sin_family = AF_INET;
    if (mcast) {
        me.sin_port = to.sin_port;              /* every member binds the group's port */
        me.sin_addr.s_addr = htonl(INADDR_ANY);
    } else if (!local || parse_hostport(local, &me, true) < 0) {
        return fail(err, "socket: udp=%s needs localaddr=HOST:PORT%s", v, "");
    }
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int one = 1;
    if (fd >= 0)
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (fd < 0 || bind(fd, (struct sockaddr *)&me, sizeof me) < 0) {
        int e = errno;
        if (fd >= 0)
            close(fd);
        return fail(err, "socket: %s: %s", v, strerror(e));
    }
    if (mcast) {
        struct ip_mreq mr = { .imr_multiaddr = to.sin_addr };
        mr.imr_interface.s_addr = htonl(INADDR_ANY);
        if (local) {
            if (inet_pton(AF_INET, local, &mr.imr_interface) != 1) {
                close(fd);
                return fail(err, "socket: localaddr=%s: not an IPv4 address%s", local, "");
            }
            setsockopt(fd, IPPROTO_IP, IP_MULTICAST_IF, &mr.imr_interface, sizeof mr.imr_interface);
        }
        unsigned char loop = 1;
        setsockopt(fd, IPPROTO_IP, IP_MULTICAST_LOOP, &loop, sizeof loop);
        if (setsockopt(fd, IPPROTO_IP, IP_ADD_MEMBERSHIP, &mr, sizeof mr) < 0) {
            int e = errno;
            close(fd);
            return fail(err, "socket: mcast=%s: cannot join the group: %s", v, strerror(e));
        }
    }
    s->fd = fd;
    s->dgram_to = to;
    main_loop_set_fd_handler(fd, dgram_readable, NULL, s);
    snprintf(s->where, sizeof s->where, "%s=%s", mcast ? "mcast" : "udp", v);
    return 0;
}

NetClient *net_socket_new(const char *opts, const char *name, char **err)
{
    SocketBackend *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->fd = s->listen_fd = -1;
    char buf[512];
    snprintf(buf, sizeof buf, "%s", opts ? opts : "");
    const char *listen_at = NULL, *connect_to = NULL, *mcast = NULL, *udp = NULL, *local = NULL;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strncmp(tok, "listen=", 7))
            listen_at = tok + 7;
        else if (!strncmp(tok, "connect=", 8))
            connect_to = tok + 8;
        else if (!strncmp(tok, "mcast=", 6))
            mcast = tok + 6;
        else if (!strncmp(tok, "udp=", 4))
            udp = tok + 4;
        else if (!strncmp(tok, "localaddr=", 10))
            local = tok + 10;
        else if (!strncmp(tok, "id=", 3))
            continue;
        else {
            fail(err, "socket: invalid parameter '%s'%s", tok, "");
            goto bad;
        }
    }
    int modes = !!listen_at + !!connect_to + !!mcast + !!udp;
    if (modes != 1) {
        fail(err, "socket: exactly one of listen=, connect=, mcast= and udp= is needed%s%s", "", "");
        goto bad;
    }
    int rc;
    if (listen_at) {
        s->mode = MODE_LISTEN;
        rc = setup_listen(s, listen_at, err);
    } else if (connect_to) {
        s->mode = MODE_CONNECT;
        rc = setup_connect(s, connect_to, err);
    } else {
        s->mode = mcast ? MODE_MCAST : MODE_UDP;
        rc = setup_dgram(s, mcast ? mcast : udp, local, err);
    }
    if (rc < 0)
        goto bad;
    s->nc = net_client_new(&socket_net_ops, name ? name : "socket.0", s);
    return s->nc;
bad:
    free(s);
    return NULL;
}
