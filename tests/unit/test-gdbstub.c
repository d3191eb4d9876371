/*
 * Unit tests for gdbstub/: the packet layer (framing, checksums, hex,
 * escaping, the receiver) and the command handlers, driven over a
 * socketpair against a fake target: three registers (4, 4 and 8 bytes),
 * 256 bytes of memory at 0x1000, recorded breakpoints and single-step.
 *
 * A "session" writes gdb's side of the conversation into the socket first,
 * then calls gdbstub_handle_stop(), which serves the packets until one
 * resumes; the replies are read back afterwards.  The socket buffers are
 * far larger than any of these conversations.
 */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "frontend-arm/arm-cpu.h"
#include "gdbstub/gdb-arm.h"
#include "gdbstub/gdbstub.h"
#include "gdbstub/rsp.h"

/* ---- packet layer ----------------------------------------------------------- */

static void test_checksum_and_frame(void **state)
{
    (void)state;
    assert_int_equal(rsp_checksum("OK", 2), 0x9a);
    assert_int_equal(rsp_checksum("", 0), 0);
    char out[16];
    size_t n = rsp_frame(out, sizeof(out), "OK", 2);
    assert_int_equal(n, 6);
    assert_memory_equal(out, "$OK#9a", 6);
    n = rsp_frame(out, sizeof(out), "qSupported", 10);
    assert_int_equal(n, 14);
    assert_memory_equal(out, "$qSupported#37", 14);
    assert_int_equal(rsp_frame(out, 5, "OK", 2), 0);   /* does not fit */
}

static void test_hex(void **state)
{
    (void)state;
    char hex[9] = { 0 };
    rsp_hex_encode(hex, (const uint8_t[]){ 0x00, 0xab, 0x7f, 0xF0 }, 4);
    assert_string_equal(hex, "00ab7ff0");
    uint8_t b[4];
    assert_int_equal(rsp_hex_decode(b, "DeAd01ff", 8), 4);
    assert_memory_equal(b, ((const uint8_t[]){ 0xde, 0xad, 0x01, 0xff }), 4);
    assert_int_equal(rsp_hex_decode(b, "0g", 2), -1);
    assert_int_equal(rsp_hex_decode(b, "012", 3), -1);
    const char *p = "1f2,x";
    uint64_t v;
    assert_true(rsp_parse_hex(&p, &v));
    assert_int_equal(v, 0x1f2);
    assert_string_equal(p, ",x");
    p = ",x";
    assert_false(rsp_parse_hex(&p, &v));
    p = "12345678123456789";   /* 17 digits: overflows */
    assert_false(rsp_parse_hex(&p, &v));
    p = "ffffffffffffffff";
    assert_true(rsp_parse_hex(&p, &v));
    assert_true(v == UINT64_MAX);
}

static void test_escape(void **state)
{
    (void)state;
    const uint8_t in[] = { 'a', '$', '#', '}', '*', 0, 0xff };
    char out[32];
    size_t consumed;
    size_t n = rsp_escape(out, sizeof(out), in, sizeof(in), &consumed);
    assert_int_equal(consumed, sizeof(in));
    assert_int_equal(n, 11);
    assert_memory_equal(out, "a}\x04}\x03}]}\x0a\x00\xff", 11);
    uint8_t back[16];
    assert_int_equal(rsp_unescape(back, out, n), sizeof(in));
    assert_memory_equal(back, in, sizeof(in));
    /* An escape pair never splits across the capacity limit. */
    n = rsp_escape(out, 2, in, sizeof(in), &consumed);
    assert_int_equal(n, 1);
    assert_int_equal(consumed, 1);
    assert_int_equal(rsp_unescape(back, "ab}", 3), -1);
}

static int feed(RspParser *p, const char *s)
{
    int ev = RSP_EV_NONE;
    for (; *s; s++) {
        ev = rsp_parser_feed(p, (uint8_t)*s);
        if (ev != RSP_EV_NONE && s[1])
            fail_msg("event %d before the end of \"%s\"", ev, s);
    }
    return ev;
}

