/* Unit tests for the monitors (softmmu/monitor-hmp.c, qmp.c, monitor.c)
 * and the run state (runstate.c), without a machine: the HMP line parser
 * and its messages, x's /FMT, QMP's dispatcher (negotiation, errors and
 * their classes, "id" echoed, replies' keys as QEMU 7.2 gives them), the
 * JSON stream splitter, the run-state events, and the command-line
 * spellings of -chardev and -mon. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "softmmu/device.h"
#include "softmmu/input.h"
#include "softmmu/main-loop.h"
#include "softmmu/monitor.h"
#include "softmmu/options.h"
#include "softmmu/runstate.h"

/* ---- HMP ---- */

static char *hmp(const char *line, int *rc)
{
    MonOut out = { 0 };
    machine_lock();
    int r = hmp_execute(line, &out);
    machine_unlock();
    if (rc)
        *rc = r;
    return out.buf ? out.buf : strdup("");
}

static void test_hmp_unknown_command(void **state)
{
    (void)state;
    int rc;
    char *o = hmp("foo bar", &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(o, "unknown command: 'foo'\n");
    free(o);
    o = hmp("   ", &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(o, "");
    free(o);
}

static void test_hmp_help_lists_commands(void **state)
{
    (void)state;
    char *o = hmp("help", NULL);
    static const char *const want[] = { "cont", "stop", "system_reset", "system_powerdown", "quit", "info",
                                        "x /fmt addr", "xp /fmt addr", "gdbserver", "help" };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++)
        if (!strstr(o, want[i]))
            fail_msg("help lacks %s", want[i]);
    free(o);
    o = hmp("help stop", NULL);
    assert_string_equal(o, "stop -- stop emulation\n");
    free(o);
}

static void test_hmp_info(void **state)
{
    (void)state;
    runstate_reset_for_test();
    int rc;
    char *o = hmp("info status", &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(o, "VM status: running\n");
    free(o);
    runstate_init(true);
    o = hmp("info status", NULL);
    assert_string_equal(o, "VM status: paused (prelaunch)\n");
    free(o);
    runstate_reset_for_test();
    o = hmp("info version", NULL);
    assert_string_equal(o, VEMU_VERSION_STRING " (vemu)\n");
    free(o);
    o = hmp("info snapshots", NULL);
    assert_string_equal(o, "no block device can store vmstate for snapshot\n");
    free(o);
    o = hmp("info block", &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(o, "");
    free(o);
    /* no machine: the commands that need a cpu say so */
    monitor_set_machine(NULL, NULL);
    o = hmp("info registers", &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(o, "No CPU available\n");
    free(o);
    /* an unknown item lists the items */
    o = hmp("info nosuch", &rc);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(o, "info status"));
    free(o);
}

#define hmp_parse_mem_format_x(s, f) hmp_parse_mem_format(s, 'x', 4, f)

static void test_hmp_mem_format(void **state)
{
    (void)state;
    HmpMemFormat f;
    /* the last command's format and size are the defaults */
    assert_int_equal(hmp_parse_mem_format("8", 'd', 2, &f), 0);
    assert_int_equal(f.count, 8);
    assert_int_equal(f.format, 'd');
    assert_int_equal(f.size, 2);
    assert_int_equal(hmp_parse_mem_format("b", 'u', 8, &f), 0);
    assert_int_equal(f.format, 'u');
    assert_int_equal(f.size, 1);
    assert_int_equal(hmp_parse_mem_format_x("", &f), 0);
    assert_int_equal(f.count, 1);
    assert_int_equal(f.format, 'x');
    assert_int_equal(f.size, 4);
    assert_int_equal(hmp_parse_mem_format_x("10xb", &f), 0);
    assert_int_equal(f.count, 10);
    assert_int_equal(f.size, 1);
    assert_int_equal(hmp_parse_mem_format_x("4gd", &f), 0);
    assert_int_equal(f.count, 4);
    assert_int_equal(f.format, 'd');
    assert_int_equal(f.size, 8);
    assert_int_equal(hmp_parse_mem_format_x("3c", &f), 0);
    assert_int_equal(f.size, 4);
    assert_int_equal(hmp_parse_mem_format_x("3cb", &f), 0);
    assert_int_equal(f.size, 1);
    assert_int_equal(hmp_parse_mem_format_x("5i", &f), 0);
    assert_int_equal(f.format, 'i');
    assert_int_equal(hmp_parse_mem_format_x("hu", &f), 0);
    assert_int_equal(f.size, 2);
    assert_int_equal(f.format, 'u');
    assert_int_equal(hmp_parse_mem_format_x("4z", &f), -1);
    assert_int_equal(hmp_parse_mem_format_x("0x", &f), -1);
}

static void test_hmp_x_errors(void **state)
{
    (void)state;
    monitor_set_machine(NULL, NULL);
    int rc;
    char *o = hmp("x/4z 0x1000", &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(o, "invalid char in format: 'z'\n");
    free(o);
    o = hmp("xp/4x", &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(o, "xp: missing address\n");
    free(o);
    o = hmp("x 12zz", &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(o, "invalid char in expression\n");
    free(o);
    o = hmp("x/2x 0x1000", &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(o, "No CPU available\n");
    free(o);
}

static uint8_t kbd_bytes[64];
static int kbd_len;

static void fake_keyboard(void *opaque, const uint8_t *bytes, int n)
{
    (void)opaque;
    memcpy(kbd_bytes + kbd_len, bytes, n);
    kbd_len += n;
}

static void test_hmp_sendkey(void **state)
{
    (void)state;
    int rc;
    input_register_keyboard(NULL, NULL);
    char *o = hmp("sendkey a", &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(o, "this machine has no keyboard\n");
    free(o);
    input_register_keyboard(fake_keyboard, NULL);
    kbd_len = 0;
    o = hmp("sendkey ctrl-alt-delete 200", &rc);
    assert_int_equal(rc, 0);
    assert_string_equal(o, "");
    free(o);
    /* set 2: presses in order, releases (F0) in reverse; delete is E0 71 */
    static const uint8_t want[] = { 0x14, 0x11, 0xe0, 0x71, 0xe0, 0xf0, 0x71, 0xf0, 0x11, 0xf0, 0x14 };
    assert_int_equal(kbd_len, sizeof(want));
    assert_memory_equal(kbd_bytes, want, sizeof(want));
    kbd_len = 0;
    o = hmp("sendkey ret", &rc);
    free(o);
    static const uint8_t ret[] = { 0x5a, 0xf0, 0x5a };
    assert_int_equal(kbd_len, sizeof(ret));
    assert_memory_equal(kbd_bytes, ret, sizeof(ret));
    kbd_len = 0;
    o = hmp("sendkey ctrl-nosuch", &rc);
    assert_int_equal(rc, -1);
    assert_string_equal(o, "invalid parameter: nosuch\n");
    assert_int_equal(kbd_len, 0);   /* nothing pressed */
    free(o);
    o = hmp("sendkey", &rc);
    assert_int_equal(rc, -1);
    free(o);
    input_register_keyboard(NULL, NULL);
}

/* ---- QMP ---- */

static json_t *qmp(QmpSession *s, const char *text)
{
    MonOut out = { 0 };
    machine_lock();
    qmp_dispatch(s, text, strlen(text), &out);
    machine_unlock();
    assert_non_null(out.buf);
    assert_null(strchr(out.buf, '\n'));    /* one line */
    json_error_t e;
    json_t *j = json_loads(out.buf, 0, &e);
    if (!j)
        fail_msg("not JSON: %s", out.buf);
    monout_free(&out);
    return j;
}

static void expect_error(json_t *r, const char *cls, const char *desc)
{
    json_t *e = json_object_get(r, "error");
    assert_non_null(e);
    assert_string_equal(json_string_value(json_object_get(e, "class")), cls);
    if (desc)
        assert_string_equal(json_string_value(json_object_get(e, "desc")), desc);
    assert_int_equal(json_object_size(e), 2);
    json_decref(r);
}

/* The object's keys, sorted, comma-separated. */
static char *keys(json_t *o)
{
    const char *k;
    json_t *v;
    const char *list[32];
    int n = 0;
    json_object_foreach(o, k, v) list[n++] = k;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(list[j], list[i]) < 0) {
                const char *t = list[i];
                list[i] = list[j];
                list[j] = t;
            }
    static char buf[512];
    buf[0] = 0;
    for (int i = 0; i < n; i++) {
        strcat(buf, i ? "," : "");
        strcat(buf, list[i]);
    }
    return buf;
}

static void test_qmp_greeting(void **state)
{
    (void)state;
    MonOut out = { 0 };
    qmp_greeting(&out);
    json_t *g = json_loads(out.buf, 0, NULL);
    assert_non_null(g);
    json_t *q = json_object_get(g, "QMP");
    assert_string_equal(keys(q), "capabilities,version");
    assert_string_equal(keys(json_object_get(q, "version")), "package,qemu");
    assert_string_equal(keys(json_object_get(json_object_get(q, "version"), "qemu")), "major,micro,minor");
    assert_true(json_is_array(json_object_get(q, "capabilities")));
    json_decref(g);
    monout_free(&out);
}

static void test_qmp_negotiation(void **state)
{
    (void)state;
    runstate_reset_for_test();
    QmpSession s = { 0 };
    expect_error(qmp(&s, "{\"execute\": \"query-status\"}"), "CommandNotFound",
                 "Expecting capabilities negotiation with 'qmp_capabilities'");
    assert_false(s.negotiated);
    json_t *r = qmp(&s, "{\"execute\": \"qmp_capabilities\", \"id\": \"neg\"}");
    assert_string_equal(keys(r), "id,return");
    assert_string_equal(json_string_value(json_object_get(r, "id")), "neg");
    assert_int_equal(json_object_size(json_object_get(r, "return")), 0);
    json_decref(r);
    assert_true(s.negotiated);
    expect_error(qmp(&s, "{\"execute\": \"qmp_capabilities\"}"), "CommandNotFound",
                 "Capabilities negotiation is already complete, command ignored");
    /* a capability vemu does not have */
    QmpSession s2 = { 0 };
    expect_error(qmp(&s2, "{\"execute\": \"qmp_capabilities\", \"arguments\": {\"enable\": [\"oob\"]}}"),
                 "GenericError", NULL);
    assert_false(s2.negotiated);
}

static void test_qmp_errors(void **state)
{
    (void)state;
    QmpSession s = { .negotiated = true };
    expect_error(qmp(&s, "{\"execute\": \"foo\"}"), "CommandNotFound", "The command foo has not been found");
    expect_error(qmp(&s, "[1, 2]"), "GenericError", "QMP input must be a JSON object");
    expect_error(qmp(&s, "{\"foo\": 1}"), "GenericError", "QMP input member 'foo' is unexpected");
    expect_error(qmp(&s, "{\"id\": 1}"), "GenericError", "QMP input lacks member 'execute'");
    expect_error(qmp(&s, "{\"execute\": 1}"), "GenericError", "QMP input member 'execute' must be a string");
    expect_error(qmp(&s, "{\"execute\": \"query-status\", \"arguments\": {\"x\": 1}}"), "GenericError",
                 "Parameter 'x' is unexpected");
    expect_error(qmp(&s, "{\"execute\": \"human-monitor-command\"}"), "GenericError",
                 "Parameter 'command-line' is missing");
    expect_error(qmp(&s, "{\"execute\": "), "GenericError", NULL);
    /* the id comes back with errors too */
    json_t *r = qmp(&s, "{\"execute\": \"nope\", \"id\": 42}");
    assert_int_equal(json_integer_value(json_object_get(r, "id")), 42);
    expect_error(r, "CommandNotFound", NULL);
}

static void test_qmp_queries(void **state)
{
    (void)state;
    runstate_reset_for_test();
    monitor_set_machine(NULL, "guest1");
    QmpSession s = { .negotiated = true };
    json_t *r = qmp(&s, "{\"execute\": \"query-status\"}");
    json_t *v = json_object_get(r, "return");
    assert_string_equal(keys(v), "running,singlestep,status");
    assert_string_equal(json_string_value(json_object_get(v, "status")), "running");
    assert_true(json_is_true(json_object_get(v, "running")));
    json_decref(r);
    r = qmp(&s, "{\"execute\": \"query-version\"}");
    assert_string_equal(keys(json_object_get(r, "return")), "package,qemu");
    json_decref(r);
    r = qmp(&s, "{\"execute\": \"query-name\"}");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "return"), "name")), "guest1");
    json_decref(r);
    monitor_set_machine(NULL, NULL);
    r = qmp(&s, "{\"execute\": \"query-name\"}");
    assert_int_equal(json_object_size(json_object_get(r, "return")), 0);
    json_decref(r);
    r = qmp(&s, "{\"execute\": \"query-block\"}");
    assert_int_equal(json_array_size(json_object_get(r, "return")), 0);
    json_decref(r);
    r = qmp(&s, "{\"execute\": \"query-commands\"}");
    json_t *list = json_object_get(r, "return");
    size_t n = 0;
    for (const char *const *c = qmp_command_names; *c; c++)
        n++;
    assert_int_equal(json_array_size(list), n);
    static const char *const want[] = { "query-status", "query-version", "query-commands", "query-name",
                                        "query-chardev", "query-cpus-fast", "query-block", "stop", "cont",
                                        "system_reset", "system_powerdown", "quit", "human-monitor-command",
                                        "qmp_capabilities" };
    for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
        bool found = false;
        for (size_t j = 0; j < json_array_size(list); j++)
            found |= !strcmp(json_string_value(json_object_get(json_array_get(list, j), "name")), want[i]);
        if (!found)
            fail_msg("query-commands lacks %s", want[i]);
    }
    json_decref(r);
    r = qmp(&s, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"info status\"}}");
    assert_string_equal(json_string_value(json_object_get(r, "return")), "VM status: running\r\n");
    json_decref(r);
    r = qmp(&s, "{\"execute\": \"human-monitor-command\", \"arguments\": {\"command-line\": \"bogus\"}}");
    assert_string_equal(json_string_value(json_object_get(r, "return")), "unknown command: 'bogus'\r\n");
    json_decref(r);
}

/* ---- run state and events ---- */

static char events[256];

static void record(void *opaque, RunEvent ev, ShutdownCause cause)
{
    (void)opaque;
    static const char *const names[] = { "STOP", "RESUME", "RESET", "POWERDOWN", "SHUTDOWN" };
    strcat(events, names[ev]);
    if (ev == RUN_EVENT_SHUTDOWN || ev == RUN_EVENT_RESET) {
        strcat(events, ":");
        strcat(events, shutdown_cause_name(cause));
    }
    strcat(events, " ");
}

static void test_runstate_stop_cont_events(void **state)
{
    (void)state;
    runstate_reset_for_test();
    events[0] = 0;
    runstate_add_notifier(record, NULL);
    QmpSession s = { .negotiated = true };
    json_decref(qmp(&s, "{\"execute\": \"stop\"}"));
    assert_int_equal(runstate_get(), RUN_STATE_PAUSED);
    assert_false(runstate_vcpu_may_run());
    json_t *r = qmp(&s, "{\"execute\": \"query-status\"}");
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "return"), "status")), "paused");
    json_decref(r);
    json_decref(qmp(&s, "{\"execute\": \"stop\"}"));     /* already stopped: no event */
    json_decref(qmp(&s, "{\"execute\": \"cont\"}"));
    assert_true(runstate_vcpu_may_run());
    json_decref(qmp(&s, "{\"execute\": \"system_powerdown\"}"));
    machine_lock();
    runstate_did_reset();          /* a guest reboot */
    machine_unlock();
    json_decref(qmp(&s, "{\"execute\": \"quit\"}"));
    machine_lock();
    runstate_did_shutdown();       /* the loop ends: no second SHUTDOWN */
    machine_unlock();
    assert_string_equal(events, "STOP RESUME POWERDOWN RESET:guest-reset SHUTDOWN:host-qmp-quit ");
    assert_int_equal(runstate_get(), RUN_STATE_SHUTDOWN);
    machine_clear_requests();
    runstate_reset_for_test();
}

