/*
 * chardev-mux.c — the Ctrl-A escape state machine (see chardev-mux.h).
 * The chardev feeds it each input byte and does what it answers.
 */
#include "softmmu/chardev-mux.h"

MuxAction mux_feed(MuxState *m, uint8_t ch)
{
    if (!m->escape_pending) {
        if (ch == MUX_ESCAPE_CHAR) {
            m->escape_pending = true;
            return MUX_CONSUMED;
        }
        return MUX_FORWARD;
    }
    m->escape_pending = false;
    switch (ch) {
    case MUX_ESCAPE_CHAR:
        return MUX_FORWARD;      /* C-a C-a: the guest gets one C-a */
    case 'x': case 'X':
        return MUX_QUIT;
    case 'h': case 'H': case '?':
        return MUX_HELP;
    case 'c': case 'C':
        return MUX_SWITCH;
    default:
        return MUX_CONSUMED;     /* unknown escapes are dropped */
    }
}

const char *mux_help_text(void)
{
    return "\r\n"
           "vemu console escapes (Ctrl-A, then a key):\r\n"
           "  C-a h    show this help\r\n"
           "  C-a x    quit vemu\r\n"
           "  C-a c    switch between the serial console and the monitor\r\n"
           "  C-a C-a  send a Ctrl-A to the guest\r\n"
           "  (C-a s, C-a b and C-a t are not available)\r\n";
}

const char *mux_quit_text(void)
{
    return "\r\nvemu: terminated by C-a x\r\n";
}
