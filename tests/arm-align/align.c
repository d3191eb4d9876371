/*
 * align.c — the alignment faults Linux on ARMv7 delivers to user space,
 * and the misaligned accesses it does not.
 *
 * The kernel's alignment handler (arch/arm/mm/alignment.c) fixes up
 * misaligned LDR/STR/LDRH/LDRD/LDM/STM, but not exclusives (LDREX/STREX
 * and their B/H/D forms) nor coprocessor loads/stores (VLDR/VSTR/VLDM/
 * VSTM): those become SIGBUS with si_code BUS_ADRALN and si_addr the
 * access's address, the pc at the faulting instruction.  An interworking
 * branch to an ARM-state address with bit 1 set faults on fetch (ARMv8's
 * PC alignment fault; SIGBUS/BUS_ADRALN at the pc).
 *
 * Each case runs one instruction, in ARM state and in Thumb state, from
 * inside a SIGBUS handler that records what it got and steps over the
 * instruction.  The program checks itself against those rules and prints
 * one line per case ("ok ..." or "FAIL ..."); tests/arm-align/run.sh also
 * compares the whole output with qemu-arm's.  The ARMv8 load-acquire/
 * store-release forms (LDA, STL, LDAEX, STLEX: alignment required like the
 * exclusives) need -march=armv8-a and an ARMv8 cpu (-cpu max).
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>

static volatile int got_sig, got_code, got_thumb;
static volatile uintptr_t got_addr, got_pc;
static volatile uintptr_t resume_pc;     /* bx cases: where to go on */
static int failures;

extern const char bx_target_arm[], bx_resume_arm[];
__asm__(".text\n.arm\n.balign 8\n"
        ".global bx_target_arm\nbx_target_arm:\n"
        "    nop\n    nop\n"
        ".global bx_resume_arm\nbx_resume_arm:\n"
        "    bx lr\n");

static void on_bus(int sig, siginfo_t *si, void *ucv)
{
    ucontext_t *uc = ucv;
    got_sig = sig;
    got_code = si->si_code;
    got_addr = (uintptr_t)si->si_addr;
    got_pc = uc->uc_mcontext.arm_pc;
    got_thumb = (uc->uc_mcontext.arm_cpsr >> 5) & 1;
    if (resume_pc) {
        uc->uc_mcontext.arm_pc = resume_pc;
        uc->uc_mcontext.arm_cpsr &= ~(1u << 5);     /* ARM state */
        resume_pc = 0;
    } else {
        uc->uc_mcontext.arm_pc += 4;    /* every faulting instruction here is 4 bytes */
    }
}

static void reset(void)
{
    got_sig = got_code = got_thumb = 0;
    got_addr = got_pc = 0;
}

/* expect_fault: addr is the address in si_addr, pc the faulting insn. */
static void check(const char *name, int expect_fault, uintptr_t addr, uintptr_t pc, int thumb)
{
    if (!expect_fault) {
        if (got_sig) {
            printf("FAIL %s: unexpected signal %d code %d addr %#lx\n", name, got_sig, got_code,
                   (unsigned long)got_addr);
            failures++;
        } else {
            printf("ok %s: no fault\n", name);
        }
        return;
    }
    if (got_sig != SIGBUS || got_code != BUS_ADRALN || got_addr != addr || got_pc != pc ||
        got_thumb != thumb) {
        printf("FAIL %s: sig %d code %d addr %+ld pc %+ld T%d (want SIGBUS BUS_ADRALN addr +0 pc +0 T%d)\n",
               name, got_sig, got_code, (long)(got_addr - addr), (long)(got_pc - pc), got_thumb, thumb);
        failures++;
    } else {
        printf("ok %s: SIGBUS BUS_ADRALN at the address, pc at the insn\n", name);
    }
}

static uint64_t buf64[8] __attribute__((aligned(16)));
#define BUF ((uintptr_t)buf64 + 16)

/* One function per instruction and state; each returns the address of its
 * faulting instruction (a local label).  `base` is the address used. */
#define CASE_LD(fn, state, insn)                                                       \
    __attribute__((target(state), noinline)) static uintptr_t fn(uintptr_t base)       \
    {                                                                                  \
        uintptr_t at;                                                                  \
        uint32_t v;                                                                    \
        __asm__ volatile("adr %0, 1f\n1: " insn "\n"                                  \
                         : "=&r"(at), "=&r"(v) : "r"(base) : "d0", "d1", "memory");    \
        (void)v;                                                                       \
        return at;                                                                     \
    }
/* A form with base writeback: the base is %1. */
#define CASE_WB(fn, state, insn)                                                       \
    __attribute__((target(state), noinline)) static uintptr_t fn(uintptr_t base)       \
    {                                                                                  \
        uintptr_t at, v = base;                                                        \
        __asm__ volatile("adr %0, 1f\n1: " insn "\n"                                  \
                         : "=&r"(at), "+&r"(v) : : "d0", "d1", "memory");              \
        return at;                                                                     \
    }
