/*
 * monitor-hmp.c — the human monitor's commands (monitor.h, docs/monitor.md):
 * the line parser, the command table, and what each command prints, in
 * QEMU's words where scripts and people read them ("VM status: running",
 * "unknown command: 'foo'", x's dump lines).
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exec/disas.h"
#include "exec/exec.h"
#include "exec/frontend.h"
#include "softmmu/net.h"
#include "softmmu/chardev.h"
#include "softmmu/cpus.h"
#include "softmmu/display.h"
#include "softmmu/gdb-system.h"
#include "softmmu/input.h"
#include "softmmu/monitor.h"
#include "softmmu/monitor-block.h"
#include "softmmu/monitor-qtree.h"
#include "softmmu/monitor-vmstate.h"
#include "softmmu/runstate.h"
#include "softmmu/tlb.h"

/* ---- output ----------------------------------------------------------------- */

void monout_vprintf(MonOut *o, const char *fmt, va_list ap)
{
    va_list aq;
    va_copy(aq, ap);
    int n = vsnprintf(NULL, 0, fmt, aq);
    va_end(aq);
    if (n < 0)
        return;
    if (o->len + (size_t)n + 1 > o->cap) {
        size_t cap = o->cap ? o->cap : 256;
        while (cap < o->len + (size_t)n + 1)
            cap *= 2;
        o->buf = realloc(o->buf, cap);
        if (!o->buf)
            abort();
        o->cap = cap;
    }
    vsnprintf(o->buf + o->len, (size_t)n + 1, fmt, ap);
    o->len += (size_t)n;
}

void monout_printf(MonOut *o, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    monout_vprintf(o, fmt, ap);
    va_end(ap);
}

void monout_free(MonOut *o)
{
    free(o->buf);
    *o = (MonOut){ 0 };
}

/* ---- the machine -------------------------------------------------------------- */

static CPUCommon *mon_cpu;
static const char *mon_vm_name;

void monitor_set_machine(CPUCommon *cpu, const char *vm_name)
{
    mon_cpu = cpu;
    mon_vm_name = vm_name;
}

CPUCommon *monitor_cpu(void)
{
    return mon_cpu;
}

const char *monitor_vm_name(void)
{
    return mon_vm_name;
}

static int no_machine(MonOut *out)
{
    monout_printf(out, "No CPU available\n");
    return -1;
}

static const char *skip_ws(const char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    return s;
}

/* ---- info --------------------------------------------------------------------- */

static int info_status(MonOut *out)
{
    RunState s = runstate_get();
    if (s == RUN_STATE_RUNNING)
        monout_printf(out, "VM status: running\n");
    else if (s == RUN_STATE_PRELAUNCH)
        monout_printf(out, "VM status: paused (prelaunch)\n");
    else if (s == RUN_STATE_SHUTDOWN)
        monout_printf(out, "VM status: paused (shutdown)\n");
    else
        monout_printf(out, "VM status: paused\n");
    return 0;
}

static int info_version(MonOut *out)
{
    monout_printf(out, "%s (vemu)\n", VEMU_VERSION_STRING);
    return 0;
}

static void dump_regs_on_vcpu(CPUCommon *cpu, void *opaque)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f)
        return;
    cpu->fe->dump_state(cpu, f);
    fclose(f);
    monout_printf(opaque, "%s", text);
    free(text);
}

static int info_registers(MonOut *out)
{
    if (!mon_cpu)
        return no_machine(out);
    cpus_run_on_vcpu(dump_regs_on_vcpu, out);
    return 0;
}

static void chardev_line(void *opaque, const char *id, const char *desc)
{
    monout_printf(opaque, "%s: filename=%s\n", id, desc);
}

static int info_chardev(MonOut *out)
{
    chardev_list(chardev_line, out);
    return 0;
}

static int info_cpus(MonOut *out)
{
    if (!mon_cpu)
        return no_machine(out);
    /* one vcpu, on the thread that runs main() (its id is the pid) */
    monout_printf(out, "* CPU #0: thread_id=%d\n", (int)getpid());
    return 0;
}

static void mtree_line(void *opaque, const char *text)
{
    monout_printf(opaque, "  %s\n", text);
}

static int info_qtree(MonOut *out)
{
    if (!mon_cpu)
        return no_machine(out);
    return hmp_info_qtree(mon_cpu, out);
}

