/*
 * gdbstub.c — the gdb remote stub: the connection, the stop/resume
 * conversation and the packet handlers.
 *
 * The stub runs on the thread of the cpu that stopped: the owner calls
 * gdbstub_handle_stop(), which serves gdb's packets until one of them
 * resumes the program (c, s, C, S, vCont), kills it (k, vKill) or detaches
 * (D, or gdb hanging up).
 *
 * While the guest runs, a watcher thread polls the socket for gdb's
 * interrupt byte (Ctrl-C): it kicks the cpu out of generated code and
 * leaves a flag the owner's loop picks up with gdbstub_interrupt_pending().
 * Anything else gdb sends meanwhile goes into the stop loop's input buffer.
 *
 * One mutex (stub_lock) covers the connection state: two guest threads that
 * stop at once are served in turn (the others keep running; a true
 * all-stop needs the owner to pause them), and the watcher only reads while
 * no stop is being served.
 */
#include "gdbstub/gdbstub.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "exec/exec.h"
#include "gdbstub/rsp.h"

/* What a packet handler tells the stop loop. */
enum { ACT_STAY, ACT_RESUME, ACT_KILL, ACT_DETACH };

#define MAX_THREADS 256

static struct {
    const GdbArch *arch;
    GdbOwnerOps ops;
    int listen_fd, fd;
    pid_t owner_pid;         /* the process gdb debugs (a fork()ed child is not it) */
    bool no_ack;
    bool phys_mode;          /* Qqemu.PhyMemMode:1: memory packets are physical */
    bool running;            /* gdb resumed us and waits for a stop reply */
    CPUCommon *cpu;          /* the stopped cpu */
    int stop_gdb_sig;        /* the current stop, in gdb's numbering */
    int64_t g_thread;        /* Hg: thread for register/memory access; <= 0 any */
    /* the decision of the resuming packet */
    bool resume_step;
    int resume_sig;          /* Linux number */
    RspParser rx;
    uint8_t in[4096];
    size_t in_pos, in_len;
    char reply[2 * RSP_MAX_PAYLOAD + 8];
    char frame[2 * RSP_MAX_PAYLOAD + 16];
} gs = { .listen_fd = -1, .fd = -1 };

static pthread_mutex_t stub_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t watch_cond = PTHREAD_COND_INITIALIZER;   /* gs.running became true */
static bool watch_started;
static volatile int interrupt_requested;

/* ---- owner hooks with defaults ------------------------------------------ */

static int bp_insert(uint64_t pc)
{
    return gs.ops.breakpoint_insert ? gs.ops.breakpoint_insert(pc) : exec_breakpoint_insert(pc);
}

static int bp_remove(uint64_t pc)
{
    return gs.ops.breakpoint_remove ? gs.ops.breakpoint_remove(pc) : exec_breakpoint_remove(pc);
}

static void bp_remove_all(void)
{
    if (gs.ops.breakpoint_remove_all)
        gs.ops.breakpoint_remove_all();
    else
        exec_breakpoint_remove_all();
}

static void set_singlestep(CPUCommon *cpu, bool on)
{
    if (gs.ops.set_singlestep)
        gs.ops.set_singlestep(cpu, on);
    else
        exec_cpu_set_singlestep(cpu, on);
}

/* Memory as gdb currently addresses it: virtual, or physical after
 * Qqemu.PhyMemMode:1. */
static int mem_read(uint64_t addr, void *buf, size_t len)
{
    if (gs.phys_mode)
        return gs.ops.read_phys(gs.ops.opaque, addr, buf, len);
    return gs.ops.read_mem(gs.ops.opaque, addr, buf, len);
}

static int mem_write(uint64_t addr, const void *buf, size_t len)
{
    if (gs.phys_mode)
        return gs.ops.write_phys(gs.ops.opaque, addr, buf, len);
    return gs.ops.write_mem(gs.ops.opaque, addr, buf, len);
}