#define CASE_LDD(fn, state, insn)                                                      \
    __attribute__((target(state), noinline)) static uintptr_t fn(uintptr_t base)       \
    {                                                                                  \
        uintptr_t at;                                                                  \
        register uint32_t lo __asm__("r4"), hi __asm__("r5");                          \
        __asm__ volatile("adr %0, 1f\n1: " insn "\n"                                  \
                         : "=&r"(at), "=&r"(lo), "=&r"(hi) : "r"(base) : "memory");    \
        (void)lo; (void)hi;                                                            \
        return at;                                                                     \
    }
#define CASE_ST(fn, state, insn)                                                       \
    __attribute__((target(state), noinline)) static uintptr_t fn(uintptr_t base)       \
    {                                                                                  \
        uintptr_t at;                                                                  \
        uint32_t status = 7;                                                           \
        register uint32_t lo __asm__("r4") = 0x11223344, hi __asm__("r5") = 0x55667788; \
        __asm__ volatile("adr %0, 1f\n1: " insn "\n"                                  \
                         : "=&r"(at), "+&r"(status) : "r"(base), "r"(lo), "r"(hi)       \
                         : "memory");                                                  \
        (void)status;                                                                  \
        return at;                                                                     \
    }

#define STATES(X) X(arm, "arm") X(thumb, "thumb")
#define DEFINE(sfx, st)                                                                 \
    CASE_LD(ldrex_##sfx, st, "ldrex %1, [%2]")                           \
    CASE_LD(ldrexh_##sfx, st, "ldrexh %1, [%2]")                         \
    CASE_LD(ldrexb_##sfx, st, "ldrexb %1, [%2]\n clrex")                 \
    CASE_LDD(ldrexd_##sfx, st, "ldrexd %1, %2, [%3]")                                  \
    CASE_ST(strex_##sfx, st, "strex %1, %3, [%2]")                                      \
    CASE_ST(strexh_##sfx, st, "strexh %1, %3, [%2]")                                    \
    CASE_ST(strexb_##sfx, st, "strexb %1, %3, [%2]")                                    \
    CASE_ST(strexd_##sfx, st, "strexd %1, %3, %4, [%2]")                                \
    CASE_LD(vldr_s_##sfx, st, "vldr s0, [%2]")                      \
    CASE_LD(vldr_d_##sfx, st, "vldr d0, [%2, #-8]")                 \
    CASE_LD(vstr_s_##sfx, st, "vstr s0, [%2]")                           \
    CASE_LD(vstr_d_##sfx, st, "vstr d0, [%2, #8]")                       \
    CASE_LD(vldmia_##sfx, st, "vldmia %2, {d0-d1}")           \
    CASE_WB(vstmdb_##sfx, st, "vstmdb %1!, {s0-s2}")                      \
    CASE_LD(ldr_##sfx, st, "ldr %1, [%2]")                               \
    CASE_LD(ldrh_##sfx, st, "ldrh %1, [%2]")                             \
    CASE_LD(str_##sfx, st, "str %2, [%2]")                               \
    CASE_LDD(ldrd_##sfx, st, "ldrd %1, %2, [%3]")                                      \
    CASE_ST(strd_##sfx, st, "strd %3, %4, [%2]")                                        \
    CASE_LDD(ldm_##sfx, st, "ldm %3, {%1, %2}")                                        \
    CASE_ST(stm_##sfx, st, "stm %2, {%3, %4}")                                          \
    CASE_LD(lda_##sfx, st, "lda %1, [%2]")                                             \
    CASE_LD(ldah_##sfx, st, "ldah %1, [%2]")                                           \
    CASE_LD(ldab_##sfx, st, "ldab %1, [%2]")                                           \
    CASE_ST(stl_##sfx, st, "stl %3, [%2]")                                              \
    CASE_ST(stlh_##sfx, st, "stlh %3, [%2]")                                            \
    CASE_LD(ldaex_##sfx, st, "ldaex %1, [%2]\n clrex")                                 \
    CASE_LDD(ldaexd_##sfx, st, "ldaexd %1, %2, [%3]\n clrex")                          \
    CASE_ST(stlex_##sfx, st, "stlex %1, %3, [%2]")                                      \
    CASE_ST(stlexh_##sfx, st, "stlexh %1, %3, [%2]")
STATES(DEFINE)

/* An interworking branch to bx_target_arm + 2: ARM state, bit 1 set. */
__attribute__((target("arm"), noinline)) static void blx_arm(uintptr_t t)
{
    __asm__ volatile("blx %0" : : "r"(t) : "lr", "memory");
}
__attribute__((target("thumb"), noinline)) static void blx_thumb(uintptr_t t)
{
    __asm__ volatile("blx %0" : : "r"(t) : "lr", "memory");
}
/* LoadWritePC: pop {pc}; the handler resumes at bx_resume_arm (bx lr). */
__attribute__((target("arm"), noinline)) static void pop_pc_arm(uintptr_t t)
{
    __asm__ volatile("adr lr, 1f\n push {%0}\n pop {pc}\n1:" : : "r"(t) : "lr", "memory");
}
__attribute__((target("thumb"), noinline)) static void pop_pc_thumb(uintptr_t t)
{
    __asm__ volatile("adr lr, 1f + 1\n push {%0}\n pop {pc}\n.balign 4\n1:" : : "r"(t) : "lr", "memory");
}

typedef uintptr_t (*case_fn)(uintptr_t);
struct tcase {
    const char *name;
    case_fn fn[2];
    int off;       /* from BUF */
    int fault;     /* expected */
    int delta;     /* si_addr - base (VLDR/VSTR offsets, VSTMDB) */
};
#define C(n) { #n, { n##_arm, n##_thumb }
static const struct tcase cases[] = {
    C(ldrex), 1, 1, 0 }, C(ldrex), 2, 1, 0 }, C(ldrex), 4, 0, 0 },
    C(ldrexh), 1, 1, 0 }, C(ldrexh), 2, 0, 0 },
    C(ldrexb), 1, 0, 0 }, C(ldrexb), 3, 0, 0 },
    C(ldrexd), 4, 1, 0 }, C(ldrexd), 2, 1, 0 }, C(ldrexd), 8, 0, 0 },
    C(strex), 3, 1, 0 }, C(strex), 0, 0, 0 },
    C(strexh), 1, 1, 0 }, C(strexh), 2, 0, 0 },
    C(strexb), 1, 0, 0 },
    C(strexd), 4, 1, 0 }, C(strexd), 1, 1, 0 }, C(strexd), 8, 0, 0 },
    C(vldr_s), 2, 1, 0 }, C(vldr_s), 4, 0, 0 },
    C(vldr_d), 9, 1, -8 }, C(vldr_d), 12, 0, 0 },
    C(vstr_s), 1, 1, 0 }, C(vstr_s), 4, 0, 0 },
    C(vstr_d), 2, 1, 8 }, C(vstr_d), 4, 0, 0 },
    C(vldmia), 2, 1, 0 }, C(vldmia), 4, 0, 0 },
    C(vstmdb), 18, 1, -12 }, C(vstmdb), 20, 0, 0 },
    C(ldr), 1, 0, 0 }, C(ldrh), 1, 0, 0 }, C(str), 3, 0, 0 },
    C(ldrd), 1, 0, 0 }, C(ldrd), 4, 0, 0 }, C(strd), 2, 0, 0 },
    C(ldm), 1, 0, 0 }, C(stm), 3, 0, 0 },
    /* ARMv8 load-acquire/store-release (built with -march=armv8-a; run on
     * -cpu max, the default of vemu-arm and qemu-arm) */
    C(lda), 2, 1, 0 }, C(lda), 4, 0, 0 }, C(ldah), 3, 1, 0 }, C(ldah), 2, 0, 0 },
    C(ldab), 1, 0, 0 }, C(stl), 1, 1, 0 }, C(stl), 0, 0, 0 }, C(stlh), 1, 1, 0 },
    C(ldaex), 2, 1, 0 }, C(ldaexd), 4, 1, 0 }, C(ldaexd), 8, 0, 0 },
    C(stlex), 2, 1, 0 }, C(stlexh), 3, 1, 0 },
};

