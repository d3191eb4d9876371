/*
 * machine.h — what a board offers the system emulator's main: a name, its
 * RAM and cpu choices, and a function that builds it from the command
 * line.  One MachineClass per board (hw-versatile/versatilepb.c's
 * versatilepb_machine); main lists them for -M help.
 */
#ifndef VEMU_SOFTMMU_MACHINE_H
#define VEMU_SOFTMMU_MACHINE_H

#include <stdbool.h>
#include <stdint.h>

#include "exec/cpu-common.h"
#include "softmmu/chardev.h"
#include "softmmu/memory.h"
#include "softmmu/options.h"

/* The command line, as far as it concerns a board (already checked
 * against the MachineClass: a known cpu, RAM within the limit). */
typedef struct MachineArgs {
    uint64_t ram_size;
    const char *cpu;                 /* one of MachineClass.cpus */
    const char *props;               /* "-M name,PROPS" (NULL: none) */
    const char *kernel, *initrd, *append, *dtb;
    Chardev *serial[SYS_MAX_SERIAL]; /* NULL: that port goes nowhere */
    bool nic;                        /* the board's network card is present */
    uint8_t nic_mac[6];
    struct NetClient *nic_backend;   /* its peer (NULL: frames go nowhere) */
    const char *sd_file, *sd_format; /* the SD card image (NULL: none; format NULL: probe) */
    bool sd_readonly;
} MachineArgs;

typedef struct Machine {
    PhysMemory *pm;
    CPUCommon *cpu;
} Machine;

typedef struct MachineClass {
    const char *name, *desc;
    uint64_t default_ram_size, max_ram_size;
    const char *max_ram_why;         /* said when -m is above the limit */
    const char *default_cpu;
    const char *const *cpus;         /* -cpu names, NULL-terminated */
    /* Build the board, its cpu and load the kernel: NULL with *err
     * (malloc'd) on bad input. */
    Machine *(*init)(const MachineArgs *args, char **err);
} MachineClass;

#endif