static void test_parser(void **state)
{
    (void)state;
    RspParser *p = malloc(sizeof(*p));
    rsp_parser_init(p);
    assert_int_equal(feed(p, "$m1000,4#8e"), RSP_EV_PACKET);
    assert_string_equal(p->buf, "m1000,4");
    assert_int_equal(feed(p, "$m1000,4#8d"), RSP_EV_BAD_PACKET);
    assert_int_equal(feed(p, "$m1000,4#z"), RSP_EV_BAD_PACKET);
    assert_int_equal(feed(p, "+"), RSP_EV_ACK);
    assert_int_equal(feed(p, "-"), RSP_EV_NACK);
    assert_int_equal(feed(p, "\x03"), RSP_EV_INTERRUPT);
    assert_int_equal(feed(p, "junk"), RSP_EV_NONE);
    /* A '$' inside a packet restarts it. */
    assert_int_equal(feed(p, "$qSup$?#3f"), RSP_EV_PACKET);
    assert_string_equal(p->buf, "?");
    /* Overlong packets are refused, then the parser recovers. */
    for (int i = 0; i < RSP_MAX_PAYLOAD + 10; i++)
        rsp_parser_feed(p, i ? 'a' : '$');
    rsp_parser_feed(p, '#');
    rsp_parser_feed(p, '0');
    assert_int_equal(rsp_parser_feed(p, '0'), RSP_EV_BAD_PACKET);
    assert_int_equal(feed(p, "$?#3f"), RSP_EV_PACKET);
    free(p);
}

static void test_signals(void **state)
{
    (void)state;
    assert_int_equal(gdbstub_signal_to_gdb(SIGTRAP), 5);
    assert_int_equal(gdbstub_signal_to_gdb(SIGSEGV), 11);
    assert_int_equal(gdbstub_signal_to_gdb(SIGUSR1), 30);
    assert_int_equal(gdbstub_signal_to_gdb(SIGCHLD), 20);
    assert_int_equal(gdbstub_signal_to_gdb(SIGBUS), 10);
    assert_int_equal(gdbstub_signal_to_gdb(34), 46);
    assert_int_equal(gdbstub_signal_to_gdb(0), 0);
    for (int sig = 1; sig <= 64; sig++)
        if (sig != 16)      /* SIGSTKFLT has no gdb number */
            assert_int_equal(gdbstub_signal_from_gdb(gdbstub_signal_to_gdb(sig)), sig);
    assert_int_equal(gdbstub_signal_from_gdb(143), 0);
}

/* ---- fake target -------------------------------------------------------------- */

typedef struct FakeCPU {
    CPUCommon common;
    uint32_t r0, pc;
    uint64_t d0;
} FakeCPU;

static uint8_t fake_mem[256];
#define MEM_BASE 0x1000u
static uint64_t bps[8];
static unsigned n_bps, n_remove_all;
static bool stepping;
static unsigned n_threads = 1;
static FakeCPU cpus[2];

static int fake_read_reg(CPUCommon *c, unsigned n, uint8_t *buf)
{
    FakeCPU *f = (FakeCPU *)c;
    switch (n) {
    case 0: memcpy(buf, &f->r0, 4); return 4;
    case 1: memcpy(buf, &f->pc, 4); return 4;
    case 2: memcpy(buf, &f->d0, 8); return 8;
    default: return 0;
    }
}

static int fake_write_reg(CPUCommon *c, unsigned n, const uint8_t *buf)
{
    FakeCPU *f = (FakeCPU *)c;
    switch (n) {
    case 0: memcpy(&f->r0, buf, 4); return 4;
    case 1: memcpy(&f->pc, buf, 4); return 4;
    case 2: memcpy(&f->d0, buf, 8); return 8;
    default: return 0;
    }
}

static const GdbArch fake_arch = {
    .target_xml = "<target><feature name=\"x\">$#}*</feature></target>",
    .n_regs = 3,
    .read_reg = fake_read_reg,
    .write_reg = fake_write_reg,
};

static int fake_read_mem(void *o, uint64_t addr, void *buf, size_t len)
{
    if (addr < MEM_BASE || addr + len > MEM_BASE + sizeof(fake_mem))
        return -1;
    memcpy(buf, fake_mem + (addr - MEM_BASE), len);
    return 0;
}

