/*
 * options.c — parsing the system emulator's command line (options.h).
 * Options are spelled as QEMU spells them (one dash or two), and so are
 * the messages where QEMU has one: "-foo: invalid option", "-m: requires
 * an argument".
 */
#include "softmmu/options.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "softmmu/drive.h"

unsigned sys_log_mask;

static int fail(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(char **err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (vasprintf(err, fmt, ap) < 0)
        *err = NULL;
    va_end(ap);
    return -1;
}

int64_t sys_parse_size(const char *s)
{
    if (!strncmp(s, "size=", 5))
        s += 5;
    if (!isdigit((unsigned char)*s))
        return -1;
    errno = 0;
    char *end;
    double v = strtod(s, &end);   /* "1.5G" is fine in QEMU too */
    if (errno || end == s)
        return -1;
    uint64_t unit = 1ull << 20;   /* no suffix: MiB */
    switch (toupper((unsigned char)*end)) {
    case 0: break;
    case 'B': unit = 1; end++; break;
    case 'K': unit = 1ull << 10; end++; break;
    case 'M': unit = 1ull << 20; end++; break;
    case 'G': unit = 1ull << 30; end++; break;
    case 'T': unit = 1ull << 40; end++; break;
    default: return -1;
    }
    if (*end || v * unit >= 9.2e18)
        return -1;
    double bytes = v * unit;
    if (bytes != (double)(int64_t)bytes)
        return -1;   /* a fraction of a byte */
    return (int64_t)bytes;
}

/* The items of exec/log.c that mean something in system mode ("strace"
 * does not); checked here so that a bad one gets our message. */
static bool is_exec_item(const char *tok)
{
    static const char *const items[] = { "in_asm", "op", "op_opt", "out_asm", "exec", "cpu",
                                         "unimp", "int", "nochain", "stats" };
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
        if (!strcmp(tok, items[i]))
            return true;
    return false;
}

/* -d: exec's items go to exec_log_parse, the system ones to sys_log_mask. */
static int parse_log(SysOptions *o, const char *spec, char **err)
{
    o->log_items = spec;
    if (!strcmp(spec, "help")) {
        o->log_help = true;
        return 0;
    }
    char *copy = strdup(spec), *save = NULL;
    unsigned sys = 0;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strcmp(tok, "mmu"))
            sys |= SYS_LOG_MMU;
        else if (!strcmp(tok, "guest_errors"))
            sys |= SYS_LOG_GUEST_ERRORS;
        else if (!strcmp(tok, "strace") || !strcmp(tok, "help"))
            rc = fail(err, "-d %s: log item '%s' is not available in system mode (try -d help)", spec, tok);
        else if (!is_exec_item(tok) || exec_log_parse(tok) < 0)
            rc = fail(err, "-d %s: unknown log item '%s' (try -d help)", spec, tok);
        if (rc)
            break;
    }
    free(copy);
    sys_log_mask |= sys;
    return rc;
}

/* key=value lists as QEMU's: "a=1,b,c=x"; a bare word is "word=on"
 * ("nowait" also "wait=off").  Calls fn for each, stops at its -1. */
static int each_opt(const char *list, int (*fn)(void *opaque, const char *key, const char *val, char **err),
                    void *opaque, char **err)
{
    char *copy = strdup(list), *save = NULL;
    int rc = 0;
    for (char *tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        if (eq) {
            *eq = 0;
            rc = fn(opaque, tok, eq + 1, err);
        } else if (!strncmp(tok, "no", 2) && strcmp(tok, "nodelay")) {
            rc = fn(opaque, tok + 2, "off", err);
        } else {
            rc = fn(opaque, tok, "on", err);
        }
    }
    free(copy);
    return rc;
}

typedef struct ChardevOpts {
    char backend[32], id[64], path[400], host[128], port[16];
    bool server, wait, wait_set, mux, append, nodelay;
    bool have_backend;
} ChardevOpts;

static bool on_value(const char *v)
{
    return !strcmp(v, "on") || !strcmp(v, "yes") || !strcmp(v, "true");
}