static int info_mtree(MonOut *out)
{
    if (!mon_cpu)
        return no_machine(out);
    monout_printf(out, "address-space: memory\n");
    phys_memory_dump(tlb_cpu_phys(mon_cpu), mtree_line, out);
    return 0;
}

static void network_line(void *opaque, const char *text)
{
    monout_printf(opaque, "%s\n", text);
}

static int info_network(MonOut *out)
{
    net_info(network_line, out);
    return 0;
}

static const struct {
    const char *name, *help;
    int (*fn)(MonOut *out);
} info_items[] = {
    { "block", "show the block devices", hmp_info_block },
    { "chardev", "show the character devices", info_chardev },
    { "cpus", "show infos for each CPU", info_cpus },
    { "mtree", "show memory tree", info_mtree },
    { "qtree", "show device tree", info_qtree },
    { "network", "show the network state", info_network },
    { "registers", "show the cpu registers", info_registers },
    { "snapshots", "show the currently saved VM snapshots", hmp_info_snapshots },
    { "status", "show the current VM status (running|paused)", info_status },
    { "version", "show the version of vemu", info_version },
};
#define N_INFO (sizeof(info_items) / sizeof(info_items[0]))

static int cmd_info(const char *args, MonOut *out)
{
    char item[32];
    size_t n = strcspn(args, " \t");
    if (n == 0 || n >= sizeof(item)) {
        for (size_t i = 0; i < N_INFO; i++)
            monout_printf(out, "info %-18s -- %s\n", info_items[i].name, info_items[i].help);
        return n == 0 ? 0 : -1;
    }
    memcpy(item, args, n);
    item[n] = 0;
    for (size_t i = 0; i < N_INFO; i++)
        if (!strcmp(item, info_items[i].name))
            return info_items[i].fn(out);
    for (size_t i = 0; i < N_INFO; i++)
        monout_printf(out, "info %-18s -- %s\n", info_items[i].name, info_items[i].help);
    return -1;
}

/* ---- run state ------------------------------------------------------------------ */

static int cmd_stop(const char *args, MonOut *out)
{
    (void)args, (void)out;
    vm_stop();
    return 0;
}

static int cmd_cont(const char *args, MonOut *out)
{
    (void)args, (void)out;
    vm_start();
    return 0;
}

static int cmd_system_reset(const char *args, MonOut *out)
{
    (void)args, (void)out;
    runstate_request_reset(SHUTDOWN_CAUSE_HOST_QMP_SYSTEM_RESET);
    runstate_wait_vcpu();
    return 0;
}

static int cmd_system_powerdown(const char *args, MonOut *out)
{
    (void)args, (void)out;
    runstate_request_powerdown();
    return 0;
}

static int cmd_quit(const char *args, MonOut *out)
{
    (void)args, (void)out;
    runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_QMP_QUIT, 0);
    return 0;
}

/* ---- x and xp ----------------------------------------------------------------------- */

int hmp_parse_mem_format(const char *s, char last_format, int last_size, HmpMemFormat *f)
{
    *f = (HmpMemFormat){ .count = 1, .format = 0, .size = 0 };
    if (isdigit((unsigned char)*s)) {
        char *end;
        long c = strtol(s, &end, 10);
        if (c <= 0 || c > 1 << 20)
            return -1;
        f->count = (int)c;
        s = end;
    }
    for (; *s; s++) {
        switch (*s) {
        case 'x': case 'd': case 'u': case 'o': case 'c': case 'i':
            f->format = *s;
            break;
        case 'b': f->size = 1; break;
        case 'h': f->size = 2; break;
        case 'w': f->size = 4; break;
        case 'g': f->size = 8; break;
        default:
            return -1;
        }
    }
    /* what is not given is as the last time (QEMU's x remembers); c
     * keeps the size: count units of it are shown byte by byte, as QEMU's
     * x/5c after x/w shows 20 characters */
    if (!f->format)
        f->format = last_format ? last_format : 'x';
    if (!f->size)
        f->size = f->format == 'i' ? 1 : last_size ? last_size : 4;
    return 0;
}

typedef struct MemRead {
    uint64_t addr;
    uint8_t *buf;
    size_t len;
    bool phys;
    int rc;
} MemRead;

static void read_on_vcpu(CPUCommon *cpu, void *opaque)
{
    MemRead *r = opaque;
    r->rc = r->phys ? sysgdb_read_phys(cpu, r->addr, r->buf, r->len)
                    : sysgdb_read_virt(cpu, r->addr, r->buf, r->len);
}

