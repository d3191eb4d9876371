/*
 * chardev-mux.h — the Ctrl-A escape state machine of a muxed chardev
 * (stdio, mon:...), kept apart from the I/O so it can be tested byte by
 * byte.
 *
 *   C-a h    help            C-a x    quit vemu
 *   C-a c    next front end  C-a C-a  a literal C-a
 * Any other byte after C-a is dropped.  C-a s (save disks), C-a b (send
 * break) and C-a t (timestamps) are not provided.
 */
#ifndef VEMU_SOFTMMU_CHARDEV_MUX_H
#define VEMU_SOFTMMU_CHARDEV_MUX_H

#include <stdbool.h>
#include <stdint.h>

#define MUX_ESCAPE_CHAR 0x01   /* Ctrl-A */

typedef enum MuxAction {
    MUX_FORWARD,    /* give the byte to the focused front end */
    MUX_CONSUMED,   /* part of an escape: nothing to do */
    MUX_QUIT,
    MUX_HELP,
    MUX_SWITCH,
} MuxAction;

typedef struct MuxState {
    bool escape_pending;   /* the last byte was C-a */
} MuxState;

MuxAction mux_feed(MuxState *m, uint8_t ch);
/* The help text (\r\n line ends: the terminal is raw). */
const char *mux_help_text(void);
/* What C-a x prints before vemu quits. */
const char *mux_quit_text(void);

#endif