static int fake_write_mem(void *o, uint64_t addr, const void *buf, size_t len)
{
    if (addr < MEM_BASE || addr + len > MEM_BASE + sizeof(fake_mem))
        return -1;
    memcpy(fake_mem + (addr - MEM_BASE), buf, len);
    return 0;
}

static unsigned fake_threads(void *o, CPUCommon **out, unsigned max)
{
    for (unsigned i = 0; i < n_threads && i < max; i++)
        out[i] = &cpus[i].common;
    return n_threads;
}

static int64_t fake_tid(void *o, CPUCommon *c)
{
    return c == &cpus[0].common ? 100 : 101;
}

static int fake_bp_insert(uint64_t pc)
{
    if (n_bps == 8)
        return -1;
    bps[n_bps++] = pc;
    return 0;
}

static int fake_bp_remove(uint64_t pc)
{
    for (unsigned i = 0; i < n_bps; i++)
        if (bps[i] == pc) {
            bps[i] = bps[--n_bps];
            return 0;
        }
    return -1;
}

static void fake_bp_remove_all(void) { n_bps = 0; n_remove_all++; }
static void fake_singlestep(CPUCommon *c, bool on) { stepping = on; }

static void fake_set_pc(CPUCommon *c, uint64_t pc) { ((FakeCPU *)c)->pc = (uint32_t)pc; }
static const Frontend fake_fe = { .name = "fake", .set_pc = fake_set_pc };

static const GdbOwnerOps fake_ops = {
    .read_mem = fake_read_mem,
    .write_mem = fake_write_mem,
    .thread_list = fake_threads,
    .thread_id = fake_tid,
    .breakpoint_insert = fake_bp_insert,
    .breakpoint_remove = fake_bp_remove,
    .breakpoint_remove_all = fake_bp_remove_all,
    .set_singlestep = fake_singlestep,
};

/* System mode's physical memory: 16 bytes at 0x1000 that differ from the
 * virtual ones, so a reply says which space it came from. */
static uint8_t fake_phys[16];

static int fake_read_phys(void *o, uint64_t addr, void *buf, size_t len)
{
    if (addr < MEM_BASE || addr + len > MEM_BASE + sizeof(fake_phys))
        return -1;
    memcpy(buf, fake_phys + (addr - MEM_BASE), len);
    return 0;
}

static int fake_write_phys(void *o, uint64_t addr, const void *buf, size_t len)
{
    if (addr < MEM_BASE || addr + len > MEM_BASE + sizeof(fake_phys))
        return -1;
    memcpy(fake_phys + (addr - MEM_BASE), buf, len);
    return 0;
}

static const GdbOwnerOps fake_ops_phys = {
    .read_mem = fake_read_mem,
    .write_mem = fake_write_mem,
    .read_phys = fake_read_phys,
    .write_phys = fake_write_phys,
    .thread_list = fake_threads,
    .thread_id = fake_tid,
    .breakpoint_insert = fake_bp_insert,
    .breakpoint_remove = fake_bp_remove,
    .breakpoint_remove_all = fake_bp_remove_all,
    .set_singlestep = fake_singlestep,
    .attached_existing = true,
};

static int gdb_fd = -1;   /* gdb's end of the socketpair */

static int setup(void **state)
{
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    gdb_fd = sv[0];
    fcntl(gdb_fd, F_SETFL, O_NONBLOCK);
    assert_int_equal(gdbstub_init(&fake_arch, &fake_ops), 0);
    gdbstub_attach_fd(sv[1]);
    memset(cpus, 0, sizeof(cpus));
    for (int i = 0; i < 2; i++)
        cpus[i].common.fe = &fake_fe;
    cpus[0].r0 = 0x11223344;
    cpus[0].pc = 0x1010;
    cpus[0].d0 = 0x0102030405060708ull;
    cpus[1].r0 = 0xcafe;
    for (unsigned i = 0; i < sizeof(fake_mem); i++)
        fake_mem[i] = (uint8_t)i;
    n_bps = n_remove_all = 0;
    stepping = false;
    n_threads = 1;
    return 0;
}