static bool have_phys(void)
{
    return gs.ops.read_phys && gs.ops.write_phys;
}

/* Stop the running cpu for gdb (the watcher thread, stub_lock held). */
static void kick_cpu(void)
{
    if (gs.ops.kick)
        gs.ops.kick(gs.ops.opaque, gs.cpu);
    else if (gs.cpu)
        exec_cpu_kick(gs.cpu);
}

static unsigned thread_list(CPUCommon **out, unsigned max)
{
    if (gs.ops.thread_list)
        return gs.ops.thread_list(gs.ops.opaque, out, max);
    if (max)
        out[0] = gs.cpu;
    return 1;
}

static int64_t thread_id(CPUCommon *cpu)
{
    return gs.ops.thread_id ? gs.ops.thread_id(gs.ops.opaque, cpu) : 1;
}

/* The cpu with gdb thread id tid; tid <= 0 ("any", "all"): the stopped one. */
static CPUCommon *thread_find(int64_t tid)
{
    if (tid <= 0)
        return gs.cpu;
    CPUCommon *cpus[MAX_THREADS];
    unsigned n = thread_list(cpus, MAX_THREADS);
    for (unsigned i = 0; i < n && i < MAX_THREADS; i++)
        if (thread_id(cpus[i]) == tid)
            return cpus[i];
    return NULL;
}

static CPUCommon *reg_cpu(void)
{
    CPUCommon *c = thread_find(gs.g_thread);
    return c ? c : gs.cpu;
}

/* ---- architectures ------------------------------------------------------- */

static const GdbArch *arches[8];

void gdbstub_arch_register(const GdbArch *arch)
{
    for (unsigned i = 0; i < sizeof(arches) / sizeof(arches[0]); i++)
        if (!arches[i] || arches[i] == arch) {
            arches[i] = arch;
            return;
        }
}

const GdbArch *gdbstub_arch_find(const char *name)
{
    for (unsigned i = 0; i < sizeof(arches) / sizeof(arches[0]) && arches[i]; i++)
        if (!strcmp(arches[i]->name, name))
            return arches[i];
    return NULL;
}

/* ---- connection ------------------------------------------------------------ */

int gdbstub_init(const GdbArch *arch, const GdbOwnerOps *ops)
{
    if (!arch || !ops || !ops->read_mem || !ops->write_mem)
        return -1;
    gs.arch = arch;
    gs.ops = *ops;
    return 0;
}

int gdbstub_listen(const char *spec)
{
    int fd;
    if (strchr(spec, '/')) {
        struct sockaddr_un sun = { .sun_family = AF_UNIX };
        if (strlen(spec) >= sizeof(sun.sun_path)) {
            fprintf(stderr, "gdbstub: socket path too long: %s\n", spec);
            return -1;
        }
        strcpy(sun.sun_path, spec);
        unlink(spec);
        fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0 || bind(fd, (struct sockaddr *)&sun, sizeof(sun)) < 0)
            goto fail;
    } else {
        char *end;
        long port = strtol(spec, &end, 10);
        if (*spec == 0 || *end || port <= 0 || port > 65535) {
            fprintf(stderr, "gdbstub: bad port '%s'\n", spec);
            return -1;
        }
        struct sockaddr_in sin = {
            .sin_family = AF_INET,
            .sin_port = htons((uint16_t)port),
            .sin_addr.s_addr = htonl(INADDR_LOOPBACK),
        };
        fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
        int one = 1;
        if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) < 0 ||
            bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0)
            goto fail;
    }
    if (listen(fd, 1) < 0)
        goto fail;
    gs.listen_fd = fd;
    return 0;
fail:
    fprintf(stderr, "gdbstub: cannot listen on %s: %s\n", spec, strerror(errno));
    if (fd >= 0)
        close(fd);
    return -1;
}

