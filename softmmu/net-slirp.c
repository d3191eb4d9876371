/*
 * net-slirp.c — the "user" network backend on libslirp (see net-slirp.h).
 *
 * libslirp works in poll() rounds: slirp_pollfds_fill says which sockets
 * it wants watched, slirp_pollfds_poll handles what became ready.  Our
 * main loop watches fds with handlers instead, so a round ("pump") runs
 * whenever one of slirp's fds is ready, its timeout passes, or the guest
 * sent a frame: it polls slirp's fds without waiting, lets slirp handle
 * them, then asks slirp again which fds to watch and moves the main
 * loop's watches to match.  Everything runs with the machine lock held.
 */
#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <slirp/libslirp.h>

#include "softmmu/main-loop.h"
#include "softmmu/net-slirp.h"
#include "softmmu/timer.h"

#define MAX_FDS 256

typedef struct SlirpBackend {
    Slirp *slirp;
    NetClient *nc;
    Timer *pump_timer;
    struct pollfd pfd[MAX_FDS];
    int npfd;
    int watched[MAX_FDS];          /* fds the main loop watches for us */
    int nwatched;
    bool in_pump;
    struct in_addr vnetwork;       /* for info network */
    bool restricted;
} SlirpBackend;

typedef struct SlirpTimerBox {
    SlirpBackend *s;
    SlirpTimerId id;
    void *cb_opaque;
    Timer *t;
} SlirpTimerBox;

static void pump(SlirpBackend *s);

/* ---- libslirp's callbacks ---- */

static ssize_t cb_send_packet(const void *buf, size_t len, void *opaque)
{
    SlirpBackend *s = opaque;
    /* a guest that cannot take it now gets it from the queue later */
    net_send(s->nc, buf, len);
    return (ssize_t)len;
}

static void cb_guest_error(const char *msg, void *opaque)
{
    (void)opaque;
    fprintf(stderr, "vemu: user network: %s\n", msg);
}

static int64_t cb_clock_ns(void *opaque)
{
    (void)opaque;
    return clock_virtual_ns();
}

static void timer_fired(void *opaque)
{
    SlirpTimerBox *b = opaque;
    slirp_handle_timer(b->s->slirp, b->id, b->cb_opaque);
    pump(b->s);
}

static void *cb_timer_new_opaque(SlirpTimerId id, void *cb_opaque, void *opaque)
{
    SlirpTimerBox *b = calloc(1, sizeof *b);
    if (!b)
        abort();
    b->s = opaque;
    b->id = id;
    b->cb_opaque = cb_opaque;
    b->t = timer_new(timer_fired, b);
    return b;
}

static void cb_timer_free(void *timer, void *opaque)
{
    (void)opaque;
    SlirpTimerBox *b = timer;
    timer_free(b->t);
    free(b);
}

static void cb_timer_mod(void *timer, int64_t expire_ms, void *opaque)
{
    (void)opaque;
    SlirpTimerBox *b = timer;
    timer_mod(b->t, expire_ms * 1000000);
}

static void cb_register_fd(int fd, void *opaque) { (void)fd; (void)opaque; }
static void cb_unregister_fd(int fd, void *opaque) { (void)fd; (void)opaque; }

static void cb_notify(void *opaque)
{
    (void)opaque;
    main_loop_wakeup();
}

static const SlirpCb slirp_callbacks = {
    .send_packet = cb_send_packet,
    .guest_error = cb_guest_error,
    .clock_get_ns = cb_clock_ns,
    .timer_free = cb_timer_free,
    .timer_mod = cb_timer_mod,
    .register_poll_fd = cb_register_fd,
    .unregister_poll_fd = cb_unregister_fd,
    .notify = cb_notify,
    .timer_new_opaque = cb_timer_new_opaque,
};

/* ---- the poll rounds ---- */

static int add_poll(int fd, int events, void *opaque)
{
    SlirpBackend *s = opaque;
    if (s->npfd >= MAX_FDS)
        return -1;
    short ev = 0;
    if (events & SLIRP_POLL_IN) ev |= POLLIN;
    if (events & SLIRP_POLL_OUT) ev |= POLLOUT;
    if (events & SLIRP_POLL_PRI) ev |= POLLPRI;
    s->pfd[s->npfd] = (struct pollfd){ .fd = fd, .events = ev };
    return s->npfd++;
}

