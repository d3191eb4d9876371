/*
 * monitor.c — monitors as chardev front ends (monitor.h): the HMP line
 * reader with its "(qemu) " prompt, the QMP reader that splits the input
 * stream into JSON texts, and the run-state events every QMP monitor
 * sends.  The commands themselves are in monitor-hmp.c and qmp.c.
 *
 * The prompt is QEMU's "(qemu) ": scripts (expect, avocado, libvirt's
 * HMP passthrough users) wait for that exact string, so vemu keeps it
 * (docs/monitor.md).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/chardev.h"
#include "softmmu/monitor.h"
#include "softmmu/runstate.h"

#define HMP_PROMPT "(qemu) "
#define HMP_LINE_MAX 1024

typedef struct Monitor {
    Chardev *chr;
    MonitorMode mode;
    bool greeted;          /* the banner or greeting went to this connection */
    /* HMP */
    char line[HMP_LINE_MAX];
    int line_len;
    bool last_cr;          /* "\r\n" is one line end */
    /* QMP */
    QmpSession qmp;
    JsonSplitter splitter;
} Monitor;

/* Write text with "\r\n" line ends (a raw terminal needs the \r; QEMU's
 * monitors send them on every back end). */
static void mon_write(Monitor *m, const char *text, size_t len)
{
    size_t start = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) {
            chardev_write(m->chr, (const uint8_t *)text + start, (int)(i - start));
            chardev_write(m->chr, (const uint8_t *)"\r\n", 2);
            start = i + 1;
        }
    }
    chardev_write(m->chr, (const uint8_t *)text + start, (int)(len - start));
}

static void mon_puts(Monitor *m, const char *s)
{
    mon_write(m, s, strlen(s));
}

/* ---- JSON splitting ---------------------------------------------------------------- */

static void splitter_push(JsonSplitter *js, char ch)
{
    if (js->len + 1 >= js->cap) {
        js->cap = js->cap ? js->cap * 2 : 256;
        js->buf = realloc(js->buf, js->cap);
        if (!js->buf)
            abort();
    }
    js->buf[js->len++] = ch;
    js->buf[js->len] = 0;
}

void json_splitter_feed(JsonSplitter *js, const char *data, size_t n,
                        void (*emit)(void *opaque, const char *text, size_t len), void *opaque)
{
    for (size_t i = 0; i < n; i++) {
        char ch = data[i];
        bool blank = ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
        if (js->len == 0 && blank)
            continue;
        if (js->in_string) {
            splitter_push(js, ch);
            if (js->escape)
                js->escape = false;
            else if (ch == '\\')
                js->escape = true;
            else if (ch == '"')
                js->in_string = false;
            continue;
        }
        if (js->depth == 0 && js->len && blank) {
            /* a bare word (a number, true, garbage) ends at a blank */
            emit(opaque, js->buf, js->len);
            js->len = 0;
            continue;
        }
        splitter_push(js, ch);
        if (ch == '"') {
            js->in_string = true;
        } else if (ch == '{' || ch == '[') {
            js->depth++;
        } else if (ch == '}' || ch == ']') {
            if (--js->depth <= 0) {
                js->depth = 0;
                emit(opaque, js->buf, js->len);
                js->len = 0;
            }
        }
        /* runaway input: give it to the parser, which will say why */
        if (js->len > (1u << 20)) {
            emit(opaque, js->buf, js->len);
            js->len = 0;
            js->depth = 0;
            js->in_string = js->escape = false;
        }
    }
}

void json_splitter_free(JsonSplitter *js)
{
    free(js->buf);
    *js = (JsonSplitter){ 0 };
}

/* ---- QMP ------------------------------------------------------------------------ */

static void qmp_text(void *opaque, const char *text, size_t len)
{
    Monitor *m = opaque;
    MonOut out = { 0 };
    qmp_dispatch(&m->qmp, text, len, &out);
    if (out.len) {
        monout_printf(&out, "\n");
        mon_write(m, out.buf, out.len);
    }
    monout_free(&out);
}

static void qmp_greet(Monitor *m)
{
    m->qmp.negotiated = false;
    json_splitter_free(&m->splitter);
    MonOut out = { 0 };
    qmp_greeting(&out);
    monout_printf(&out, "\n");
    mon_write(m, out.buf, out.len);
    monout_free(&out);
}

