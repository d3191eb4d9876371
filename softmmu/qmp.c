/*
 * qmp.c — the QEMU Machine Protocol's commands (monitor.h): a JSON object
 * in, a JSON object out, parsed and printed by libjansson.  What the
 * replies hold (their keys, the error classes and messages) follows QEMU
 * 7.2, which libvirt and other clients are written against; the suite
 * tests/system-monitor compares the key sets with qemu-system-arm's.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>

#include "exec/frontend.h"
#include "softmmu/chardev.h"
#include "softmmu/display.h"
#include "softmmu/monitor.h"
#include "softmmu/monitor-block.h"
#include "softmmu/runstate.h"

static json_t *qmp_error(const char *cls, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static json_t *qmp_error(const char *cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *desc = NULL;
    if (vasprintf(&desc, fmt, ap) < 0)
        desc = NULL;
    va_end(ap);
    json_t *e = json_pack("{s:{s:s,s:s}}", "error", "class", cls, "desc", desc ? desc : "");
    free(desc);
    return e;
}

static json_t *ok_empty(void)
{
    return json_pack("{s:{}}", "return");
}

static json_t *ok(json_t *value)
{
    return json_pack("{s:o}", "return", value);
}

static json_t *version_object(void)
{
    return json_pack("{s:{s:i,s:i,s:i},s:s}", "qemu", "micro", VEMU_VERSION_MICRO, "minor", VEMU_VERSION_MINOR,
                     "major", VEMU_VERSION_MAJOR, "package", "vemu");
}

/* ---- commands ------------------------------------------------------------------ */

typedef json_t *QmpFn(json_t *args);

static json_t *do_query_status(json_t *args)
{
    (void)args;
    RunState s = runstate_get();
    return ok(json_pack("{s:s,s:b,s:b}", "status", runstate_name(s), "singlestep", 0, "running",
                        s == RUN_STATE_RUNNING));
}

static json_t *do_query_version(json_t *args)
{
    (void)args;
    return ok(version_object());
}

static json_t *do_query_commands(json_t *args)
{
    (void)args;
    json_t *list = json_array();
    for (const char *const *n = qmp_command_names; *n; n++)
        json_array_append_new(list, json_pack("{s:s}", "name", *n));
    return ok(list);
}

static json_t *do_query_name(json_t *args)
{
    (void)args;
    const char *name = monitor_vm_name();
    return ok(name ? json_pack("{s:s}", "name", name) : json_object());
}

static void chardev_entry(void *opaque, const char *id, const char *desc)
{
    json_array_append_new(opaque, json_pack("{s:b,s:s,s:s}", "frontend-open", 1, "filename", desc, "label", id));
}

static json_t *do_query_chardev(json_t *args)
{
    (void)args;
    json_t *list = json_array();
    chardev_list(chardev_entry, list);
    return ok(list);
}

static json_t *do_query_cpus_fast(json_t *args)
{
    (void)args;
    json_t *list = json_array();
    CPUCommon *cpu = monitor_cpu();
    if (cpu)
        json_array_append_new(list, json_pack("{s:i,s:s,s:i,s:s}", "thread-id", (int)getpid(),
                                              "qom-path", "/machine/unattached/device[0]", "cpu-index", 0,
                                              "target", cpu->fe->name));
    return ok(list);
}

static json_t *do_stop(json_t *args)
{
    (void)args;
    vm_stop();
    return ok_empty();
}

static json_t *do_cont(json_t *args)
{
    (void)args;
    vm_start();
    return ok_empty();
}

static json_t *do_system_reset(json_t *args)
{
    (void)args;
    runstate_request_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    runstate_wait_vcpu();   /* the RESET event comes before the reply, as QEMU's */
    return ok_empty();
}

static json_t *do_system_powerdown(json_t *args)
{
    (void)args;
    runstate_request_powerdown();
    return ok_empty();
}

static json_t *do_quit(json_t *args)
{
    (void)args;
    runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_QMP_QUIT, 0);
    return ok_empty();
}

