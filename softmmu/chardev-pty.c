/*
 * chardev-pty.c — a new pseudo-terminal (-serial pty): the guest's port is
 * its master side, and the user opens the slave (/dev/pts/N, printed as
 * QEMU prints it) with screen, minicom or cat.
 *
 * vemu keeps the slave open itself, in raw mode: reading the master then
 * never fails for want of a reader, and nothing the guest writes is echoed
 * back as input.  Output the slave's reader does not take is buffered up
 * to 64 KiB and then dropped, so a pty nobody watches never stalls the
 * guest.
 */
#include "softmmu/chardev-internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

typedef struct PtyState {
    int master, slave;
    char name[64];
} PtyState;

static void pty_close(Chardev *c)
{
    PtyState *p = c->drv;
    close(p->master);
    close(p->slave);
    free(p);
}

const char *chardev_pty_name(Chardev *c)
{
    return c && c->close == pty_close ? ((PtyState *)c->drv)->name : NULL;
}

bool chardev_pty_open(Chardev *c, char **err)
{
    int m = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (m < 0 || grantpt(m) < 0 || unlockpt(m) < 0) {
        *err = chardev_strdup_printf("cannot create a pty: %s", strerror(errno));
        if (m >= 0)
            close(m);
        return false;
    }
    PtyState *p = calloc(1, sizeof *p);
    if (!p)
        abort();
    if (ptsname_r(m, p->name, sizeof p->name) != 0) {
        *err = chardev_strdup_printf("cannot name the pty: %s", strerror(errno));
        close(m);
        free(p);
        return false;
    }
    int s = open(p->name, O_RDWR | O_NOCTTY | O_CLOEXEC);
    if (s < 0) {
        *err = chardev_strdup_printf("cannot open %s: %s", p->name, strerror(errno));
        close(m);
        free(p);
        return false;
    }
    struct termios t;
    if (tcgetattr(s, &t) == 0) {
        cfmakeraw(&t);
        tcsetattr(s, TCSANOW, &t);
    }
    fcntl(m, F_SETFL, fcntl(m, F_GETFL) | O_NONBLOCK);
    p->master = m;
    p->slave = s;
    c->drv = p;
    c->close = pty_close;
    c->in_fd = c->out_fd = m;
    c->out_buf_max = 64 * 1024;
    char *desc = chardev_strdup_printf("pty:%s", p->name);
    chardev_set_desc(c, desc);
    free(desc);
    fprintf(stderr, "char device redirected to %s (label %s)\n", p->name, c->id);
    return true;
}
