/*
 * log.c — the -d/-D debug log: guest and host disassembly (capstone),
 * IR dumps, execution traces, statistics.
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "disas.h"
#include "tb.h"

unsigned exec_log_mask;
FILE *exec_log_file;

static const struct {
    const char *name;
    unsigned mask;
    const char *help;
} log_items[] = {
    { "in_asm", LOG_IN_ASM, "guest instructions of each translated block" },
    { "op", LOG_OP, "IR of each block before optimisation" },
    { "op_opt", LOG_OP_OPT, "IR after optimisation" },
    { "out_asm", LOG_OUT_ASM, "host code, interleaved with the guest instructions" },
    { "exec", LOG_EXEC, "each block as it is executed" },
    { "cpu", LOG_CPU, "cpu state before each block" },
    { "unimp", LOG_UNIMP, "unimplemented system calls and features" },
    { "strace", LOG_STRACE, "system calls (same as -strace)" },
    { "int", LOG_INT, "exceptions and signals" },
    { "nochain", LOG_NOCHAIN, "do not chain blocks together" },
    { "stats", LOG_STATS, "translation statistics when the program ends" },
};

int exec_log_parse(const char *spec)
{
    unsigned mask = 0;
    char buf[256];
    if (!strcmp(spec, "help")) {
        printf("Log items (comma separated):\n");
        for (size_t i = 0; i < sizeof(log_items) / sizeof(log_items[0]); i++)
            printf("%-10s %s\n", log_items[i].name, log_items[i].help);
        return -2;
    }
    snprintf(buf, sizeof(buf), "%s", spec);
    for (char *save = NULL, *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        size_t i;
        for (i = 0; i < sizeof(log_items) / sizeof(log_items[0]); i++)
            if (!strcmp(tok, log_items[i].name))
                break;
        if (i == sizeof(log_items) / sizeof(log_items[0])) {
            fprintf(stderr, "vemu: unknown log item '%s' (try -d help)\n", tok);
            return -1;
        }
        mask |= log_items[i].mask;
    }
    exec_log_mask |= mask;
    return (int)mask;
}

int exec_log_set_file(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        perror(path);
        return -1;
    }
    setvbuf(f, NULL, _IOFBF, 1 << 16);
    exec_log_file = f;
    return 0;
}

static FILE *log_out(void)
{
    return exec_log_file ? exec_log_file : stderr;
}

void exec_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(log_out(), fmt, ap);
    va_end(ap);
}

/* Disassemble guest insn i of tb (one instruction at tb_insn_pc(tb, i)). */
static void log_guest_insn(CPUCommon *cpu, csh guest, const TranslationBlock *tb, unsigned i, const char *prefix)
{
    FILE *out = log_out();
    uint64_t pc = tb_insn_pc(tb, i);
    uint64_t end = i + 1 < tb->n_insns ? tb_insn_pc(tb, i + 1) : tb->pc + tb->guest_size;
    uint8_t bytes[16];
    unsigned len = end > pc && end - pc <= sizeof(bytes) ? (unsigned)(end - pc) : 4;
    if (!exec_code_fetch(cpu, pc, bytes, len)) {
        fprintf(out, "%s0x%08llx:  <unreadable>\n", prefix, (unsigned long long)pc);
        return;
    }
    cs_insn *insn;
    size_t n = guest ? disas_insns(guest, bytes, len, pc, 1, &insn) : 0;
    if (n) {
        fprintf(out, "%s0x%08llx:  ", prefix, (unsigned long long)pc);
        for (unsigned k = 0; k < insn[0].size; k++)
            fprintf(out, "%02x", insn[0].bytes[insn[0].size - 1 - k]);
        fprintf(out, "  %-8s %s\n", insn[0].mnemonic, insn[0].op_str);
        disas_free(insn, n);
    } else {
        fprintf(out, "%s0x%08llx:  .word 0x", prefix, (unsigned long long)pc);
        for (unsigned k = len; k-- > 0;)
            fprintf(out, "%02x", bytes[k]);
        fputc('\n', out);
    }
}

static void log_host_range(csh host, const TranslationBlock *tb, uint32_t from, uint32_t to)
{
    FILE *out = log_out();
    if (!host || to <= from)
        return;
    /* Blocks may hold data among their instructions (x86_64: the tag
     * after the exit tail's call): a byte the disassembler refuses is
     * printed as .byte and the listing goes on after it. */
    while (from < to) {
        cs_insn *insn;
        size_t n = disas_insns(host, tb->code + from, to - from, (uintptr_t)tb->code + from, 0, &insn);
        for (size_t k = 0; k < n; k++) {
            fprintf(out, "  0x%012llx:  %-8s %s\n", (unsigned long long)insn[k].address, insn[k].mnemonic,
                    insn[k].op_str);
            from += insn[k].size;
        }
        if (n)
            disas_free(insn, n);
        if (from < to) {
            fprintf(out, "  0x%012llx:  .byte    0x%02x\n", (unsigned long long)(uintptr_t)(tb->code + from),
                    tb->code[from]);
            from++;
        }
    }
}

