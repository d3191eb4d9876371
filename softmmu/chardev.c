/*
 * chardev.c — character devices: parsing a spec, the registry, front ends,
 * and the byte paths every back end shares (input buffer handed to the
 * front end as it can take it, output straight to the fd with a buffer
 * for the slow ones), plus the two trivial back ends, null and file.
 * stdio, sockets and ptys are in chardev-stdio.c, chardev-socket.c and
 * chardev-pty.c; the Ctrl-A state machine in chardev-mux.c.
 */
#include "softmmu/chardev-internal.h"
#include "softmmu/runstate.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static Chardev *all_chardevs;

char *chardev_strdup_printf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = NULL;
    if (vasprintf(&s, fmt, ap) < 0)
        abort();
    va_end(ap);
    return s;
}

static void deliver_input(void *opaque);

Chardev *chardev_alloc(const char *id, const char *desc)
{
    Chardev *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->id = strdup(id ? id : "");
    c->desc = strdup(desc);
    c->in_fd = c->out_fd = -1;
    c->out_buf_max = CHARDEV_OUT_BUF_MAX;
    c->deliver_bh = main_loop_bh_new(deliver_input, c);
    return c;
}

void chardev_set_desc(Chardev *c, const char *desc)
{
    free(c->desc);
    c->desc = strdup(desc);
}

/* ---- watches and input -------------------------------------------------- */

static void on_readable(void *opaque);
static void on_writable(void *opaque);

void chardev_update_watches(Chardev *c)
{
    bool want_in = c->in_fd >= 0 && !c->in_eof && c->ilen == 0;
    bool want_out = c->out_fd >= 0 && c->olen > 0;
    if (c->in_fd >= 0 && c->in_fd == c->out_fd) {
        main_loop_set_fd_handler(c->in_fd, want_in ? on_readable : NULL, want_out ? on_writable : NULL, c);
        return;
    }
    if (c->in_fd >= 0)
        main_loop_set_fd_handler(c->in_fd, want_in ? on_readable : NULL, NULL, c);
    if (c->out_fd >= 0)
        main_loop_set_fd_handler(c->out_fd, NULL, want_out ? on_writable : NULL, c);
}

void chardev_detach_fds(Chardev *c)
{
    if (c->in_fd >= 0)
        main_loop_set_fd_handler(c->in_fd, NULL, NULL, NULL);
    if (c->out_fd >= 0 && c->out_fd != c->in_fd)
        main_loop_set_fd_handler(c->out_fd, NULL, NULL, NULL);
    c->in_fd = c->out_fd = -1;
    c->ipos = c->ilen = 0;
    c->olen = 0;
    c->in_eof = false;
}

static void input_hup(Chardev *c)
{
    if (c->hup) {
        c->hup(c);
    } else {
        /* stdin or a file at EOF: nothing more will come */
        c->in_eof = true;
        chardev_update_watches(c);
    }
}

static void on_readable(void *opaque)
{
    Chardev *c = opaque;
    if (c->in_fd < 0 || c->ilen)
        return;
    ssize_t n = read(c->in_fd, c->ibuf, sizeof c->ibuf);
    if (n < 0 && (errno == EAGAIN || errno == EINTR))
        return;
    if (n <= 0) {
        input_hup(c);
        return;
    }
    c->ipos = 0;
    c->ilen = (int)n;
    deliver_input(c);
}

static void deliver_plain(Chardev *c)
{
    ChardevFrontEnd *fe = c->n_fe ? &c->fe[0] : NULL;
    while (c->ipos < c->ilen) {
        if (!fe || !fe->read) {
            c->ipos = c->ilen;   /* nobody listens: the bytes go nowhere */
            break;
        }
        int room = fe->can_read ? fe->can_read(fe->opaque) : c->ilen - c->ipos;
        if (room <= 0)
            break;
        int n = c->ilen - c->ipos;
        if (n > room)
            n = room;
        fe->read(fe->opaque, c->ibuf + c->ipos, n);
        c->ipos += n;
    }
}

