/*
 * target-arm.c — the ARM (little-endian) LinuxTarget of vemu-arm.
 */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "exec/exec.h"
#include "host/host-abi.h"
#include "frontend-arm/arm-cpu.h"
#include "linux-user/arm/target-arm.h"

static ARMCPU *arm(CPUCommon *c) { return (ARMCPU *)c; }
static const ARMCPU *carm(const CPUCommon *c) { return (const ARMCPU *)c; }

static int arm_set_model(CPUCommon *cpu, const char *name)
{
    return arm_cpu_set_model(arm(cpu), name);
}

static void arm_init_thread(CPUCommon *cpu, const LinuxImageInfo *info)
{
    ARMCPU *c = arm(cpu);
    /* Like the kernel's start_thread: every register zero (r0 = 0 tells
     * the program there is no rtld_fini), user mode, Thumb if the entry
     * address is odd. */
    for (int i = 0; i < 15; i++)
        c->regs[i] = 0;
    c->regs[13] = (uint32_t)info->sp;
    c->regs[15] = (uint32_t)info->start_pc & ~1u;
    c->thumb = info->start_pc & 1;
}

/* What glibc and the dynamic linker do with these: HWCAP_VFP makes
 * setjmp/longjmp save VFP registers, HWCAP_IWMMXT the iWMMXt ones, and
 * ld.so picks library subdirectories by platform.  So each bit is claimed
 * only when the selected model has it and the translator implements it,
 * which the frontend knows (arm_cpu_hwcap: never NEON yet). */
static uint32_t arm_hwcap(const CPUCommon *cpu)
{
    return arm_cpu_hwcap(carm(cpu));
}

static uint32_t arm_hwcap2(const CPUCommon *cpu) { return arm_cpu_hwcap2(carm(cpu)); }

/* An ARMv8 model says "v8l", as arm64 kernels do for AArch32 tasks (and
 * qemu-arm -cpu max). */
static const char *arm_platform(const CPUCommon *cpu)
{
    uint32_t f = carm(cpu)->features;
    return (f & ARM_FEATURE_V8) ? "v8l" : (f & ARM_FEATURE_V7) ? "v7l" : (f & ARM_FEATURE_V6) ? "v6l" : "v5l";
}

static const char *arm_uname_machine(const CPUCommon *cpu)
{
    uint32_t f = carm(cpu)->features;
    return (f & ARM_FEATURE_V7) ? "armv7l" : (f & ARM_FEATURE_V6) ? "armv6l" : "armv5tel";
}

/* Arguments in r0-r6 and the result in r0 in both ABIs (the number:
 * arm_syscall_nr in syscall-abi-arm.c). */
static void arm_syscall_args(const CPUCommon *cpu, uint64_t a[7])
{
    for (int i = 0; i < 7; i++)
        a[i] = carm(cpu)->regs[i];
}

static void arm_syscall_return(CPUCommon *cpu, int64_t ret) { arm(cpu)->regs[0] = (uint32_t)ret; }

static void arm_set_tls(CPUCommon *cpu, uint64_t tls) { arm(cpu)->tpidruro = (uint32_t)tls; }

/* As the kernel's elf_check_arch: old-ABI executables (EABI version 0 in
 * e_flags) load, and their system calls are told apart per svc
 * (syscall-abi-arm.c); but not the old ABI's 26-bit APCS, for which no
 * ARM cpu Linux runs on has the address space.  (Old-ABI programs built
 * for FPA floating point load too; their FPA instructions are undefined,
 * as on kernels without the NWFPE emulator.) */
static const char *arm_elf_check_flags(uint32_t f)
{
    if ((f & EF_ARM_EABIMASK) == 0 && (f & EF_ARM_APCS_26))
        return "a 26-bit APCS program (old ABI, EF_ARM_APCS_26): 32-bit ARM Linux does not run these";
    return NULL;
}

static uint64_t arm_get_pc(const CPUCommon *cpu) { return carm(cpu)->regs[15]; }
static uint64_t arm_get_sp(const CPUCommon *cpu) { return carm(cpu)->regs[13]; }
static void arm_set_sp(CPUCommon *cpu, uint64_t sp) { arm(cpu)->regs[13] = (uint32_t)sp; }

int64_t arm_sys_set_tls(CPUCommon *cpu, const uint64_t *a)
{
    arm(cpu)->tpidruro = (uint32_t)a[0];
    return 0;
}

int64_t arm_sys_get_tls(CPUCommon *cpu, const uint64_t *a)
{
    return arm(cpu)->tpidruro;
}

int64_t arm_sys_cacheflush(CPUCommon *cpu, const uint64_t *a)
{
    /* The guest wrote code: its old translations must go. */
    uint32_t start = (uint32_t)a[0], end = (uint32_t)a[1];
    if (end < start)
        return -EINVAL;
    exec_invalidate_range(start, end);
    return 0;
}

/* The kernel's name of an XScale by MIDR (arch/arm/mm/proc-xscale.S: the
 * PXA26x identify as a PXA250 or PXA255). */
static const char *xscale_name(uint32_t midr)
{
    if ((midr & 0xfffffff0u) == 0x69054110u)
        return "XScale-PXA270";
    if ((midr & 0xfffffff0u) == 0x69052d00u)
        return "XScale-PXA255";
    return "XScale-PXA250";
}

/* /proc/cpuinfo of an ARM board with this model: one block per host cpu,
 * Features in the kernel's hwcap bit order (so it matches AT_HWCAP), the
 * MIDR fields, and the kernel's "model name" wording. */
