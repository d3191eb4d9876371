/* Unit tests for the character devices: the Ctrl-A mux state machine byte
 * by byte; null and file; unix and tcp sockets as server (nowait and wait,
 * a second client after the first goes away) and as client, with bytes
 * both ways and input held back while the front end has no room; a pty
 * read and written through its slave side; a muxed socket with two front
 * ends (help, quit, switch, literal C-a); bad specs.  The event loop is
 * driven by the test (main_loop_poll_once), not by its thread. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <pty.h>
#include <signal.h>
#include <sys/wait.h>
#include <termios.h>

#include "softmmu/chardev-internal.h"
#include "softmmu/chardev-mux.h"
#include "softmmu/chardev.h"
#include "softmmu/main-loop.h"
#include "tests/unit/softmmu-test-rig.h"

/* ---- a front end that records what it gets ---- */

typedef struct Sink {
    uint8_t buf[8192];
    int len;
    int room;        /* how much it says it can take (-1: unlimited) */
} Sink;

static int sink_can_read(void *opaque)
{
    Sink *s = opaque;
    int space = (int)sizeof s->buf - s->len;
    return s->room >= 0 && s->room < space ? s->room : space;
}

static void sink_read(void *opaque, const uint8_t *buf, int len)
{
    Sink *s = opaque;
    assert_true(len <= sink_can_read(s));
    memcpy(s->buf + s->len, buf, len);
    s->len += len;
    if (s->room >= 0)
        s->room -= len;
}

/* Run the loop until cond holds (or ~10 s pass: then the test fails). */
#define PUMP_UNTIL(cond)                                       \
    do {                                                       \
        for (int pump_i = 0; pump_i < 1000 && !(cond); pump_i++) \
            main_loop_poll_once(10 * 1000 * 1000);             \
        assert_true(cond);                                     \
    } while (0)

static char tmpdir[64];

static int setup_dir(void **state)
{
    strcpy(tmpdir, "/tmp/vemu-chardev-XXXXXX");
    assert_non_null(mkdtemp(tmpdir));
    machine_clear_requests();
    return 0;
}

static int teardown_dir(void **state)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", tmpdir);
    assert_int_equal(system(cmd), 0);
    machine_clear_requests();
    return 0;
}

static void recv_exactly(int fd, char *buf, size_t len)
{
    struct timeval tv = { .tv_sec = 10 };
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    size_t got = 0;
    while (got < len) {
        ssize_t n = recv(fd, buf + got, len - got, 0);
        assert_true(n > 0);
        got += n;
    }
}

/* ---- mux state machine ---- */

static void test_mux_state_machine(void **state)
{
    MuxState m = { 0 };
    assert_int_equal(mux_feed(&m, 'a'), MUX_FORWARD);
    assert_int_equal(mux_feed(&m, 0x01), MUX_CONSUMED);
    assert_true(m.escape_pending);
    assert_int_equal(mux_feed(&m, 'x'), MUX_QUIT);
    assert_false(m.escape_pending);
    assert_int_equal(mux_feed(&m, 0x01), MUX_CONSUMED);
    assert_int_equal(mux_feed(&m, 'h'), MUX_HELP);
    assert_int_equal(mux_feed(&m, 0x01), MUX_CONSUMED);
    assert_int_equal(mux_feed(&m, 'c'), MUX_SWITCH);
    assert_int_equal(mux_feed(&m, 0x01), MUX_CONSUMED);
    assert_int_equal(mux_feed(&m, 0x01), MUX_FORWARD);   /* C-a C-a: one C-a */
    assert_false(m.escape_pending);
    assert_int_equal(mux_feed(&m, 0x01), MUX_CONSUMED);
    assert_int_equal(mux_feed(&m, 'q'), MUX_CONSUMED);   /* unknown: dropped */
    assert_int_equal(mux_feed(&m, 'x'), MUX_FORWARD);    /* x alone is a letter */
    assert_int_equal(mux_feed(&m, 0x03), MUX_FORWARD);   /* Ctrl-C goes to the guest */
    assert_non_null(strstr(mux_help_text(), "C-a x"));
    assert_non_null(strstr(mux_quit_text(), "vemu"));
}

