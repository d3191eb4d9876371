/*
 * chardev.h — character devices: where a UART's (or the monitor's) bytes
 * go and come from.
 *
 * A chardev is opened from a QEMU-style spec (-serial, -chardev, -monitor):
 *   stdio          the terminal, raw mode, with the Ctrl-A mux (C-a x quits,
 *                  C-a h helps, C-a c switches to the monitor, C-a C-a sends
 *                  C-a); mon:stdio is the same with the monitor attached
 *   null           discards output, never has input
 *   file:PATH[,append=on]
 *                  output to a file (truncated first, as QEMU does,
 *                  unless append=on)
 *   pty            a new pseudo-terminal; its name is printed
 *   unix:PATH[,server][,nowait]
 *   tcp:[HOST]:PORT[,server][,nowait][,nodelay]
 * mon: in front of any of them adds the Ctrl-A mux (stdio always has it).
 * One front end (the device) attaches to it; a muxed chardev takes up to
 * four (the serial port, then the monitor), C-a c moving the input
 * between them.  Input is delivered in the
 * event-loop thread with the machine lock held, as much as the front end
 * says it can take; when it can take more later it calls
 * chardev_accept_input().  Output never blocks the vcpu for long: a
 * disconnected socket drops bytes, a slow one is buffered.
 */
#ifndef VEMU_SOFTMMU_CHARDEV_H
#define VEMU_SOFTMMU_CHARDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct Chardev Chardev;

/* NULL with a message in *err (malloc'd) when spec is bad or cannot be
 * opened.  id names it for -chardev/-mon and `info chardev`. */
Chardev *chardev_open(const char *spec, const char *id, char **err);
Chardev *chardev_find(const char *id);
void chardev_close(Chardev *c);

void chardev_attach(Chardev *c, int (*can_read)(void *opaque),
                    void (*read)(void *opaque, const uint8_t *buf, int len), void *opaque);
/* Remove the front end attached with this opaque (a device going away). */
void chardev_detach(Chardev *c, void *opaque);
void chardev_accept_input(Chardev *c);
/* Bytes written (all of them unless the chardev is gone). */
int chardev_write(Chardev *c, const uint8_t *buf, int len);

/* Events for a front end (the monitors): a client connected to a socket
 * chardev, it went away, or C-a c gave this front end the mux's input. */
enum { CHARDEV_EVENT_OPENED, CHARDEV_EVENT_CLOSED, CHARDEV_EVENT_FOCUS };
/* The front end attached with opaque gets event(opaque, CHARDEV_EVENT_*). */
void chardev_set_event_handler(Chardev *c, void *opaque, void (*event)(void *opaque, int ev));
/* True while output reaches someone (a socket: a client is connected). */
bool chardev_is_connected(Chardev *c);
/* True when c is a mux (stdio, mon:...) shared with other front ends. */
bool chardev_is_mux(Chardev *c);

/* True when the front end attached with opaque gets c's input now (the
 * only one, or a mux's focused one). */
bool chardev_has_focus(Chardev *c, void *opaque);

/* For `info chardev`: each open chardev's id and description. */
void chardev_list(void (*line)(void *opaque, const char *id, const char *desc), void *opaque);

#endif
