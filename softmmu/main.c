/*
 * main.c — vemu-system-arm's main: the command line (options.c), the
 * machine (a MachineClass), the serial ports' chardevs, the log, the
 * gdbstub (-gdb, -s, -S), then the event loop and the vcpu until the
 * machine shuts down.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec/exec.h"
#include "hw-versatile/versatilepb.h"
#include "softmmu/net-slirp.h"
#include "softmmu/net-socket.h"
#include "softmmu/net-tap.h"
#include "softmmu/chardev.h"
#include "softmmu/cpus.h"
#include "softmmu/drive.h"
#include "softmmu/device.h"
#include "softmmu/display.h"
#include "softmmu/gdb-system.h"
#include "softmmu/machine.h"
#include "softmmu/main-loop.h"
#include "softmmu/monitor.h"
#include "softmmu/options.h"
#include "softmmu/runstate.h"
#include "softmmu/savevm.h"
#include "softmmu/tlb.h"

#define VEMU_VERSION VEMU_VERSION_STRING
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

/* -daemonize: the parent waits for the child to say the machine is set
 * up (a byte 0 on the pipe) and exits with 0, or 1 when the child failed
 * (its messages went to the terminal). */
static int daemon_pipe = -1;

static int daemonize_start(void)
{
    int fds[2];
    if (pipe(fds) < 0)
        return -1;
    pid_t pid = fork();
    if (pid < 0)
        return -1;
    if (pid > 0) {
        close(fds[1]);
        char st = 1;
        ssize_t n;
        do
            n = read(fds[0], &st, 1);
        while (n < 0 && errno == EINTR);
        if (n != 1) {
            int ws;
            waitpid(pid, &ws, 0);
            _exit(1);
        }
        _exit(st ? 1 : 0);
    }
    close(fds[0]);
    daemon_pipe = fds[1];
    setsid();
    return 0;
}

static void daemonize_done(void)
{
    if (daemon_pipe < 0)
        return;
    int fd = open("/dev/null", O_RDWR);
    if (fd >= 0) {
        dup2(fd, 0);
        dup2(fd, 1);
        dup2(fd, 2);
        if (fd > 2)
            close(fd);
    }
    char ok = 0;
    ssize_t n = write(daemon_pipe, &ok, 1);
    (void)n;
    close(daemon_pipe);
    daemon_pipe = -1;
}

/* SIGTERM, SIGINT, SIGHUP: an orderly shutdown (SHUTDOWN event with
 * reason host-signal, the terminal restored, the pidfile removed), from a
 * thread that waits for them; every other thread blocks them. */
static atomic_bool vcpu_done;   /* cpus_run returned: main is on its way out */

static void *signal_thread(void *arg)
{
    sigset_t *set = arg;
    int sig;
    while (sigwait(set, &sig) != 0)
        ;
    machine_lock();
    runstate_request_shutdown(SHUTDOWN_CAUSE_HOST_SIGNAL, 0);
    machine_unlock();
    /* A vcpu that cannot look (held by gdb) or a second signal: die of
     * the signal after all (the stdio chardev's handler restores the
     * terminal first). */
    struct timespec three = { 3, 0 };
    int again = sigtimedwait(set, NULL, &three);
    if (again > 0)
        sig = again;
    else if (atomic_load(&vcpu_done))
        return NULL;    /* the shutdown is under way (at-exit work may be slow: sanitizers) */
    sigset_t one;
    sigemptyset(&one);
    sigaddset(&one, sig);
    pthread_sigmask(SIG_UNBLOCK, &one, NULL);
    raise(sig);
    return NULL;
}

static void start_signal_thread(void)
{
    static sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    pthread_t t;
    if (pthread_create(&t, NULL, signal_thread, &set) == 0)
        pthread_detach(t);
}

/* The run state's side of the vcpu loop and of gdb (runstate.h). */
static void resume_from_gdb(void)
{
    machine_lock();
    vm_start();
    machine_unlock();
}

static const CPUsRunState runstate_hooks = {
    .may_run = runstate_vcpu_may_run,
    .parked = runstate_vcpu_parked,
    .did_reset = runstate_did_reset,
    .did_shutdown = runstate_did_shutdown,
};