static int teardown(void **state)
{
    close(gdb_fd);
    /* Leave the stub detached so the next test starts clean. */
    if (gdbstub_attached()) {
        gdbstub_report_exit(0);
    }
    return 0;
}

/* gdb sends one packet (framed; binary payloads may hold NULs). */
static void gdb_send_n(const char *payload, size_t len)
{
    char buf[512];
    size_t n = rsp_frame(buf, sizeof(buf), payload, len);
    assert_true(n > 0);
    assert_int_equal(write(gdb_fd, buf, n), (ssize_t)n);
}

static void gdb_send(const char *payload) { gdb_send_n(payload, strlen(payload)); }
static void gdb_raw(const char *s) { assert_int_equal(write(gdb_fd, s, strlen(s)), (ssize_t)strlen(s)); }

/* Switch to no-ack mode: the stub's OK still wants gdb's '+'. */
static void gdb_no_ack(void)
{
    gdb_send("QStartNoAckMode");
    gdb_raw("+");
}

/* Everything the stub sent: its acks are counted, its packets collected
 * (checksums verified) in order. */
static char replies[32][2048];
static int n_replies, n_acks, n_nacks;

static void collect(void)
{
    static char raw[65536];
    ssize_t len = read(gdb_fd, raw, sizeof(raw));
    if (len < 0)
        len = 0;
    n_replies = n_acks = n_nacks = 0;
    for (ssize_t i = 0; i < len; i++) {
        if (raw[i] == '+') {
            n_acks++;
        } else if (raw[i] == '-') {
            n_nacks++;
        } else if (raw[i] == '$') {
            char *end = memchr(raw + i, '#', (size_t)(len - i));
            assert_non_null(end);
            size_t plen = (size_t)(end - raw - i - 1);
            assert_true(plen < sizeof(replies[0]) && n_replies < 32);
            uint8_t sum;
            assert_int_equal(rsp_hex_decode(&sum, end + 1, 2), 1);
            assert_int_equal(sum, rsp_checksum(raw + i + 1, plen));
            memcpy(replies[n_replies], raw + i + 1, plen);
            replies[n_replies++][plen] = 0;
            i = end + 2 - raw;
        } else {
            fail_msg("stray byte 0x%02x from the stub", raw[i]);
        }
    }
}

static void test_session_basic(void **state)
{
    gdb_no_ack();
    gdb_send("qSupported:multiprocess+;swbreak+");
    gdb_send("?");
    gdb_send("g");
    gdb_send("p1");
    gdb_send("p2");
    gdb_send("p9");
    gdb_send("qC");
    gdb_send("qAttached");
    gdb_send("qOffsets");
    gdb_send("vMustReplyEmpty");
    gdb_send("vCont?");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_acks, 1);    /* only QStartNoAckMode was acknowledged */
    assert_int_equal(n_replies, 12);
    int r = 0;
    assert_string_equal(replies[r++], "OK");
    assert_non_null(strstr(replies[r], "PacketSize="));
    assert_non_null(strstr(replies[r], "qXfer:features:read+"));
    assert_non_null(strstr(replies[r], "QStartNoAckMode+"));
    assert_non_null(strstr(replies[r++], "vContSupported+"));
    assert_string_equal(replies[r++], "T05thread:64;");
    assert_string_equal(replies[r++], "44332211" "10100000" "0807060504030201");
    assert_string_equal(replies[r++], "10100000");
    assert_string_equal(replies[r++], "0807060504030201");
    assert_string_equal(replies[r++], "E16");
    assert_string_equal(replies[r++], "QC64");
    assert_string_equal(replies[r++], "0");
    assert_string_equal(replies[r++], "Text=0;Data=0;Bss=0");
    assert_string_equal(replies[r++], "");
    assert_string_equal(replies[r++], "vCont;c;C;s;S");
    assert_false(stepping);
    assert_true(gdbstub_attached());
}

static void test_ack_mode(void **state)
{
    gdb_raw("$?#00");           /* bad checksum: the stub asks again */
    gdb_send("?");
    gdb_raw("-");               /* gdb garbled the reply: resent */
    gdb_raw("+");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_nacks, 1);
    assert_int_equal(n_acks, 2);    /* "?" and "c" */
    assert_int_equal(n_replies, 2);
    assert_string_equal(replies[0], "T05thread:64;");
    assert_string_equal(replies[1], "T05thread:64;");
}

