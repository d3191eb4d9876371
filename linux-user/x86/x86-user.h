/*
 * x86-user.h — what vemu-i386 and vemu-x86_64 share (linux-user/x86/),
 * and what their targets (linux-user/i386/, linux-user/x86_64/) provide
 * to it.
 *
 * The x86 cpu state is frontend-x86/x86-cpu.h; the FPU images of the
 * signal frames come from frontend-x86/x86-fxsave.h, the cpu models
 * from x86-cpuid.h (used in x86-glue.c only).
 */
#ifndef VEMU_LINUX_USER_X86_USER_H
#define VEMU_LINUX_USER_X86_USER_H

#include "frontend-x86/x86-cpu.h"
#include "linux-user/process.h"
#include "linux-user/target.h"

static inline X86CPU *x86(CPUCommon *c) { return (X86CPU *)c; }
static inline const X86CPU *cx86(const CPUCommon *c) { return (const X86CPU *)c; }

/* User-mode selectors as a 64-bit Linux kernel loads them
 * (arch/x86/include/asm/segment.h): __USER_CS 0x33 for 64-bit code,
 * __USER32_CS 0x23 for 32-bit programs, __USER_DS 0x2b for both.  (A
 * 32-bit kernel has other numbers, 0x73 and 0x7b, and its TLS entries at
 * 6-8; vemu-i386 behaves like the 64-bit kernel Debian's i386 programs
 * run on here, with the TLS entries at 12-14.) */
enum {
    X86_64_USER_CS = 0x33, X86_64_USER_DS = 0x2b,
    I386_USER_CS = 0x23, I386_USER_DS = 0x2b,
};

/* Registers at process start (the kernel's start_thread): every general
 * register zero (edx/rdx = 0: no rtld_fini), rsp and rip from info, IF
 * set, the FPU and SSE state reset (fcw 0x37f, mxcsr 0x1f80). */
void x86_user_init_thread(CPUCommon *cpu, const LinuxImageInfo *info, bool code64);

uint64_t x86_user_get_pc(const CPUCommon *cpu);
uint64_t x86_user_get_sp(const CPUCommon *cpu);

/* The system call convention shared by both: the number in eax/rax
 * (remembered for a restart: the result overwrites it), the result in
 * eax/rax, and a restart backs rip up over the 2-byte instruction
 * (int 0x80, sysenter and syscall all have 2 bytes). */
uint32_t x86_user_syscall_nr(CPUCommon *cpu, const LinuxAbi **abi);
void x86_user_syscall_restart(CPUCommon *cpu, uint64_t orig_arg0);
/* int $0x80 in 64-bit code selects the i386 ABI (the kernel's compat
 * system calls): true while such a call is being carried out. */
bool x86_user_compat_call(void);
#define I386_NR_SIGRETURN 119
#define I386_NR_RT_SIGRETURN 173

/* EFLAGS bits a sigreturn may change (the kernel's FIX_EFLAGS). */
#define X86_FIX_EFLAGS (X86_EFLAGS_AC | X86_EFLAGS_OF | X86_EFLAGS_DF | X86_EFLAGS_TF | \
                        X86_EFLAGS_SF | X86_EFLAGS_ZF | X86_EFLAGS_AF | X86_EFLAGS_PF | \
                        X86_EFLAGS_CF | X86_EFLAGS_RF)

/* The FPU state in a signal frame (x86-signal-fp.c).  The area is an
 * FXSAVE image followed by the AVX component, with the kernel's "software
 * reserved" bytes (struct _fpx_sw_bytes, FP_XSTATE_MAGIC1) at 464 of the
 * image and FP_XSTATE_MAGIC2 after the area, as the kernel writes it
 * with XSAVE: a handler can parse it with the same code it uses on Linux.
 * x86_sigframe_fp_size: bytes the area takes (64-byte aligned start). */
unsigned x86_sigframe_fp_size(void);
/* Save into guest memory at addr (64-aligned); 0 or -EFAULT. */
int x86_sigframe_fp_save(const X86CPU *cpu, uint64_t addr, bool code64);
/* Restore from guest addr (0: reset the FPU, as a NULL fpstate does);
 * 0 or -EFAULT. */
int x86_sigframe_fp_restore(X86CPU *cpu, uint64_t addr, bool code64);

/* AT_HWCAP (CPUID.1:EDX), AT_HWCAP2 (ring-3 MONITOR/MWAIT, FSGSBASE: 0),
 * AT_PLATFORM, /proc/cpuinfo, -cpu: for the selected model. */
uint32_t x86_user_hwcap(const CPUCommon *cpu);
uint32_t x86_user_hwcap2(const CPUCommon *cpu);
void x86_user_write_cpuinfo(const CPUCommon *cpu, FILE *out);
int x86_user_set_model(CPUCommon *cpu, const char *name);
extern const char x86_user_cpu_model_names[];
/* The open flags whose numbers differ between x86 (the generic numbering)
 * and some hosts (aarch64 numbers them as ARM does): the guest's value and
 * the host's constant (LinuxTarget.open_flags); identity on an x86_64 host. */
#define X86_N_OPEN_FLAGS 4
extern const LinuxFlagPair x86_open_flags[X86_N_OPEN_FLAGS];

/* x86-ia32.c: the i386 ABI (vemu-i386's, and vemu-x86_64's int $0x80),
 * the calls of its table that are not generic, and a GDT TLS entry
 * filled from the guest's struct user_desc at addr (0 or -errno). */
extern const LinuxAbi i386_abi;
int x86_set_thread_area(X86CPU *c, uint64_t addr, bool write_back);
int64_t x86_sys_set_thread_area(CPUCommon *cpu, const uint64_t *a);
int64_t x86_sys_get_thread_area(CPUCommon *cpu, const uint64_t *a);
int64_t i386_sys_fadvise64(CPUCommon *cpu, const uint64_t *a);
int64_t i386_sys_fadvise64_64(CPUCommon *cpu, const uint64_t *a);
int64_t i386_sys_sync_file_range(CPUCommon *cpu, const uint64_t *a);
int64_t i386_sys_waitpid(CPUCommon *cpu, const uint64_t *a);

/* The frontend's own exceptions as Linux signals them. */
bool x86_user_handle_exception(CPUCommon *cpu, int excp);

#endif
