/*
 * x86-glue.c — what the x86 targets learn from frontend-x86 beyond the
 * state contract: the cpu models (-cpu, AT_HWCAP, /proc/cpuinfo through
 * CPUID, x86-cpuid.h) and the frontend's exceptions as Linux signals
 * them (x86-cpu.h's X86_EXCP_*).
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "frontend-x86/x86-cpuid.h"
#include "linux-user/x86/x86-user.h"

#ifndef SI_KERNEL
#define SI_KERNEL 0x80
#endif

int x86_user_set_model(CPUCommon *cpu, const char *name)
{
    const X86CPUModel *m = x86_cpu_model_find(name);
    if (!m)
        return -1;
    x86(cpu)->model = m;
    return 0;
}

const char x86_user_cpu_model_names[] = "pentium3 core2duo haswell max";

static void cpuid(const CPUCommon *cpu, uint32_t leaf, uint32_t sub, uint32_t out[4])
{
    x86_cpuid(cx86(cpu)->model, leaf, sub, out);
}

/* ELF_HWCAP on x86 is CPUID.1:EDX; glibc reads its real features from
 * CPUID itself. */
uint32_t x86_user_hwcap(const CPUCommon *cpu)
{
    uint32_t r[4];
    cpuid(cpu, 1, 0, r);
    return r[3];
}

/* HWCAP2_RING3MWAIT and HWCAP2_FSGSBASE: neither (vemu's user mode has
 * no MONITOR/MWAIT, and Linux enables FSGSBASE only with kernel support
 * the frontend does not claim). */
uint32_t x86_user_hwcap2(const CPUCommon *cpu) { return 0; }

/* Flag names of /proc/cpuinfo, in the kernel's capability-word order
 * (arch/x86/include/asm/cpufeatures.h); NULL: not shown. */
static const char *const flags_1_edx[32] = {
    "fpu", "vme", "de", "pse", "tsc", "msr", "pae", "mce", "cx8", "apic", NULL, "sep", "mtrr",
    "pge", "mca", "cmov", "pat", "pse36", "pn", "clflush", NULL, "dts", "acpi", "mmx", "fxsr",
    "sse", "sse2", "ss", "ht", "tm", "ia64", "pbe",
};
static const char *const flags_81_edx[32] = {
    [11] = "syscall", [19] = "mp", [20] = "nx", [22] = "mmxext", [25] = "fxsr_opt",
    [26] = "pdpe1gb", [27] = "rdtscp", [29] = "lm", [30] = "3dnowext", [31] = "3dnow",
};
static const char *const flags_1_ecx[32] = {
    "pni", "pclmulqdq", "dtes64", "monitor", "ds_cpl", "vmx", "smx", "est", "tm2", "ssse3",
    "cid", "sdbg", "fma", "cx16", "xtpr", "pdcm", NULL, "pcid", "dca", "sse4_1", "sse4_2",
    "x2apic", "movbe", "popcnt", "tsc_deadline_timer", "aes", "xsave", NULL, "avx", "f16c",
    "rdrand", "hypervisor",
};
static const char *const flags_81_ecx[32] = {
    "lahf_lm", "cmp_legacy", "svm", "extapic", "cr8_legacy", "abm", "sse4a", "misalignsse",
    "3dnowprefetch", "osvw", "ibs", "xop", "skinit", "wdt", NULL, "lwp", "fma4", "tce", NULL,
    "nodeid_msr", NULL, "tbm", "topoext",
};
static const char *const flags_7_ebx[32] = {
    "fsgsbase", "tsc_adjust", "sgx", "bmi1", "hle", "avx2", NULL, "smep", "bmi2", "erms",
    "invpcid", "rtm", NULL, NULL, "mpx", NULL, "avx512f", "avx512dq", "rdseed", "adx", "smap",
    "avx512ifma", "clflushopt", "clwb", NULL, "avx512pf", "avx512er", "avx512cd", "sha_ni",
    "avx512bw", "avx512vl",
};
static const char *const flags_d1_eax[32] = { "xsaveopt", "xsavec", "xgetbv1", "xsaves" };

static void print_flags(FILE *out, const char *const names[32], uint32_t bits)
{
    for (int b = 0; b < 32; b++)
        if ((bits & (1u << b)) && names[b])
            fprintf(out, " %s", names[b]);
}