static const char *pidfile_path;

static void pidfile_remove(void)
{
    if (pidfile_path)
        unlink(pidfile_path);
}

static int pidfile_write(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "%d\n", (int)getpid());
    if (fclose(f) != 0)
        return -1;
    pidfile_path = path;
    return 0;
}

/* A serial port's or a monitor's chardev: chardev:ID, or a spec; stdio
 * once (a second user shares it through its mux). */
static Chardev *stdio_chardev;

static Chardev *open_chardev(const char *spec, const char *id, const char *opt, bool daemonize)
{
    char *err = NULL;
    if (!strncmp(spec, "chardev:", 8)) {
        Chardev *c = chardev_find(spec + 8);
        if (!c)
            fprintf(stderr, "%s: %s %s: no chardev with id '%s'\n", prog, opt, spec, spec + 8);
        return c;
    }
    bool is_stdio = !strcmp(spec, "stdio") || !strcmp(spec, "mon:stdio");
    if (is_stdio && daemonize) {
        fprintf(stderr, "%s: %s %s: cannot use stdio with -daemonize\n", prog, opt, spec);
        return NULL;
    }
    if (is_stdio && stdio_chardev)
        return stdio_chardev;
    Chardev *c = chardev_open(spec, id, &err);
    if (!c) {
        fprintf(stderr, "%s: %s %s: %s\n", prog, opt, spec, err ? err : "cannot open");
        free(err);
        return NULL;
    }
    if (is_stdio)
        stdio_chardev = c;
    return c;
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

    if (o.daemonize && daemonize_start() < 0)
        return die("-daemonize: cannot fork: %s%s", strerror(errno), "");
    start_signal_thread();

    for (int i = 0; i < o.nchardevs; i++) {
        if (!strcmp(o.chardevs[i].spec, "stdio") || !strcmp(o.chardevs[i].spec, "mon:stdio")) {
            if (o.daemonize)
                return die("-chardev %s: cannot use stdio with -daemonize", o.chardevs[i].id, "");
            if (stdio_chardev)
                return die("-chardev %s: stdio is already in use%s", o.chardevs[i].id, "");
        }
        if (!chardev_open(o.chardevs[i].spec, o.chardevs[i].id, &err))
            return die("-chardev id=%s: %s", o.chardevs[i].id, err ? err : "cannot open");
        if (strstr(o.chardevs[i].spec, "stdio"))
            stdio_chardev = chardev_find(o.chardevs[i].id);
    }

    MachineArgs args = {
        .ram_size = ram, .cpu = cpu, .props = o.machine_props,
        .kernel = o.kernel, .initrd = o.initrd, .append = o.append, .dtb = o.dtb,
        .sd_file = o.sd_file, .sd_format = o.sd_format, .sd_readonly = o.sd_readonly,
    };
    /* Serial ports: as given; without -serial the first is the terminal
     * (there is no display, so with or without -nographic), or nothing
     * under -daemonize. */
    const char *serial[SYS_MAX_SERIAL] = { o.daemonize ? "null" : "mon:stdio" };
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
        args.serial[i] = open_chardev(serial[i], id, "-serial", o.daemonize);
        if (!args.serial[i])
            return 1;
    }

    if (o.net_nic || o.net_user) {
        /* QEMU's first NIC address, unless mac= says otherwise */
        static const uint8_t default_mac[6] = { 0x52, 0x54, 0x00, 0x12, 0x34, 0x56 };
        memcpy(args.nic_mac, default_mac, 6);
        unsigned m6[6];
        if (o.net_mac[0]) {
            char tail;
            if (sscanf(o.net_mac, "%x:%x:%x:%x:%x:%x%c", &m6[0], &m6[1], &m6[2], &m6[3], &m6[4], &m6[5],
                       &tail) != 6) {
                fprintf(stderr, "%s: mac=%s: not six hex bytes separated by ':'\n", prog, o.net_mac);
                return 1;
            }
            for (int i = 0; i < 6; i++)
                args.nic_mac[i] = (uint8_t)m6[i];
        }
        args.nic = o.net_nic;
        if (o.net_user) {
            char name[80];
            if (o.netdev_id[0])
                snprintf(name, sizeof name, "%s", o.netdev_id);
            else
                snprintf(name, sizeof name, "%s.0", o.net_backend);
            if (!strcmp(o.net_backend, "tap"))
                args.nic_backend = net_tap_new(o.net_user_opts, name, &err);
            else if (!strcmp(o.net_backend, "socket"))
                args.nic_backend = net_socket_new(o.net_user_opts, name, &err);
            else
                args.nic_backend = net_slirp_new(o.net_user_opts, name, &err);
            if (!args.nic_backend) {
                fprintf(stderr, "%s: -netdev %s: %s\n", prog, o.net_backend, err ? err : "cannot start");
                return 1;
            }
        }
    }

    if (drives_open(&err) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err ? err : "cannot open the drives");
        return 1;
    }
    machine_set_no_reboot(o.no_reboot);
    Machine *m = mc->init(&args, &err);
    if (!m) {
        fprintf(stderr, "%s: %s\n", prog, err ? err : "cannot build the machine");
        return 1;
    }
    if (o.loadvm) {
        /* before the clock and the vcpu start: the machine begins where the
         * snapshot was taken (and runs unless -S) */
        machine_lock();
        int r = loadvm(o.loadvm, &err);
        machine_unlock();
        if (r < 0) {
            fprintf(stderr, "%s: %s\n", prog, err ? err : "cannot load the snapshot");
            return 1;
        }
    }
    runstate_init(o.stopped);
    cpus_runstate = &runstate_hooks;
    runstate_set_vcpu_sync(cpus_sync);
    sysgdb_resume_hook = resume_from_gdb;
    monitor_set_machine(m->cpu, o.name);

    /* Monitors: as given; by default the HMP shares the terminal's mux
     * (C-a c), as QEMU's with -nographic. */
    for (int i = 0; i < o.nmonitors; i++) {
        const SysMonitor *sm = &o.monitors[i];
        Chardev *c;
        if (sm->chardev[0]) {
            c = chardev_find(sm->chardev);
            if (!c) {
                fprintf(stderr, "%s: -mon chardev=%s: chardev '%s' not found\n", prog, sm->chardev, sm->chardev);
                return 1;
            }
        } else {
            char id[32];
            snprintf(id, sizeof(id), "compat_monitor%d", i);
            c = open_chardev(sm->spec, id, sm->control ? "-qmp" : "-monitor", o.daemonize);
            if (!c)
                return 1;
        }
        monitor_attach(c, sm->control ? MONITOR_QMP : MONITOR_HMP);
    }
    if (!o.nmonitors && !o.no_monitor && args.serial[0] && args.serial[0] == stdio_chardev)
        monitor_attach(args.serial[0], MONITOR_HMP);

    if (o.gdb && sysgdb_setup(m->cpu, o.gdb, false, &err) < 0) {
        die("%s%s", err, "");
        free(err);
        return 1;
    }
    if (o.process_name)
        prctl(PR_SET_NAME, o.process_name, 0, 0, 0);
    if (o.pidfile && pidfile_write(o.pidfile) < 0)
        return die("-pidfile %s: cannot write it: %s", o.pidfile, strerror(errno));
    /* The display after the board (its CLCD is the source) and before the
     * loop; -daemonize opens no window unless asked to. */
    DisplayOptions dopts = { .display = o.display, .vnc = o.vnc, .full_screen = o.full_screen,
                             .nographic = o.nographic || o.daemonize };
    if (display_start(&dopts, o.name, &err) < 0) {
        fprintf(stderr, "%s: %s\n", prog, err ? err : "cannot start the display");
        pidfile_remove();
        return 1;
    }
    if (main_loop_start() < 0) {
        fprintf(stderr, "%s: cannot start the event loop\n", prog);
        pidfile_remove();
        return 1;
    }
    daemonize_done();
    int status = cpus_run(m->cpu);
    atomic_store(&vcpu_done, true);
    display_stop();
    main_loop_stop();
    exec_log_at_exit();
    pidfile_remove();
    return status;
}