static int fe_room(ChardevFrontEnd *fe)
{
    if (!fe || !fe->read)
        return -1;    /* no taker: drop */
    return fe->can_read ? fe->can_read(fe->opaque) : 1;
}

static void deliver_muxed(Chardev *c)
{
    while (c->ipos < c->ilen) {
        ChardevFrontEnd *fe = c->n_fe ? &c->fe[c->focus] : NULL;
        uint8_t ch = c->ibuf[c->ipos];
        /* an ordinary byte waits for room; escapes act at once */
        if (!c->mux_state.escape_pending && ch != MUX_ESCAPE_CHAR && fe_room(fe) == 0)
            break;
        MuxAction a = mux_feed(&c->mux_state, ch);
        c->ipos++;
        switch (a) {
        case MUX_FORWARD:
            /* a literal C-a with no room is dropped */
            if (fe_room(fe) > 0)
                fe->read(fe->opaque, &ch, 1);
            break;
        case MUX_CONSUMED:
            break;
        case MUX_QUIT: {
            const char *t = mux_quit_text();
            chardev_write_backend(c, (const uint8_t *)t, strlen(t));
            runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_UI, 0);
            break;
        }
        case MUX_HELP: {
            const char *t = mux_help_text();
            chardev_write_backend(c, (const uint8_t *)t, strlen(t));
            break;
        }
        case MUX_SWITCH:
            if (c->n_fe > 1) {
                c->focus = (c->focus + 1) % c->n_fe;
                if (c->fe[c->focus].event)
                    c->fe[c->focus].event(c->fe[c->focus].opaque, CHARDEV_EVENT_FOCUS);
            }
            break;
        }
    }
}

/* In the loop, machine lock held. */
static void deliver_input(void *opaque)
{
    Chardev *c = opaque;
    if (c->mux)
        deliver_muxed(c);
    else
        deliver_plain(c);
    if (c->ipos >= c->ilen)
        c->ipos = c->ilen = 0;
    chardev_update_watches(c);
}

void chardev_accept_input(Chardev *c)
{
    /* Usually called from the front end's own MMIO callback: deliver from
     * the loop, not re-entrantly. */
    if (c && c->ilen > c->ipos)
        main_loop_bh_schedule(c->deliver_bh);
}

/* ---- output ------------------------------------------------------------- */

static ssize_t out_write(Chardev *c, const uint8_t *buf, size_t len)
{
    if (c->out_is_socket)
        return send(c->out_fd, buf, len, MSG_NOSIGNAL | MSG_DONTWAIT);
    return write(c->out_fd, buf, len);
}

static void output_failed(Chardev *c)
{
    /* the other end is gone: a socket waits for the next client,
     * anything else stops writing */
    c->olen = 0;
    if (c->hup && c->in_fd == c->out_fd) {
        c->hup(c);
    } else {
        if (c->out_fd >= 0 && c->out_fd != c->in_fd)
            main_loop_set_fd_handler(c->out_fd, NULL, NULL, NULL);
        c->out_fd = -1;
    }
}

static void on_writable(void *opaque)
{
    Chardev *c = opaque;
    while (c->olen && c->out_fd >= 0) {
        ssize_t n = out_write(c, c->obuf, c->olen);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno != EAGAIN)
                output_failed(c);
            break;
        }
        memmove(c->obuf, c->obuf + n, c->olen - n);
        c->olen -= n;
    }
    if (c->out_fd >= 0 || c->in_fd >= 0)
        chardev_update_watches(c);
}

static void write_blocking(Chardev *c, const uint8_t *buf, size_t len)
{
    while (len && c->out_fd >= 0) {
        ssize_t n = out_write(c, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN) {
                struct pollfd p = { .fd = c->out_fd, .events = POLLOUT };
                poll(&p, 1, 100);
                continue;
            }
            output_failed(c);
            return;
        }
        buf += n;
        len -= n;
    }
}

