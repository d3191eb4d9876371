/*
 * main.c — `vemu-<arch> [options] program [args...]`: the user-mode
 * translator's command line (QEMU-compatible options), then loading the
 * program and entering the cpu loop.
 */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <unistd.h>

#include "exec/exec.h"
#include "linux-user/elfload.h"
#include "linux-user/guest-mem.h"
#include "linux-user/path.h"
#include "linux-user/procfs.h"
#include "linux-user/process.h"
#include "linux-user/stack.h"

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
            "  -accel interp|tcg  run the IR interpreter, or translate to host code (default)\n"
            "                     [VEMU_ACCEL]\n",
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

int main(int argc, char **argv)
{
    const LinuxTarget *t = &linux_target;
    prog = t->prog_name;
    env_init();

    const char *cpu_model = getenv("VEMU_CPU");
    const char *log_items = getenv("VEMU_LOG");
    const char *log_file = getenv("VEMU_LOG_FILENAME");
    const char *accel = getenv("VEMU_ACCEL");
    const char *argv0 = NULL;
    bool strace = getenv("VEMU_STRACE") != NULL;
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
        const char *const with_arg[] = { "L", "E", "U", "0", "cpu", "s", "d", "D", "accel", NULL };
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
        } else if (!strcmp(opt, "accel")) {
            accel = arg;
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
    bool interp = false;
    if (accel) {
        if (!strcmp(accel, "interp"))
            interp = true;
        else if (strcmp(accel, "tcg") && strcmp(accel, "native"))
            die("unknown accelerator '%s' (interp or tcg)", accel);
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
    int r = guest_space_init(t->guest_space_size);
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
        .be = interp ? NULL : &backend_x86_64,
        .host = &linux_host_ops,
        .guest_page_bits = GUEST_PAGE_BITS,
        .optimize = true,
    };
    if (exec_init(&cfg) < 0)
        die("cannot initialise the translator");
    CPUCommon *cpu = exec_cpu_new();
    cpu->guest_base = guest_base;
    const char *model = cpu_model ? cpu_model : t->default_cpu_model;
    if (model && t->set_cpu_model(cpu, model) < 0)
        die("unknown cpu model '%s' (available: %s)", model, t->cpu_model_names);

    if (t->setup_special_pages && (r = t->setup_special_pages(cpu)) < 0)
        die("cannot map the special pages: %s", strerror(-r));

    LinuxImageInfo info;
    char err[1024];
    if (elf_load_program(load_path, &info, err, sizeof(err)) < 0)
        die("%s", err);
    if (load_path != program)
        close(atoi(load_path + strlen("/proc/self/fd/")));
    guest_brk_init(info.brk);

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
    static const char *reexec[16];
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
    if (interp) {
        reexec[nr++] = "-accel";
        reexec[nr++] = "interp";
    }
    static char stack_arg[32];
    snprintf(stack_arg, sizeof(stack_arg), "%llu", (unsigned long long)stack_size);
    reexec[nr++] = "-s";
    reexec[nr++] = stack_arg;
    vemu_reexec_options = reexec;
    vemu_reexec_n_options = nr;

    if ((r = fault_handlers_init()) < 0)
        die("cannot install fault handlers: %s", strerror(-r));
    cpu_loop(cpu);
}
