/*
 * procfs.h — /proc files as the guest must see them.
 *
 * The host's /proc describes vemu: its maps hold the 64-bit reservation,
 * its auxv and cmdline are vemu's, its cpuinfo is the host cpu.  Opening
 * /proc/self/{maps,smaps?,auxv,cmdline,stat,exe} or /proc/<our pid>/...,
 * or /proc/cpuinfo, instead returns a memfd filled with what the guest
 * would read on a real machine of its architecture.
 */
#ifndef VEMU_LINUX_USER_PROCFS_H
#define VEMU_LINUX_USER_PROCFS_H

#include <stdint.h>
#include <stdio.h>

#include "linux-user/target.h"

/* What the guest's process looks like, recorded before it runs: argv and
 * auxv on the initial stack, the stack range.  Called after the stack
 * is built. */
void procfs_init(const LinuxImageInfo *info);

/* A guest range backed by a file the loader copied into anonymous memory
 * (ELF segments), or a special page ("[vectors]"): named in maps. */
void procfs_note_image(uint64_t start, uint64_t end, const char *name, uint64_t offset);
/* In a forked child: the table's lock afresh (a thread of the parent that
 * was reading /proc/self/maps at the fork does not exist here; the table is
 * written only while loading, before any thread exists). */
void procfs_fork_child(void);

/* If path is one of the emulated /proc files, open it: a descriptor or
 * -errno.  Otherwise returns PROCFS_NOT_EMULATED and the caller opens the
 * real file. */
#define PROCFS_NOT_EMULATED (-100000)
int procfs_open(const char *path, int host_flags);

/* The generated contents, for tests: writes the file to out; 0 or -errno. */
int procfs_write_maps(FILE *out);
int procfs_write_cpuinfo(FILE *out);

#endif
