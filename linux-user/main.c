/*
 * main.c — `vemu-<arch> [options] program [args...]`: the user-mode
 * translator's command line (QEMU-compatible options), then loading the
 * program and entering the cpu loop.
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec/exec.h"
#include "gdbstub/gdbstub.h"
#include "host/host-backend.h"
#include "linux-user/pcache.h"
#include "linux-user/elfload.h"
#include "linux-user/guest-mem.h"
#include "linux-user/path.h"
#include "linux-user/procfs.h"
#include "linux-user/process.h"
#include "linux-user/stack.h"
#include "linux-user/vdso.h"

#define VEMU_VERSION "0.1"

#ifndef AT_FLAGS_PRESERVE_ARGV0
#define AT_FLAGS_PRESERVE_ARGV0 1   /* Linux 5.12: binfmt_misc's P flag */
#endif

extern char **environ;
extern const char *guest_exe_path;

static const char *prog;

static _Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static void usage(FILE *out)
{
    fprintf(out,
            "usage: %s [options] program [arguments...]\n"
            "Runs a Linux %s program on this host.\n"
            "\n"
            "Options (environment variable in brackets):\n"
            "  -h, -help          print this help and exit\n"
            "  -version           print the version and exit\n"
            "  -L path            look up absolute paths (the program interpreter, libraries)\n"
            "                     under path first [VEMU_LD_PREFIX]\n"
            "  -E var=value       set an environment variable for the program\n"
            "  -U var             remove an environment variable for the program\n"
            "  -0 argv0           use argv0 as the program's argv[0]\n"
            "  -cpu model         cpu model (-cpu help lists them) [VEMU_CPU]\n"
            "  -s size            stack size, with optional k/M/G suffix (default 8M) [VEMU_STACK_SIZE]\n"
            "  -d item[,...]      enable logging (-d help lists the items) [VEMU_LOG]\n"
            "  -D logfile         write logs to logfile instead of stderr [VEMU_LOG_FILENAME]\n"
            "  -strace            log system calls [VEMU_STRACE]\n"
            "  -g port            wait for gdb on this TCP port (localhost), or Unix socket\n"
            "                     path, before the program starts [VEMU_GDB]\n"
            "  -accel interp|tcg  run the IR interpreter, or translate to host code (default)\n"
            "                     [VEMU_ACCEL]\n"
            "  -B address         place the guest address space at this host address\n"
            "                     [VEMU_GUEST_BASE]\n"
            "  -R size            guest address space size, k/M/G suffixes (default and\n"
            "                     maximum: the target's whole space) [VEMU_RESERVED_VA]\n"
            "  -no-cache          do not read or write the persistent translation cache\n"
            "                     [VEMU_CACHE=off]; it lives in $VEMU_CACHE_DIR, else\n"
            "                     $XDG_CACHE_HOME/vemu, else ~/.cache/vemu (limit:\n"
            "                     VEMU_CACHE_SIZE, default 1G)\n",
            prog, linux_target.name);
}

/* A private memfd copy of an open file; the fd or -errno. */
static int copy_to_memfd(int fd)
{
    int m = memfd_create("vemu-program", MFD_CLOEXEC);
    if (m < 0)
        return -errno;
    char buf[65536];
    off_t off = 0;
    for (;;) {
        ssize_t n = pread(fd, buf, sizeof(buf), off);
        if (n < 0) {
            int e = errno;
            close(m);
            return -e;
        }
        if (n == 0)
            return m;
        if (write(m, buf, (size_t)n) != n) {
            int e = errno;
            close(m);
            return -e;
        }
        off += n;
    }
}

static uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s)
        die("invalid size '%s'", s);
    switch (*end) {
    case 'k': case 'K': v <<= 10; end++; break;
    case 'm': case 'M': v <<= 20; end++; break;
    case 'g': case 'G': v <<= 30; end++; break;
    }
    if (*end)
        die("invalid size '%s'", s);
    return v;
}

/* The guest's environment: ours, edited by -E and -U. */
static char **env;
static size_t n_env;

static void env_init(void)
{
    for (n_env = 0; environ[n_env]; n_env++)
        ;
    env = calloc(n_env + 1, sizeof(*env));
    if (!env)
        die("out of memory");
    memcpy(env, environ, n_env * sizeof(*env));
}

static void env_unset(const char *name)
{
    size_t len = strlen(name);
    for (size_t i = 0; i < n_env; i++) {
        if (strncmp(env[i], name, len) == 0 && env[i][len] == '=') {
            memmove(&env[i], &env[i + 1], (n_env - i) * sizeof(*env));
            n_env--;
            i--;
        }
    }
}