static int get_revents(int idx, void *opaque)
{
    SlirpBackend *s = opaque;
    if (idx < 0 || idx >= s->npfd)
        return 0;
    short r = s->pfd[idx].revents;
    int out = 0;
    if (r & POLLIN) out |= SLIRP_POLL_IN;
    if (r & POLLOUT) out |= SLIRP_POLL_OUT;
    if (r & POLLPRI) out |= SLIRP_POLL_PRI;
    if (r & POLLERR) out |= SLIRP_POLL_ERR;
    if (r & POLLHUP) out |= SLIRP_POLL_HUP;
    return out;
}

static void fd_ready(void *opaque)
{
    pump(opaque);
}

static void pump_timer_fired(void *opaque)
{
    pump(opaque);
}

static void pump(SlirpBackend *s)
{
    if (s->in_pump)
        return;
    s->in_pump = true;
    uint32_t timeout = 1000;
    s->npfd = 0;
    slirp_pollfds_fill(s->slirp, &timeout, add_poll, s);
    int r = poll(s->pfd, (nfds_t)s->npfd, 0);
    if (r < 0)
        for (int i = 0; i < s->npfd; i++)
            s->pfd[i].revents = 0;
    slirp_pollfds_poll(s->slirp, r < 0, get_revents, s);

    /* watch what slirp wants watched now */
    timeout = 1000;
    s->npfd = 0;
    slirp_pollfds_fill(s->slirp, &timeout, add_poll, s);
    for (int i = 0; i < s->nwatched; i++)
        main_loop_set_fd_handler(s->watched[i], NULL, NULL, NULL);
    s->nwatched = 0;
    for (int i = 0; i < s->npfd; i++) {
        short ev = s->pfd[i].events;
        main_loop_set_fd_handler(s->pfd[i].fd, (ev & (POLLIN | POLLPRI)) ? fd_ready : NULL,
                                 (ev & POLLOUT) ? fd_ready : NULL, s);
        s->watched[s->nwatched++] = s->pfd[i].fd;
    }
    if (timeout > 1000)
        timeout = 1000;
    timer_mod(s->pump_timer, clock_virtual_ns() + (int64_t)timeout * 1000000);
    s->in_pump = false;
}

/* ---- the NetClient ---- */

static bool slirp_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    SlirpBackend *s = nc->opaque;
    slirp_input(s->slirp, buf, (int)len);
    pump(s);
    return true;
}

static void slirp_describe(NetClient *nc, char *buf, size_t size)
{
    SlirpBackend *s = nc->opaque;
    char net[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &s->vnetwork, net, sizeof net);
    snprintf(buf, size, "type=user,net=%s,restrict=%s", net, s->restricted ? "on" : "off");
}

static const NetClientOps slirp_net_ops = {
    .kind = "user", .receive = slirp_receive, .describe = slirp_describe,
};

/* ---- options ---- */

static int fail(char **err, const char *fmt, const char *arg)
{
    if (asprintf(err, fmt, arg) < 0)
        *err = NULL;
    return -1;
}

static int parse_addr(const char *v, struct in_addr *a)
{
    return inet_pton(AF_INET, v, a) == 1 ? 0 : -1;
}

typedef struct HostFwd {
    int udp;
    struct in_addr haddr, gaddr;
    int hport, gport;
} HostFwd;

/* [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT */
static int parse_hostfwd(const char *v, HostFwd *f)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%s", v);
    char *p = buf;
    f->udp = 0;
    if (!strncmp(p, "tcp:", 4)) {
        p += 4;
    } else if (!strncmp(p, "udp:", 4)) {
        f->udp = 1;
        p += 4;
    } else if (*p == ':') {
        p++;
    }
    char *dash = strchr(p, '-');
    if (!dash)
        return -1;
    *dash = 0;
    char *hcolon = strrchr(p, ':');
    char *g = dash + 1;
    char *gcolon = strrchr(g, ':');
    if (!hcolon || !gcolon)
        return -1;
    *hcolon = 0;
    *gcolon = 0;
    f->haddr.s_addr = htonl(INADDR_ANY);
    f->gaddr.s_addr = 0;
    if (*p && parse_addr(p, &f->haddr))
        return -1;
    if (*g && parse_addr(g, &f->gaddr))
        return -1;
    char *end;
    long hp = strtol(hcolon + 1, &end, 10);
    if (*end || hp < 0 || hp > 65535)
        return -1;
    long gp = strtol(gcolon + 1, &end, 10);
    if (*end || gp <= 0 || gp > 65535)
        return -1;
    f->hport = (int)hp;
    f->gport = (int)gp;
    return 0;
}