static int chardev_opt(void *opaque, const char *key, const char *val, char **err)
{
    ChardevOpts *o = opaque;
    if (!o->have_backend) {
        o->have_backend = true;
        if (strcmp(val, "on") || strchr(key, '='))
            return fail(err, "-chardev: the backend comes first (-chardev socket,id=ID,...)");
        snprintf(o->backend, sizeof(o->backend), "%s", key);
        return 0;
    }
    if (!strcmp(key, "id"))
        snprintf(o->id, sizeof(o->id), "%s", val);
    else if (!strcmp(key, "path"))
        snprintf(o->path, sizeof(o->path), "%s", val);
    else if (!strcmp(key, "host"))
        snprintf(o->host, sizeof(o->host), "%s", val);
    else if (!strcmp(key, "port"))
        snprintf(o->port, sizeof(o->port), "%s", val);
    else if (!strcmp(key, "server"))
        o->server = on_value(val);
    else if (!strcmp(key, "wait"))
        o->wait = on_value(val), o->wait_set = true;
    else if (!strcmp(key, "mux"))
        o->mux = on_value(val);
    else if (!strcmp(key, "append"))
        o->append = on_value(val);
    else if (!strcmp(key, "nodelay") || !strcmp(key, "delay"))
        o->nodelay = !strcmp(key, "nodelay") ? on_value(val) : !on_value(val);
    else if (!strcmp(key, "signal") || !strcmp(key, "logfile") || !strcmp(key, "telnet") ||
             !strcmp(key, "ipv4") || !strcmp(key, "ipv6"))
        return 0;   /* accepted, no effect here */
    else
        return fail(err, "-chardev: invalid parameter '%s'", key);
    return 0;
}

int sys_parse_chardev(const char *opt, SysChardev *out, char **err)
{
    ChardevOpts o = { .wait = true };
    *err = NULL;
    memset(out, 0, sizeof(*out));
    if (each_opt(opt, chardev_opt, &o, err))
        return -1;
    if (!o.id[0])
        return fail(err, "-chardev %s: Parameter 'id' is missing", opt);
    snprintf(out->id, sizeof(out->id), "%s", o.id);
    const char *mux = o.mux ? "mon:" : "";
    if (!strcmp(o.backend, "stdio") || !strcmp(o.backend, "null") || !strcmp(o.backend, "pty")) {
        snprintf(out->spec, sizeof(out->spec), "%s%s", mux, o.backend);
    } else if (!strcmp(o.backend, "file")) {
        if (!o.path[0])
            return fail(err, "-chardev %s: Parameter 'path' is missing", opt);
        snprintf(out->spec, sizeof(out->spec), "%sfile:%s%s", mux, o.path, o.append ? ",append=on" : "");
    } else if (!strcmp(o.backend, "socket")) {
        char tail[64];
        snprintf(tail, sizeof(tail), "%s%s%s", o.server ? ",server" : "", o.server && !o.wait ? ",nowait" : "",
                 o.nodelay ? ",nodelay" : "");
        if (o.path[0])
            snprintf(out->spec, sizeof(out->spec), "%sunix:%s%s", mux, o.path, tail);
        else if (o.port[0])
            snprintf(out->spec, sizeof(out->spec), "%stcp:%s:%s%s", mux, o.host, o.port, tail);
        else
            return fail(err, "-chardev %s: socket needs path= or port=", opt);
    } else {
        return fail(err, "-chardev %s: '%s' is not a backend vemu has (stdio, null, pty, file, socket)", opt,
                    o.backend);
    }
    return 0;
}

typedef struct MonOpts {
    SysMonitor *m;
} MonOpts;

static int mon_opt(void *opaque, const char *key, const char *val, char **err)
{
    SysMonitor *m = opaque;
    if (!strcmp(key, "chardev")) {
        snprintf(m->chardev, sizeof(m->chardev), "%s", val);
    } else if (!strcmp(key, "mode")) {
        if (!strcmp(val, "control"))
            m->control = true;
        else if (!strcmp(val, "readline"))
            m->control = false;
        else
            return fail(err, "-mon: Parameter 'mode' does not accept value '%s'", val);
    } else if (strcmp(key, "id") && strcmp(key, "pretty") && strcmp(key, "default")) {
        return fail(err, "-mon: invalid parameter '%s'", key);
    }
    return 0;
}

