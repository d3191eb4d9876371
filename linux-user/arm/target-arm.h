/*
 * target-arm.h — ARM glue of linux-user (private to linux-user/arm/).
 */
#ifndef VEMU_LINUX_USER_TARGET_ARM_H
#define VEMU_LINUX_USER_TARGET_ARM_H

#include "linux-user/target.h"

/* The kuser helper page (ARM Linux's "vectors" page). */
#define ARM_KUSER_PAGE 0xffff0000u
#define ARM_KUSER_CMPXCHG64 0xffff0f60u
#define ARM_KUSER_MEMORY_BARRIER 0xffff0fa0u
#define ARM_KUSER_CMPXCHG 0xffff0fc0u
#define ARM_KUSER_GET_TLS 0xffff0fe0u
#define ARM_KUSER_HELPER_VERSION 0xffff0ffcu

/* sigreturn and rt_sigreturn trampolines (ARM code) in the same page. */
#define ARM_SIGRETURN_TRAMPOLINE 0xffff0500u

int arm_setup_signal_frame(CPUCommon *cpu, int sig, const GuestSigAction *ka,
                           const GuestSiginfo *info, uint64_t old_mask, uint64_t sp);
int arm_restore_signal_frame(CPUCommon *cpu, bool rt, uint64_t *mask);
void arm_syscall_restart(CPUCommon *cpu, uint64_t orig_arg0);

/* The helpers as ARM machine words, placed at their fixed addresses. */
typedef struct ArmKuserHelper {
    uint32_t addr;
    const uint32_t *code;
    unsigned n_words;
} ArmKuserHelper;
extern const ArmKuserHelper arm_kuser_helpers[];      /* ARMv6K and later: LDREX/STREX */
extern const ArmKuserHelper arm_kuser_helpers_v5[];   /* ARMv5: plain loads and stores */
extern const unsigned arm_n_kuser_helpers;            /* entries in each */
int arm_setup_kuser_page(CPUCommon *cpu);

/* The system call ABIs (syscall-abi-arm.c): EABI, the old ABI, both. */
extern const LinuxAbi arm_eabi, arm_oabi;
extern const LinuxAbi *const arm_abis[2];
uint32_t arm_syscall_nr(CPUCommon *cpu, const LinuxAbi **abi);
int64_t arm_sys_oabi_syscall(CPUCommon *cpu, const uint64_t *a);

int64_t arm_sys_set_tls(CPUCommon *cpu, const uint64_t *a);
int64_t arm_sys_get_tls(CPUCommon *cpu, const uint64_t *a);
int64_t arm_sys_cacheflush(CPUCommon *cpu, const uint64_t *a);

/* AT_HWCAP bits (the kernel's HWCAP_*). */
enum {
    ARM_HWCAP_SWP = 1 << 0, ARM_HWCAP_HALF = 1 << 1, ARM_HWCAP_THUMB = 1 << 2,
    ARM_HWCAP_FAST_MULT = 1 << 4, ARM_HWCAP_VFP = 1 << 6, ARM_HWCAP_EDSP = 1 << 7,
    ARM_HWCAP_NEON = 1 << 12, ARM_HWCAP_VFPv3 = 1 << 13, ARM_HWCAP_TLS = 1 << 15,
    ARM_HWCAP_IDIVA = 1 << 17, ARM_HWCAP_IDIVT = 1 << 18, ARM_HWCAP_VFPD32 = 1 << 19,
};

#endif