static void test_registers_write(void **state)
{
    gdb_no_ack();
    gdb_send("P0=efbeadde");
    gdb_send("P2=1122334455667788");
    gdb_send("P2=11");              /* wrong size */
    gdb_send("Px");
    gdb_send("p0");
    gdb_send("G" "01000000" "20100000" "0000000000000040");
    gdb_send("g");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_replies, 8);
    assert_string_equal(replies[1], "OK");
    assert_string_equal(replies[2], "OK");
    assert_string_equal(replies[3], "E16");
    assert_string_equal(replies[4], "E16");
    assert_string_equal(replies[5], "efbeadde");
    assert_string_equal(replies[6], "OK");
    assert_string_equal(replies[7], "01000000" "20100000" "0000000000000040");
    assert_int_equal(cpus[0].r0, 1);
    assert_int_equal(cpus[0].pc, 0x1020);
    assert_true(cpus[0].d0 == 0x4000000000000000ull);
}

static void test_memory(void **state)
{
    gdb_no_ack();
    gdb_send("m1000,4");
    gdb_send("m10fe,4");            /* partial: the last two bytes */
    gdb_send("m2000,4");            /* unmapped */
    gdb_send("M1004,3:aabbcc");
    gdb_send("m1003,5");
    gdb_send("M1004,2:aabbcc");     /* length mismatch */
    gdb_send("M3000,1:00");         /* unmapped */
    /* X with escaped '}' '#' '$' '*' and a NUL */
    gdb_send_n("X1010,5:}]}\x03}\x04}\x0a\x00", 17);
    gdb_send("X1010,0:");           /* gdb's probe for X support */
    gdb_send("m1010,6");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_replies, 11);
    assert_string_equal(replies[1], "00010203");
    assert_string_equal(replies[2], "feff");
    assert_string_equal(replies[3], "E0e");
    assert_string_equal(replies[4], "OK");
    assert_string_equal(replies[5], "03aabbcc07");
    assert_string_equal(replies[6], "E16");
    assert_string_equal(replies[7], "E0e");
    assert_string_equal(replies[8], "OK");
    assert_string_equal(replies[9], "OK");
    assert_string_equal(replies[10], "7d23242a0015");
}

/* User mode has no physical memory: QEMU's packets are not understood. */
static void test_phys_mode_user(void **state)
{
    gdb_no_ack();
    gdb_send("qqemu.Supported");
    gdb_send("Qqemu.PhyMemMode:1");
    gdb_send("qqemu.PhyMemMode");
    gdb_send("m1000,2");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_replies, 5);
    assert_string_equal(replies[1], "");
    assert_string_equal(replies[2], "");
    assert_string_equal(replies[3], "");
    assert_string_equal(replies[4], "0001");    /* still virtual */
}

/* System mode: `maintenance packet Qqemu.PhyMemMode:1` switches m/M/X to
 * physical memory until :0, or until the next gdb attaches. */
