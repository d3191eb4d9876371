/*
 * net-tap.c — the "tap" network backend: the NIC's frames go to a host
 * tap interface (/dev/net/tun, IFF_TAP without packet information), and
 * what the host sends there comes back to the guest.  The host side (an
 * address, a bridge) is set up by the ifup script QEMU users know
 * (script=, default /etc/qemu-ifup, run with the interface's name), or by
 * hand with script=no; downscript= runs at exit.  fd=N takes a tap the
 * caller opened (libvirt's way).
 *
 * Reads run on the event loop with the machine lock held; a frame the
 * host cannot take now (EAGAIN) is queued by net.c and written when the
 * fd becomes writable again.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "softmmu/main-loop.h"
#include "softmmu/net-tap.h"

typedef struct TapBackend {
    NetClient *nc;
    int fd;
    char ifname[IFNAMSIZ];
    char script[256], downscript[256];
    bool own_fd;
} TapBackend;

static TapBackend *taps[4];

static void tap_writable(void *opaque);

static void tap_readable(void *opaque)
{
    TapBackend *t = opaque;
    uint8_t buf[NET_MAX_FRAME + 64];
    /* a bounded batch per wakeup, so one busy host cannot starve the loop */
    for (int i = 0; i < 64; i++) {
        ssize_t n = read(t->fd, buf, sizeof buf);
        if (n <= 0)
            return;
        if ((size_t)n > NET_MAX_FRAME + 4)
            continue;                    /* jumbo frames: the NIC has no room */
        net_send(t->nc, buf, (size_t)n);
    }
}

static void watch(TapBackend *t, bool want_write)
{
    main_loop_set_fd_handler(t->fd, tap_readable, want_write ? tap_writable : NULL, t);
}

static void tap_writable(void *opaque)
{
    TapBackend *t = opaque;
    watch(t, false);
    net_flush(t->nc);           /* calls tap_receive for what waited */
}

static bool tap_receive(NetClient *nc, const uint8_t *buf, size_t len)
{
    TapBackend *t = nc->opaque;
    ssize_t n = write(t->fd, buf, len);
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
        watch(t, true);         /* net.c queues it; we flush when writable */
        return false;
    }
    return true;                /* sent, or an error a real wire would drop it on */
}

static void tap_describe(NetClient *nc, char *buf, size_t size)
{
    TapBackend *t = nc->opaque;
    if (!t->own_fd)
        snprintf(buf, size, "type=tap,fd=%d", t->fd);
    else
        snprintf(buf, size, "type=tap,ifname=%s,script=%s,downscript=%s", t->ifname,
                 t->script[0] ? t->script : "no", t->downscript[0] ? t->downscript : "no");
}

static const NetClientOps tap_net_ops = {
    .kind = "tap", .receive = tap_receive, .describe = tap_describe,
};

/* Run SCRIPT IFNAME and wait; 0 when it exited 0. */
static int run_script(const char *script, const char *ifname, char **err)
{
    if (access(script, X_OK) < 0) {
        if (asprintf(err, "network script %s: %s", script, strerror(errno)) < 0)
            *err = NULL;
        return -1;
    }
    pid_t pid = fork();
    if (pid < 0) {
        if (asprintf(err, "network script %s: fork: %s", script, strerror(errno)) < 0)
            *err = NULL;
        return -1;
    }
    if (pid == 0) {
        execl(script, script, ifname, (char *)NULL);
        _exit(127);
    }
    int st;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    if (!WIFEXITED(st) || WEXITSTATUS(st)) {
        if (asprintf(err, "network script %s failed with status %d", script,
                     WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st)) < 0)
            *err = NULL;
        return -1;
    }
    return 0;
}

static void run_downscripts(void)
{
    for (unsigned i = 0; i < sizeof taps / sizeof taps[0]; i++) {
        TapBackend *t = taps[i];
        if (!t || !t->downscript[0])
            continue;
        char *err = NULL;
        if (run_script(t->downscript, t->ifname, &err) < 0 && err)
            fprintf(stderr, "vemu: %s\n", err);
        free(err);
        t->downscript[0] = 0;
    }
}