static void env_set(const char *assignment)
{
    const char *eq = strchr(assignment, '=');
    if (!eq || eq == assignment)
        die("-E expects var=value, not '%s'", assignment);
    char *name = strndup(assignment, (size_t)(eq - assignment));
    env_unset(name);
    free(name);
    char **n = realloc(env, (n_env + 2) * sizeof(*env));
    if (!n)
        die("out of memory");
    env = n;
    env[n_env++] = (char *)assignment;
    env[n_env] = NULL;
}

/* ---- -g: the gdbstub sees guest memory through these ------------------- */

static int gdb_read_mem(void *opaque, uint64_t addr, void *buf, size_t len)
{
    /* Code the guest may only execute is readable too (gdb disassembles
     * it); the host maps such pages readable. */
    if (addr + len < addr || addr + len > guest_space_size)
        return -1;
    for (uint64_t a = addr & GUEST_PAGE_MASK; a < addr + len; a += GUEST_PAGE_SIZE)
        if (!(page_flags_at(a) & (PAGE_READ | PAGE_EXEC)))
            return -1;
    memcpy(buf, g2h(addr), len);
    return 0;
}

static int gdb_write_mem(void *opaque, uint64_t addr, const void *buf, size_t len)
{
    return copy_to_guest(addr, buf, len) < 0 ? -1 : 0;
}

static int64_t gdb_thread_id(void *opaque, CPUCommon *cpu)
{
    return gettid();    /* the stopped cpu runs on this host thread */
}

/* Wait for gdb, then let it look around before the first instruction. */
static void gdb_start(const char *port, CPUCommon *cpu)
{
    static const GdbOwnerOps ops = {
        .read_mem = gdb_read_mem,
        .write_mem = gdb_write_mem,
        .thread_id = gdb_thread_id,
    };
    const GdbArch *arch = gdbstub_arch_find(linux_target.fe->name);
    if (!arch || gdbstub_init(arch, &ops) < 0)
        die("no gdb support for %s guests", linux_target.name);
    if (gdbstub_listen(port) < 0 || gdbstub_wait_attach() < 0)
        die("cannot wait for gdb on %s", port);
    int sig = gdbstub_handle_stop(cpu, 0);
    if (sig == GDBSTUB_KILL)
        die_by_signal(SIGKILL);
    if (sig > 0)
        queue_guest_signal(sig, &(GuestSiginfo){ .signo = sig });
}