static void test_phys_mode(void **state)
{
    assert_int_equal(gdbstub_init(&fake_arch, &fake_ops_phys), 0);
    for (unsigned i = 0; i < sizeof(fake_phys); i++)
        fake_phys[i] = (uint8_t)(0xf0 + i);
    gdb_no_ack();
    gdb_send("qqemu.Supported");
    gdb_send("qqemu.PhyMemMode");
    gdb_send("Qqemu.PhyMemMode:1");
    gdb_send("qqemu.PhyMemMode");
    gdb_send("m1000,4");
    gdb_send("M1002,2:1234");
    gdb_send("m1001,3");
    gdb_send("m1100,2");            /* mapped virtually, not physically */
    gdb_send("Qqemu.PhyMemMode:2");
    gdb_send("Qqemu.PhyMemMode:0");
    gdb_send("m1000,4");
    gdb_send("qAttached");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_replies, 13);
    int r = 1;
    assert_string_equal(replies[r++], "PhyMemMode");
    assert_string_equal(replies[r++], "0");
    assert_string_equal(replies[r++], "OK");
    assert_string_equal(replies[r++], "1");
    assert_string_equal(replies[r++], "f0f1f2f3");
    assert_string_equal(replies[r++], "OK");
    assert_string_equal(replies[r++], "f11234");
    assert_string_equal(replies[r++], "E0e");
    assert_string_equal(replies[r++], "E16");
    assert_string_equal(replies[r++], "OK");
    assert_string_equal(replies[r++], "00010203");   /* virtual again, untouched by M */
    assert_string_equal(replies[r++], "1");          /* quitting gdb detaches */

    /* A new gdb starts in virtual mode. */
    gdb_send("Qqemu.PhyMemMode:1");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    int sv[2];
    assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
    close(gdb_fd);
    gdbstub_report_exit(0);
    gdb_fd = sv[0];
    fcntl(gdb_fd, F_SETFL, O_NONBLOCK);
    gdbstub_attach_fd(sv[1]);
    gdb_no_ack();
    gdb_send("qqemu.PhyMemMode");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_string_equal(replies[n_replies - 1], "0");
    assert_int_equal(gdbstub_init(&fake_arch, &fake_ops), 0);
}

static void test_breakpoints_and_step(void **state)
{
    gdb_no_ack();
    gdb_send("Z0,1040,4");
    gdb_send("Z1,1050,2");
    gdb_send("Z2,1060,4");          /* watchpoint: unsupported */
    gdb_send("z0,1040,4");
    gdb_send("s");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_replies, 5);
    assert_string_equal(replies[1], "OK");
    assert_string_equal(replies[2], "OK");
    assert_string_equal(replies[3], "");
    assert_string_equal(replies[4], "OK");
    assert_int_equal(n_bps, 1);
    assert_int_equal(bps[0], 0x1050);
    assert_true(stepping);
    /* The step finished: the stub reports it before anything else, and
     * resuming with an address moves the pc. */
    gdb_send("c1080");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_replies, 1);
    assert_string_equal(replies[0], "T05thread:64;");
    assert_false(stepping);
    assert_int_equal(cpus[0].pc, 0x1080);
    /* vCont: the action naming our thread decides. */
    gdb_send("vCont;s:64;c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_true(stepping);
    gdb_send("vCont;s:65;c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_false(stepping);
}

static void test_signals_session(void **state)
{
    gdb_no_ack();
    gdb_send("?");
    gdb_send("C0b");                /* pass gdb's SIGSEGV on */
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, SIGSEGV), SIGSEGV);
    collect();
    assert_string_equal(replies[1], "T0bthread:64;");
    gdb_send("c");                  /* suppress SIGUSR1 */
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, SIGUSR1), 0);
    collect();
    assert_string_equal(replies[0], "T1ethread:64;");
    gdb_send("vCont;S1e:64");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), SIGUSR1);
    collect();
    assert_true(stepping);
    gdb_send("S1f;1100");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), SIGUSR2);
    assert_int_equal(cpus[0].pc, 0x1100);
}

static void test_threads(void **state)
{
    n_threads = 2;
    gdb_no_ack();
    gdb_send("qfThreadInfo");
    gdb_send("qsThreadInfo");
    gdb_send("T65");
    gdb_send("T66");
    gdb_send("Hg65");
    gdb_send("p0");
    gdb_send("Hg0");
    gdb_send("p0");
    gdb_send("Hg99");
    gdb_send("Hc-1");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_replies, 11);
    assert_string_equal(replies[1], "m64,65");
    assert_string_equal(replies[2], "l");
    assert_string_equal(replies[3], "OK");
    assert_string_equal(replies[4], "E02");
    assert_string_equal(replies[5], "OK");
    assert_string_equal(replies[6], "feca0000");
    assert_string_equal(replies[7], "OK");
    assert_string_equal(replies[8], "44332211");
    assert_string_equal(replies[9], "E02");
    assert_string_equal(replies[10], "OK");
}