/* /proc/cpuinfo as Linux prints it for this model: one block per host
 * cpu, identification from CPUID, flags from the feature bits the model
 * reports (so they agree with what CPUID tells the program). */
void x86_user_write_cpuinfo(const CPUCommon *cpu, FILE *out)
{
    uint32_t l0[4], l1[4], l7[4] = { 0 }, ld1[4] = { 0 }, e0[4], e1[4] = { 0 };
    cpuid(cpu, 0, 0, l0);
    cpuid(cpu, 1, 0, l1);
    if (l0[0] >= 7)
        cpuid(cpu, 7, 0, l7);
    if (l0[0] >= 0xd)
        cpuid(cpu, 0xd, 1, ld1);
    cpuid(cpu, 0x80000000u, 0, e0);
    if (e0[0] >= 0x80000001u)
        cpuid(cpu, 0x80000001u, 0, e1);
    char vendor[13];
    memcpy(vendor, &l0[1], 4);
    memcpy(vendor + 4, &l0[3], 4);
    memcpy(vendor + 8, &l0[2], 4);
    vendor[12] = 0;
    char brand[49] = "";
    if (e0[0] >= 0x80000004u) {
        for (uint32_t i = 0; i < 3; i++)
            cpuid(cpu, 0x80000002u + i, 0, (uint32_t *)(brand + 16 * i));
        brand[48] = 0;
    }
    const char *b = brand;
    while (*b == ' ')
        b++;
    uint32_t fam = (l1[0] >> 8) & 0xf, model = (l1[0] >> 4) & 0xf, stepping = l1[0] & 0xf;
    if (fam == 0xf)
        fam += (l1[0] >> 20) & 0xff;
    if (fam == 6 || fam >= 0xf)
        model |= ((l1[0] >> 16) & 0xf) << 4;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    for (long i = 0; i < n; i++) {
        fprintf(out, "processor\t: %ld\n", i);
        fprintf(out, "vendor_id\t: %s\n", vendor);
        fprintf(out, "cpu family\t: %u\n", fam);
        fprintf(out, "model\t\t: %u\n", model);
        fprintf(out, "model name\t: %s\n", *b ? b : "unknown");
        fprintf(out, "stepping\t: %u\n", stepping);
        fprintf(out, "cpu MHz\t\t: 2000.000\n");
        fprintf(out, "physical id\t: 0\nsiblings\t: %ld\ncore id\t\t: %ld\ncpu cores\t: %ld\n", n, i, n);
        fprintf(out, "apicid\t\t: %ld\ninitial apicid\t: %ld\n", i, i);
        fprintf(out, "fpu\t\t: %s\nfpu_exception\t: %s\n", (l1[3] & 1) ? "yes" : "no",
                (l1[3] & 1) ? "yes" : "no");
        fprintf(out, "cpuid level\t: %u\nwp\t\t: yes\n", l0[0]);
        fprintf(out, "flags\t\t:");
        print_flags(out, flags_1_edx, l1[3]);
        print_flags(out, flags_81_edx, e1[3]);
        print_flags(out, flags_1_ecx, l1[2]);
        print_flags(out, flags_81_ecx, e1[2]);
        print_flags(out, flags_7_ebx, l7[1]);
        print_flags(out, flags_d1_eax, ld1[0]);
        fprintf(out, "\nbugs\t\t:\nbogomips\t: 4000.00\nclflush size\t: 64\n"
                     "cache_alignment\t: 64\naddress sizes\t: 39 bits physical, 48 bits virtual\n"
                     "power management:\n\n");
    }
}

bool x86_user_handle_exception(CPUCommon *cpu, int excp)
{
    switch (excp) {
    case X86_EXCP_DE:
        /* do_error_trap(X86_TRAP_DE): SIGFPE, FPE_INTDIV, at the insn */
        cpu_loop_raise_signal(cpu, SIGFPE, FPE_INTDIV, cx86(cpu)->rip);
        return true;
    case X86_EXCP_OF:
    case X86_EXCP_BR:
    case X86_EXCP_GP:
        /* a general protection fault (and INTO, BOUND): SIGSEGV with
         * SI_KERNEL and no address */
        cpu_loop_raise_signal(cpu, SIGSEGV, SI_KERNEL, 0);
        return true;
    default:
        return false;
    }
}