static void arm_write_cpuinfo(const CPUCommon *cpu, FILE *out)
{
    static const char *const hwcap_names[] = {
        "swp", "half", "thumb", "26bit", "fastmult", "fpa", "vfp", "edsp", "java", "iwmmxt",
        "crunch", "thumbee", "neon", "vfpv3", "vfpv3d16", "tls", "vfpv4", "idiva", "idivt",
        "vfpd32", "lpae", "evtstrm", "fphp", "asimdhp",
    };
    /* AT_HWCAP2's, printed after them as the kernel does */
    static const char *const hwcap2_names[] = { "aes", "pmull", "sha1", "sha2", "crc32" };
    const ARMCPU *c = carm(cpu);
    uint32_t midr = c->midr, f = c->features;
    const char *name = (f & ARM_FEATURE_V8) ? "ARMv8 Processor"
                       : (f & ARM_FEATURE_V7) ? "ARMv7 Processor"
                       : (f & ARM_FEATURE_V6) ? "ARMv6-compatible processor"
                       : (f & ARM_FEATURE_XSCALE) ? xscale_name(midr) : "ARM926EJ-S";
    const char *arch = (f & ARM_FEATURE_V8) ? "8" : (f & ARM_FEATURE_V7) ? "7"
                       : (f & ARM_FEATURE_V6) ? "6TEJ" : (f & ARM_FEATURE_XSCALE) ? "5TE" : "5TEJ";
    uint32_t hw = arm_hwcap(cpu), hw2 = arm_hwcap2(cpu);
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1)
        n = 1;
    for (long i = 0; i < n; i++) {
        fprintf(out, "processor\t: %ld\n", i);
        fprintf(out, "model name\t: %s rev %u (%s)\n", name, midr & 0xf, arm_platform(cpu));
        fprintf(out, "BogoMIPS\t: 48.00\n");
        fprintf(out, "Features\t:");
        for (unsigned b = 0; b < sizeof(hwcap_names) / sizeof(hwcap_names[0]); b++)
            if (hw & (1u << b))
                fprintf(out, " %s", hwcap_names[b]);
        for (unsigned b = 0; b < sizeof(hwcap2_names) / sizeof(hwcap2_names[0]); b++)
            if (hw2 & (1u << b))
                fprintf(out, " %s", hwcap2_names[b]);
        fprintf(out, " \n");
        fprintf(out, "CPU implementer\t: 0x%02x\n", midr >> 24);
        fprintf(out, "CPU architecture: %s\n", arch);
        fprintf(out, "CPU variant\t: 0x%x\n", (midr >> 20) & 0xf);
        fprintf(out, "CPU part\t: 0x%03x\n", (midr >> 4) & 0xfff);
        fprintf(out, "CPU revision\t: %u\n\n", midr & 0xf);
    }
    fprintf(out, "Hardware\t: Generic DT based system\nRevision\t: 0000\nSerial\t\t: 0000000000000000\n");
}

/* ARM numbers these open flags differently from x86 (and the generic set). */
static const LinuxFlagPair arm_open_flags[] = {
    { 040000, O_DIRECTORY },
    { 0100000, O_NOFOLLOW },
    { 0200000, O_DIRECT },
    /* the host kernel sets its own O_LARGEFILE (0 in glibc's headers) on
     * every open: x86_64's 0100000 means O_NOFOLLOW to an ARM guest */
    { 0400000, HOST_O_LARGEFILE },
};

const LinuxTarget linux_target = {
    .name = "arm",
    .prog_name = "vemu-arm",
    .fe = &frontend_arm,
    .elf_machine = EM_ARM,
    .elf_class = ELFCLASS32,
    .elf_data = ELFDATA2LSB,
    .guest_space_size = 1ull << 32,
    .stack_top = ARM_KUSER_PAGE - 0x10000,
    .et_dyn_base = 0x00400000,
    .mmap_min_addr = 0x10000,
    .open_flags = arm_open_flags,
    .n_open_flags = sizeof(arm_open_flags) / sizeof(arm_open_flags[0]),
    .elf_check_flags = arm_elf_check_flags,
    .default_cpu_model = NULL,          /* the frontend's reset default ("max") */
    .set_cpu_model = arm_set_model,
    .cpu_model_names = "arm926 arm1136 cortex-a7 cortex-a15 max pxa250 pxa255 pxa260 pxa261 "
                       "pxa262 pxa270 pxa270-a0 pxa270-a1 pxa270-b0 pxa270-b1 pxa270-c0 pxa270-c5",
    .init_thread = arm_init_thread,
    .setup_special_pages = arm_setup_kuser_page,
    .hwcap = arm_hwcap,
    .hwcap2 = arm_hwcap2,
    .platform = arm_platform,
    .uname_machine = arm_uname_machine,
    .syscall_nr = arm_syscall_nr,
    .syscall_args = arm_syscall_args,
    .syscall_return = arm_syscall_return,
    .abi = &arm_eabi,
    .abis = arm_abis,
    .n_abis = 2,
    .set_tls = arm_set_tls,
    .get_pc = arm_get_pc,
    .get_sp = arm_get_sp,
    .set_sp = arm_set_sp,
    .setup_signal_frame = arm_setup_signal_frame,
    .restore_signal_frame = arm_restore_signal_frame,
    .syscall_restart = arm_syscall_restart,
    .write_cpuinfo = arm_write_cpuinfo,
};
