/*
 * chardev-socket.c — unix and tcp sockets, as QEMU's -serial spells them:
 *   unix:PATH[,server][,nowait]       tcp:[HOST]:PORT[,server][,nowait][,nodelay]
 * (also server=on|off, wait=on|off, nodelay=on|off).
 *
 * A server listens; with wait (the default for a server) opening blocks
 * until the first client connects, as QEMU does.  One client at a time:
 * while it is connected the listening socket is not watched, and when it
 * goes away the server listens again.  A client connects when opened and
 * fails the open if nobody listens; after a disconnect its output is
 * dropped.  Output is non-blocking and buffered (1 MiB, then dropped).
 */
#include "softmmu/chardev-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

typedef struct SocketState {
    bool is_unix, server, wait, nodelay;
    char *path;          /* unix */
    char *host, *port;   /* tcp */
    int listen_fd;       /* server */
    int conn_fd;         /* -1 while nobody is connected */
    int local_port;
} SocketState;

static void set_nonblock(int fd)
{
    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
}

static void on_accept(void *opaque);

static void socket_connected(Chardev *c, int fd)
{
    SocketState *s = c->drv;
    set_nonblock(fd);
    if (s->nodelay && !s->is_unix) {
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    }
    s->conn_fd = fd;
    c->in_fd = c->out_fd = fd;
    c->in_eof = false;
    if (s->listen_fd >= 0)
        main_loop_set_fd_handler(s->listen_fd, NULL, NULL, NULL);
    chardev_update_watches(c);
    chardev_notify_event(c, CHARDEV_EVENT_OPENED);
}

static void socket_hup(Chardev *c)
{
    SocketState *s = c->drv;
    chardev_detach_fds(c);
    if (s->conn_fd >= 0)
        close(s->conn_fd);
    s->conn_fd = -1;
    if (s->server && s->listen_fd >= 0)
        main_loop_set_fd_handler(s->listen_fd, on_accept, NULL, c);
    chardev_notify_event(c, CHARDEV_EVENT_CLOSED);
}

static void on_accept(void *opaque)
{
    Chardev *c = opaque;
    SocketState *s = c->drv;
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return;
    if (s->conn_fd >= 0) {   /* cannot happen while unwatched; be safe */
        close(fd);
        return;
    }
    socket_connected(c, fd);
}

static void socket_close(Chardev *c)
{
    SocketState *s = c->drv;
    if (s->listen_fd >= 0) {
        main_loop_set_fd_handler(s->listen_fd, NULL, NULL, NULL);
        close(s->listen_fd);
        if (s->is_unix)
            unlink(s->path);
    }
    if (s->conn_fd >= 0)
        close(s->conn_fd);
    free(s->path);
    free(s->host);
    free(s->port);
    free(s);
}

int chardev_socket_local_port(Chardev *c)
{
    if (!c || c->close != socket_close)
        return -1;
    SocketState *s = c->drv;
    return s->is_unix ? -1 : s->local_port;
}

/* Parse ",opt[=val]..." after the address. */
static bool parse_options(SocketState *s, char *opts, char **err)
{
    bool wait_given = false;
    for (char *o = strtok(opts, ","); o; o = strtok(NULL, ",")) {
        char *eq = strchr(o, '=');
        bool on = true;
        if (eq) {
            *eq = 0;
            if (!strcmp(eq + 1, "on") || !strcmp(eq + 1, "yes") || !strcmp(eq + 1, "true")) {
                on = true;
            } else if (!strcmp(eq + 1, "off") || !strcmp(eq + 1, "no") || !strcmp(eq + 1, "false")) {
                on = false;
            } else {
                *err = chardev_strdup_printf("option %s: expected on or off, not '%s'", o, eq + 1);
                return false;
            }
        }
        if (!strcmp(o, "server")) {
            s->server = on;
        } else if (!strcmp(o, "nowait")) {
            s->wait = false;
            wait_given = true;
        } else if (!strcmp(o, "wait")) {
            s->wait = on;
            wait_given = true;
        } else if (!strcmp(o, "nodelay")) {
            s->nodelay = on;
        } else {
            *err = chardev_strdup_printf("unknown socket option '%s' (server, wait, nowait, nodelay)", o);
            return false;
        }
    }
    if (!wait_given)
        s->wait = s->server;
    return true;
}

