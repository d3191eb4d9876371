/*
 * kuser-arm.c — the ARM kuser helper page at 0xffff0000.
 *
 * ARM Linux maps a page of small routines at fixed addresses near the top
 * of every process; C libraries built for ARMv5 call them for atomics,
 * barriers and the TLS pointer, because those CPUs lack the instructions.
 * We write the routines as ARM code (assembled by hand below; the unit
 * test disassembles them with capstone) and the translator runs them like
 * any guest code: it implements LDREX/STREX, the CP15 barrier and the
 * TPIDRURO read for exactly this purpose.
 */
#include <string.h>
#include <sys/mman.h>

#include "frontend-arm/arm-cpu.h"
#include "linux-user/arm/target-arm.h"
#include "linux-user/guest-mem.h"
#include "linux-user/procfs.h"

/* int __kuser_cmpxchg64(const int64_t *oldval, const int64_t *newval,
 *                       volatile int64_t *ptr): 0 and C set if *ptr was
 * oldval and is now newval; non-zero and C clear otherwise. */
static const uint32_t kuser_cmpxchg64[] = {
    0xe92d00f0,     /* push    {r4, r5, r6, r7}      */
    0xe1c040d0,     /* ldrd    r4, r5, [r0]          ; expected */
    0xe1c160d0,     /* ldrd    r6, r7, [r1]          ; replacement */
    0xe1b20f9f,     /* 1: ldrexd r0, r1, [r2]        ; current */
    0xe0303004,     /* eors    r3, r0, r4            */
    0x00313005,     /* eorseq  r3, r1, r5            ; r3 == 0: equal */
    0x01a23f96,     /* strexdeq r3, r6, r7, [r2]     ; r3 = 0 stored, 1 lost the reservation */
    0x03330001,     /* teqeq   r3, #1                */
    0x0afffff9,     /* beq     1b                    ; retry a lost reservation */
    0xe8bd00f0,     /* pop     {r4, r5, r6, r7}      */
    0xe2730000,     /* rsbs    r0, r3, #0            ; 0 with C set iff r3 == 0 */
    0xe12fff1e,     /* bx      lr                    */
};

/* void __kuser_memory_barrier(void) */
static const uint32_t kuser_memory_barrier[] = {
    0xee070fba,     /* mcr     p15, 0, r0, c7, c10, 5   ; data memory barrier */
    0xe12fff1e,     /* bx      lr                    */
};

/* int __kuser_cmpxchg(int oldval, int newval, volatile int *ptr) */
static const uint32_t kuser_cmpxchg[] = {
    0xe1923f9f,     /* 1: ldrex r3, [r2]             */
    0xe0533000,     /* subs    r3, r3, r0            ; r3 == 0: *ptr == oldval */
    0x01823f91,     /* strexeq r3, r1, [r2]          ; r3 = 0 stored, 1 lost the reservation */
    0x03330001,     /* teqeq   r3, #1                */
    0x0afffffa,     /* beq     1b                    */
    0xe2730000,     /* rsbs    r0, r3, #0            ; 0 with C set iff r3 == 0 */
    0xe12fff1e,     /* bx      lr                    */
};

/* void *__kuser_get_tls(void) */
static const uint32_t kuser_get_tls[] = {
    0xee1d0f70,     /* mrc     p15, 0, r0, c13, c0, 3   ; TPIDRURO */
    0xe12fff1e,     /* bx      lr                    */
};

/* ARMv5 has no exclusive loads and stores: these variants are plain
 * load-compare-store sequences, atomic because nothing else runs guest
 * code while one executes (the kernel makes its own v5 versions atomic by
 * restarting them when preempted).  Guest threads will need a different
 * answer; see docs/linux-user.md. */