static void write_buffered(Chardev *c, const uint8_t *buf, size_t len)
{
    if (c->olen == 0) {
        ssize_t n;
        do
            n = out_write(c, buf, len);
        while (n < 0 && errno == EINTR);
        if (n < 0 && errno != EAGAIN) {
            output_failed(c);
            return;
        }
        if (n > 0) {
            buf += n;
            len -= n;
        }
    }
    if (!len)
        return;
    if (c->olen + len > c->out_buf_max)
        len = c->out_buf_max - c->olen;   /* the reader is too slow: drop the rest */
    if (c->olen + len > c->ocap) {
        size_t cap = c->ocap ? c->ocap : 4096;
        while (cap < c->olen + len)
            cap *= 2;
        c->obuf = realloc(c->obuf, cap);
        if (!c->obuf)
            abort();
        c->ocap = cap;
    }
    memcpy(c->obuf + c->olen, buf, len);
    bool was_empty = c->olen == 0;
    c->olen += len;
    if (was_empty && len)
        chardev_update_watches(c);
}

void chardev_write_backend(Chardev *c, const uint8_t *buf, size_t len)
{
    if (c->out_fd < 0 || !len)
        return;
    if (c->out_blocking)
        write_blocking(c, buf, len);
    else
        write_buffered(c, buf, len);
}

int chardev_write(Chardev *c, const uint8_t *buf, int len)
{
    if (!c)
        return len;
    if (len > 0)
        chardev_write_backend(c, buf, (size_t)len);
    return len;
}

/* ---- front ends ----------------------------------------------------------- */

void chardev_attach(Chardev *c, int (*can_read)(void *opaque),
                    void (*read)(void *opaque, const uint8_t *buf, int len), void *opaque)
{
    ChardevFrontEnd fe = { can_read, read, opaque, NULL };
    if (c->mux && c->n_fe < CHARDEV_MAX_FRONTENDS && c->n_fe > 0) {
        c->fe[c->n_fe++] = fe;     /* a muxed chardev takes another (the monitor) */
    } else {
        c->fe[0] = fe;
        if (!c->n_fe)
            c->n_fe = 1;
    }
    if (c->ilen > c->ipos)
        main_loop_bh_schedule(c->deliver_bh);
}

void chardev_detach(Chardev *c, void *opaque)
{
    if (!c)
        return;
    for (int i = 0; i < c->n_fe; i++) {
        if (c->fe[i].opaque == opaque) {
            for (int j = i; j + 1 < c->n_fe; j++)
                c->fe[j] = c->fe[j + 1];
            c->n_fe--;
            if (c->focus >= c->n_fe)
                c->focus = 0;
            return;
        }
    }
}

void chardev_set_event_handler(Chardev *c, void *opaque, void (*event)(void *opaque, int ev))
{
    for (int i = 0; i < c->n_fe; i++)
        if (c->fe[i].opaque == opaque)
            c->fe[i].event = event;
}

void chardev_notify_event(Chardev *c, int ev)
{
    for (int i = 0; i < c->n_fe; i++)
        if (c->fe[i].event)
            c->fe[i].event(c->fe[i].opaque, ev);
}

bool chardev_is_connected(Chardev *c)
{
    return c && c->out_fd >= 0;
}

bool chardev_has_focus(Chardev *c, void *opaque)
{
    return c && c->n_fe > 0 && c->fe[c->focus].opaque == opaque;
}

bool chardev_is_mux(Chardev *c)
{
    return c && c->mux;
}

/* ---- null and file ---------------------------------------------------------- */