int sys_parse_mon(const char *opt, SysMonitor *out, char **err)
{
    *err = NULL;
    memset(out, 0, sizeof(*out));
    if (each_opt(opt, mon_opt, out, err))
        return -1;
    if (!out->chardev[0])
        return fail(err, "-mon %s: Parameter 'chardev' is missing", opt);
    return 0;
}

static int add_monitor(SysOptions *o, const SysMonitor *m, const char *opt, char **err)
{
    if (o->nmonitors == SYS_MAX_MONITORS)
        return fail(err, "%s: at most %d monitors", opt, SYS_MAX_MONITORS);
    o->monitors[o->nmonitors++] = *m;
    return 0;
}

/* -name NAME[,process=P][,debug-threads=on] or guest=NAME,... */
static int parse_name(SysOptions *o, const char *v, char **err)
{
    snprintf(o->name_buf, sizeof(o->name_buf), "%s", v);
    char *s = o->name_buf, *save = NULL;
    o->name = NULL;
    bool first = true;
    for (char *tok = strtok_r(s, ",", &save); tok; tok = strtok_r(NULL, ",", &save), first = false) {
        if (!strncmp(tok, "guest=", 6))
            o->name = tok + 6;
        else if (!strncmp(tok, "process=", 8))
            o->process_name = tok + 8;
        else if (!strncmp(tok, "debug-threads=", 14))
            ;
        else if (first && !strchr(tok, '='))
            o->name = tok;
        else
            return fail(err, "-name %s: invalid parameter '%s'", v, tok);
    }
    return 0;
}

/* Split "KIND,rest" into the NIC's own keys (model, mac/macaddr,
 * netdev, id) and the backend's options (the rest, for net-slirp.c). */
static int take_nic_keys(SysOptions *o, const char *what, const char *rest, char *backend,
                         size_t backend_size, char **err)
{
    char buf[512];
    snprintf(buf, sizeof buf, "%s", rest);
    if (backend)
        backend[0] = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strncmp(tok, "model=", 6)) {
            if (strcmp(tok + 6, "smc91c111") && strcmp(tok + 6, "lan9118"))
                return fail(err, "%s: model=%s: this board has an smc91c111", what, tok + 6);
        } else if (!strncmp(tok, "mac=", 4) || !strncmp(tok, "macaddr=", 8)) {
            snprintf(o->net_mac, sizeof o->net_mac, "%s", strchr(tok, '=') + 1);
        } else if (!strncmp(tok, "netdev=", 7)) {
            snprintf(o->nic_netdev, sizeof o->nic_netdev, "%s", tok + 7);
        } else if (!strncmp(tok, "id=", 3) && backend_size == 0) {
            continue;
        } else if (backend_size) {
            size_t n = strlen(backend);
            snprintf(backend + n, backend_size - n, "%s%s", n ? "," : "", tok);
        } else {
            return fail(err, "%s: unknown option '%s'", what, tok);
        }
    }
    return 0;
}

/* -nic user[,...], -net nic[,...], -net user[,...], -netdev user,id=X,...,
 * -device smc91c111,netdev=X[,mac=...]. */