static void test_runstate_prelaunch(void **state)
{
    (void)state;
    runstate_reset_for_test();
    events[0] = 0;
    runstate_add_notifier(record, NULL);
    runstate_init(true);
    assert_false(runstate_vcpu_may_run());
    char *o = hmp("cont", NULL);
    free(o);
    assert_true(runstate_vcpu_may_run());
    assert_string_equal(events, "RESUME ");
    runstate_reset_for_test();
}

static void test_qmp_event_format(void **state)
{
    (void)state;
    MonOut out = { 0 };
    qmp_format_event(&out, "SHUTDOWN", "{\"guest\": false, \"reason\": \"host-qmp-quit\"}");
    json_t *e = json_loads(out.buf, 0, NULL);
    assert_non_null(e);
    assert_string_equal(keys(e), "data,event,timestamp");
    assert_string_equal(keys(json_object_get(e, "timestamp")), "microseconds,seconds");
    assert_string_equal(keys(json_object_get(e, "data")), "guest,reason");
    json_decref(e);
    monout_free(&out);
    qmp_format_event(&out, "STOP", NULL);
    e = json_loads(out.buf, 0, NULL);
    assert_string_equal(keys(e), "event,timestamp");
    json_decref(e);
    monout_free(&out);
}

/* ---- the JSON stream splitter ---- */