static json_t *do_human_monitor_command(json_t *args)
{
    json_t *cl = args ? json_object_get(args, "command-line") : NULL;
    if (!cl)
        return qmp_error("GenericError", "Parameter 'command-line' is missing");
    if (!json_is_string(cl))
        return qmp_error("GenericError", "Invalid parameter type for 'command-line', expected: string");
    MonOut out = { 0 }, crlf = { 0 };
    hmp_execute(json_string_value(cl), &out);
    /* QEMU's HMP output has "\r\n" line ends, in this string too */
    for (size_t i = 0; i < out.len; i++)
        monout_printf(&crlf, out.buf[i] == '\n' ? "\r\n" : "%c", out.buf[i]);
    json_t *r = ok(json_string(crlf.buf ? crlf.buf : ""));
    monout_free(&out);
    monout_free(&crlf);
    return r;
}

static json_t *do_screendump(json_t *args)
{
    json_t *fn = args ? json_object_get(args, "filename") : NULL;
    json_t *fmt = args ? json_object_get(args, "format") : NULL;
    if (!fn)
        return qmp_error("GenericError", "Parameter 'filename' is missing");
    if (!json_is_string(fn))
        return qmp_error("GenericError", "Invalid parameter type for 'filename', expected: string");
    if (fmt && !json_is_string(fmt))
        return qmp_error("GenericError", "Invalid parameter type for 'format', expected: string");
    json_t *dev = json_object_get(args, "device");
    if (dev && !json_is_string(dev))
        return qmp_error("GenericError", "Invalid parameter type for 'device', expected: string");
    if (dev)   /* one display: no device names */
        return qmp_error("DeviceNotFound", "Device '%s' not found", json_string_value(dev));
    char *err = NULL;
    if (display_screendump(json_string_value(fn), fmt ? json_string_value(fmt) : NULL, &err) < 0) {
        json_t *e = qmp_error("GenericError", "%s", err ? err : "screendump failed");
        free(err);
        return e;
    }
    return ok_empty();
}

static json_t *do_qmp_capabilities(json_t *args)
{
    (void)args;
    return ok_empty();   /* negotiation itself is in qmp_dispatch */
}

static const struct {
    const char *name;
    QmpFn *fn;
    const char *const *params;   /* the arguments it takes (NULL: none) */
} commands[] = {
    { "qmp_capabilities", do_qmp_capabilities, (const char *const[]){ "enable", NULL } },
    { "query-status", do_query_status, NULL },
    { "query-version", do_query_version, NULL },
    { "query-commands", do_query_commands, NULL },
    { "query-name", do_query_name, NULL },
    { "query-chardev", do_query_chardev, NULL },
    { "query-cpus-fast", do_query_cpus_fast, NULL },
    { "query-block", qmp_query_block, NULL },
    { "eject", qmp_eject, (const char *const[]){ "device", "id", "force", NULL } },
    { "blockdev-change-medium", qmp_blockdev_change_medium,
      (const char *const[]){ "device", "id", "filename", "format", "read-only-mode", "force", NULL } },
    { "stop", do_stop, NULL },
    { "cont", do_cont, NULL },
    { "system_reset", do_system_reset, NULL },
    { "system_powerdown", do_system_powerdown, NULL },
    { "quit", do_quit, NULL },
    { "screendump", do_screendump, (const char *const[]){ "filename", "device", "head", "format", NULL } },
    { "human-monitor-command", do_human_monitor_command, (const char *const[]){ "command-line", "cpu-index", NULL } },
};
#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

const char *const qmp_command_names[] = {
    "qmp_capabilities", "query-status", "query-version", "query-commands", "query-name", "query-chardev",
    "query-cpus-fast", "query-block", "stop", "cont", "system_reset", "system_powerdown", "quit",
    "human-monitor-command", "eject", "blockdev-change-medium", "screendump", NULL,
};

/* ---- dispatch ------------------------------------------------------------------ */

static void emit(MonOut *out, json_t *reply, json_t *id)
{
    if (id)
        json_object_set(reply, "id", id);
    /* one line, QEMU's spacing: {"return": {}} */
    char *text = json_dumps(reply, JSON_PRESERVE_ORDER);
    if (text)
        monout_printf(out, "%s", text);
    free(text);
    json_decref(reply);
}

static bool known_param(const char *const *params, const char *key)
{
    for (; params && *params; params++)
        if (!strcmp(*params, key))
            return true;
    return false;
}