/* ---- null, file, bad specs ---- */

static void test_null_and_bad_specs(void **state)
{
    char *err = NULL;
    Chardev *c = chardev_open("null", "n0", &err);
    assert_non_null(c);
    assert_null(err);
    assert_ptr_equal(chardev_find("n0"), c);
    assert_int_equal(chardev_write(c, (const uint8_t *)"abc", 3), 3);
    assert_null(chardev_open("null", "n0", &err));       /* duplicate id */
    assert_non_null(strstr(err, "n0"));
    free(err);
    chardev_close(c);
    assert_null(chardev_find("n0"));

    static const char *bad[] = {
        "bogus", "", "file:", "unix:", "tcp:", "tcp:1234", "tcp:localhost:1,server,frob",
        "tcp:localhost:1,server=maybe", "file:/nonexistent-dir/x",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err = NULL;
        assert_null(chardev_open(bad[i], "bad", &err));
        assert_non_null(err);
        assert_true(strlen(err) > 5);
        free(err);
    }
    /* a client with nobody listening */
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(s, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t l = sizeof a;
    getsockname(s, (struct sockaddr *)&a, &l);
    close(s);   /* the port is now most likely closed */
    char spec[64];
    snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d", ntohs(a.sin_port));
    err = NULL;
    assert_null(chardev_open(spec, "c", &err));
    assert_non_null(strstr(err, "connect"));
    free(err);
}

static void test_file(void **state)
{
    char path[128], spec[160], buf[64] = { 0 };
    snprintf(path, sizeof path, "%s/out.txt", tmpdir);
    snprintf(spec, sizeof spec, "file:%s", path);
    char *err;
    Chardev *c = chardev_open(spec, "f", &err);
    assert_non_null(c);
    assert_int_equal(chardev_write(c, (const uint8_t *)"hello ", 6), 6);
    assert_int_equal(chardev_write(c, (const uint8_t *)"world", 5), 5);
    chardev_close(c);
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    assert_int_equal(fread(buf, 1, sizeof buf, f), 11);
    fclose(f);
    assert_string_equal(buf, "hello world");

    c = chardev_open(spec, "f", &err);               /* truncated, as QEMU */
    chardev_write(c, (const uint8_t *)"A", 1);
    chardev_close(c);
    snprintf(spec, sizeof spec, "file:%s,append=on", path);
    c = chardev_open(spec, "f", &err);
    assert_non_null(c);
    chardev_write(c, (const uint8_t *)"B", 1);
    chardev_close(c);
    memset(buf, 0, sizeof buf);
    f = fopen(path, "r");
    assert_int_equal(fread(buf, 1, sizeof buf, f), 2);
    fclose(f);
    assert_string_equal(buf, "AB");
}

/* ---- sockets ---- */

static int unix_connect(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, path);
    if (connect(fd, (struct sockaddr *)&a, sizeof a) < 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static int tcp_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    return fd;
}

static void test_unix_server_both_ways_and_flow_control(void **state)
{
    char path[128], spec[160];
    snprintf(path, sizeof path, "%s/sock", tmpdir);
    snprintf(spec, sizeof spec, "unix:%s,server,nowait", path);
    char *err = NULL;
    Chardev *c = chardev_open(spec, "u", &err);
    assert_non_null(c);
    Sink sink = { .room = 2 };
    chardev_attach(c, sink_can_read, sink_read, &sink);

    int cl = unix_connect(path);
    assert_true(cl >= 0);
    assert_int_equal(send(cl, "ping", 4, 0), 4);
    PUMP_UNTIL(sink.len == 2);
    for (int i = 0; i < 5; i++)
        main_loop_poll_once(1000000);
    assert_int_equal(sink.len, 2);                  /* no room: held back, not lost */
    sink.room = 10;
    machine_lock();
    chardev_accept_input(c);
    machine_unlock();
    PUMP_UNTIL(sink.len == 4);
    assert_memory_equal(sink.buf, "ping", 4);

    assert_int_equal(chardev_write(c, (const uint8_t *)"pong", 4), 4);
    char buf[4];
    recv_exactly(cl, buf, 4);
    assert_memory_equal(buf, "pong", 4);
    close(cl);
    chardev_close(c);
    assert_int_equal(access(path, F_OK), -1);       /* the socket file is gone */
}

static void test_tcp_server_reconnects(void **state)
{
    char *err = NULL;
    Chardev *c = chardev_open("tcp:127.0.0.1:0,server,nowait", "t", &err);
    assert_non_null(c);
    int port = chardev_socket_local_port(c);
    assert_true(port > 0);
    Sink sink = { .room = -1 };
    chardev_attach(c, sink_can_read, sink_read, &sink);

    /* nobody connected: output is dropped, not an error */
    assert_int_equal(chardev_write(c, (const uint8_t *)"lost", 4), 4);

    int cl = tcp_connect(port);
    assert_int_equal(send(cl, "one", 3, 0), 3);
    PUMP_UNTIL(sink.len == 3);
    chardev_write(c, (const uint8_t *)"ack1", 4);
    char buf[8];
    recv_exactly(cl, buf, 4);
    assert_memory_equal(buf, "ack1", 4);             /* "lost" never arrives */
    close(cl);

    /* the server notices the hang-up and takes the next client */
    int cl2 = -1;
    for (int i = 0; i < 20; i++)
        main_loop_poll_once(1000000);
    cl2 = tcp_connect(port);
    assert_int_equal(send(cl2, "two", 3, 0), 3);
    PUMP_UNTIL(sink.len == 6);
    assert_memory_equal(sink.buf, "onetwo", 6);
    chardev_write(c, (const uint8_t *)"ack2", 4);
    recv_exactly(cl2, buf, 4);
    assert_memory_equal(buf, "ack2", 4);
    close(cl2);
    chardev_close(c);
}

static void test_tcp_client(void **state)
{
    int ls = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    assert_int_equal(bind(ls, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(listen(ls, 1), 0);
    socklen_t l = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &l);
    char spec[64];
    snprintf(spec, sizeof spec, "tcp:127.0.0.1:%d,nodelay", ntohs(a.sin_port));
    char *err = NULL;
    Chardev *c = chardev_open(spec, "tc", &err);
    assert_non_null(c);
    int peer = accept(ls, NULL, NULL);
    assert_true(peer >= 0);
    Sink sink = { .room = -1 };
    chardev_attach(c, sink_can_read, sink_read, &sink);
    chardev_write(c, (const uint8_t *)"from-guest", 10);
    char buf[16];
    recv_exactly(peer, buf, 10);
    assert_memory_equal(buf, "from-guest", 10);
    assert_int_equal(send(peer, "to-guest", 8, 0), 8);
    PUMP_UNTIL(sink.len == 8);
    assert_memory_equal(sink.buf, "to-guest", 8);
    close(peer);
    close(ls);
    chardev_close(c);
}

static void *connect_later(void *arg)
{
    const char *path = arg;
    for (int i = 0; i < 1000; i++) {
        int fd = unix_connect(path);
        if (fd >= 0) {
            ssize_t r = send(fd, "hi", 2, 0);
            (void)r;
            return (void *)(intptr_t)fd;
        }
        usleep(10000);
    }
    return (void *)(intptr_t)-1;
}

static void test_unix_server_waits_for_a_client(void **state)
{
    char path[128], spec[160];
    snprintf(path, sizeof path, "%s/wait.sock", tmpdir);
    snprintf(spec, sizeof spec, "unix:%s,server", path);   /* wait is the default */
    pthread_t th;
    pthread_create(&th, NULL, connect_later, path);
    char *err = NULL;
    Chardev *c = chardev_open(spec, "w", &err);            /* returns once connected */
    assert_non_null(c);
    void *ret;
    pthread_join(th, &ret);
    int cl = (int)(intptr_t)ret;
    assert_true(cl >= 0);
    Sink sink = { .room = -1 };
    chardev_attach(c, sink_can_read, sink_read, &sink);
    PUMP_UNTIL(sink.len == 2);
    assert_memory_equal(sink.buf, "hi", 2);
    close(cl);
    chardev_close(c);
}

/* ---- pty ---- */

static void test_pty(void **state)
{
    char *err = NULL;
    Chardev *c = chardev_open("pty", "p", &err);
    assert_non_null(c);
    const char *name = chardev_pty_name(c);
    assert_non_null(name);
    assert_int_equal(strncmp(name, "/dev/pts/", 9), 0);
    int s = open(name, O_RDWR | O_NOCTTY);
    assert_true(s >= 0);
    Sink sink = { .room = -1 };
    chardev_attach(c, sink_can_read, sink_read, &sink);
    assert_int_equal(write(s, "key\r", 4), 4);
    PUMP_UNTIL(sink.len == 4);
    assert_memory_equal(sink.buf, "key\r", 4);          /* raw: \r stays \r */
    chardev_write(c, (const uint8_t *)"out\n", 4);
    char buf[8];
    size_t got = 0;
    while (got < 4) {
        ssize_t n = read(s, buf + got, 4 - got);
        assert_true(n > 0);
        got += n;
    }
    assert_memory_equal(buf, "out\n", 4);
    /* what the guest wrote is not echoed back as input */
    for (int i = 0; i < 5; i++)
        main_loop_poll_once(1000000);
    assert_int_equal(sink.len, 4);
    close(s);
    chardev_close(c);
}

/* ---- a muxed chardev ---- */

static void test_mux_on_a_socket(void **state)
{
    char path[128], spec[160];
    snprintf(path, sizeof path, "%s/mux", tmpdir);
    snprintf(spec, sizeof spec, "mon:unix:%s,server,nowait", path);
    char *err = NULL;
    Chardev *c = chardev_open(spec, "m", &err);
    assert_non_null(c);
    Sink serial = { .room = -1 }, monitor = { .room = -1 };
    chardev_attach(c, sink_can_read, sink_read, &serial);
    chardev_attach(c, sink_can_read, sink_read, &monitor);
    int cl = unix_connect(path);
    assert_true(cl >= 0);

    const char in1[] = "a\x01h" "b\x01\x01" "c";
    assert_int_equal(send(cl, in1, sizeof in1 - 1, 0), (ssize_t)sizeof in1 - 1);
    PUMP_UNTIL(serial.len == 4);
    assert_memory_equal(serial.buf, "ab\x01" "c", 4);
    const char *help = mux_help_text();
    char *got = calloc(1, strlen(help) + 1);
    recv_exactly(cl, got, strlen(help));
    assert_string_equal(got, help);
    free(got);

    /* C-a c: input goes to the monitor, output from both still goes out */
    assert_int_equal(send(cl, "\x01" "cmon", 5, 0), 5);
    PUMP_UNTIL(monitor.len == 3);
    assert_memory_equal(monitor.buf, "mon", 3);
    assert_int_equal(serial.len, 4);
    assert_int_equal(send(cl, "\x01" "cS", 3, 0), 3);
    PUMP_UNTIL(serial.len == 5);
    assert_int_equal(serial.buf[4], 'S');

    /* C-a x: the quit message, and a shutdown request with status 0 */
    int status = -1;
    assert_false(machine_shutdown_requested(&status));
    assert_int_equal(send(cl, "\x01x", 2, 0), 2);
    PUMP_UNTIL(machine_shutdown_requested(&status));
    assert_int_equal(status, 0);
    const char *quit = mux_quit_text();
    got = calloc(1, strlen(quit) + 1);
    recv_exactly(cl, got, strlen(quit));
    assert_string_equal(got, quit);
    free(got);
    close(cl);
    chardev_detach(c, &monitor);
    chardev_close(c);
}

/* ---- stdio on a terminal (a pty the test holds) ---- */

static int tty_is_raw(int fd)
{
    struct termios t;
    if (tcgetattr(fd, &t) < 0)
        return -1;
    return !(t.c_lflag & (ICANON | ECHO | ISIG));
}

/* The child: stdio chardev on its terminal, a front end that swallows
 * input, the loop until C-a x (or a signal).  Exit codes say what went
 * wrong; 0 means raw while open and restored after the close. */
static void stdio_child(bool wait_for_signal)
{
    char *err = NULL;
    Chardev *c = chardev_open("stdio", "serial0", &err);
    if (!c)
        _exit(10);
    if (tty_is_raw(STDIN_FILENO) != 1)
        _exit(11);
    Sink sink = { .room = -1 };
    chardev_attach(c, sink_can_read, sink_read, &sink);
    chardev_write(c, (const uint8_t *)"ready\n", 6);
    for (int i = 0; i < 2000 && !machine_shutdown_requested(NULL); i++)
        main_loop_poll_once(10 * 1000 * 1000);
    if (wait_for_signal)
        _exit(12);   /* the signal should have ended us */
    if (!machine_shutdown_requested(NULL))
        _exit(13);
    if (sink.len != 2 || memcmp(sink.buf, "ok", 2))
        _exit(14);
    chardev_close(c);
    if (tty_is_raw(STDIN_FILENO) != 0)
        _exit(15);
    _exit(0);
}

static void read_until(int fd, const char *want, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = 0;
    struct timeval tv = { .tv_sec = 10 };
    while (!strstr(out, want) && len + 1 < cap) {
        fd_set rs;
        FD_ZERO(&rs);
        FD_SET(fd, &rs);
        if (select(fd + 1, &rs, NULL, NULL, &tv) <= 0)
            break;
        ssize_t n = read(fd, out + len, cap - 1 - len);
        if (n <= 0)
            break;
        len += n;
        out[len] = 0;
    }
}

static void test_stdio_raw_mode_mux_and_restore(void **state)
{
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    assert_true(pid >= 0);
    if (pid == 0)
        stdio_child(false);
    char out[4096];
    read_until(master, "ready", out, sizeof out);
    assert_non_null(strstr(out, "ready"));
    assert_int_equal(tty_is_raw(master), 1);          /* the child made it raw */
    assert_int_equal(write(master, "ok\x01x", 4), 4);
    read_until(master, "C-a x", out, sizeof out);
    assert_non_null(strstr(out, "terminated by C-a x"));
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    close(master);
}

static void test_stdio_restored_on_fatal_signal(void **state)
{
    int master;
    pid_t pid = forkpty(&master, NULL, NULL, NULL);
    assert_true(pid >= 0);
    if (pid == 0)
        stdio_child(true);
    /* hold the terminal open ourselves, so its settings outlive the child */
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    assert_true(slave >= 0);
    char out[4096];
    read_until(master, "ready", out, sizeof out);
    assert_int_equal(tty_is_raw(slave), 1);
    assert_int_equal(kill(pid, SIGTERM), 0);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status));                  /* it died of the signal ... */
    assert_int_equal(WTERMSIG(status), SIGTERM);
    assert_int_equal(tty_is_raw(slave), 0);            /* ... after restoring the terminal */
    close(slave);
    close(master);
}

static void list_line(void *opaque, const char *id, const char *desc)
{
    char *out = opaque;
    strcat(out, id);
    strcat(out, "=");
    strcat(out, desc);
    strcat(out, ";");
}

static void test_list(void **state)
{
    char *err;
    Chardev *a = chardev_open("null", "first", &err);
    Chardev *b = chardev_open("tcp:127.0.0.1:0,server,nowait", "second", &err);
    char out[256] = "";
    chardev_list(list_line, out);
    assert_non_null(strstr(out, "first=null;"));
    char want[64];
    snprintf(want, sizeof want, "second=tcp:127.0.0.1:%d,server;", chardev_socket_local_port(b));
    assert_non_null(strstr(out, want));
    chardev_close(a);
    chardev_close(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mux_state_machine),
        cmocka_unit_test_setup_teardown(test_null_and_bad_specs, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_file, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_unix_server_both_ways_and_flow_control, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_tcp_server_reconnects, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_tcp_client, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_unix_server_waits_for_a_client, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_pty, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_mux_on_a_socket, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_list, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_stdio_raw_mode_mux_and_restore, setup_dir, teardown_dir),
        cmocka_unit_test_setup_teardown(test_stdio_restored_on_fatal_signal, setup_dir, teardown_dir),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