int gdbstub_wait_attach(void)
{
    if (gs.listen_fd < 0)
        return -1;
    int fd;
    do
        fd = accept4(gs.listen_fd, NULL, NULL, SOCK_CLOEXEC);
    while (fd < 0 && errno == EINTR);
    if (fd < 0) {
        fprintf(stderr, "gdbstub: accept: %s\n", strerror(errno));
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));   /* fails harmlessly on AF_UNIX */
    close(gs.listen_fd);
    gs.listen_fd = -1;
    gdbstub_attach_fd(fd);
    gdbstub_watch_interrupts();
    return 0;
}

void gdbstub_attach_fd(int fd)
{
    /* under the lock: in system mode a listener thread attaches while the
     * watcher thread may be looking at the previous connection */
    pthread_mutex_lock(&stub_lock);
    gs.fd = fd;
    gs.owner_pid = getpid();
    gs.no_ack = false;
    gs.phys_mode = false;
    gs.running = false;
    gs.g_thread = 0;
    gs.in_pos = gs.in_len = 0;
    rsp_parser_init(&gs.rx);
    pthread_mutex_unlock(&stub_lock);
}

bool gdbstub_attached(void)
{
    return gs.fd >= 0;
}

static void disconnect(void)
{
    if (gs.fd >= 0)
        close(gs.fd);
    gs.fd = -1;
    gs.running = false;
}

/* Next byte from gdb, or -1 when the connection is gone. */
static int read_byte(void)
{
    if (gs.in_pos == gs.in_len) {
        ssize_t n;
        do
            n = read(gs.fd, gs.in, sizeof(gs.in));
        while (n < 0 && errno == EINTR);
        if (n <= 0)
            return -1;
        gs.in_len = (size_t)n;
        gs.in_pos = 0;
    }
    return gs.in[gs.in_pos++];
}