static void print_char(MonOut *out, uint8_t c)
{
    switch (c) {
    case '\'': monout_printf(out, "'\\''"); break;
    case '\\': monout_printf(out, "'\\\\'"); break;
    case '\n': monout_printf(out, "'\\n'"); break;
    case '\r': monout_printf(out, "'\\r'"); break;
    default:
        if (c >= 32 && c <= 126)
            monout_printf(out, "'%c'", c);
        else
            monout_printf(out, "'\\x%02x'", c);
    }
}

static void print_addr(MonOut *out, uint64_t addr, bool phys)
{
    if (phys)
        monout_printf(out, "%016llx:", (unsigned long long)addr);
    else
        monout_printf(out, "%08llx:", (unsigned long long)addr);
}

static int disassemble(MonOut *out, const uint8_t *code, size_t len, uint64_t addr, int count, bool phys)
{
    int arch, mode;
    uint64_t pc, cs_base, flags = 0;
    if (mon_cpu->fe->get_tb_key)
        mon_cpu->fe->get_tb_key(mon_cpu, &pc, &cs_base, &flags);
    if (!mon_cpu->fe->disas_mode) {
        monout_printf(out, "no disassembler for this cpu\n");
        return -1;
    }
    mon_cpu->fe->disas_mode(flags, &arch, &mode);
    csh h;
    if (!disas_open(arch, mode, &h)) {
        monout_printf(out, "the disassembler (capstone) cannot be loaded\n");
        return -1;
    }
    cs_insn *insn = NULL;
    size_t n = disas_insns(h, code, len, addr, (size_t)count, &insn);
    for (size_t i = 0; i < n; i++) {
        print_addr(out, insn[i].address, phys);
        monout_printf(out, "  %-8s %s\n", insn[i].mnemonic, insn[i].op_str);
    }
    if (n < (size_t)count)
        monout_printf(out, "%s(bad)\n", n ? "" : "");
    disas_free(insn, n);
    disas_close(&h);
    return 0;
}

static char last_format = 'x';
static int last_size = 4;

static int mem_dump(const char *args, MonOut *out, bool phys, const char *cmd)
{
    HmpMemFormat f;
    args = skip_ws(args);
    char fmt[32] = "";
    if (*args == '/') {
        size_t n = strcspn(args + 1, " \t");
        if (n >= sizeof(fmt)) {
            monout_printf(out, "invalid char in format: '%c'\n", args[1]);
            return -1;
        }
        memcpy(fmt, args + 1, n);
        fmt[n] = 0;
        args = skip_ws(args + 1 + n);
    }
    if (hmp_parse_mem_format(fmt, last_format, last_size, &f) < 0) {
        const char *bad = fmt;
        while (*bad && (isdigit((unsigned char)*bad) || strchr("xduocibhwg", *bad)))
            bad++;
        monout_printf(out, "invalid char in format: '%c'\n", *bad ? *bad : fmt[0]);
        return -1;
    }
    if (!*args) {
        monout_printf(out, "%s: missing address\n", cmd);
        return -1;
    }
    char *end;
    unsigned long long addr = strtoull(args, &end, 0);
    if (end == args || *skip_ws(end)) {
        monout_printf(out, "invalid char in expression\n");
        return -1;
    }
    if (!mon_cpu)
        return no_machine(out);
    last_format = f.format;
    if (f.format != 'i')
        last_size = f.size;
    if (!phys && mon_cpu->fe->guest_bits == 32)
        addr &= 0xffffffffull;

    size_t len = (size_t)f.count * (size_t)f.size;
    if (f.format == 'i')
        len = (size_t)f.count * 4;   /* ARM and Thumb: at most 4 bytes an instruction */
    uint8_t *buf = calloc(1, len);
    if (!buf)
        abort();
    /* read what can be read: stop at the first unreadable item */
    size_t got = 0;
    MemRead r = { .phys = phys };
    size_t step = f.format == 'i' ? 2 : (size_t)f.size;
    while (got < len) {
        r.addr = addr + got;
        r.buf = buf + got;
        r.len = len - got;
        cpus_run_on_vcpu(read_on_vcpu, &r);
        if (r.rc == 0) {
            got = len;
            break;
        }
        /* the whole range fails: find how much of it reads */
        r.len = step;
        cpus_run_on_vcpu(read_on_vcpu, &r);
        if (r.rc != 0)
            break;
        got += step;
    }
    int rc = 0;
    if (f.format == 'i') {
        if (got)
            rc = disassemble(out, buf, got, addr, f.count, phys);
        else {
            print_addr(out, addr, phys);
            monout_printf(out, " Cannot access memory\n");
        }
        free(buf);
        return rc;
    }
    int per_line = f.size == 1 ? 8 : 16 / f.size;
    int item = f.size, items = f.count;
    if (f.format == 'c') {
        per_line = f.size == 1 ? 8 : 16;
        item = 1;
        items = f.count * f.size;
    }
    int digits;
    switch (f.format) {
    case 'o': digits = (f.size * 8 + 2) / 3; break;
    case 'u': case 'd': digits = (f.size * 8 * 10 + 32) / 33; break;
    default: digits = f.size * 2; break;
    }
    for (int i = 0; i < items; i++) {
        if (i % per_line == 0) {
            if (i)
                monout_printf(out, "\n");
            print_addr(out, addr + (uint64_t)i * item, phys);
        }
        if ((size_t)(i + 1) * item > got) {
            monout_printf(out, " Cannot access memory");
            break;
        }
        uint64_t v = 0;
        memcpy(&v, buf + (size_t)i * item, item);   /* little-endian host and guest */
        monout_printf(out, " ");
        switch (f.format) {
        case 'o': monout_printf(out, "%#*llo", digits, (unsigned long long)v); break;
        case 'u': monout_printf(out, "%*llu", digits, (unsigned long long)v); break;
        case 'd': {
            int64_t s = f.size == 8 ? (int64_t)v : (int64_t)(v << (64 - 8 * f.size)) >> (64 - 8 * f.size);
            monout_printf(out, "%*lld", digits, (long long)s);
            break;
        }
        case 'c': print_char(out, (uint8_t)v); break;
        default: monout_printf(out, "0x%0*llx", digits, (unsigned long long)v); break;
        }
    }
    monout_printf(out, "\n");
    free(buf);
    return got < len ? -1 : 0;
}

