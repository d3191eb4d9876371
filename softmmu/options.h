/*
 * options.h — the system emulator's command line, QEMU's options where
 * QEMU has the same feature (`vemu-system-arm --help`, the man page
 * docs/man/vemu-system-arm.1).
 *
 * sys_options_parse() only reads argv into a SysOptions: what a machine
 * accepts (its cpus, its RAM limit, its properties) is checked by the
 * machine (sys_options_check_machine), so the parser knows no board.
 */
#ifndef VEMU_SOFTMMU_OPTIONS_H
#define VEMU_SOFTMMU_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define SYS_MAX_SERIAL 4
#define SYS_MAX_MONITORS 8
#define SYS_MAX_CHARDEVS 8

/* A monitor from -monitor SPEC, -qmp SPEC or -mon chardev=ID,mode=M. */
typedef struct SysMonitor {
    const char *spec;          /* a chardev spec (-monitor, -qmp) */
    char chardev[64];          /* -mon: the -chardev id ("" for -monitor/-qmp) */
    bool control;              /* QMP (mode=control, -qmp) rather than HMP */
} SysMonitor;

/* A -chardev BACKEND,id=ID,...: the id and the spec chardev_open takes. */
typedef struct SysChardev {
    char id[64];
    char spec[512];
} SysChardev;

/* -d items only system mode has (the rest are exec's, exec/exec.h LOG_*). */
enum {
    SYS_LOG_MMU = 1 << 0,            /* page-table walks and faults */
    SYS_LOG_GUEST_ERRORS = 1 << 1,   /* the guest doing something invalid to a device */
};
extern unsigned sys_log_mask;

typedef struct SysOptions {
    const char *machine;       /* -M/-machine NAME (NULL: the default machine) */
    const char *machine_props; /* what followed "NAME," (NULL: none), e.g. "atags=on" */
    bool machine_help;         /* -M help */
    const char *cpu;           /* -cpu MODEL (NULL: the machine's default) */
    bool cpu_help;             /* -cpu help */
    uint64_t ram_size;         /* -m, in bytes (0: the machine's default) */
    const char *kernel, *initrd, *append, *dtb;
    bool nographic;
    const char *display;       /* -display TYPE[,opts] (NULL: the default; display.c checks it) */
    const char *vnc;           /* -vnc DISPLAY (NULL: none) */
    bool full_screen;          /* -full-screen */
    const char *serial[SYS_MAX_SERIAL];   /* -serial SPEC, in order */
    int nserial;
    bool no_reboot;
    const char *log_items;     /* -d (NULL: none), checked and applied by the parser */
    bool log_help;             /* -d help */
    const char *log_file;      /* -D */
    const char *gdb;           /* -gdb DEV, or "tcp::1234" for -s (NULL: no gdbstub) */
    bool stopped;              /* -S: do not start the cpu until the debugger says so */
    bool help, version;
    const char *name;          /* -name NAME (the guest's name for query-name) */
    char name_buf[128];        /* storage for name when -name had options */
    const char *process_name;  /* -name ...,process=P (NULL: none) */
    const char *pidfile;       /* -pidfile FILE */
    const char *loadvm;        /* -loadvm NAME: start from that snapshot (NULL: none) */
    bool daemonize;            /* -daemonize */
    bool no_monitor;           /* -monitor none */
    SysMonitor monitors[SYS_MAX_MONITORS];
    int nmonitors;
    SysChardev chardevs[SYS_MAX_CHARDEVS];
    int nchardevs;
    char machine_name[64];     /* storage for machine when -M had properties */
    /* networking: one NIC (-nic, -net nic, -device smc91c111) and its
     * backend (-nic user, -net user, -netdev user,id=) */
    bool net_nic;
    char net_mac[32];          /* mac=/macaddr= ("" : the default 52:54:00:12:34:56) */
    char nic_netdev[64];       /* -device ...,netdev=ID */
    bool net_user;             /* a backend was given (user, tap or socket) */
    char net_backend[32];      /* its kind: "user", "tap", "socket" */
    char net_user_opts[512];   /* the backend's options without "KIND," */
    char netdev_id[64];        /* -netdev KIND,id=ID */
    bool net_none;             /* -nic none / -net none: no default NIC */
    /* the SD card (-sd FILE, or -drive file=FILE,if=sd[,format=F][,readonly=on]) */
    const char *sd_file, *sd_format;   /* NULL: no card; NULL format: probe */
    bool sd_readonly;
    char sd_buf[4096];         /* storage for -drive's file= and format= */
} SysOptions;

/* 0 on success; -1 with *err (malloc'd, no program name or newline) on bad
 * input.  -d items are applied to exec_log_mask and sys_log_mask. */
int sys_options_parse(SysOptions *o, int argc, char **argv, char **err);

/* "128", "128M", "1G", "65536K", "size=64M": bytes; -1 on bad syntax.
 * A plain number is MiB, as in QEMU. */
int64_t sys_parse_size(const char *s);

/* -chardev's options to a chardev spec (stdio, null, pty, file, socket
 * with path= or host=/port=, server, wait/nowait, mux=on).  0, or -1
 * with *err (malloc'd). */
int sys_parse_chardev(const char *opt, SysChardev *out, char **err);
/* -mon chardev=ID[,mode=readline|control][,id=..][,pretty=on|off]. */
int sys_parse_mon(const char *opt, SysMonitor *out, char **err);

void sys_options_usage(FILE *out, const char *prog);

#endif