static char split_out[1024];

static void collect(void *opaque, const char *text, size_t len)
{
    (void)opaque;
    strncat(split_out, text, len);
    strcat(split_out, "|");
}

static void test_json_splitter(void **state)
{
    (void)state;
    JsonSplitter js = { 0 };
    split_out[0] = 0;
    const char *in = "{\"execute\": \"a{\\\"}\"} \r\n[1,[2]]{\"x\":{}}  42 ";
    /* byte by byte: texts split across reads */
    for (const char *p = in; *p; p++)
        json_splitter_feed(&js, p, 1, collect, NULL);
    assert_string_equal(split_out, "{\"execute\": \"a{\\\"}\"}|[1,[2]]|{\"x\":{}}|42|");
    json_splitter_free(&js);
}

/* ---- the command line ---- */

static void test_chardev_and_mon_options(void **state)
{
    (void)state;
    SysChardev c;
    char *err = NULL;
    assert_int_equal(sys_parse_chardev("socket,id=charmonitor,path=/tmp/m.sock,server=on,wait=off", &c, &err), 0);
    assert_string_equal(c.id, "charmonitor");
    assert_string_equal(c.spec, "unix:/tmp/m.sock,server,nowait");
    assert_int_equal(sys_parse_chardev("socket,id=t,host=127.0.0.1,port=4444,server,nowait", &c, &err), 0);
    assert_string_equal(c.spec, "tcp:127.0.0.1:4444,server,nowait");
    assert_int_equal(sys_parse_chardev("stdio,id=s,mux=on", &c, &err), 0);
    assert_string_equal(c.spec, "mon:stdio");
    assert_int_equal(sys_parse_chardev("file,id=f,path=/tmp/log", &c, &err), 0);
    assert_string_equal(c.spec, "file:/tmp/log");
    assert_int_equal(sys_parse_chardev("null,id=n", &c, &err), 0);
    assert_string_equal(c.spec, "null");
    assert_int_equal(sys_parse_chardev("socket,path=/x", &c, &err), -1);
    assert_non_null(strstr(err, "'id' is missing"));
    free(err);
    assert_int_equal(sys_parse_chardev("spice,id=x", &c, &err), -1);
    free(err);
    assert_int_equal(sys_parse_chardev("file,id=x", &c, &err), -1);
    free(err);

    SysMonitor m;
    assert_int_equal(sys_parse_mon("chardev=charmonitor,id=monitor,mode=control", &m, &err), 0);
    assert_string_equal(m.chardev, "charmonitor");
    assert_true(m.control);
    assert_int_equal(sys_parse_mon("chardev=x", &m, &err), 0);
    assert_false(m.control);
    assert_int_equal(sys_parse_mon("chardev=x,mode=fancy", &m, &err), -1);
    free(err);
    assert_int_equal(sys_parse_mon("mode=control", &m, &err), -1);
    assert_non_null(strstr(err, "'chardev' is missing"));
    free(err);

    SysOptions o;
    char *argv[] = { "vemu-system-arm", "-kernel", "k", "-name", "vm1,process=vemu-vm1", "-pidfile", "/tmp/p",
                     "-qmp", "unix:/tmp/q,server,nowait", "-monitor", "none", "-chardev", "null,id=n0",
                     "-mon", "chardev=n0,mode=readline", "-daemonize", NULL };
    assert_int_equal(sys_options_parse(&o, 16, argv, &err), 0);
    assert_string_equal(o.name, "vm1");
    assert_string_equal(o.process_name, "vemu-vm1");
    assert_string_equal(o.pidfile, "/tmp/p");
    assert_true(o.daemonize);
    assert_true(o.no_monitor);
    assert_int_equal(o.nmonitors, 2);
    assert_true(o.monitors[0].control);
    assert_string_equal(o.monitors[0].spec, "unix:/tmp/q,server,nowait");
    assert_string_equal(o.monitors[1].chardev, "n0");
    assert_int_equal(o.nchardevs, 1);
    char *bad[] = { "vemu-system-arm", "-kernel", "k", "-daemonize", "-nographic", NULL };
    assert_int_equal(sys_options_parse(&o, 5, bad, &err), -1);
    assert_non_null(strstr(err, "-daemonize"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hmp_unknown_command),
        cmocka_unit_test(test_hmp_help_lists_commands),
        cmocka_unit_test(test_hmp_info),
        cmocka_unit_test(test_hmp_mem_format),
        cmocka_unit_test(test_hmp_x_errors),
        cmocka_unit_test(test_hmp_sendkey),
        cmocka_unit_test(test_qmp_greeting),
        cmocka_unit_test(test_qmp_negotiation),
        cmocka_unit_test(test_qmp_errors),
        cmocka_unit_test(test_qmp_queries),
        cmocka_unit_test(test_runstate_stop_cont_events),
        cmocka_unit_test(test_runstate_prelaunch),
        cmocka_unit_test(test_qmp_event_format),
        cmocka_unit_test(test_json_splitter),
        cmocka_unit_test(test_chardev_and_mon_options),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
