/*
 * chardev-internal.h — what the chardev back ends (chardev-stdio.c,
 * chardev-socket.c, chardev-pty.c) share with the generic part
 * (chardev.c).  Not for devices: they use chardev.h.
 *
 * A chardev moves bytes between one host fd pair and its front ends.
 * Input is read into a small buffer and handed to the (focused) front end
 * as it can take it; while the buffer holds bytes the fd is not watched,
 * so a guest that does not read its UART stops the reading instead of
 * losing bytes.  Output goes straight to the fd; for fds that may not keep
 * up (sockets, ptys) it is non-blocking, with the rest buffered and
 * written when the fd is writable.
 */
#ifndef VEMU_SOFTMMU_CHARDEV_INTERNAL_H
#define VEMU_SOFTMMU_CHARDEV_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "softmmu/chardev-mux.h"
#include "softmmu/chardev.h"
#include "softmmu/main-loop.h"

#define CHARDEV_MAX_FRONTENDS 4
#define CHARDEV_OUT_BUF_MAX (1u << 20)   /* then bytes are dropped */

typedef struct ChardevFrontEnd {
    int (*can_read)(void *opaque);
    void (*read)(void *opaque, const uint8_t *buf, int len);
    void *opaque;
    void (*event)(void *opaque, int ev);   /* NULL: not interested */
} ChardevFrontEnd;

struct Chardev {
    char *id;
    char *desc;                 /* e.g. "tcp:127.0.0.1:4444,server" */

    ChardevFrontEnd fe[CHARDEV_MAX_FRONTENDS];
    int n_fe;
    bool mux;                   /* C-a escapes; several front ends */
    int focus;                  /* the front end that gets input */
    MuxState mux_state;

    int in_fd, out_fd;          /* -1: none (may be the same fd) */
    bool out_blocking;          /* stdio, file: write until done */
    bool out_is_socket;         /* send(MSG_NOSIGNAL): no SIGPIPE */
    size_t out_buf_max;

    uint8_t *obuf;
    size_t olen, ocap;

    uint8_t ibuf[4096];
    int ipos, ilen;
    bool in_eof;                /* stdin at EOF: stop watching it */
    MainLoopBH *deliver_bh;

    /* back end hooks */
    void (*hup)(Chardev *c);    /* the input fd hit EOF or an error */
    void (*close)(Chardev *c);  /* free the back end's state */
    void *drv;

    Chardev *next;
};

/* Generic helpers for the back ends. */
Chardev *chardev_alloc(const char *id, const char *desc);
void chardev_set_desc(Chardev *c, const char *desc);
/* Watch in_fd/out_fd as the buffers require (machine lock held or before
 * the loop starts). */
void chardev_update_watches(Chardev *c);
/* Stop watching and forget the fds (the caller closes them). */
void chardev_detach_fds(Chardev *c);
/* Write bytes straight to the host side, bypassing the front ends
 * (the mux's help and exit messages). */
void chardev_write_backend(Chardev *c, const uint8_t *buf, size_t len);

/* Tell the front ends (CHARDEV_EVENT_OPENED/CLOSED: all of them). */
void chardev_notify_event(Chardev *c, int ev);

/* Back ends: fill c in, or return false with *err set. */
bool chardev_stdio_open(Chardev *c, char **err);
bool chardev_socket_open(Chardev *c, const char *spec, bool is_unix, char **err);
bool chardev_pty_open(Chardev *c, char **err);

/* Tests: the port a tcp chardev listens on (after ":0"), -1 if none. */
int chardev_socket_local_port(Chardev *c);
/* Tests: the name of a pty chardev's slave side, NULL if not a pty. */
const char *chardev_pty_name(Chardev *c);

char *chardev_strdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