static bool write_all(const char *buf, size_t len)
{
    while (len) {
        ssize_t n = send(gs.fd, buf, len, MSG_NOSIGNAL);   /* gdb gone: EPIPE, not SIGPIPE */
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return false;
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* Send one packet; in ack mode, until gdb acknowledges it. */
static bool send_packet(const char *payload, size_t len)
{
    size_t n = rsp_frame(gs.frame, sizeof(gs.frame), payload, len);
    if (!n)
        return false;
    for (int tries = 0; tries < 32; tries++) {
        if (!write_all(gs.frame, n))
            return false;
        if (gs.no_ack)
            return true;
        for (;;) {
            int c = read_byte();
            if (c < 0)
                return false;
            if (c == '+')
                return true;
            if (c == '-')
                break;
            /* anything else before the ack is noise */
        }
    }
    return false;
}

static bool send_str(const char *s)
{
    return send_packet(s, strlen(s));
}

/* Next packet from gdb into gs.rx.buf; false when the connection is gone. */
static bool recv_packet(void)
{
    for (;;) {
        int c = read_byte();
        if (c < 0)
            return false;
        switch (rsp_parser_feed(&gs.rx, (uint8_t)c)) {
        case RSP_EV_PACKET:
            if (!gs.no_ack && !write_all("+", 1))
                return false;
            return true;
        case RSP_EV_BAD_PACKET:
            if (!gs.no_ack && !write_all("-", 1))
                return false;
            break;
        default:
            break;      /* acks, and Ctrl-C while already stopped */
        }
    }
}

/* ---- packet handlers -------------------------------------------------------
 * Each writes its reply into gs.reply (NUL-terminated, may be empty: "not
 * supported") and returns an ACT_*. */

static int reply(const char *s)
{
    snprintf(gs.reply, sizeof(gs.reply), "%s", s);
    return ACT_STAY;
}

static int reply_error(int e)
{
    snprintf(gs.reply, sizeof(gs.reply), "E%02x", e & 0xff);
    return ACT_STAY;
}

static void stop_reply(char *out, size_t cap)
{
    snprintf(out, cap, "T%02xthread:%llx;", gs.stop_gdb_sig,
             (unsigned long long)thread_id(gs.cpu));
}

static int handle_read_regs(void)
{
    CPUCommon *cpu = reg_cpu();
    size_t o = 0;
    uint8_t buf[GDB_MAX_REG_BYTES];
    for (unsigned n = 0; n < gs.arch->n_regs; n++) {
        int size = gs.arch->read_reg(cpu, n, buf);
        if (size <= 0 || o + 2 * (size_t)size >= 2 * RSP_MAX_PAYLOAD)
            break;
        rsp_hex_encode(gs.reply + o, buf, (size_t)size);
        o += 2 * (size_t)size;
    }
    gs.reply[o] = 0;
    return ACT_STAY;
}

static int handle_write_regs(const char *hex)
{
    CPUCommon *cpu = reg_cpu();
    size_t len = strlen(hex);
    uint8_t cur[GDB_MAX_REG_BYTES], val[GDB_MAX_REG_BYTES];
    for (unsigned n = 0; n < gs.arch->n_regs && len; n++) {
        int size = gs.arch->read_reg(cpu, n, cur);
        if (size <= 0 || len < 2 * (size_t)size)
            break;
        if (rsp_hex_decode(val, hex, 2 * (size_t)size) < 0)
            return reply_error(22);
        gs.arch->write_reg(cpu, n, val);
        hex += 2 * size;
        len -= 2 * (size_t)size;
    }
    return reply("OK");
}

static int handle_read_reg(const char *args)
{
    uint64_t n;
    uint8_t buf[GDB_MAX_REG_BYTES];
    if (!rsp_parse_hex(&args, &n) || n >= gs.arch->n_regs)
        return reply_error(22);
    int size = gs.arch->read_reg(reg_cpu(), (unsigned)n, buf);
    if (size <= 0)
        return reply_error(22);
    rsp_hex_encode(gs.reply, buf, (size_t)size);
    gs.reply[2 * size] = 0;
    return ACT_STAY;
}

static int handle_write_reg(const char *args)
{
    uint64_t n;
    uint8_t cur[GDB_MAX_REG_BYTES], val[GDB_MAX_REG_BYTES];
    if (!rsp_parse_hex(&args, &n) || *args++ != '=' || n >= gs.arch->n_regs)
        return reply_error(22);
    CPUCommon *cpu = reg_cpu();
    int size = gs.arch->read_reg(cpu, (unsigned)n, cur);
    if (size <= 0 || strlen(args) != 2 * (size_t)size ||
        rsp_hex_decode(val, args, 2 * (size_t)size) < 0)
        return reply_error(22);
    gs.arch->write_reg(cpu, (unsigned)n, val);
    return reply("OK");
}

/* "addr,len" then the terminator (':' or end). */
static bool parse_addr_len(const char **p, uint64_t *addr, uint64_t *len)
{
    return rsp_parse_hex(p, addr) && *(*p)++ == ',' && rsp_parse_hex(p, len);
}

static int handle_read_mem(const char *args)
{
    uint64_t addr, len;
    if (!parse_addr_len(&args, &addr, &len))
        return reply_error(22);
    if (len > RSP_MAX_PAYLOAD / 2)
        len = RSP_MAX_PAYLOAD / 2;
    static uint8_t buf[RSP_MAX_PAYLOAD / 2];
    size_t got = (size_t)len;
    if (mem_read(addr, buf, got) < 0) {
        /* Give gdb what is readable from the start: it reads across the end
         * of mappings (stack unwinding, x/s). */
        for (got = 0; got < len; got++)
            if (mem_read(addr + got, buf + got, 1) < 0)
                break;
        if (got == 0 && len)
            return reply_error(14);
    }
    rsp_hex_encode(gs.reply, buf, got);
    gs.reply[2 * got] = 0;
    return ACT_STAY;
}

static int handle_write_mem(const char *args, bool binary, size_t pkt_len)
{
    const char *start = args;
    uint64_t addr, len;
    if (!parse_addr_len(&args, &addr, &len) || *args++ != ':' || len > RSP_MAX_PAYLOAD)
        return reply_error(22);
    static uint8_t buf[RSP_MAX_PAYLOAD];
    size_t data_len = pkt_len - (size_t)(args - start);
    long n = binary ? rsp_unescape(buf, args, data_len)
                    : rsp_hex_decode(buf, args, data_len);
    if (n < 0 || (uint64_t)n != len)
        return reply_error(22);
    if (len && mem_write(addr, buf, (size_t)len) < 0)
        return reply_error(14);
    return reply("OK");
}

static int handle_breakpoint(const char *args, bool insert)
{
    uint64_t type, addr, kind;
    if (!rsp_parse_hex(&args, &type) || *args++ != ',' || !parse_addr_len(&args, &addr, &kind))
        return reply_error(22);
    if (type > 1)
        return reply("");   /* watchpoints: not supported, gdb falls back */
    if (insert)
        return bp_insert(addr) < 0 ? reply_error(28) : reply("OK");
    bp_remove(addr);        /* removing an absent breakpoint is harmless */
    return reply("OK");
}

/* c/s [addr], C/S sig[;addr] */
static int resume(bool step, int gdb_sig, const char *addr_arg)
{
    uint64_t addr;
    if (addr_arg && *addr_arg && rsp_parse_hex(&addr_arg, &addr))
        gs.cpu->fe->set_pc(gs.cpu, addr);
    gs.resume_step = step;
    gs.resume_sig = gdbstub_signal_from_gdb(gdb_sig);
    return ACT_RESUME;
}

static int handle_resume_sig(const char *args, bool step)
{
    uint64_t sig;
    if (!rsp_parse_hex(&args, &sig))
        return reply_error(22);
    return resume(step, (int)sig, *args == ';' ? args + 1 : NULL);
}

/* vCont;action[:thread];action...: the first action that applies to the
 * stopped cpu decides (others run or stay as the owner runs them). */
static int handle_vcont(const char *args)
{
    int64_t me = thread_id(gs.cpu);
    while (*args == ';') {
        args++;
        char a = *args++;
        uint64_t sig = 0;
        if ((a == 'C' || a == 'S') && !rsp_parse_hex(&args, &sig))
            return reply_error(22);
        bool applies = true;
        if (*args == ':') {
            args++;
            if (args[0] == '-' && args[1] == '1') {
                args += 2;
            } else {
                uint64_t tid;
                if (!rsp_parse_hex(&args, &tid))
                    return reply_error(22);
                applies = (int64_t)tid == me || tid == 0;
            }
        }
        if (!applies)
            continue;
        switch (a) {
        case 'c': return resume(false, 0, NULL);
        case 'C': return resume(false, (int)sig, NULL);
        case 's': return resume(true, 0, NULL);
        case 'S': return resume(true, (int)sig, NULL);
        default: return reply_error(22);
        }
    }
    return reply_error(22);
}

/* "Hg<tid>" / "Hc<tid>": tid may be -1 (all) or 0 (any). */
static int handle_set_thread(const char *args)
{
    char op = *args++;
    int64_t tid;
    if (args[0] == '-' && args[1] == '1')
        tid = -1;
    else {
        uint64_t t;
        if (!rsp_parse_hex(&args, &t))
            return reply_error(22);
        tid = (int64_t)t;
    }
    if (!thread_find(tid))
        return reply_error(2);
    if (op == 'g')
        gs.g_thread = tid;
    /* Hc: resumption applies to the stopped cpu; other threads are the
     * owner's business (vCont names threads itself). */
    return reply("OK");
}

static int handle_thread_alive(const char *args)
{
    uint64_t tid;
    if (!rsp_parse_hex(&args, &tid))
        return reply_error(22);
    return thread_find((int64_t)tid) ? reply("OK") : reply_error(2);
}

static int handle_thread_info(void)
{
    CPUCommon *cpus[MAX_THREADS];
    unsigned n = thread_list(cpus, MAX_THREADS);
    size_t o = 0;
    gs.reply[o++] = 'm';
    for (unsigned i = 0; i < n && i < MAX_THREADS; i++)
        o += (size_t)snprintf(gs.reply + o, sizeof(gs.reply) - o, "%s%llx", i ? "," : "",
                              (unsigned long long)thread_id(cpus[i]));
    gs.reply[o] = 0;
    return ACT_STAY;
}

/* qXfer:features:read:ANNEX:offset,length */
static int handle_xfer_features(const char *args)
{
    const char *colon = strchr(args, ':');
    if (!colon)
        return reply_error(22);
    if ((size_t)(colon - args) != strlen("target.xml") || strncmp(args, "target.xml", 10))
        return reply_error(0);
    const char *p = colon + 1;
    uint64_t off, len;
    if (!parse_addr_len(&p, &off, &len))
        return reply_error(22);
    const char *xml = gs.arch->target_xml;
    size_t total = strlen(xml);
    if (off >= total)
        return reply("l");
    if (len > RSP_MAX_PAYLOAD - 1)
        len = RSP_MAX_PAYLOAD - 1;
    size_t consumed;
    size_t n = rsp_escape(gs.reply + 1, (size_t)len, xml + off, total - (size_t)off, &consumed);
    gs.reply[0] = off + consumed >= total ? 'l' : 'm';
    gs.reply[n + 1] = 0;
    return ACT_STAY;
}

static bool starts(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

static int handle_query(const char *q)
{
    if (starts(q, "qSupported")) {
        snprintf(gs.reply, sizeof(gs.reply),
                 "PacketSize=%x;qXfer:features:read+;QStartNoAckMode+;vContSupported+",
                 RSP_MAX_PAYLOAD);
        return ACT_STAY;
    }
    if (starts(q, "qXfer:features:read:"))
        return handle_xfer_features(q + strlen("qXfer:features:read:"));
    if (!strcmp(q, "qC")) {
        snprintf(gs.reply, sizeof(gs.reply), "QC%llx", (unsigned long long)thread_id(gs.cpu));
        return ACT_STAY;
    }
    if (starts(q, "qAttached"))
        return reply(gs.ops.attached_existing ? "1" : "0");
    if (!strcmp(q, "qOffsets"))
        return reply("Text=0;Data=0;Bss=0");   /* user mode loads at link addresses */
    if (!strcmp(q, "qfThreadInfo"))
        return handle_thread_info();
    if (!strcmp(q, "qsThreadInfo"))
        return reply("l");
    if (starts(q, "qSymbol"))
        return reply("OK");
    /* QEMU's own queries (gdb's `maintenance packet`): which of its
     * extensions we have, and the memory mode. */
    if (!strcmp(q, "qqemu.Supported"))
        return reply(have_phys() ? "PhyMemMode" : "");
    if (!strcmp(q, "qqemu.PhyMemMode") && have_phys())
        return reply(gs.phys_mode ? "1" : "0");
    return reply("");
}

/* Qqemu.PhyMemMode:0|1 (system mode only). */
static int handle_phys_mode(const char *arg)
{
    if (!have_phys())
        return reply("");
    if (strcmp(arg, "0") && strcmp(arg, "1"))
        return reply_error(22);
    gs.phys_mode = arg[0] == '1';
    return reply("OK");
}

/* Handle one packet; gs.reply gets the answer unless it resumes or ends. */
static int handle_packet(const char *pkt, size_t len)
{
    gs.reply[0] = 0;
    switch (pkt[0]) {
    case '?':
        stop_reply(gs.reply, sizeof(gs.reply));
        return ACT_STAY;
    case 'g': return handle_read_regs();
    case 'G': return handle_write_regs(pkt + 1);
    case 'p': return handle_read_reg(pkt + 1);
    case 'P': return handle_write_reg(pkt + 1);
    case 'm': return handle_read_mem(pkt + 1);
    case 'M': return handle_write_mem(pkt + 1, false, len - 1);
    case 'X': return handle_write_mem(pkt + 1, true, len - 1);
    case 'Z': return handle_breakpoint(pkt + 1, true);
    case 'z': return handle_breakpoint(pkt + 1, false);
    case 'c': return resume(false, 0, pkt + 1);
    case 's': return resume(true, 0, pkt + 1);
    case 'C': return handle_resume_sig(pkt + 1, false);
    case 'S': return handle_resume_sig(pkt + 1, true);
    case 'H': return handle_set_thread(pkt + 1);
    case 'T': return handle_thread_alive(pkt + 1);
    case 'D':
        reply("OK");
        return ACT_DETACH;
    case 'k':
        return ACT_KILL;
    case 'q': return handle_query(pkt);
    case 'Q':
        if (!strcmp(pkt, "QStartNoAckMode"))
            return reply("OK");
        if (starts(pkt, "Qqemu.PhyMemMode:"))
            return handle_phys_mode(pkt + strlen("Qqemu.PhyMemMode:"));
        return reply("");
    case 'v':
        if (!strcmp(pkt, "vCont?"))
            return reply("vCont;c;C;s;S");
        if (starts(pkt, "vCont;"))
            return handle_vcont(pkt + 5);
        if (starts(pkt, "vKill")) {
            reply("OK");
            return ACT_KILL;
        }
        return reply("");
    default:
        return reply("");
    }
}

/* ---- stops ------------------------------------------------------------------ */

/* Report a stop as report_sig (Linux numbering, 0: SIGTRAP) and serve gdb;
 * pending_sig is what the program would get without gdb. */
static int handle_stop_locked(CPUCommon *cpu, int report_sig, int pending_sig)
{
    int sig = pending_sig;
    if (gs.fd < 0)
        return sig;
    gs.cpu = cpu;
    gs.stop_gdb_sig = report_sig ? gdbstub_signal_to_gdb(report_sig) : 5 /* SIGTRAP */;
    set_singlestep(cpu, false);
    if (gs.running) {
        char buf[64];
        stop_reply(buf, sizeof(buf));
        gs.running = false;
        if (!send_str(buf))
            goto detach;
    }
    for (;;) {
        if (!recv_packet())
            goto detach;        /* gdb went away: let the program run on */
        int act = handle_packet(gs.rx.buf, gs.rx.len);
        switch (act) {
        case ACT_STAY:
            if (!send_str(gs.reply))
                goto detach;
            if (!strcmp(gs.rx.buf, "QStartNoAckMode"))
                gs.no_ack = true;   /* after gdb acknowledged the OK */
            break;
        case ACT_RESUME:
            gs.running = true;
            pthread_cond_broadcast(&watch_cond);
            if (gs.resume_step)
                set_singlestep(cpu, true);
            return gs.resume_sig;
        case ACT_KILL:
            if (gs.reply[0])
                send_str(gs.reply);
            disconnect();
            return GDBSTUB_KILL;
        case ACT_DETACH:
            send_str(gs.reply);
            goto detach;
        }
    }
detach:
    bp_remove_all();
    set_singlestep(cpu, false);
    disconnect();
    return sig;
}

/* A fork()ed child that nobody told with gdbstub_fork_child() still holds
 * the parent's connection: let go of it before saying anything to gdb.
 * Checked before taking the lock, which another thread of the parent may
 * have held at the fork. */
static bool in_forked_child(CPUCommon *cpu)
{
    if (gs.fd < 0 || getpid() == gs.owner_pid)
        return false;
    gdbstub_fork_child(cpu);
    return true;
}

int gdbstub_handle_stop(CPUCommon *cpu, int sig)
{
    if (gs.fd < 0 || in_forked_child(cpu))
        return sig;
    pthread_mutex_lock(&stub_lock);
    int r = handle_stop_locked(cpu, sig, sig);
    pthread_mutex_unlock(&stub_lock);
    return r;
}

bool gdbstub_interrupt_pending(void)
{
    return __atomic_exchange_n(&interrupt_requested, 0, __ATOMIC_SEQ_CST) != 0;
}

int gdbstub_handle_interrupt(CPUCommon *cpu)
{
    if (gs.fd < 0 || in_forked_child(cpu))
        return 0;
    pthread_mutex_lock(&stub_lock);
    /* Reported as SIGINT, as gdb expects after Ctrl-C; nothing is pending
     * for the program unless gdb asks for it (C 02). */
    int r = handle_stop_locked(cpu, SIGINT, 0);
    pthread_mutex_unlock(&stub_lock);
    return r;
}

/* ---- the interrupt watcher ---------------------------------------------------- */

static void *watch_main(void *arg)
{
    pthread_mutex_lock(&stub_lock);
    for (;;) {
        while (gs.fd < 0 || !gs.running)
            pthread_cond_wait(&watch_cond, &stub_lock);
        int fd = gs.fd;
        pthread_mutex_unlock(&stub_lock);
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int ready = poll(&pfd, 1, 100);
        pthread_mutex_lock(&stub_lock);
        if (ready <= 0 || gs.fd != fd || !gs.running)
            continue;
        uint8_t c;
        ssize_t n = recv(fd, &c, 1, MSG_DONTWAIT);
        if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
            /* gdb hung up: stop the cpu so the stop loop notices and lets
             * the program run on undebugged. */
            gs.running = false;
            interrupt_requested = 1;
            kick_cpu();
            continue;
        }
        if (n < 0)
            continue;
        if (c == 0x03) {
            interrupt_requested = 1;
            kick_cpu();
        } else {
            /* Not ours: keep it for the stop loop. */
            if (gs.in_pos == gs.in_len)
                gs.in_pos = gs.in_len = 0;
            if (gs.in_len < sizeof(gs.in))
                gs.in[gs.in_len++] = c;
        }
    }
    return NULL;
}

void gdbstub_watch_interrupts(void)
{
    pthread_mutex_lock(&stub_lock);
    if (!watch_started) {
        /* Host signals are the guest's business: never on this thread. */
        sigset_t all, old;
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        pthread_t t;
        if (pthread_create(&t, NULL, watch_main, NULL) == 0) {
            pthread_detach(t);
            watch_started = true;
        }
        pthread_sigmask(SIG_SETMASK, &old, NULL);
    }
    pthread_mutex_unlock(&stub_lock);
}

static void report_end(char kind, int value)
{
    if (gs.fd < 0 || in_forked_child(NULL))
        return;
    char buf[8];
    snprintf(buf, sizeof(buf), "%c%02x", kind, value & 0xff);
    pthread_mutex_lock(&stub_lock);
    send_str(buf);
    disconnect();
    pthread_mutex_unlock(&stub_lock);
}

void gdbstub_report_exit(int status)
{
    report_end('W', status);
}

void gdbstub_report_signal_exit(int sig)
{
    report_end('X', gdbstub_signal_to_gdb(sig));
}

void gdbstub_fork_child(CPUCommon *cpu)
{
    if (gs.fd < 0 && gs.listen_fd < 0)
        return;
    /* The connection belongs to the parent: close our copies without a
     * word to gdb, and run free of the parent's breakpoints. */
    if (gs.fd >= 0)
        close(gs.fd);
    if (gs.listen_fd >= 0)
        close(gs.listen_fd);
    gs.fd = gs.listen_fd = -1;
    gs.running = false;
    bp_remove_all();
    if (cpu)
        set_singlestep(cpu, false);
}