static const uint32_t kuser_cmpxchg64_v5[] = {
    0xe92d00f0,     /* push    {r4, r5, r6, r7}      */
    0xe8900030,     /* ldm     r0, {r4, r5}          ; expected */
    0xe89200c0,     /* ldm     r2, {r6, r7}          ; current */
    0xe0343006,     /* eors    r3, r4, r6            */
    0x00353007,     /* eorseq  r3, r5, r7            ; r3 == 0: equal */
    0x08910030,     /* ldmeq   r1, {r4, r5}          ; replacement */
    0x08820030,     /* stmeq   r2, {r4, r5}          */
    0xe8bd00f0,     /* pop     {r4, r5, r6, r7}      */
    0xe2730000,     /* rsbs    r0, r3, #0            */
    0xe12fff1e,     /* bx      lr                    */
};

static const uint32_t kuser_cmpxchg_v5[] = {
    0xe5923000,     /* ldr     r3, [r2]              */
    0xe0533000,     /* subs    r3, r3, r0            */
    0x05821000,     /* streq   r1, [r2]              */
    0xe2730000,     /* rsbs    r0, r3, #0            */
    0xe12fff1e,     /* bx      lr                    */
};

/* Number of 32-byte helper slots from 0xffff0f60 to the end of the page. */
static const uint32_t kuser_version[] = { 5 };

const ArmKuserHelper arm_kuser_helpers_v5[] = {
    { ARM_KUSER_CMPXCHG64, kuser_cmpxchg64_v5, sizeof(kuser_cmpxchg64_v5) / 4 },
    { ARM_KUSER_MEMORY_BARRIER, kuser_memory_barrier, sizeof(kuser_memory_barrier) / 4 },
    { ARM_KUSER_CMPXCHG, kuser_cmpxchg_v5, sizeof(kuser_cmpxchg_v5) / 4 },
    { ARM_KUSER_GET_TLS, kuser_get_tls, sizeof(kuser_get_tls) / 4 },
    { ARM_KUSER_HELPER_VERSION, kuser_version, 1 },
};

const ArmKuserHelper arm_kuser_helpers[] = {
    { ARM_KUSER_CMPXCHG64, kuser_cmpxchg64, sizeof(kuser_cmpxchg64) / 4 },
    { ARM_KUSER_MEMORY_BARRIER, kuser_memory_barrier, sizeof(kuser_memory_barrier) / 4 },
    { ARM_KUSER_CMPXCHG, kuser_cmpxchg, sizeof(kuser_cmpxchg) / 4 },
    { ARM_KUSER_GET_TLS, kuser_get_tls, sizeof(kuser_get_tls) / 4 },
    { ARM_KUSER_HELPER_VERSION, kuser_version, 1 },
};
const unsigned arm_n_kuser_helpers = sizeof(arm_kuser_helpers) / sizeof(arm_kuser_helpers[0]);

int arm_setup_kuser_page(CPUCommon *cpu)
{
    /* LDREX/STREX need ARMv6K (the translator follows the model). */
    bool v6k = ((ARMCPU *)cpu)->features & ARM_FEATURE_V6K;
    const ArmKuserHelper *helpers = v6k ? arm_kuser_helpers : arm_kuser_helpers_v5;
    int64_t r = guest_mmap(ARM_KUSER_PAGE, GUEST_PAGE_SIZE, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (r < 0) {
        return (int)r;
    }
    for (unsigned i = 0; i < arm_n_kuser_helpers; i++) {
        const ArmKuserHelper *h = &helpers[i];
        memcpy(g2h(h->addr), h->code, h->n_words * 4);
    }
    /* Signal return trampolines, for handlers installed without a
     * restorer: mov r7, #119 (sigreturn); svc 0; mov r7, #173; svc 0. */
    static const uint32_t sigreturn_code[] = { 0xe3a07077, 0xef000000, 0xe3a070ad, 0xef000000 };
    memcpy(g2h(ARM_SIGRETURN_TRAMPOLINE), sigreturn_code, sizeof(sigreturn_code));
    procfs_note_image(ARM_KUSER_PAGE, ARM_KUSER_PAGE + GUEST_PAGE_SIZE, "[vectors]", 0);
    /* Readable and executable, never writable by the guest. */
    return guest_mprotect(ARM_KUSER_PAGE, GUEST_PAGE_SIZE, PROT_READ | PROT_EXEC);
}