static int parse_net(SysOptions *o, const char *name, const char *v, char **err)
{
    const char *comma = strchr(v, ',');
    size_t klen = comma ? (size_t)(comma - v) : strlen(v);
    const char *rest = comma ? comma + 1 : "";
    char kind[32];
    snprintf(kind, sizeof kind, "%.*s", (int)(klen < 31 ? klen : 31), v);
    if (!strcmp(name, "device")) {
        if (strcmp(kind, "smc91c111"))
            return fail(err, "-device %s: unknown device (this board takes smc91c111)", kind);
        o->net_nic = true;
        return take_nic_keys(o, "-device smc91c111", rest, NULL, 0, err);
    }
    if (!strcmp(name, "net") && !strcmp(kind, "nic")) {
        o->net_nic = true;
        return take_nic_keys(o, "-net nic", rest, NULL, 0, err);
    }
    if ((!strcmp(name, "nic") || !strcmp(name, "net")) && !strcmp(kind, "none")) {
        o->net_none = true;
        return 0;
    }
    if (strcmp(kind, "user") && strcmp(kind, "tap") && strcmp(kind, "socket"))
        return fail(err, "-%s %s: unknown network backend (user, tap and socket are available)", name, kind);
    if (o->net_user)
        return fail(err, "-%s %s: only one network backend (the board has one NIC)", name, v);
    o->net_user = true;
    snprintf(o->net_backend, sizeof o->net_backend, "%s", kind);
    if (!strcmp(name, "nic")) {
        o->net_nic = true;
        return take_nic_keys(o, "-nic user", rest, o->net_user_opts, sizeof o->net_user_opts, err);
    }
    snprintf(o->net_user_opts, sizeof o->net_user_opts, "%s", rest);
    if (!strcmp(name, "netdev")) {
        const char *id = strstr(v, ",id=");
        if (!id)
            return fail(err, "-netdev %s: needs id=", v);
        snprintf(o->netdev_id, sizeof o->netdev_id, "%.*s", (int)strcspn(id + 4, ","), id + 4);
    }
    return 0;
}

/* The option's value, or an error when it has none. */
#define ARG()                                                       \
    ({                                                              \
        if (i + 1 >= argc)                                          \
            return fail(err, "-%s: requires an argument", name);    \
        argv[++i];                                                  \
    })

/* -drive file=F,if=sd[,format=FMT][,readonly=on|off]: the SD card (the
 * only interface the board has a drive for so far). */
static int parse_drive(SysOptions *o, const char *v, char **err)
{
    if (strlen(v) >= sizeof(o->sd_buf))
        return fail(err, "-drive %s: too long", v);
    char copy[sizeof(o->sd_buf)], *save = NULL;
    strcpy(copy, v);
    const char *file = NULL, *format = NULL, *ifc = NULL;
    bool readonly = false;
    for (char *tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        if (!strncmp(tok, "file=", 5))
            file = tok + 5;
        else if (!strncmp(tok, "format=", 7))
            format = tok + 7;
        else if (!strncmp(tok, "if=", 3))
            ifc = tok + 3;
        else if (!strcmp(tok, "readonly=on") || !strcmp(tok, "readonly"))
            readonly = true;
        else if (!strcmp(tok, "readonly=off"))
            readonly = false;
        else
            return fail(err, "-drive %s: unknown parameter '%s' (file=, if=sd, format=, readonly= are known)",
                        v, tok);
    }
    if (!file || !*file)
        return fail(err, "-drive %s: no file= given", v);
    if (!ifc || strcmp(ifc, "sd"))
        return fail(err, "-drive %s: only if=sd is supported (the SD card)", v);
    if (o->sd_file)
        return fail(err, "-drive %s: the board has one SD card slot", v);
    /* file then format, NUL-separated, in sd_buf */
    size_t flen = strlen(file);
    memcpy(o->sd_buf, file, flen + 1);
    o->sd_file = o->sd_buf;
    if (format) {
        if (flen + 1 + strlen(format) + 1 > sizeof(o->sd_buf))
            return fail(err, "-drive %s: too long", v);
        strcpy(o->sd_buf + flen + 1, format);
        o->sd_format = o->sd_buf + flen + 1;
    }
    o->sd_readonly = readonly;
    return 0;
}