static bool file_open(Chardev *c, const char *spec, char **err)
{
    /* file:PATH[,append=on]: truncated like QEMU's, unless append */
    char *path = strdup(spec);
    bool append = false;
    char *comma = strrchr(path, ',');
    if (comma && (!strcmp(comma, ",append=on") || !strcmp(comma, ",append"))) {
        append = true;
        *comma = 0;
    } else if (comma && !strcmp(comma, ",append=off")) {
        *comma = 0;
    }
    if (!*path) {
        *err = strdup("file: needs a path (file:PATH)");
        free(path);
        return false;
    }
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | (append ? O_APPEND : O_TRUNC), 0666);
    if (fd < 0) {
        *err = chardev_strdup_printf("cannot open %s: %s", path, strerror(errno));
        free(path);
        return false;
    }
    free(path);
    c->out_fd = fd;
    c->out_blocking = true;
    return true;
}

/* ---- open, find, close, list --------------------------------------------------- */

Chardev *chardev_open(const char *spec, const char *id, char **err)
{
    *err = NULL;
    if (!spec || !*spec) {
        *err = strdup("empty character device spec");
        return NULL;
    }
    if (id && *id && chardev_find(id)) {
        *err = chardev_strdup_printf("a character device with id '%s' already exists", id);
        return NULL;
    }
    bool mux = false;
    if (!strncmp(spec, "mon:", 4)) {
        mux = true;
        spec += 4;
    }
    Chardev *c = chardev_alloc(id, spec);
    c->mux = mux;
    bool ok;
    if (!strcmp(spec, "null")) {
        ok = true;
    } else if (!strcmp(spec, "stdio")) {
        c->mux = true;
        ok = chardev_stdio_open(c, err);
    } else if (!strncmp(spec, "file:", 5)) {
        ok = file_open(c, spec + 5, err);
    } else if (!strcmp(spec, "pty")) {
        ok = chardev_pty_open(c, err);
    } else if (!strncmp(spec, "unix:", 5)) {
        ok = chardev_socket_open(c, spec + 5, true, err);
    } else if (!strncmp(spec, "tcp:", 4)) {
        ok = chardev_socket_open(c, spec + 4, false, err);
    } else {
        *err = chardev_strdup_printf("'%s' is not a character device this vemu knows "
                                     "(null, stdio, file:PATH, pty, unix:PATH, tcp:HOST:PORT; "
                                     "mon: in front to add the monitor)", spec);
        ok = false;
    }
    if (!ok) {
        if (!*err)
            *err = chardev_strdup_printf("cannot open character device '%s'", spec);
        c->in_fd = c->out_fd = -1;
        main_loop_bh_free(c->deliver_bh);
        free(c->id);
        free(c->desc);
        free(c);
        return NULL;
    }
    c->next = all_chardevs;
    all_chardevs = c;
    chardev_update_watches(c);
    return c;
}

Chardev *chardev_find(const char *id)
{
    for (Chardev *c = all_chardevs; c; c = c->next)
        if (id && !strcmp(c->id, id))
            return c;
    return NULL;
}

void chardev_close(Chardev *c)
{
    if (!c)
        return;
    for (Chardev **pp = &all_chardevs; *pp; pp = &(*pp)->next) {
        if (*pp == c) {
            *pp = c->next;
            break;
        }
    }
    int in = c->in_fd, out = c->out_fd;
    if (in >= 0)
        main_loop_set_fd_handler(in, NULL, NULL, NULL);
    if (out >= 0 && out != in)
        main_loop_set_fd_handler(out, NULL, NULL, NULL);
    if (c->close) {
        c->close(c);     /* the back end closes its own fds */
    } else {
        if (in >= 0)
            close(in);
        if (out >= 0 && out != in)
            close(out);
    }
    main_loop_bh_free(c->deliver_bh);
    free(c->obuf);
    free(c->id);
    free(c->desc);
    free(c);
}

void chardev_list(void (*line)(void *opaque, const char *id, const char *desc), void *opaque)
{
    for (Chardev *c = all_chardevs; c; c = c->next)
        line(opaque, c->id, c->desc);
}