NetClient *net_slirp_new(const char *opts, const char *name, char **err)
{
    SlirpConfig cfg = { .version = 4, .in_enabled = true };
    inet_pton(AF_INET, "10.0.2.0", &cfg.vnetwork);
    inet_pton(AF_INET, "255.255.255.0", &cfg.vnetmask);
    inet_pton(AF_INET, "10.0.2.2", &cfg.vhost);
    inet_pton(AF_INET, "10.0.2.3", &cfg.vnameserver);
    inet_pton(AF_INET, "10.0.2.15", &cfg.vdhcp_start);
    cfg.if_mtu = 1500;
    cfg.if_mru = 1500;
    HostFwd fwd[16];
    int nfwd = 0;
    static char hostname[64];

    char *list = strdup(opts ? opts : "");
    char *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(list, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (!eq) {
            rc = fail(err, "-netdev user: option '%s' needs a value", tok);
            break;
        }
        *eq = 0;
        const char *k = tok, *v = eq + 1;
        if (!strcmp(k, "id")) {
            continue;
        } else if (!strcmp(k, "restrict")) {
            if (!strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "y"))
                cfg.restricted = 1;
            else if (strcmp(v, "off") && strcmp(v, "no") && strcmp(v, "n"))
                rc = fail(err, "-netdev user: restrict=%s: on or off", v);
        } else if (!strcmp(k, "net")) {
            char a[64];
            snprintf(a, sizeof a, "%s", v);
            char *slash = strchr(a, '/');
            int bits = 24;
            if (slash) {
                *slash = 0;
                bits = atoi(slash + 1);
            }
            if (parse_addr(a, &cfg.vnetwork) || bits < 8 || bits > 30) {
                rc = fail(err, "-netdev user: net=%s: not ADDR[/BITS]", v);
            } else {
                uint32_t mask = bits ? ~0u << (32 - bits) : 0;
                uint32_t net = ntohl(cfg.vnetwork.s_addr) & mask;
                cfg.vnetmask.s_addr = htonl(mask);
                cfg.vnetwork.s_addr = htonl(net);
                cfg.vhost.s_addr = htonl(net | 2);
                cfg.vnameserver.s_addr = htonl(net | 3);
                cfg.vdhcp_start.s_addr = htonl(net | 15);
            }
        } else if (!strcmp(k, "host")) {
            if (parse_addr(v, &cfg.vhost))
                rc = fail(err, "-netdev user: host=%s: not an IPv4 address", v);
        } else if (!strcmp(k, "dns")) {
            if (parse_addr(v, &cfg.vnameserver))
                rc = fail(err, "-netdev user: dns=%s: not an IPv4 address", v);
        } else if (!strcmp(k, "dhcpstart")) {
            if (parse_addr(v, &cfg.vdhcp_start))
                rc = fail(err, "-netdev user: dhcpstart=%s: not an IPv4 address", v);
        } else if (!strcmp(k, "hostname")) {
            snprintf(hostname, sizeof hostname, "%s", v);
            cfg.vhostname = hostname;
        } else if (!strcmp(k, "hostfwd")) {
            if (nfwd >= 16)
                rc = fail(err, "-netdev user: too many hostfwd=%s", "");
            else if (parse_hostfwd(v, &fwd[nfwd]))
                rc = fail(err, "-netdev user: hostfwd=%s: not [tcp|udp]:[ADDR]:PORT-[ADDR]:PORT", v);
            else
                nfwd++;
        } else if (!strcmp(k, "ipv6") || !strcmp(k, "ipv4")) {
            continue;
        } else {
            rc = fail(err, "-netdev user: unknown option '%s'", k);
        }
    }
    free(list);
    if (rc)
        return NULL;

    SlirpBackend *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    s->slirp = slirp_new(&cfg, &slirp_callbacks, s);
    if (!s->slirp) {
        free(s);
        fail(err, "-netdev user: libslirp could not start%s", "");
        return NULL;
    }
    for (int i = 0; i < nfwd; i++) {
        struct in_addr g = fwd[i].gaddr;
        if (!g.s_addr)
            g = cfg.vdhcp_start;
        if (slirp_add_hostfwd(s->slirp, fwd[i].udp, fwd[i].haddr, fwd[i].hport, g, fwd[i].gport) < 0) {
            char what[32];
            snprintf(what, sizeof what, "%d", fwd[i].hport);
            fail(err, "-netdev user: could not forward host port %s (in use?)", what);
            slirp_cleanup(s->slirp);
            free(s);
            return NULL;
        }
    }
    s->vnetwork = cfg.vnetwork;
    s->restricted = cfg.restricted != 0;
    s->nc = net_client_new(&slirp_net_ops, name ? name : "user.0", s);
    s->pump_timer = timer_new(pump_timer_fired, s);
    pump(s);
    return s->nc;
}