static void test_target_xml(void **state)
{
    gdb_no_ack();
    gdb_send("qXfer:features:read:target.xml:0,1000");
    gdb_send("qXfer:features:read:target.xml:0,a");
    gdb_send("qXfer:features:read:target.xml:29,1000");
    gdb_send("qXfer:features:read:other.xml:0,1000");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_replies, 5);
    assert_string_equal(replies[1], "l<target><feature name=\"x\">}\x04}\x03}]}\x0a</feature></target>");
    assert_string_equal(replies[2], "m<target><f");
    assert_string_equal(replies[3], "l/target>");
    assert_string_equal(replies[4], "E00");
}

static void test_kill(void **state)
{
    gdb_no_ack();
    gdb_send("k");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), GDBSTUB_KILL);
    assert_false(gdbstub_attached());
    /* Without gdb, stops pass straight through. */
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, SIGINT), SIGINT);
}

static void test_detach(void **state)
{
    gdb_no_ack();
    gdb_send("Z0,1040,4");
    gdb_send("s");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    assert_true(stepping);
    gdb_send("D");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, SIGUSR2), SIGUSR2);
    collect();
    assert_string_equal(replies[n_replies - 1], "OK");
    assert_false(gdbstub_attached());
    assert_false(stepping);
    assert_int_equal(n_bps, 0);
    assert_int_equal(n_remove_all, 1);
}

static void test_hangup_detaches(void **state)
{
    gdb_send("Z0,1040,4");
    gdb_raw("+");
    shutdown(gdb_fd, SHUT_WR);
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    assert_false(gdbstub_attached());
    assert_int_equal(n_bps, 0);
}

static void test_exit_reports(void **state)
{
    gdb_no_ack();
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    gdbstub_report_exit(42);
    collect();
    assert_string_equal(replies[n_replies - 1], "W2a");
    assert_false(gdbstub_attached());
}

static void test_signal_exit_report(void **state)
{
    gdb_no_ack();
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    gdbstub_report_signal_exit(SIGSEGV);
    collect();
    assert_string_equal(replies[n_replies - 1], "X0b");
}

/* A fork()ed child still holds the connection: its stops and its exit must
 * not reach gdb, and it runs on without breakpoints. */