int main(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_bus;
    sa.sa_flags = SA_SIGINFO;
    sigaction(SIGBUS, &sa, NULL);

    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct tcase *c = &cases[i];
        for (int t = 0; t < 2; t++) {
            char name[64];
            snprintf(name, sizeof name, "%s-%s+%d", c->name, t ? "thumb" : "arm", c->off);
            uintptr_t base = BUF + c->off;
            reset();
            uintptr_t at = c->fn[t](base);
            check(name, c->fault, base + c->delta, at & ~(uintptr_t)1, t);
        }
    }

    /* Interworking branches to an ARM address with bit 1 set. */
    struct { const char *name; void (*fn)(uintptr_t); int thumb_caller; } bx[] = {
        { "blx-arm", blx_arm, 0 }, { "blx-thumb", blx_thumb, 1 },
        { "pop-pc-arm", pop_pc_arm, 0 }, { "pop-pc-thumb", pop_pc_thumb, 1 },
    };
    for (size_t i = 0; i < sizeof bx / sizeof bx[0]; i++) {
        uintptr_t target = (uintptr_t)bx_target_arm + 2;
        reset();
        resume_pc = (uintptr_t)bx_resume_arm;
        bx[i].fn(target);
        check(bx[i].name, 1, target, target, 0);
    }

    /* Aligned accesses after all that still work, and memory is sane. */
    printf("%s: %d failures\n", failures ? "FAIL" : "ok", failures);
    return failures != 0;
}
