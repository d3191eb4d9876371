/*
 * monitor.h — the human monitor (HMP) and QMP, QEMU's two ways to drive a
 * running machine (docs/monitor.md).
 *
 * A monitor is a front end of a chardev (-monitor SPEC, -qmp SPEC, -mon
 * chardev=ID[,mode=readline|control], or the stdio mux's second front end
 * reached with C-a c).  Its input arrives in the event-loop thread with the
 * machine lock held, and commands run there: run-state changes go through
 * runstate.h, cpu state is read on the vcpu thread (cpus_run_on_vcpu).
 *
 * The command cores take a line (HMP) or a JSON text (QMP) and produce the
 * reply text, so the unit tests drive them without a chardev or machine.
 */
#ifndef VEMU_SOFTMMU_MONITOR_H
#define VEMU_SOFTMMU_MONITOR_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "exec/cpu-common.h"
#include "softmmu/chardev.h"

#define VEMU_VERSION_MAJOR 0
#define VEMU_VERSION_MINOR 1
#define VEMU_VERSION_MICRO 0
#define VEMU_VERSION_STRING "0.1"

/* A growing output text. */
typedef struct MonOut {
    char *buf;      /* NUL-terminated (NULL while empty) */
    size_t len, cap;
} MonOut;
void monout_printf(MonOut *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void monout_vprintf(MonOut *o, const char *fmt, va_list ap);
void monout_free(MonOut *o);

/* What the monitors report about: the machine's cpu (NULL: none, the
 * commands needing it say so) and -name. */
void monitor_set_machine(CPUCommon *cpu, const char *vm_name);
CPUCommon *monitor_cpu(void);
const char *monitor_vm_name(void);   /* NULL: no -name */

/* ---- HMP ---- */
/* Run one command line; its output is appended to out ("\n" line ends).
 * 0, or -1 when the command failed (the message is in out). */
int hmp_execute(const char *line, MonOut *out);

/* x and xp's "/FMT": [count][format][size] in any order of the letters
 * after the count; format x d u o c i, size b h w g; what is missing is
 * the last command's (last_format, last_size; QEMU starts with x and w).
 * c shows count units of the size byte by byte, as QEMU's.  0, or -1 on
 * a bad letter. */
typedef struct HmpMemFormat {
    int count;
    char format;
    int size;       /* bytes */
} HmpMemFormat;
int hmp_parse_mem_format(const char *s, char last_format, int last_size, HmpMemFormat *f);

/* The commands and their help lines, for `help` and tests. */
typedef struct HmpCommand {
    const char *name, *args, *help;
    int (*fn)(const char *args, MonOut *out);
} HmpCommand;
const HmpCommand *hmp_find_command(const char *name);
extern const HmpCommand hmp_commands[];

/* ---- QMP ---- */
typedef struct QmpSession {
    bool negotiated;   /* qmp_capabilities done */
} QmpSession;
/* One JSON text in; the reply JSON (one line, no line end) appended to
 * out, or nothing for a text that is only whitespace. */
void qmp_dispatch(QmpSession *s, const char *text, size_t len, MonOut *out);
/* The greeting a new connection gets. */
void qmp_greeting(MonOut *out);
/* An event as QMP sends it (data: a JSON object text, NULL: none). */
void qmp_format_event(MonOut *out, const char *name, const char *data);
/* The command names, for query-commands and tests (NULL-terminated). */
extern const char *const qmp_command_names[];

/* ---- attaching to chardevs ---- */
typedef enum MonitorMode { MONITOR_HMP, MONITOR_QMP } MonitorMode;
/* The monitor becomes a front end of c (on a mux: its next one). */
void monitor_attach(Chardev *c, MonitorMode mode);

/* Split a QMP input stream into JSON texts: feed bytes; each complete
 * top-level value (object, array, or a bare word up to whitespace) is
 * passed to emit.  Strings and escapes are tracked so that braces in
 * them do not count; the parsing itself is jansson's. */
typedef struct JsonSplitter {
    char *buf;
    size_t len, cap;
    int depth;
    bool in_string, escape;
} JsonSplitter;
void json_splitter_feed(JsonSplitter *js, const char *data, size_t n,
                        void (*emit)(void *opaque, const char *text, size_t len), void *opaque);
void json_splitter_free(JsonSplitter *js);

#endif