static void test_forked_child(void **state)
{
    gdb_no_ack();
    gdb_send("Z0,1040,4");
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    collect();
    assert_int_equal(n_bps, 1);
    pid_t pid = fork();
    if (pid == 0) {
        int ok = gdbstub_handle_stop(&cpus[0].common, 0) == 0 && !gdbstub_attached() &&
                 n_bps == 0;
        gdbstub_report_exit(3);
        _exit(ok ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    collect();
    assert_int_equal(n_replies, 0);     /* no stop reply, no W */
    assert_true(gdbstub_attached());    /* the parent keeps gdb */
    assert_int_equal(n_bps, 1);
}

/* Ctrl-C while the guest runs: the watcher thread kicks the cpu, the owner
 * sees the request and stops for gdb with SIGINT.  Last of the sessions:
 * the watcher thread lives on once started. */
static void test_interrupt(void **state)
{
    gdb_no_ack();
    gdb_send("c");
    assert_int_equal(gdbstub_handle_stop(&cpus[0].common, 0), 0);
    gdbstub_interrupt_pending();        /* no stale request */
    gdbstub_watch_interrupts();
    gdb_raw("\x03");
    gdb_send("p0");                     /* what gdb sends after the stop reply */
    gdb_send("c");
    bool seen = false;
    for (int i = 0; i < 400 && !seen; i++) {
        seen = gdbstub_interrupt_pending();
        if (!seen)
            usleep(5000);
    }
    assert_true(seen);
    assert_int_equal(cpus[0].common.exit_request, 1);
    assert_false(gdbstub_interrupt_pending());
    assert_int_equal(gdbstub_handle_interrupt(&cpus[0].common), 0);
    collect();
    assert_int_equal(n_replies, 3);
    assert_string_equal(replies[1], "T02thread:64;");
    assert_string_equal(replies[2], "44332211");
}

/* ---- ARM glue ----------------------------------------------------------------- */

static void test_arm_registers(void **state)
{
    (void)state;
    ARMCPU *cpu = calloc(1, sizeof(*cpu));
    CPUCommon *c = &cpu->common;
    const GdbArch *a = &gdb_arch_arm;
    assert_ptr_equal(gdbstub_arch_find("arm"), a);     /* registered itself */
    assert_null(gdbstub_arch_find("sparc"));
    uint8_t buf[16];
    assert_non_null(strstr(a->target_xml, "org.gnu.gdb.arm.core"));
    assert_non_null(strstr(a->target_xml, "org.gnu.gdb.arm.vfp"));
    assert_non_null(strstr(a->target_xml, "name=\"d31\""));
    /* Registers are numbered in document order: count the <reg elements. */
    unsigned n = 0;
    for (const char *p = a->target_xml; (p = strstr(p, "<reg ")); p++)
        n++;
    assert_int_equal(n, a->n_regs);
    cpu->regs[13] = 0xbeffff00;
    cpu->regs[15] = 0x10074;
    assert_int_equal(a->read_reg(c, 15, buf), 4);
    assert_memory_equal(buf, "\x74\x00\x01\x00", 4);
    /* cpsr from the split flags: Z set (ZF == 0), C set, user mode */
    cpu->ZF = 0;
    cpu->NF = 0;
    cpu->CF = 1;
    cpu->VF = 0;
    cpu->cpsr_rest = ARM_CPSR_MODE_USR;
    assert_int_equal(a->read_reg(c, GDB_ARM_CPSR, buf), 4);
    uint32_t v;
    memcpy(&v, buf, 4);
    assert_int_equal(v, ARM_CPSR_Z | ARM_CPSR_C | ARM_CPSR_MODE_USR);
    /* writing cpsr: flags and T change, the mode does not */
    v = ARM_CPSR_N | ARM_CPSR_V | ARM_CPSR_T | 0x13;
    memcpy(buf, &v, 4);
    assert_int_equal(a->write_reg(c, GDB_ARM_CPSR, buf), 4);
    assert_int_equal(arm_cpsr_read(cpu), ARM_CPSR_N | ARM_CPSR_V | ARM_CPSR_T | ARM_CPSR_MODE_USR);
    assert_int_equal(cpu->thumb, 1);
    /* d registers and fpscr */
    cpu->vfp_d[5] = 0x400921fb54442d18ull;   /* pi */
    assert_int_equal(a->read_reg(c, GDB_ARM_D0 + 5, buf), 8);
    assert_memory_equal(buf, "\x18\x2d\x44\x54\xfb\x21\x09\x40", 8);
    assert_int_equal(a->write_reg(c, GDB_ARM_D0 + 31, buf), 8);
    assert_true(cpu->vfp_d[31] == 0x400921fb54442d18ull);
    memcpy(buf, "\x00\x00\x00\x03", 4);
    assert_int_equal(a->write_reg(c, GDB_ARM_FPSCR, buf), 4);
    assert_int_equal(cpu->fpscr, 0x03000000);
    assert_int_equal(a->read_reg(c, GDB_ARM_NREGS, buf), 0);
    free(cpu);
}

int main(void)
{
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_checksum_and_frame),
        cmocka_unit_test(test_hex),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_parser),
        cmocka_unit_test(test_signals),
        cmocka_unit_test_setup_teardown(test_session_basic, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ack_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_registers_write, setup, teardown),
        cmocka_unit_test_setup_teardown(test_memory, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phys_mode_user, setup, teardown),
        cmocka_unit_test_setup_teardown(test_phys_mode, setup, teardown),
        cmocka_unit_test_setup_teardown(test_breakpoints_and_step, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signals_session, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_target_xml, setup, teardown),
        cmocka_unit_test_setup_teardown(test_kill, setup, teardown),
        cmocka_unit_test_setup_teardown(test_detach, setup, teardown),
        cmocka_unit_test_setup_teardown(test_hangup_detaches, setup, teardown),
        cmocka_unit_test_setup_teardown(test_exit_reports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signal_exit_report, setup, teardown),
        cmocka_unit_test_setup_teardown(test_forked_child, setup, teardown),
        cmocka_unit_test_setup_teardown(test_interrupt, setup, teardown),
        cmocka_unit_test(test_arm_registers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