static int open_unix(SocketState *s, char **err)
{
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    if (strlen(s->path) >= sizeof a.sun_path) {
        *err = chardev_strdup_printf("unix socket path too long: %s", s->path);
        return -1;
    }
    strcpy(a.sun_path, s->path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        *err = chardev_strdup_printf("socket: %s", strerror(errno));
        return -1;
    }
    if (s->server) {
        struct stat st;
        if (lstat(s->path, &st) == 0 && S_ISSOCK(st.st_mode))
            unlink(s->path);   /* a stale socket from an earlier run */
        if (bind(fd, (struct sockaddr *)&a, sizeof a) < 0 || listen(fd, 1) < 0) {
            *err = chardev_strdup_printf("cannot listen on %s: %s", s->path, strerror(errno));
            close(fd);
            return -1;
        }
    } else if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        *err = chardev_strdup_printf("cannot connect to %s: %s", s->path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static int open_tcp(SocketState *s, char **err)
{
    struct addrinfo hints = { .ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM };
    if (s->server)
        hints.ai_flags = AI_PASSIVE;
    const char *host = *s->host ? s->host : (s->server ? NULL : "localhost");
    if (s->server && !*s->host)
        hints.ai_family = AF_INET;   /* "tcp::PORT": every IPv4 address, as QEMU */
    struct addrinfo *res;
    int e = getaddrinfo(host, s->port, &hints, &res);
    if (e) {
        *err = chardev_strdup_printf("tcp:%s:%s: %s", s->host, s->port, gai_strerror(e));
        return -1;
    }
    int fd = -1, saved = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            saved = errno;
            continue;
        }
        if (s->server) {
            int one = 1;
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
            if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1) == 0)
                break;
        } else if (connect(fd, ai->ai_addr, ai->ai_addrlen) == 0) {
            break;
        }
        saved = errno;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    if (fd < 0) {
        *err = chardev_strdup_printf("cannot %s tcp:%s:%s: %s", s->server ? "listen on" : "connect to",
                                     s->host, s->port, strerror(saved));
        return -1;
    }
    struct sockaddr_storage ss;
    socklen_t len = sizeof ss;
    if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
        if (ss.ss_family == AF_INET)
            s->local_port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
        else if (ss.ss_family == AF_INET6)
            s->local_port = ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    }
    return fd;
}

static char *describe(SocketState *s)
{
    const char *role = s->server ? ",server" : "";
    if (s->is_unix)
        return chardev_strdup_printf("unix:%s%s", s->path, role);
    return chardev_strdup_printf("tcp:%s:%d%s", *s->host ? s->host : "0.0.0.0",
                                 s->server ? s->local_port : atoi(s->port), role);
}

bool chardev_socket_open(Chardev *c, const char *spec, bool is_unix, char **err)
{
    SocketState *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->is_unix = is_unix;
    s->listen_fd = s->conn_fd = -1;
    char *copy = strdup(spec);
    char *comma = strchr(copy, ',');
    char *opts = NULL;
    if (comma) {
        *comma = 0;
        opts = comma + 1;
    }
    bool ok = true;
    if (is_unix) {
        if (!*copy) {
            *err = strdup("unix: needs a path (unix:PATH[,server][,nowait])");
            ok = false;
        }
        s->path = strdup(copy);
    } else {
        char *colon = strrchr(copy, ':');
        if (!colon || !colon[1]) {
            *err = chardev_strdup_printf("tcp:%s: expected tcp:[HOST]:PORT", copy);
            ok = false;
        } else {
            *colon = 0;
            char *host = copy;
            if (host[0] == '[' && host[strlen(host) - 1] == ']') {   /* [::1] */
                host[strlen(host) - 1] = 0;
                host++;
            }
            s->host = strdup(host);
            s->port = strdup(colon + 1);
        }
    }
    if (ok && opts)
        ok = parse_options(s, opts, err);
    free(copy);
    if (!ok) {
        free(s->path);
        free(s->host);
        free(s->port);
        free(s);
        return false;
    }

    int fd = is_unix ? open_unix(s, err) : open_tcp(s, err);
    if (fd < 0) {
        free(s->path);
        free(s->host);
        free(s->port);
        free(s);
        return false;
    }
    c->drv = s;
    c->close = socket_close;
    c->hup = socket_hup;
    c->out_is_socket = true;
    char *desc = describe(s);
    chardev_set_desc(c, desc);

    if (!s->server) {
        socket_connected(c, fd);
    } else {
        s->listen_fd = fd;
        if (s->wait) {
            fprintf(stderr, "vemu: waiting for connection on: %s\n", desc);
            int cfd;
            do
                cfd = accept4(fd, NULL, NULL, SOCK_CLOEXEC);
            while (cfd < 0 && errno == EINTR);
            if (cfd >= 0)
                socket_connected(c, cfd);
            else
                main_loop_set_fd_handler(fd, on_accept, NULL, c);
        } else {
            main_loop_set_fd_handler(fd, on_accept, NULL, c);
        }
    }
    free(desc);
    return true;
}