void qmp_dispatch(QmpSession *s, const char *text, size_t len, MonOut *out)
{
    size_t i = 0;
    while (i < len && strchr(" \t\r\n", text[i]))
        i++;
    if (i == len)
        return;
    json_error_t jerr;
    json_t *req = json_loadb(text, len, JSON_DECODE_ANY, &jerr);
    if (!req) {
        emit(out, qmp_error("GenericError", "JSON parse error, %s", jerr.text), NULL);
        return;
    }
    if (!json_is_object(req)) {
        emit(out, qmp_error("GenericError", "QMP input must be a JSON object"), NULL);
        json_decref(req);
        return;
    }
    json_t *id = json_object_get(req, "id");
    json_t *exec = json_object_get(req, "execute");
    json_t *args = json_object_get(req, "arguments");
    const char *key;
    json_t *v;
    json_object_foreach(req, key, v) {
        if (strcmp(key, "execute") && strcmp(key, "arguments") && strcmp(key, "id") && strcmp(key, "exec-oob")) {
            emit(out, qmp_error("GenericError", "QMP input member '%s' is unexpected", key), id);
            json_decref(req);
            return;
        }
    }
    if (!exec) {
        emit(out, qmp_error("GenericError", "QMP input lacks member 'execute'"), id);
        json_decref(req);
        return;
    }
    if (!json_is_string(exec)) {
        emit(out, qmp_error("GenericError", "QMP input member 'execute' must be a string"), id);
        json_decref(req);
        return;
    }
    if (args && !json_is_object(args)) {
        emit(out, qmp_error("GenericError", "QMP input member 'arguments' must be an object"), id);
        json_decref(req);
        return;
    }
    const char *name = json_string_value(exec);
    json_t *reply;
    size_t c;
    for (c = 0; c < N_COMMANDS && strcmp(commands[c].name, name); c++)
        ;
    if (!s->negotiated && strcmp(name, "qmp_capabilities")) {
        reply = qmp_error("CommandNotFound", "Expecting capabilities negotiation with 'qmp_capabilities'");
    } else if (s->negotiated && !strcmp(name, "qmp_capabilities")) {
        reply = qmp_error("CommandNotFound", "Capabilities negotiation is already complete, command ignored");
    } else if (c == N_COMMANDS) {
        reply = qmp_error("CommandNotFound", "The command %s has not been found", name);
    } else {
        reply = NULL;
        if (args) {
            json_object_foreach(args, key, v) {
                if (!known_param(commands[c].params, key)) {
                    reply = qmp_error("GenericError", "Parameter '%s' is unexpected", key);
                    break;
                }
            }
        }
        if (!reply && !strcmp(name, "qmp_capabilities") && args && json_object_get(args, "enable")) {
            json_t *en = json_object_get(args, "enable");
            size_t k;
            json_t *cap;
            if (!json_is_array(en))
                reply = qmp_error("GenericError", "Invalid parameter type for 'enable', expected: array");
            else
                json_array_foreach(en, k, cap) {
                    if (!reply)
                        reply = qmp_error("GenericError", "Capability '%s' not available",
                                          json_is_string(cap) ? json_string_value(cap) : "?");
                }
        }
        if (!reply) {
            reply = commands[c].fn(args);
            if (!strcmp(name, "qmp_capabilities"))
                s->negotiated = true;
        }
    }
    emit(out, reply, id);
    json_decref(req);
}

void qmp_greeting(MonOut *out)
{
    json_t *g = json_pack("{s:{s:o,s:[]}}", "QMP", "version", version_object(), "capabilities");
    emit(out, g, NULL);
}

void qmp_format_event(MonOut *out, const char *name, const char *data)
{
    struct timeval tv;
    gettimeofday(&tv, NULL);
    json_t *ev = json_pack("{s:{s:i,s:i},s:s}", "timestamp", "seconds", (json_int_t)tv.tv_sec, "microseconds",
                           (json_int_t)tv.tv_usec, "event", name);
    if (data) {
        json_t *d = json_loads(data, 0, NULL);
        if (d)
            json_object_set_new(ev, "data", d);
    }
    emit(out, ev, NULL);
}