static void qmp_event(void *opaque, RunEvent ev, ShutdownCause cause)
{
    Monitor *m = opaque;
    /* events go to negotiated sessions only, as QEMU's */
    if (!m->qmp.negotiated || !chardev_is_connected(m->chr))
        return;
    static const char *const names[] = {
        [RUN_EVENT_STOP] = "STOP", [RUN_EVENT_RESUME] = "RESUME", [RUN_EVENT_RESET] = "RESET",
        [RUN_EVENT_POWERDOWN] = "POWERDOWN", [RUN_EVENT_SHUTDOWN] = "SHUTDOWN",
    };
    char data[128];
    const char *d = NULL;
    if (ev == RUN_EVENT_RESET || ev == RUN_EVENT_SHUTDOWN) {
        snprintf(data, sizeof(data), "{\"guest\": %s, \"reason\": \"%s\"}",
                 shutdown_cause_is_guest(cause) ? "true" : "false", shutdown_cause_name(cause));
        d = data;
    }
    MonOut out = { 0 };
    qmp_format_event(&out, names[ev], d);
    monout_printf(&out, "\n");
    mon_write(m, out.buf, out.len);
    monout_free(&out);
}

/* ---- HMP -------------------------------------------------------------------------- */

static void hmp_banner(Monitor *m)
{
    mon_puts(m, "vemu " VEMU_VERSION_STRING " monitor - type 'help' for more information\n" HMP_PROMPT);
}

static void hmp_run_line(Monitor *m)
{
    m->line[m->line_len] = 0;
    MonOut out = { 0 };
    hmp_execute(m->line, &out);
    if (out.len)
        mon_write(m, out.buf, out.len);
    monout_free(&out);
    m->line_len = 0;
    mon_puts(m, HMP_PROMPT);
}

static void hmp_byte(Monitor *m, uint8_t ch)
{
    bool was_cr = m->last_cr;
    m->last_cr = ch == '\r';
    if (ch == '\n' && was_cr)
        return;
    /* a terminal on a mux echoes nothing itself: echo as QEMU's readline;
     * a socket client (a script) gets the echo too, as from QEMU */
    if (ch == '\r' || ch == '\n') {
        mon_puts(m, "\n");
        hmp_run_line(m);
    } else if (ch == 0x7f || ch == 0x08) {
        if (m->line_len > 0) {
            m->line_len--;
            mon_puts(m, "\b \b");
        }
    } else if (ch == 0x03) {   /* Ctrl-C: drop the line */
        m->line_len = 0;
        mon_puts(m, "\n" HMP_PROMPT);
    } else if (ch >= 32 && ch < 127) {
        if (m->line_len < HMP_LINE_MAX - 1) {
            m->line[m->line_len++] = (char)ch;
            chardev_write(m->chr, &ch, 1);
        }
    }
    /* other control bytes (escape sequences: arrows) are ignored */
}

/* ---- the front end ---------------------------------------------------------------- */

static int mon_can_read(void *opaque)
{
    (void)opaque;
    return HMP_LINE_MAX;
}

static void mon_read(void *opaque, const uint8_t *buf, int len)
{
    Monitor *m = opaque;
    if (!m->greeted) {
        /* the first bytes from a connection we did not see open */
        m->greeted = true;
        if (m->mode == MONITOR_QMP)
            qmp_greet(m);
    }
    if (m->mode == MONITOR_QMP) {
        json_splitter_feed(&m->splitter, (const char *)buf, (size_t)len, qmp_text, m);
        return;
    }
    for (int i = 0; i < len; i++)
        hmp_byte(m, buf[i]);
}

static void greet(Monitor *m)
{
    m->greeted = true;
    if (m->mode == MONITOR_QMP) {
        qmp_greet(m);
    } else {
        m->line_len = 0;
        hmp_banner(m);
    }
}

static void mon_event(void *opaque, int ev)
{
    Monitor *m = opaque;
    switch (ev) {
    case CHARDEV_EVENT_OPENED:
        greet(m);
        break;
    case CHARDEV_EVENT_FOCUS:
        /* C-a c: the banner the first time, a fresh prompt afterwards */
        if (!m->greeted)
            greet(m);
        else if (m->mode == MONITOR_HMP)
            mon_puts(m, "\n" HMP_PROMPT);
        break;
    case CHARDEV_EVENT_CLOSED:
        m->greeted = false;
        m->qmp.negotiated = false;
        m->line_len = 0;
        json_splitter_free(&m->splitter);
        break;
    }
}

void monitor_attach(Chardev *c, MonitorMode mode)
{
    Monitor *m = calloc(1, sizeof *m);
    if (!m)
        abort();
    m->chr = c;
    m->mode = mode;
    chardev_attach(c, mon_can_read, mon_read, m);
    chardev_set_event_handler(c, m, mon_event);
    if (mode == MONITOR_QMP)
        runstate_add_notifier(qmp_event, m);
    /* A connected back end of its own gets the banner now; a mux's
     * monitor when C-a c first reaches it; a socket when a client comes. */
    if ((!chardev_is_mux(c) || chardev_has_focus(c, m)) && chardev_is_connected(c))
        greet(m);
}
