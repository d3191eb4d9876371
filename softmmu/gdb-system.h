/*
 * gdb-system.h — the gdbstub's owner in system mode: -gdb DEV, -s and -S
 * for vemu-system-arm (softmmu/gdb-system.c).
 *
 * main() calls sysgdb_setup() once the machine is built: it listens on DEV
 * and starts a thread that accepts gdb, now and again after each detach
 * (gdb may attach to a running machine, which then stops, as QEMU's does).
 * The vcpu loop (cpus.c) calls the rest, through the CPUsDebugger hooks
 * sysgdb_setup installs (cpus_debugger):
 *     sysgdb_poll()        after every kick: gdb attached or sent Ctrl-C;
 *     sysgdb_holding()     -S: the cpu must not run yet (wait for a kick);
 *     sysgdb_debug_stop()  EXCP_DEBUG: a breakpoint or a finished step.
 * Each stop serves gdb on the vcpu thread until gdb resumes; the virtual
 * clock stands still meanwhile.  They return -1 when gdb killed the
 * machine (vemu then exits 0, as QEMU does), else 0.
 *
 * gdb sees guest memory through the cpu's MMU (virtual addresses, walked
 * with Frontend.mmu_translate without touching the soft TLB, the guest's
 * fault registers or raising anything), or physical memory after
 * `maintenance packet Qqemu.PhyMemMode:1`.  RAM and ROM only: device
 * registers answer as errors, since reading them has side effects.
 */
#ifndef VEMU_SOFTMMU_GDB_SYSTEM_H
#define VEMU_SOFTMMU_GDB_SYSTEM_H

#include <stdbool.h>
#include <stddef.h>

#include "exec/cpu-common.h"

/* A -gdb DEV as QEMU spells it: tcp:[HOST]:PORT (HOST empty, localhost or
 * 127.0.0.1: vemu listens on the loopback interface), unix:PATH, or a bare
 * PORT; chardev options ",server", ",nowait" (and their =on/off forms) are
 * accepted and mean nothing more.  Writes gdbstub_listen()'s spec (a port
 * number, or a path holding a '/') into spec; 0, or -1 with *err
 * (malloc'd, no program name). */
int sysgdb_parse_dev(const char *dev, char *spec, size_t cap, char **err);

/* dev NULL: no gdb (-S alone: the cpu waits for a shutdown request).
 * start_stopped: -S.  0, or -1 with *err (malloc'd). */
int sysgdb_setup(CPUCommon *cpu, const char *dev, bool start_stopped, char **err);

/* Called (vcpu thread, no lock) when gdb resumes the cpu: main starts a
 * machine held by -S or the monitor's stop, as QEMU's gdb continue does. */
extern void (*sysgdb_resume_hook)(void);

/* True once sysgdb_setup listens for gdb (-gdb, or the monitor's
 * gdbserver). */
bool sysgdb_listening(void);

/* The vcpu loop's side (see above).  All are no-ops without sysgdb_setup. */
int sysgdb_poll(CPUCommon *cpu);
bool sysgdb_holding(void);
int sysgdb_debug_stop(CPUCommon *cpu);

/* The owner's memory access, for tests: guest virtual addresses through
 * cpu's MMU and guest physical addresses.  0, or -1 when any byte is not
 * RAM/ROM behind a valid mapping. */
int sysgdb_read_virt(CPUCommon *cpu, uint64_t addr, void *buf, size_t len);
int sysgdb_write_virt(CPUCommon *cpu, uint64_t addr, const void *buf, size_t len);
int sysgdb_read_phys(CPUCommon *cpu, uint64_t addr, void *buf, size_t len);
int sysgdb_write_phys(CPUCommon *cpu, uint64_t addr, const void *buf, size_t len);

#endif
