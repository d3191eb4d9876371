/*
 * vemu-binfmt.c — registers vemu's user-mode translators with the kernel's
 * binfmt_misc, so that `./hello-armel` runs directly (the way multi-arch
 * container builds use an emulator).
 *
 *   vemu-binfmt install [ARCH...]    register (default: every built arch)
 *   vemu-binfmt uninstall [ARCH...]  remove vemu's registrations
 *   vemu-binfmt status | doctor      what is registered, and what is wrong
 *   vemu-binfmt conf ARCH            print the binfmt.d line (used by make)
 *
 * docs/binfmt.md explains the flags and what vemu-<arch> does with them.
 */
#include "tools/binfmt-arch.h"
#include "tools/binfmt-proc.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define VEMU_BINFMT_VERSION "0.1"

/* P: busybox-style programs need their argv[0]; F: the kernel opens the
 * interpreter now, so it also works inside containers and chroots.  O and C
 * are opt-in: O only matters for execute-only programs, and C runs setuid
 * programs with their owner's rights inside the translator. */
#define DEFAULT_FLAGS "PF"
#define KNOWN_FLAGS "POCF"

static const char *prog = "vemu-binfmt";

static struct {
    const char *flags;
    const char *name;
    const char *interpreter;
    bool force;
    bool quiet;
} opt = { .flags = DEFAULT_FLAGS };

static void usage(FILE *out)
{
    fprintf(out,
            "usage: %s install [options] [ARCH...]\n"
            "       %s uninstall [--name NAME] [ARCH...]\n"
            "       %s status | doctor\n"
            "       %s conf [options] ARCH\n"
            "Registers vemu's translators with binfmt_misc so that foreign Linux programs\n"
            "run directly (./hello-armel).  ARCH: arm, i386, x86_64 (default: every built\n"
            "guest).  Guests the host cpu runs natively (i386 and x86_64 on an x86_64\n"
            "host) are refused: their entry would capture the machine's own programs.\n"
            "\n"
            "Options:\n"
            "  -f, --flags FLAGS        binfmt_misc flags, any of P O C F (default %s)\n"
            "                           P keep argv[0]; O pass the program as an open fd;\n"
            "                           C credentials from the program (implies O);\n"
            "                           F open the interpreter now (works in containers)\n"
            "  -n, --name NAME          entry name (default vemu-ARCH; one ARCH only)\n"
            "  -i, --interpreter PATH   translator to run (default: vemu-ARCH next to\n"
            "                           this program)\n"
            "      --force              replace an existing entry of the same name\n"
            "  -q, --quiet              print only errors\n"
            "  -h, --help               print this help and exit\n"
            "  -V, --version            print the version and exit\n"
            "\n"
            "install and uninstall need root; status works for everybody.\n",
            prog, prog, prog, prog, DEFAULT_FLAGS);
}

