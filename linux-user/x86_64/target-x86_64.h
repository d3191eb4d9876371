/*
 * target-x86_64.h — vemu-x86_64's target-private declarations.
 */
#ifndef VEMU_LINUX_USER_TARGET_X86_64_H
#define VEMU_LINUX_USER_TARGET_X86_64_H

#include "linux-user/target.h"

extern const LinuxAbi x86_64_abi;

/* vdso-x86_64.c: the vDSO image (linux-user/x86/vdso-x86_64.S) */
extern const struct LinuxVdsoImage x86_64_vdso;

/* vsyscall-x86_64.c: a call into the legacy vsyscall page, emulated */
bool x86_64_vsyscall_fault(CPUCommon *cpu);

/* signal-x86_64.c */
int x86_64_setup_signal_frame(CPUCommon *cpu, int sig, const GuestSigAction *ka,
                              const GuestSiginfo *info, uint64_t old_mask, uint64_t sp);
int x86_64_restore_signal_frame(CPUCommon *cpu, bool rt, uint64_t *mask);

/* target-x86_64.c: the calls of the x86_64 table that are not generic */
int64_t x86_64_sys_arch_prctl(CPUCommon *cpu, const uint64_t *a);
int64_t x86_64_sys_clone(CPUCommon *cpu, const uint64_t *a);
int64_t x86_64_sys_fadvise64(CPUCommon *cpu, const uint64_t *a);
int64_t x86_64_sys_sync_file_range(CPUCommon *cpu, const uint64_t *a);

#endif