void log_block(CPUCommon *cpu, const TranslationBlock *tb, const IRBlock *before, const IRBlock *after)
{
    FILE *out = log_out();
    static csh guest, host;
    static uint64_t guest_flags = UINT64_MAX;
    static bool host_open;

    if (tb && guest_flags != tb->flags) {
        int arch, mode;
        if (guest)
            disas_close(&guest);
        guest = 0;
        exec_state.fe->disas_mode(tb->flags, &arch, &mode);
        disas_open(arch, mode, &guest);
        guest_flags = tb->flags;
    }
    if (!host_open && exec_state.be) {
        disas_open(exec_state.be->cs_arch, exec_state.be->cs_mode, &host);
        host_open = true;
    }

    if (tb && exec_log_enabled(LOG_IN_ASM)) {
        fprintf(out, "----------------\nIN: 0x%08llx (flags 0x%llx)\n", (unsigned long long)tb->pc,
                (unsigned long long)tb->flags);
        for (unsigned i = 0; i < tb->n_insns; i++)
            log_guest_insn(cpu, guest, tb, i, "");
        fputc('\n', out);
    }
    if (before) {
        fprintf(out, "OP:\n");
        ir_dump(before, out);
        fputc('\n', out);
    }
    if (after) {
        fprintf(out, "OP after optimisation:\n");
        ir_dump(after, out);
        fputc('\n', out);
    }
    if (tb && tb->code && exec_log_enabled(LOG_OUT_ASM)) {
        fprintf(out, "OUT: [size=%u]\n", tb->code_size);
        uint32_t start = tb->n_insns ? tb->insn_off[0] : tb->code_size;
        log_host_range(host, tb, 0, start);
        for (unsigned i = 0; i < tb->n_insns; i++) {
            uint32_t end = i + 1 < tb->n_insns ? tb->insn_off[i + 1] : tb->code_size;
            log_guest_insn(cpu, guest, tb, i, "-- ");
            log_host_range(host, tb, tb->insn_off[i], end);
        }
        fputc('\n', out);
    }
    fflush(out);
}

const char *exec_stats_file;

void exec_stats_report(void)
{
    if (!exec_stats_file || !exec_log_enabled(LOG_STATS))
        return;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    if (!mem)
        return;
    fprintf(mem, "process %d\n", (int)getpid());
    exec_stats_print(mem);
    if (fclose(mem) != 0) {
        free(text);
        return;
    }
    /* One write to an O_APPEND file: the reports of processes that end at
     * the same time do not interleave. */
    int fd = open(exec_stats_file, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0 || write(fd, text, len) != (ssize_t)len)
        fprintf(stderr, "vemu: cannot append statistics to %s\n", exec_stats_file);
    if (fd >= 0)
        close(fd);
    free(text);
    memset(&exec_stats, 0, sizeof(exec_stats));
}

void exec_log_at_exit(void)
{
    if (exec_log_enabled(LOG_STATS) && exec_stats_file)
        exec_stats_report();
    else if (exec_log_enabled(LOG_STATS))
        exec_stats_print(log_out());
    if (exec_log_file)
        fflush(exec_log_file);
}

void exec_stats_print(FILE *out)
{
    const ExecStats *st = &exec_stats;
    double blocks = st->blocks_translated ? (double)st->blocks_translated : 1;
    double insns = st->guest_insns_translated ? (double)st->guest_insns_translated : 1;
    fprintf(out,
            "blocks translated     %llu (first tier %llu, hot and translated again %llu)\n"
            "guest insns translated %llu\n"
            "host code bytes       %llu (%.1f per guest insn, %.0f per block)\n"
            "translation time      %.3f ms (%.2f us per block)\n"
            "loop lookups          %llu\n"
            "indirect lookups      %llu (misses %llu)\n"
            "chains made           %llu\n"
            "flushes               %llu\n"
            "invalidations         %llu\n",
            (unsigned long long)st->blocks_translated, (unsigned long long)st->tier0_blocks,
            (unsigned long long)st->promotions, (unsigned long long)st->guest_insns_translated,
            (unsigned long long)st->host_bytes, st->host_bytes / insns, st->host_bytes / blocks,
            st->translate_ns / 1e6, st->translate_ns / 1e3 / blocks,
            (unsigned long long)st->loop_lookups, (unsigned long long)st->code_lookups,
            (unsigned long long)st->code_lookup_misses, (unsigned long long)st->chains_made,
            (unsigned long long)st->flushes, (unsigned long long)st->invalidations);
    if (st->persist_on)
        fprintf(out,
                "cache hits            %llu (blocks loaded from the translation cache, %.3f ms)\n"
                "cache misses          %llu (moved %llu; out of reach %llu)\n"
                "cache rejected        %llu (entries failing validation; bad files %llu)\n"
                "cache blocks saved    %llu (not saveable %llu; %.3f ms)\n",
                (unsigned long long)st->persist_hits, st->persist_load_ns / 1e6,
                (unsigned long long)st->persist_misses,
                (unsigned long long)st->persist_moved, (unsigned long long)st->persist_far,
                (unsigned long long)st->persist_rejected,
                (unsigned long long)st->persist_bad_files, (unsigned long long)st->persist_saved,
                (unsigned long long)st->persist_unsaveable, st->persist_save_ns / 1e6);
}