static void say(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void say(const char *fmt, ...)
{
    if (opt.quiet)
        return;
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    fflush(stdout);
}

static void err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static void err(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "%s: ", prog);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

/* ---- arguments ---------------------------------------------------------- */

/* Resolves ARCH arguments (or every built arch if none) into arches[];
 * refuses unknown and not-yet-built guests, and for a registration
 * (install, conf) guests this host runs natively.  Returns the count or -1. */
static int pick_arches_for(int argc, char **argv, const BinfmtArch **arches, bool registering)
{
    int n = 0;
    if (argc == 0) {
        for (size_t i = 0; i < binfmt_n_arches; i++)
            if (binfmt_arches[i].built && !(registering && binfmt_arch_native_host(&binfmt_arches[i])))
                arches[n++] = &binfmt_arches[i];
        return n;
    }
    for (int i = 0; i < argc; i++) {
        const BinfmtArch *a = binfmt_arch_find(argv[i]);
        if (!a) {
            fprintf(stderr, "%s: unknown architecture '%s' (known:", prog, argv[i]);
            for (size_t k = 0; k < binfmt_n_arches; k++)
                fprintf(stderr, " %s", binfmt_arches[k].name);
            fprintf(stderr, ")\n");
            return -1;
        }
        const char *host = registering ? binfmt_arch_native_host(a) : NULL;
        if (host) {
            err("%s programs run natively on this %s host: an entry for %s would capture "
                "every native %s program on the machine; refused (run %s ./program instead)",
                a->name, host, a->interp, a->name, a->interp);
            return -1;
        }
        if (!a->built) {
            err("%s is not built yet", a->interp);
            return -1;
        }
        for (int k = 0; k < n; k++)
            if (arches[k] == a)
                goto dup;
        arches[n++] = a;
    dup:;
    }
    return n;
}

static int pick_arches(int argc, char **argv, const BinfmtArch **arches)
{
    return pick_arches_for(argc, argv, arches, true);
}

static bool valid_flags(const char *flags)
{
    for (const char *p = flags; *p; p++)
        if (!strchr(KNOWN_FLAGS, *p) || strchr(p + 1, *p))
            return false;
    return true;
}

static bool valid_name(const char *name)
{
    if (!*name || strlen(name) > 200 || !strcmp(name, "register") || !strcmp(name, "status") ||
        name[0] == '.')
        return false;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == ':' || *p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

/* The default interpreter: vemu-ARCH in the directory of this program. */
static char *default_interpreter(const BinfmtArch *a)
{
    char self[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (len < 0)
        return NULL;
    self[len] = '\0';
    char *path = NULL;
    if (asprintf(&path, "%s/%s", dirname(self), a->interp) < 0)
        return NULL;
    return path;
}

static char *interpreter_for(const BinfmtArch *a)
{
    if (!opt.interpreter)
        return default_interpreter(a);
    char *abs = realpath(opt.interpreter, NULL);
    if (abs)
        return abs;
    /* A path that does not exist yet (conf for `make install`): keep it. */
    return strdup(opt.interpreter);
}

static const char *entry_name(const BinfmtArch *a, char *buf, size_t size)
{
    if (opt.name)
        return opt.name;
    snprintf(buf, size, "%s", a->interp);
    return buf;
}

/* Is the ELF file at path dynamically linked (has PT_INTERP)?  -1: can't tell. */
static int is_dynamic_elf(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    Elf64_Ehdr eh;
    int result = -1;
    if (pread(fd, &eh, sizeof(eh), 0) == sizeof(eh) && !memcmp(eh.e_ident, ELFMAG, SELFMAG) &&
        eh.e_ident[EI_CLASS] == ELFCLASS64 && eh.e_phentsize == sizeof(Elf64_Phdr)) {
        result = 0;
        for (unsigned i = 0; i < eh.e_phnum; i++) {
            Elf64_Phdr ph;
            if (pread(fd, &ph, sizeof(ph), (off_t)(eh.e_phoff + i * sizeof(ph))) != sizeof(ph)) {
                result = -1;
                break;
            }
            if (ph.p_type == PT_INTERP)
                result = 1;
        }
    }
    close(fd);
    return result;
}

/* ---- install / uninstall ------------------------------------------------ */

static bool need_root(const char *what)
{
    if (geteuid() == 0)
        return true;
    err("%s needs root (binfmt_misc registrations are system-wide); "
        "try: sudo %s %s", what, prog, what);
    return false;
}

static bool mount_binfmt(void)
{
    bool mounted_now;
    int r = binfmt_ensure_mounted(BINFMT_MISC_DIR, &mounted_now);
    if (r < 0) {
        err("cannot mount binfmt_misc at %s: %s", BINFMT_MISC_DIR, strerror(-r));
        return false;
    }
    if (mounted_now)
        say("mounted binfmt_misc at %s\n", BINFMT_MISC_DIR);
    return true;
}

/* Checks everything for one arch before anything is changed, so that a
 * refusal leaves no partial state.  Fills *line_out. */
static bool prepare_install(const BinfmtArch *a, char **line_out, char **interp_out)
{
    char namebuf[256];
    const char *name = entry_name(a, namebuf, sizeof(namebuf));
    char *interp = interpreter_for(a);
    if (!interp) {
        err("cannot find my own location to locate %s; use --interpreter", a->interp);
        return false;
    }
    struct stat st;
    if (stat(interp, &st) < 0) {
        err("interpreter %s: %s (build it, or give --interpreter PATH)", interp, strerror(errno));
        goto fail;
    }
    if (!S_ISREG(st.st_mode) || access(interp, X_OK) < 0) {
        err("interpreter %s is not an executable file", interp);
        goto fail;
    }
    if (interp[0] != '/') {
        err("interpreter %s must be an absolute path", interp);
        goto fail;
    }
    if (strlen(interp) > 127) {
        err("interpreter path %s is longer than binfmt_misc's 127 characters", interp);
        goto fail;
    }
    BinfmtEntry old;
    if (binfmt_read_entry(BINFMT_MISC_DIR, name, &old) == 0 && !opt.force) {
        err("an entry named '%s' already exists (interpreter %s, flags %s); "
            "use --force to replace it, or --name to pick another name",
            name, old.interpreter, old.flags[0] ? old.flags : "none");
        goto fail;
    }
    *line_out = binfmt_register_line(a, name, interp, opt.flags);
    *interp_out = interp;
    return *line_out != NULL;
fail:
    free(interp);
    return false;
}

static int install_one(const BinfmtArch *a, const char *line, const char *interp)
{
    char namebuf[256];
    const char *name = entry_name(a, namebuf, sizeof(namebuf));
    BinfmtEntry old;
    char *restore = NULL;
    if (binfmt_read_entry(BINFMT_MISC_DIR, name, &old) == 0) {
        restore = binfmt_entry_register_line(&old);
        int r = binfmt_remove(BINFMT_MISC_DIR, name);
        if (r < 0) {
            err("cannot remove the existing entry '%s': %s", name, strerror(-r));
            free(restore);
            return -1;
        }
        say("removed the existing entry %s (interpreter %s, flags %s)\n", name,
            old.interpreter, old.flags[0] ? old.flags : "none");
    }
    int r = binfmt_register(BINFMT_MISC_DIR, line);
    if (r < 0) {
        err("the kernel refused to register %s: %s", name, strerror(-r));
        err("the register line was: %s", line);
        if (restore && binfmt_register(BINFMT_MISC_DIR, restore) == 0)
            err("restored the previous entry %s", name);
        free(restore);
        return -1;
    }
    free(restore);
    say("registered %s: interpreter %s, flags %s\n", name, interp,
        opt.flags[0] ? opt.flags : "none");
    if (strchr(opt.flags, 'F') && is_dynamic_elf(interp) == 1)
        say("note: %s is dynamically linked; with flag F it runs inside containers and\n"
            "      chroots only if its libraries (libcapstone, libelf, libzstd) exist there.\n"
            "      A static build avoids that (see docs/binfmt.md).\n", interp);
    if (!strchr(opt.flags, 'P'))
        say("note: without flag P programs see their full path as argv[0]; busybox-style\n"
            "      multi-call programs will not work.\n");
    return 0;
}

static int cmd_install(int argc, char **argv)
{
    const BinfmtArch *arches[BINFMT_MAX_ARCHES];
    int n = pick_arches(argc, argv, arches);
    if (n < 0)
        return 1;
    if (n == 0) {
        err("no guest architecture is built yet");
        return 1;
    }
    if (opt.name && n > 1) {
        err("--name names one entry; give one ARCH with it");
        return 1;
    }
    if (!need_root("install"))
        return 1;
    if (!mount_binfmt())
        return 1;
    if (binfmt_global_enabled(BINFMT_MISC_DIR) == 0)
        say("warning: binfmt_misc is disabled as a whole; enable it with "
            "echo 1 > %s/status\n", BINFMT_MISC_DIR);
    char *lines[BINFMT_MAX_ARCHES] = { 0 }, *interps[BINFMT_MAX_ARCHES] = { 0 };
    int status = 0;
    for (int i = 0; i < n; i++)
        if (!prepare_install(arches[i], &lines[i], &interps[i]))
            status = 1;
    for (int i = 0; i < n && status == 0; i++)
        if (install_one(arches[i], lines[i], interps[i]) < 0)
            status = 1;
    for (int i = 0; i < n; i++) {
        free(lines[i]);
        free(interps[i]);
    }
    return status;
}

static int cmd_uninstall(int argc, char **argv)
{
    const BinfmtArch *arches[BINFMT_MAX_ARCHES];
    int n = pick_arches_for(argc, argv, arches, false);
    if (n < 0)
        return 1;
    if (opt.name && n > 1) {
        err("--name names one entry; give one ARCH with it");
        return 1;
    }
    if (!need_root("uninstall"))
        return 1;
    if (!binfmt_is_mounted(BINFMT_MISC_DIR)) {
        say("binfmt_misc is not mounted: nothing is registered\n");
        return 0;
    }
    int status = 0;
    for (int i = 0; i < n; i++) {
        char namebuf[256];
        const char *name = entry_name(arches[i], namebuf, sizeof(namebuf));
        BinfmtEntry e;
        if (binfmt_read_entry(BINFMT_MISC_DIR, name, &e) < 0) {
            say("%s is not registered\n", name);
            continue;
        }
        int r = binfmt_remove(BINFMT_MISC_DIR, name);
        if (r < 0) {
            err("cannot remove %s: %s", name, strerror(-r));
            status = 1;
        } else {
            say("unregistered %s (interpreter %s)\n", name, e.interpreter);
        }
    }
    return status;
}

/* ---- status -------------------------------------------------------------- */

static bool is_vemu_entry(const BinfmtEntry *e)
{
    const char *base = strrchr(e->interpreter, '/');
    base = base ? base + 1 : e->interpreter;
    return !strncmp(e->name, "vemu-", 5) || !strncmp(base, "vemu-", 5);
}

/* Which guest architectures (bitmask over binfmt_arches) does e claim? */
static unsigned claimed_arches(const BinfmtEntry *e)
{
    unsigned mask = 0;
    for (size_t i = 0; i < binfmt_n_arches; i++) {
        uint8_t exec_hdr[BINFMT_ELF_PATTERN_LEN], dyn_hdr[BINFMT_ELF_PATTERN_LEN];
        binfmt_arch_sample_header(&binfmt_arches[i], ET_EXEC, exec_hdr);
        binfmt_arch_sample_header(&binfmt_arches[i], ET_DYN, dyn_hdr);
        if (binfmt_entry_matches(e, exec_hdr, sizeof(exec_hdr)) ||
            binfmt_entry_matches(e, dyn_hdr, sizeof(dyn_hdr)))
            mask |= 1u << i;
    }
    return mask;
}

static void print_entry(const BinfmtEntry *e, unsigned claims, int *problems)
{
    printf("%s: %s, interpreter %s, flags %s", e->name, e->enabled ? "enabled" : "disabled",
           e->interpreter, e->flags[0] ? e->flags : "none");
    if (claims) {
        printf(", claims");
        for (size_t i = 0; i < binfmt_n_arches; i++)
            if (claims & (1u << i))
                printf(" %s", binfmt_arches[i].name);
        printf(" ELF");
    }
    printf("\n");
    bool fixed = strchr(e->flags, 'F') != NULL;
    if (!e->enabled) {
        printf("  problem: the entry is disabled (enable: echo 1 > %s/%s)\n", BINFMT_MISC_DIR,
               e->name);
        ++*problems;
    }
    struct stat st;
    if (stat(e->interpreter, &st) < 0) {
        printf("  %s: interpreter %s: %s%s\n", fixed ? "note" : "problem", e->interpreter,
               strerror(errno),
               fixed ? " (flag F: the kernel still holds the file it opened at registration)"
                     : "");
        *problems += !fixed;
    } else if (!S_ISREG(st.st_mode) || access(e->interpreter, X_OK) < 0) {
        printf("  problem: interpreter %s is not an executable file\n", e->interpreter);
        ++*problems;
    }
    if (claims && !strchr(e->flags, 'P'))
        printf("  note: no flag P: programs see their full path as argv[0], so busybox-style\n"
               "        multi-call programs will not work\n");
}

static int cmd_status(bool doctor)
{
    if (!binfmt_is_mounted(BINFMT_MISC_DIR)) {
        printf("binfmt_misc is not mounted at %s: nothing is registered\n", BINFMT_MISC_DIR);
        printf("  (`%s install` mounts it; as root: mount -t binfmt_misc binfmt_misc %s)\n",
               prog, BINFMT_MISC_DIR);
        return doctor ? 1 : 0;
    }
    int problems = 0;
    int g = binfmt_global_enabled(BINFMT_MISC_DIR);
    printf("binfmt_misc: mounted at %s, %s\n", BINFMT_MISC_DIR,
           g == 1 ? "enabled" : g == 0 ? "DISABLED" : "status unknown");
    if (g == 0) {
        printf("  problem: no entry is used while binfmt_misc is disabled "
               "(enable: echo 1 > %s/status)\n", BINFMT_MISC_DIR);
        problems++;
    }
    BinfmtEntry *es;
    size_t n;
    int r = binfmt_list(BINFMT_MISC_DIR, &es, &n);
    if (r < 0) {
        err("cannot list %s: %s", BINFMT_MISC_DIR, strerror(-r));
        return 1;
    }
    /* vemu's own entries and every other entry claiming a guest we handle,
     * in the order the kernel tries them (newest registration first). */
    /* For each arch, the first enabled entry claiming it: the one that runs
     * its programs. */
    const BinfmtEntry *winner[BINFMT_MAX_ARCHES] = { 0 };
    int shown = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned claims = claimed_arches(&es[i]);
        if (!is_vemu_entry(&es[i]) && !claims)
            continue;               /* unrelated (jar, python, ...) */
        print_entry(&es[i], claims, &problems);
        shown++;
        for (size_t k = 0; k < binfmt_n_arches; k++) {
            if (!(claims & (1u << k)) || !es[i].enabled)
                continue;
            if (winner[k]) {
                printf("  conflict: %s (newer) is tried first for %s programs; this entry "
                       "is never used for them\n", winner[k]->name, binfmt_arches[k].name);
                problems++;
            } else {
                winner[k] = &es[i];
                printf("  -> runs %s programs (first matching entry wins)\n",
                       binfmt_arches[k].name);
            }
        }
    }
    if (!shown)
        printf("no vemu registration and no other handler for %s programs\n",
               binfmt_arches[0].name);
    for (size_t k = 0; k < binfmt_n_arches; k++) {
        if (!binfmt_arches[k].built || binfmt_arch_native_host(&binfmt_arches[k]))
            continue;      /* nothing to register (native programs run as they are) */
        if (!winner[k])
            printf("%s programs are not handled by vemu (register: %s install %s)\n",
                   binfmt_arches[k].name, prog, binfmt_arches[k].name);
        else if (!is_vemu_entry(winner[k]))
            printf("%s programs run through %s (%s), not vemu (take over: %s install --force "
                   "%s)\n", binfmt_arches[k].name, winner[k]->name, winner[k]->interpreter,
                   prog, binfmt_arches[k].name);
    }
    if (doctor)
        printf("%d problem%s found\n", problems, problems == 1 ? "" : "s");
    free(es);
    return doctor && problems ? 1 : 0;
}

static int cmd_conf(int argc, char **argv)
{
    const BinfmtArch *arches[BINFMT_MAX_ARCHES];
    int n = pick_arches(argc, argv, arches);
    if (n != 1) {
        if (n >= 0)
            err("conf takes exactly one ARCH");
        return 1;
    }
    /* Verbatim: the path the translator will have once installed. */
    char *interp = opt.interpreter ? strdup(opt.interpreter) : default_interpreter(arches[0]);
    char namebuf[256];
    char *line = interp ? binfmt_register_line(arches[0], entry_name(arches[0], namebuf,
                                                                     sizeof(namebuf)),
                                               interp, opt.flags) : NULL;
    if (!line) {
        err("out of memory");
        return 1;
    }
    printf("# binfmt_misc registration for %s, generated by %s conf %s.\n"
           "# systemd-binfmt loads it at boot; see binfmt.d(5) and vemu-binfmt(1).\n"
           "%s\n", arches[0]->interp, prog, arches[0]->name, line);
    free(line);
    free(interp);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "flags", required_argument, NULL, 'f' },
        { "name", required_argument, NULL, 'n' },
        { "interpreter", required_argument, NULL, 'i' },
        { "force", no_argument, NULL, 'F' },
        { "quiet", no_argument, NULL, 'q' },
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, 'V' },
        { NULL, 0, NULL, 0 },
    };
    int c;
    while ((c = getopt_long(argc, argv, "f:n:i:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': opt.flags = optarg; break;
        case 'n': opt.name = optarg; break;
        case 'i': opt.interpreter = optarg; break;
        case 'F': opt.force = true; break;
        case 'q': opt.quiet = true; break;
        case 'h': usage(stdout); return 0;
        case 'V': printf("%s version %s\n", prog, VEMU_BINFMT_VERSION); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (!valid_flags(opt.flags)) {
        err("invalid flags '%s': use any of %s, each once", opt.flags, KNOWN_FLAGS);
        return 2;
    }
    if (opt.name && !valid_name(opt.name)) {
        err("invalid entry name '%s' (no '/', ':', spaces; not register/status)", opt.name);
        return 2;
    }
    if (optind >= argc) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[optind];
    int nargs = argc - optind - 1;
    char **args = argv + optind + 1;
    if (!strcmp(cmd, "install"))
        return cmd_install(nargs, args);
    if (!strcmp(cmd, "uninstall") || !strcmp(cmd, "remove"))
        return cmd_uninstall(nargs, args);
    if (!strcmp(cmd, "status"))
        return cmd_status(false);
    if (!strcmp(cmd, "doctor"))
        return cmd_status(true);
    if (!strcmp(cmd, "conf"))
        return cmd_conf(nargs, args);
    err("unknown command '%s'", cmd);
    usage(stderr);
    return 2;
}