int sys_options_parse(SysOptions *o, int argc, char **argv, char **err)
{
    memset(o, 0, sizeof(*o));
    *err = NULL;
    drive_options_reset();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (a[0] != '-' || !a[1])
            return fail(err, "%s: not an option (the kernel goes after -kernel)", a);
        const char *name = a + 1 + (a[1] == '-');
        if (!strcmp(name, "h") || !strcmp(name, "help")) {
            o->help = true;
        } else if (!strcmp(name, "version")) {
            o->version = true;
        } else if (!strcmp(name, "M") || !strcmp(name, "machine")) {
            const char *v = ARG();
            if (!strncmp(v, "type=", 5))
                v += 5;
            const char *comma = strchr(v, ',');
            if (comma) {
                if ((size_t)(comma - v) >= sizeof(o->machine_name))
                    return fail(err, "-M %s: machine name too long", v);
                memcpy(o->machine_name, v, comma - v);
                o->machine_name[comma - v] = 0;
                o->machine = o->machine_name;
                o->machine_props = comma + 1;
            } else {
                o->machine = v;
                o->machine_props = NULL;
            }
            if (!strcmp(o->machine, "help") || !strcmp(o->machine, "?"))
                o->machine_help = true;
        } else if (!strcmp(name, "cpu")) {
            o->cpu = ARG();
            if (!strcmp(o->cpu, "help") || !strcmp(o->cpu, "?"))
                o->cpu_help = true;
        } else if (!strcmp(name, "m")) {
            const char *v = ARG();
            int64_t size = sys_parse_size(v);
            if (size < 0)
                return fail(err, "-m %s: invalid RAM size (a number of MiB, or with a K, M or G suffix)", v);
            if (size == 0 || size % 4096)
                return fail(err, "-m %s: RAM size must be a positive multiple of 4 KiB", v);
            o->ram_size = size;
        } else if (!strcmp(name, "kernel")) {
            o->kernel = ARG();
        } else if (!strcmp(name, "initrd")) {
            o->initrd = ARG();
        } else if (!strcmp(name, "append")) {
            o->append = ARG();
        } else if (!strcmp(name, "dtb")) {
            o->dtb = ARG();
        } else if (!strcmp(name, "nographic")) {
            o->nographic = true;
        } else if (!strcmp(name, "display")) {
            o->display = ARG();
        } else if (!strcmp(name, "vnc")) {
            o->vnc = ARG();
        } else if (!strcmp(name, "full-screen")) {
            o->full_screen = true;
        } else if (!strcmp(name, "serial")) {
            const char *v = ARG();
            if (o->nserial == SYS_MAX_SERIAL)
                return fail(err, "-serial %s: at most %d serial ports", v, SYS_MAX_SERIAL);
            o->serial[o->nserial++] = v;
        } else if (!strcmp(name, "no-reboot")) {
            o->no_reboot = true;
        } else if (!strcmp(name, "d")) {
            if (parse_log(o, ARG(), err))
                return -1;
        } else if (!strcmp(name, "D")) {
            o->log_file = ARG();
        } else if (!strcmp(name, "s")) {
            o->gdb = "tcp::1234";
        } else if (!strcmp(name, "gdb")) {
            o->gdb = ARG();
            if (!strcmp(o->gdb, "none"))
                o->gdb = NULL;
        } else if (!strcmp(name, "S")) {
            o->stopped = true;
        } else if (!strcmp(name, "name")) {
            if (parse_name(o, ARG(), err))
                return -1;
        } else if (!strcmp(name, "pidfile")) {
            o->pidfile = ARG();
        } else if (!strcmp(name, "loadvm")) {
            o->loadvm = ARG();
        } else if (!strcmp(name, "daemonize")) {
            o->daemonize = true;
        } else if (!strcmp(name, "monitor") || !strcmp(name, "qmp")) {
            const char *v = ARG();
            if (!strcmp(v, "none")) {
                if (!strcmp(name, "monitor"))
                    o->no_monitor = true;
                continue;
            }
            SysMonitor m = { .spec = v, .control = !strcmp(name, "qmp") };
            if (add_monitor(o, &m, a, err))
                return -1;
        } else if (!strcmp(name, "mon")) {
            SysMonitor m;
            if (sys_parse_mon(ARG(), &m, err) || add_monitor(o, &m, a, err))
                return -1;
        } else if (!strcmp(name, "hda") || !strcmp(name, "hdb") || !strcmp(name, "hdc") ||
                   !strcmp(name, "hdd") || !strcmp(name, "cdrom")) {
            if (drive_parse_option(name, ARG(), err) < 0)
                return -1;
        } else if (!strcmp(name, "snapshot")) {
            drive_parse_option(name, NULL, err);
        } else if (!strcmp(name, "device") && i + 1 < argc && drive_parse_option(name, argv[i + 1], err)) {
            if (*err)
                return -1;
            i++;
        } else if (!strcmp(name, "nic") || !strcmp(name, "net") || !strcmp(name, "netdev") ||
                   !strcmp(name, "device")) {
            if (parse_net(o, name, ARG(), err))
                return -1;
        } else if (!strcmp(name, "sd")) {
            if (o->sd_file)
                return fail(err, "-sd: the board has one SD card slot");
            o->sd_file = ARG();
        } else if (!strcmp(name, "drive")) {
            const char *v = ARG();
            int r = drive_parse_option(name, v, err);
            if (r < 0 || (r == 0 && parse_drive(o, v, err)))
                return -1;
        } else if (!strcmp(name, "chardev")) {
            const char *v = ARG();
            if (o->nchardevs == SYS_MAX_CHARDEVS)
                return fail(err, "-chardev %s: at most %d -chardev", v, SYS_MAX_CHARDEVS);
            if (sys_parse_chardev(v, &o->chardevs[o->nchardevs], err))
                return -1;
            o->nchardevs++;
        } else {
            return fail(err, "%s: invalid option", a);
        }
    }
    if (o->daemonize && o->nographic)
        return fail(err, "-nographic cannot be used with -daemonize");
    if (o->help || o->version || o->machine_help || o->cpu_help || o->log_help)
        return 0;
    if (!o->kernel && (o->initrd || o->append || o->dtb))
        return fail(err, "-initrd, -append and -dtb only work with -kernel");
    if (!o->kernel)
        return fail(err, "no kernel given (use -kernel; --help for the options)");
    if (o->nic_netdev[0] && strcmp(o->nic_netdev, o->netdev_id))
        return fail(err, "-device smc91c111,netdev=%s: no -netdev with that id", o->nic_netdev);
    /* QEMU's default: without any network option the board's NIC is on
     * user-mode networking (-nic user); -nic none turns that off. */
    if (!o->net_nic && !o->net_user && !o->net_none) {
        o->net_nic = o->net_user = true;
        snprintf(o->net_backend, sizeof o->net_backend, "user");
    }
    if (o->net_none && (o->net_nic || o->net_user))
        return fail(err, "-nic none cannot be combined with other network options");
    return 0;
}

