/*
 * target-i386.h — vemu-i386's target-private declarations.
 */
#ifndef VEMU_LINUX_USER_TARGET_I386_H
#define VEMU_LINUX_USER_TARGET_I386_H

#include "linux-user/target.h"

/* vdso-i386.c: the vDSO image (linux-user/x86/vdso-i386.S) */
extern const struct LinuxVdsoImage i386_vdso;

/* signal-i386.c */
int i386_setup_signal_frame(CPUCommon *cpu, int sig, const GuestSigAction *ka,
                            const GuestSiginfo *info, uint64_t old_mask, uint64_t sp);
int i386_restore_signal_frame(CPUCommon *cpu, bool rt, uint64_t *mask);

#endif