static int cmd_x(const char *args, MonOut *out)
{
    return mem_dump(args, out, false, "x");
}

static int cmd_xp(const char *args, MonOut *out)
{
    return mem_dump(args, out, true, "xp");
}

/* ---- sendkey ------------------------------------------------------------------------------ */

static int cmd_sendkey(const char *args, MonOut *out)
{
    /* sendkey KEYS [HOLD_MS]: the hold time does not matter to a PS/2
     * keyboard that gets press and release at once */
    char keys[128];
    size_t n = strcspn(args, " \t");
    if (!n) {
        monout_printf(out, "Parameter 'keys' is missing\n");
        return -1;
    }
    if (n >= sizeof(keys))
        n = sizeof(keys) - 1;
    memcpy(keys, args, n);
    keys[n] = 0;
    const char *bad;
    int bad_len;
    if (input_send_keys(keys, &bad, &bad_len) < 0) {
        monout_printf(out, "invalid parameter: %.*s\n", bad_len, bad);
        return -1;
    }
    if (!input_have_keyboard()) {
        monout_printf(out, "this machine has no keyboard\n");
        return -1;
    }
    return 0;
}

/* ---- screendump ---------------------------------------------------------------------------- */

static int cmd_screendump(const char *args, MonOut *out)
{
    /* screendump FILENAME [-f FORMAT], QEMU's messages; the flag may also
     * come first.  Device and head are not taken: there is one display. */
    char *copy = strdup(args), *save = NULL, *file = NULL, *format = NULL;
    int rc = -1;
    for (char *w = strtok_r(copy, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
        if (!strcmp(w, "-f")) {
            if (!(format = strtok_r(NULL, " \t", &save))) {
                monout_printf(out, "screendump: format expected\nTry \"help screendump\" for more information\n");
                goto done;
            }
        } else if (!file) {
            file = w;
        } else {
            monout_printf(out, "Error: Device '%s' not found\n", w);
            goto done;
        }
    }
    if (!file) {
        monout_printf(out, "screendump: filename expected\nTry \"help screendump\" for more information\n");
        goto done;
    }
    ScreendumpFormat fmt;
    if (screendump_parse_format(format, &fmt) < 0) {
        monout_printf(out, "Error: invalid parameter value: %s\n", format);
        goto done;
    }
    char *err = NULL;
    rc = display_screendump(file, format, &err);
    if (rc < 0)
        monout_printf(out, "Error: %s\n", err ? err : "screendump failed");
    free(err);
done:
    free(copy);
    return rc;
}

/* ---- gdbserver, help ------------------------------------------------------------------- */

static int cmd_gdbserver(const char *args, MonOut *out)
{
    const char *dev = *args ? args : "tcp::1234";
    if (!mon_cpu)
        return no_machine(out);
    if (sysgdb_listening()) {
        monout_printf(out, "a gdbserver is already running (-gdb or an earlier gdbserver)\n");
        return -1;
    }
    char *err = NULL;
    if (sysgdb_setup(mon_cpu, dev, false, &err) < 0) {
        monout_printf(out, "Could not open gdbserver on device '%s'%s%s\n", dev, err ? ": " : "", err ? err : "");
        free(err);
        return -1;
    }
    monout_printf(out, "Waiting for gdb connection on device '%s'\n", dev);
    return 0;
}

static int cmd_help(const char *args, MonOut *out)
{
    for (const HmpCommand *c = hmp_commands; c->name; c++) {
        if (*args && strcmp(args, c->name))
            continue;
        monout_printf(out, "%s%s%s -- %s\n", c->name, *c->args ? " " : "", c->args, c->help);
    }
    return 0;
}

const HmpCommand hmp_commands[] = {
    { "cont", "", "resume emulation", cmd_cont },
    { "c", "", "resume emulation", cmd_cont },
    { "change", "device filename [format]", "change a removable medium", hmp_change },
    { "commit", "device|all", "commit changes to the disk images (if -snapshot is used) or backing files", hmp_commit },
    { "eject", "[-f] device", "eject a removable medium (use -f to force it)", hmp_eject },
    { "gdbserver", "[device]", "start gdbserver on given device (default 'tcp::1234')", cmd_gdbserver },
    { "help", "[cmd]", "show the help", cmd_help },
    { "?", "[cmd]", "show the help", cmd_help },
    { "delvm", "tag", "delete a VM snapshot from its tag", hmp_delvm },
    { "info", "[subcommand]", "show various information about the system state", cmd_info },
    { "loadvm", "tag", "restore a VM snapshot from its tag", hmp_loadvm },
    { "quit", "", "quit the emulator", cmd_quit },
    { "q", "", "quit the emulator", cmd_quit },
    { "screendump", "filename [-f format]", "save screen to a file (format ppm or png; default ppm)", cmd_screendump },
    { "savevm", "[tag]", "save a VM snapshot. If no tag is provided, a new snapshot is created", hmp_savevm },
    { "sendkey", "keys [hold_ms]", "send keys to the VM (e.g. 'sendkey ctrl-alt-f1')", cmd_sendkey },
    { "stop", "", "stop emulation", cmd_stop },
    { "system_powerdown", "", "send system power down event", cmd_system_powerdown },
    { "system_reset", "", "reset the system", cmd_system_reset },
    { "x", "/fmt addr", "virtual memory dump starting at 'addr'", cmd_x },
    { "xp", "/fmt addr", "physical memory dump starting at 'addr'", cmd_xp },
    { NULL, NULL, NULL, NULL },
};

const HmpCommand *hmp_find_command(const char *name)
{
    for (const HmpCommand *c = hmp_commands; c->name; c++)
        if (!strcmp(c->name, name))
            return c;
    return NULL;
}

int hmp_execute(const char *line, MonOut *out)
{
    line = skip_ws(line);
    if (!*line)
        return 0;
    /* the name ends at a blank or at x's '/' */
    size_t n = strcspn(line, " \t\r\n/");
    char name[64];
    if (n >= sizeof(name))
        n = sizeof(name) - 1;
    memcpy(name, line, n);
    name[n] = 0;
    const HmpCommand *c = hmp_find_command(name);
    if (!c) {
        monout_printf(out, "unknown command: '%s'\n", name);
        return -1;
    }
    /* the arguments, without trailing blanks */
    char *args = strdup(skip_ws(line + n));
    size_t al = strlen(args);
    while (al && isspace((unsigned char)args[al - 1]))
        args[--al] = 0;
    int rc = c->fn(args, out);
    free(args);
    return rc;
}