void sys_options_usage(FILE *out, const char *prog)
{
    fprintf(out,
            "usage: %s [options] -kernel FILE\n"
            "Emulates a whole ARM machine (the Versatile PB board) and boots a Linux kernel on it.\n"
            "\n"
            "Machine:\n"
            "  -M, -machine NAME[,atags=on]\n"
            "                     the board (versatilepb, the default; -M help lists them);\n"
            "                     atags=on passes ATAGs instead of a device tree\n"
            "  -cpu MODEL         the processor (arm926 by default; -cpu help lists them)\n"
            "  -m SIZE            RAM, in MiB or with a K/M/G suffix (default 128M, at most 256M)\n"
            "Boot:\n"
            "  -kernel FILE       the Linux kernel: a zImage, an Image or an ELF file\n"
            "  -initrd FILE       an initial RAM disk (an initramfs cpio archive, compressed or not)\n"
            "  -append CMDLINE    the kernel command line\n"
            "  -dtb FILE          the device tree to pass (default: vemu describes the board itself)\n"
            "Devices:\n"
            "  -nographic         no display window; the first serial port is the terminal\n"
            "  -display TYPE      sdl (a window; ,full-screen=on), vnc=:N, or none; without it a\n"
            "                     window opens when $DISPLAY is set (the serial port stays on the terminal)\n"
            "  -vnc :N            a VNC server on port 5900+N (also HOST:N, unix:PATH, none)\n"
            "  -full-screen       start the SDL window full screen\n"
            "  -serial DEV        the next serial port: stdio, mon:stdio, null, file:PATH, pty,\n"
            "                     unix:PATH[,server][,nowait], tcp:[HOST]:PORT[,server][,nowait], none\n"
            "                     (up to 4; by default the first is mon:stdio), or chardev:ID\n"
            "  -chardev BACKEND,id=ID[,...]\n"
            "                     a character device: stdio, null, pty, file,path=P,\n"
            "                     socket,path=P|host=H,port=N[,server=on][,wait=off]; mux=on shares it\n"
            "  -nic user[,hostfwd=tcp::HP-:GP][,restrict=on][,net=..][,mac=..]\n"
            "                     the SMC91C111 network card on user-mode networking (libslirp:\n"
            "                     DHCP 10.0.2.15, gateway 10.0.2.2, DNS 10.0.2.3); also\n"
            "                     -net nic -net user[,...], -netdev user,id=ID[,...] -device smc91c111,netdev=ID;\n"
            "                     this is the default when no network option is given\n"
            "  -nic tap[,ifname=NAME][,script=FILE|no][,downscript=FILE|no][,fd=N]\n"
            "                     the card on a host tap interface (/dev/net/tun; script= sets it up,\n"
            "                     default /etc/qemu-ifup); also -netdev tap,id=ID,...\n"
            "  -nic socket,listen=[HOST]:PORT | connect=HOST:PORT | mcast=GROUP:PORT[,localaddr=A]\n"
            "       | udp=HOST:PORT,localaddr=HOST:PORT\n"
            "                     a wire to another vemu or QEMU (QEMU's framing); also -netdev socket,id=ID,...\n"
            "  -nic none          no network card\n"
            "  -sd FILE           the SD card (PL181 MMCI at 0x10005000; any image format)\n"
            "  -drive file=FILE,if=sd[,format=FMT][,readonly=on]\n"
            "                     the SD card, with its format given\n"
            "  -hda/-hdb/-hdc/-hdd FILE\n"
            "                     a SCSI disk at id 0..3 (LSI53C895A on the PCI bus; any image format)\n"
            "  -cdrom FILE        a SCSI CD-ROM at id 2\n"
            "  -drive file=FILE[,if=scsi|none|sd][,format=FMT][,id=ID][,index=N|unit=N][,media=disk|cdrom]\n"
            "         [,cache=writeback|writethrough|none|unsafe|directsync][,readonly=on][,snapshot=on]\n"
            "                     a disk (if=scsi by default); if=none waits for a -device\n"
            "  -device scsi-hd|scsi-cd,drive=ID[,scsi-id=N]\n"
            "                     a SCSI disk or CD-ROM on the -drive if=none,id=ID\n"
            "  -snapshot          writes go to temporary overlays, dropped at exit (images unchanged)\n"
            "  -no-reboot         exit (status 0) when the guest reboots, instead of resetting\n"
            "Debugging:\n"
            "  -d ITEM[,...]      log: in_asm, int, mmu, unimp, guest_errors, op, op_opt, out_asm,\n"
            "                     exec, cpu, nochain, stats (-d help describes them)\n"
            "  -D FILE            write the log to FILE instead of stderr\n"
            "  -gdb DEV           accept gdb on DEV (tcp::PORT, tcp:localhost:PORT, unix:PATH);\n"
            "                     memory through the MMU, `maintenance packet Qqemu.PhyMemMode:1'\n"
            "                     for physical; gdb's quit detaches, kill ends vemu\n"
            "  -s                 shorthand for -gdb tcp::1234\n"
            "  -S                 do not start the cpu until `cont' (monitor, QMP) or gdb's continue\n"
            "Monitor and control:\n"
            "  -monitor DEV       the human monitor (HMP) on DEV (a -serial DEV spec); none: no\n"
            "                     monitor (by default it shares the terminal: C-a c switches)\n"
            "  -qmp DEV           QMP (JSON) on DEV, e.g. unix:PATH,server,nowait or tcp::PORT,server,nowait\n"
            "  -mon chardev=ID[,mode=readline|control]\n"
            "                     a monitor (readline: HMP, control: QMP) on the -chardev ID\n"
            "  -name NAME[,process=PNAME]\n"
            "                     the guest's name (query-name); process= names the host process\n"
            "  -pidfile FILE      write vemu's process id to FILE (removed at exit)\n"
            "  -loadvm NAME       start from the snapshot NAME (savevm) of the qcow2 drives\n"
            "  -daemonize         detach from the terminal once the machine is set up\n"
            "  -h, --help         print this help and exit\n"
            "  --version          print the version and exit\n"
            "\n"
            "On the terminal: C-a x quits, C-a h lists the other keys.\n"
            "See vemu-system-arm(1).\n",
            prog);
}