static int fail(char **err, const char *fmt, const char *a, const char *b)
{
    if (asprintf(err, fmt, a, b) < 0)
        *err = NULL;
    return -1;
}

static int open_tap(TapBackend *t, const char *want, char **err)
{
    int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return fail(err, "could not open /dev/net/tun: %s%s", strerror(errno), "");
    struct ifreq ifr;
    memset(&ifr, 0, sizeof ifr);
    ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
    if (want && *want)
        snprintf(ifr.ifr_name, sizeof ifr.ifr_name, "%s", want);
    if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
        int e = errno;
        close(fd);
        return fail(err, "could not configure /dev/net/tun (%s): %s", want && *want ? want : "tap%d",
                    strerror(e));
    }
    snprintf(t->ifname, sizeof t->ifname, "%s", ifr.ifr_name);
    t->fd = fd;
    return 0;
}

NetClient *net_tap_new(const char *opts, const char *name, char **err)
{
    TapBackend *t = calloc(1, sizeof *t);
    if (!t)
        abort();
    t->fd = -1;
    char ifname[IFNAMSIZ] = "";
    const char *script = "/etc/qemu-ifup", *downscript = "/etc/qemu-ifdown";
    char buf[512], sbuf[256], dbuf[256];
    int fd = -1;
    snprintf(buf, sizeof buf, "%s", opts ? opts : "");
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strncmp(tok, "ifname=", 7)) {
            if (strlen(tok + 7) >= IFNAMSIZ) {
                fail(err, "tap: ifname=%s: longer than %s characters", tok + 7, "15");
                goto bad;
            }
            snprintf(ifname, sizeof ifname, "%s", tok + 7);
        } else if (!strncmp(tok, "script=", 7)) {
            snprintf(sbuf, sizeof sbuf, "%s", tok + 7);
            script = sbuf;
        } else if (!strncmp(tok, "downscript=", 11)) {
            snprintf(dbuf, sizeof dbuf, "%s", tok + 11);
            downscript = dbuf;
        } else if (!strncmp(tok, "fd=", 3)) {
            char *end;
            long v = strtol(tok + 3, &end, 10);
            if (*end || v < 0 || fcntl((int)v, F_GETFD) < 0) {
                fail(err, "tap: fd=%s: not an open file descriptor%s", tok + 3, "");
                goto bad;
            }
            fd = (int)v;
        } else if (!strncmp(tok, "id=", 3) || !strncmp(tok, "vhost=", 6) || !strncmp(tok, "queues=", 7)) {
            /* id: the caller's; vhost/queues: accepted, one queue without vhost */
        } else {
            fail(err, "tap: invalid parameter '%s'%s", tok, "");
            goto bad;
        }
    }
    if (fd >= 0) {
        t->fd = fd;                /* the caller's tap: no scripts */
    } else {
        if (open_tap(t, ifname, err) < 0)
            goto bad;
        t->own_fd = true;
        if (strcmp(script, "no") && *script) {
            if (run_script(script, t->ifname, err) < 0)
                goto bad;
            snprintf(t->script, sizeof t->script, "%s", script);
        }
        if (strcmp(downscript, "no") && *downscript)
            snprintf(t->downscript, sizeof t->downscript, "%s", downscript);
    }
    fcntl(t->fd, F_SETFL, fcntl(t->fd, F_GETFL) | O_NONBLOCK);
    t->nc = net_client_new(&tap_net_ops, name ? name : "tap.0", t);
    for (unsigned i = 0; i < sizeof taps / sizeof taps[0]; i++)
        if (!taps[i]) {
            if (i == 0)
                main_loop_add_exit_hook(run_downscripts);
            taps[i] = t;
            break;
        }
    watch(t, false);
    return t->nc;
bad:
    if (t->fd >= 0 && fd < 0)
        close(t->fd);
    free(t);
    return NULL;
}
