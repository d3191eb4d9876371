/*
 * main.c — vemu-system-arm's main: the command line (options.c), the
 * machine (a MachineClass), the serial ports' chardevs, the log, the
 * gdbstub (-gdb, -s, -S), then the event loop and the vcpu until the
 * machine shuts down.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "hw-versatile/versatilepb.h"
#include "softmmu/chardev.h"
#include "softmmu/cpus.h"
#include "softmmu/gdb-system.h"
#include "softmmu/machine.h"
#include "softmmu/main-loop.h"
#include "softmmu/options.h"
#include "softmmu/tlb.h"

#define VEMU_VERSION "0.1"
#define MiB (1024ull * 1024)


static const MachineClass *const machines[] = { &versatilepb_machine };
#define DEFAULT_MACHINE (&versatilepb_machine)

static const char *prog = "vemu-system-arm";

static int die(const char *fmt, const char *a, const char *b)
{
    fprintf(stderr, "%s: ", prog);
    fprintf(stderr, fmt, a, b);
    fputc('\n', stderr);
    return 1;
}

static void print_size(char *buf, size_t n, uint64_t bytes)
{
    if (bytes % MiB == 0)
        snprintf(buf, n, "%lluM", (unsigned long long)(bytes / MiB));
    else
        snprintf(buf, n, "%lluK", (unsigned long long)(bytes / 1024));
}

/* -d guest_errors and -d mmu: the soft TLB's hooks into exec's log. */
static void log_guest_error(CPUCommon *cpu, const char *what, uint64_t paddr, unsigned size, bool is_write)
{
    exec_log("guest error: %s: %s of %u bytes at physical 0x%08llx (pc 0x%08llx)\n", what,
             is_write ? "write" : "read", size, (unsigned long long)paddr,
             (unsigned long long)cpu->fe->get_pc(cpu));
}

static void log_mmu(CPUCommon *cpu, uint64_t vaddr, ExecAccess acc, unsigned mmu_idx, const ExecTLBFill *f)
{
    static const char *const kind[] = { "read", "write", "fetch" };
    if (f)
        exec_log("mmu: %s 0x%08llx idx %u -> 0x%08llx (%u-bit mapping, prot %c%c%c)\n", kind[acc],
                 (unsigned long long)vaddr, mmu_idx, (unsigned long long)f->paddr, f->page_bits,
                 f->prot & EXEC_PROT_READ ? 'r' : '-', f->prot & EXEC_PROT_WRITE ? 'w' : '-',
                 f->prot & EXEC_PROT_EXEC ? 'x' : '-');
    else
        exec_log("mmu: %s 0x%08llx idx %u -> fault\n", kind[acc], (unsigned long long)vaddr, mmu_idx);
}

int main(int argc, char **argv)
{
    SysOptions o;
    char *err = NULL;
    if (argc > 0 && argv[0]) {
        const char *slash = strrchr(argv[0], '/');
        prog = slash ? slash + 1 : argv[0];
    }
    if (sys_options_parse(&o, argc, argv, &err) < 0)
        return die("%s%s", err, "");
    if (o.help) {
        sys_options_usage(stdout, prog);
        return 0;
    }
    if (o.version) {
        printf("%s version %s\n", prog, VEMU_VERSION);
        return 0;
    }
    if (o.log_help) {
        exec_log_parse("help");
        printf("%-10s %s\n%-10s %s\n", "mmu", "page-table walks and MMU faults", "guest_errors",
               "invalid accesses to devices and unassigned addresses");
        return 0;
    }

    const MachineClass *mc = DEFAULT_MACHINE;
    if (o.machine_help) {
        printf("Supported machines are:\n");
        for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
            printf("%-20s %s%s\n", machines[i]->name, machines[i]->desc,
                   machines[i] == DEFAULT_MACHINE ? " (default)" : "");
        return 0;
    }
    if (o.machine) {
        mc = NULL;
        for (size_t i = 0; i < sizeof(machines) / sizeof(machines[0]); i++)
            if (!strcmp(machines[i]->name, o.machine))
                mc = machines[i];
        if (!mc)
            return die("-M %s: unsupported machine type (-M help lists them)", o.machine, "");
    }
    if (o.cpu_help) {
        printf("Available CPUs:\n");
        for (const char *const *c = mc->cpus; *c; c++)
            printf("  %s%s\n", *c, !strcmp(*c, mc->default_cpu) ? " (default)" : "");
        return 0;
    }
    const char *cpu = o.cpu ? o.cpu : mc->default_cpu;
    const char *const *c;
    for (c = mc->cpus; *c && strcmp(*c, cpu); c++)
        ;
    if (!*c)
        return die("unable to find CPU model '%s' (-cpu help lists the %s's)", cpu, mc->name);

    uint64_t ram = o.ram_size ? o.ram_size : mc->default_ram_size;
    if (ram > mc->max_ram_size) {
        char want[32], max[32];
        print_size(want, sizeof(want), ram);
        print_size(max, sizeof(max), mc->max_ram_size);
        fprintf(stderr, "%s: -m %s: %s takes at most %s of RAM (%s)\n", prog, want, mc->name, max,
                mc->max_ram_why);
        return 1;
    }
    char gdb_spec[256];
    if (o.gdb && sysgdb_parse_dev(o.gdb, gdb_spec, sizeof(gdb_spec), &err) < 0) {
        die("%s%s", err, "");           /* before the machine: a typo costs nothing */
        free(err);
        return 1;
    }
    if (o.log_file && exec_log_set_file(o.log_file) < 0)
        return die("-D %s: cannot open the log file", o.log_file, "");
    if (sys_log_mask & SYS_LOG_GUEST_ERRORS)
        tlb_guest_error = log_guest_error;
    if (sys_log_mask & SYS_LOG_MMU)
        tlb_mmu_log = log_mmu;

    MachineArgs args = {
        .ram_size = ram, .cpu = cpu, .props = o.machine_props,
        .kernel = o.kernel, .initrd = o.initrd, .append = o.append, .dtb = o.dtb,
    };
    /* Serial ports: as given; without -serial the first is the terminal
     * (there is no display, so with or without -nographic). */
    const char *serial[SYS_MAX_SERIAL] = { "mon:stdio" };
    int nserial = 1;
    if (o.nserial) {
        nserial = o.nserial;
        memcpy(serial, o.serial, sizeof(serial));
    }
    for (int i = 0; i < nserial; i++) {
        if (!strcmp(serial[i], "none"))
            continue;
        char id[32];   /* "serial" and an int: room for any int */
        snprintf(id, sizeof(id), "serial%d", i);
        args.serial[i] = chardev_open(serial[i], id, &err);
        if (!args.serial[i]) {
            fprintf(stderr, "%s: -serial %s: %s\n", prog, serial[i], err ? err : "cannot open");
            return 1;
        }
    }

    machine_set_no_reboot(o.no_reboot);
    Machine *m = mc->init(&args, &err);
    if (!m) {
        fprintf(stderr, "%s: %s\n", prog, err ? err : "cannot build the machine");
        return 1;
    }
    if ((o.gdb || o.stopped) && sysgdb_setup(m->cpu, o.gdb, o.stopped, &err) < 0) {
        die("%s%s", err, "");
        free(err);
        return 1;
    }
    if (main_loop_start() < 0) {
        fprintf(stderr, "%s: cannot start the event loop\n", prog);
        return 1;
    }
    int status = cpus_run(m->cpu);
    main_loop_stop();
    exec_log_at_exit();
    return status;
}