int main(int argc, char **argv)
{
    const LinuxTarget *t = &linux_target;
    prog = t->prog_name;
    env_init();

    const char *cpu_model = getenv("VEMU_CPU");
    const char *log_items = getenv("VEMU_LOG");
    const char *log_file = getenv("VEMU_LOG_FILENAME");
    exec_stats_file = getenv("VEMU_STATS_FILE");   /* see exec_stats_report */
    const char *accel = getenv("VEMU_ACCEL");
    const char *guest_base_opt = getenv("VEMU_GUEST_BASE");
    const char *reserved_va_opt = getenv("VEMU_RESERVED_VA");
    const char *gdb_port = getenv("VEMU_GDB");
    const char *argv0 = NULL;
    bool strace = getenv("VEMU_STRACE") != NULL;
    bool no_cache = false;
    uint64_t stack_size = DEFAULT_STACK_SIZE;
    if (getenv("VEMU_STACK_SIZE"))
        stack_size = parse_size(getenv("VEMU_STACK_SIZE"));
    guest_ld_prefix = getenv("VEMU_LD_PREFIX");

    /* Started by binfmt_misc with the P flag: argv is vemu PATH ARGV0 ARGS...
     * and the kernel says so in AT_FLAGS; there are no options to parse. */
    bool binfmt_preserve_argv0 = (getauxval(AT_FLAGS) & AT_FLAGS_PRESERVE_ARGV0) && argc >= 3;
    int i = 1;
    for (; !binfmt_preserve_argv0 && i < argc && argv[i][0] == '-'; i++) {
        const char *opt = argv[i] + 1;
        if (*opt == '-') {
            if (!opt[1]) {          /* "--" ends the options */
                i++;
                break;
            }
            opt++;                  /* --opt is the same as -opt */
        }
        /* Options with an argument. */
        const char *const with_arg[] = { "L", "E", "U", "0", "cpu", "s", "d", "D", "accel", "g", "B", "R", NULL };
        bool takes_arg = false;
        for (int k = 0; with_arg[k]; k++)
            takes_arg |= strcmp(opt, with_arg[k]) == 0;
        const char *arg = NULL;
        if (takes_arg) {
            if (i + 1 >= argc)
                die("option -%s needs an argument", opt);
            arg = argv[++i];
        }
        if (!strcmp(opt, "h") || !strcmp(opt, "help")) {
            usage(stdout);
            return 0;
        } else if (!strcmp(opt, "version")) {
            printf("%s version %s\n", prog, VEMU_VERSION);
            printf("vemu: runs Linux %s programs on this host by binary translation\n", t->name);
            return 0;
        } else if (!strcmp(opt, "L")) {
            guest_ld_prefix = arg;
        } else if (!strcmp(opt, "E")) {
            env_set(arg);
        } else if (!strcmp(opt, "U")) {
            env_unset(arg);
        } else if (!strcmp(opt, "0")) {
            argv0 = arg;
        } else if (!strcmp(opt, "cpu")) {
            cpu_model = arg;
        } else if (!strcmp(opt, "s")) {
            stack_size = parse_size(arg);
        } else if (!strcmp(opt, "d")) {
            log_items = arg;
        } else if (!strcmp(opt, "D")) {
            log_file = arg;
        } else if (!strcmp(opt, "strace")) {
            strace = true;
        } else if (!strcmp(opt, "no-cache")) {
            no_cache = true;
        } else if (!strcmp(opt, "accel")) {
            accel = arg;
        } else if (!strcmp(opt, "B")) {
            guest_base_opt = arg;
        } else if (!strcmp(opt, "R")) {
            reserved_va_opt = arg;
        } else if (!strcmp(opt, "g")) {
            gdb_port = arg;
        } else {
            fprintf(stderr, "%s: unknown option '%s'\n", prog, argv[i]);
            usage(stderr);
            return 1;
        }
    }

    if (cpu_model && !strcmp(cpu_model, "help")) {
        printf("Available cpu models: %s\n", t->cpu_model_names);
        return 0;
    }
    if (log_items) {
        int m = exec_log_parse(log_items);
        if (m == -2)
            return 0;
        if (m < 0)
            return 1;
        exec_log_mask |= (unsigned)m;
    }
    if (strace)
        exec_log_mask |= LOG_STRACE;
    if (log_file && exec_log_set_file(log_file) < 0)
        die("cannot open log file %s: %s", log_file, strerror(errno));
    if (!exec_log_file)
        exec_log_file = stderr;
    /* Without a backend for this host (host_backend() NULL: an aarch64
     * build today) the interpreter is the default, and the only choice. */
    bool interp = host_backend() == NULL;
    if (accel) {
        if (!strcmp(accel, "interp"))
            interp = true;
        else if (strcmp(accel, "tcg") && strcmp(accel, "native"))
            die("unknown accelerator '%s' (interp or tcg)", accel);
        else if (!host_backend())
            die("-accel %s: this build has no backend for its host (only -accel interp)", accel);
    }

    if (i >= argc) {
        fprintf(stderr, "%s: no program given\n", prog);
        usage(stderr);
        return 1;
    }
    const char *program = argv[i];
    /* binfmt_misc with the O flag: the kernel opened the program for us
     * (it may be execute-only).  Load a private copy. */
    const char *load_path = program;
    char fd_path[64];
    int execfd = (int)getauxval(AT_EXECFD);
    if (execfd > 0) {
        int copy = copy_to_memfd(execfd);
        if (copy < 0)
            die("%s: cannot read the program from binfmt_misc's descriptor: %s", program,
                strerror(-copy));
        close(execfd);
        snprintf(fd_path, sizeof(fd_path), "/proc/self/fd/%d", copy);
        load_path = fd_path;
    } else if (access(program, F_OK) < 0) {
        die("%s: %s", program, strerror(errno));
    }
    char *real = realpath(program, NULL);
    guest_exe_path = real ? real : program;

    /* The guest address space, then the engine, then the program. */
    /* -B and -R.  The space cannot be smaller than the target's: 32-bit
     * ARM's stack and kuser helper page sit at its top (qemu-arm aborts
     * with a smaller -R too). */
    uint64_t space_size = t->guest_space_size;
    if (reserved_va_opt) {
        uint64_t rv = parse_size(reserved_va_opt);
        if (rv > t->guest_space_size)
            die("-R %s: more than the %s guest's %llu bytes of address space", reserved_va_opt,
                t->name, (unsigned long long)t->guest_space_size);
        if (rv && rv < t->guest_space_size)
            die("-R %s: the %s guest needs its whole %llu-byte address space (its stack and "
                "special pages are at the top)", reserved_va_opt, t->name,
                (unsigned long long)t->guest_space_size);
    }
    uintptr_t base_req = 0;
    if (guest_base_opt) {
        uint64_t b = parse_size(guest_base_opt);
        if (b & (GUEST_PAGE_SIZE - 1) || (long)b & (sysconf(_SC_PAGESIZE) - 1))
            die("-B %s: not page-aligned", guest_base_opt);
        base_req = (uintptr_t)b;
    }
    int r = guest_space_init_at(space_size, base_req);
    if (r < 0 && base_req)
        die("cannot place the guest address space at -B 0x%llx: %s",
            (unsigned long long)base_req, r == -EEXIST ? "the range is in use" : strerror(-r));
    if (r < 0)
        die("cannot reserve %llu bytes of guest address space: %s",
            (unsigned long long)t->guest_space_size, strerror(-r));
    guest_mmap_min = t->mmap_min_addr;
    /* Like Linux's mmap_base: leave at least 128 MiB (or the stack size)
     * below the stack for it to grow. */
    uint64_t gap = stack_size > (128u << 20) ? stack_size : (128u << 20);
    if (gap > t->stack_top / 2)
        die("stack size too large");
    guest_mmap_top = t->stack_top - GUEST_PAGE_ALIGN(gap);

    ExecConfig cfg = {
        .fe = t->fe,
        .be = interp ? NULL : host_backend(),
        .host = &linux_host_ops,
        .guest_page_bits = GUEST_PAGE_BITS,
        .optimize = true,
        .precise_state = gdb_port != NULL,   /* gdb sees exact flags at every stop */
    };
    if (exec_init(&cfg) < 0)
        die("cannot initialise the translator");
    CPUCommon *cpu = exec_cpu_new();
    cpu->guest_base = guest_base;
    const char *model = cpu_model ? cpu_model : t->default_cpu_model;
    if (model && t->set_cpu_model(cpu, model) < 0)
        die("unknown cpu model '%s' (available: %s)", model, t->cpu_model_names);
    pcache_setup(no_cache, model);

    if (t->setup_special_pages && (r = t->setup_special_pages(cpu)) < 0)
        die("cannot map the special pages: %s", strerror(-r));

    LinuxImageInfo info;
    char err[1024];
    r = elf_load_program(load_path, &info, err, sizeof(err));
    if (r == ELF_LOAD_FATAL) {
        /* Linux would kill the half-exec'd process: the same status. */
        fprintf(stderr, "%s: %s\n", prog, err);
        die_by_signal(SIGSEGV);
    }
    if (r < 0)
        die("%s", err);
    if (load_path != program)
        close(atoi(load_path + strlen("/proc/self/fd/")));
    guest_brk_init(info.brk);
    if ((r = vdso_map(&info)) < 0)
        die("cannot map the vDSO: %s", strerror(-r));

    int guest_argc = argc - i;
    char **guest_argv = &argv[i];
    if (binfmt_preserve_argv0) {     /* PATH ARGV0 ARGS: the program sees ARGV0 ARGS */
        guest_argc--;
        guest_argv++;
    }
    if (argv0)
        guest_argv[0] = (char *)argv0;
    if (setup_initial_stack(cpu, &info, stack_size, guest_argc, guest_argv, env, program, err,
                            sizeof(err)) < 0)
        die("%s", err);
    t->init_thread(cpu, &info);
    procfs_init(&info);

    signals_init();
    /* What a guest execve of another guest program passes on. */
    static const char *reexec[24];
    int nr = 0;
    if (guest_ld_prefix) {
        reexec[nr++] = "-L";
        reexec[nr++] = guest_ld_prefix;
    }
    if (cpu_model) {
        reexec[nr++] = "-cpu";
        reexec[nr++] = cpu_model;
    }
    if (log_items) {
        reexec[nr++] = "-d";
        reexec[nr++] = log_items;
    }
    if (strace)
        reexec[nr++] = "-strace";
    if (no_cache)
        reexec[nr++] = "-no-cache";
    if (interp) {
        reexec[nr++] = "-accel";
        reexec[nr++] = "interp";
    }
    if (guest_base_opt) {
        reexec[nr++] = "-B";
        reexec[nr++] = guest_base_opt;
    }
    if (reserved_va_opt) {
        reexec[nr++] = "-R";
        reexec[nr++] = reserved_va_opt;
    }
    static char stack_arg[32];
    snprintf(stack_arg, sizeof(stack_arg), "%llu", (unsigned long long)stack_size);
    reexec[nr++] = "-s";
    reexec[nr++] = stack_arg;
    vemu_reexec_options = reexec;
    vemu_reexec_n_options = nr;

    if ((r = fault_handlers_init()) < 0)
        die("cannot install fault handlers: %s", strerror(-r));
    if (gdb_port)
        gdb_start(gdb_port, cpu);
    cpu_loop(cpu);
}
