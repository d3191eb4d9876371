/*
 * x86-seg.c — segment register loads (MOV Sreg, POP Sreg) in user mode.
 * Code and data segments are flat; FS and GS carry the thread pointer:
 * i386 programs load the selector of a GDT TLS entry set_thread_area
 * made (x86_user_seg_base, x86-cpu.h), x86_64 programs set the base with
 * arch_prctl and load no selector.
 */
#include "exec/exec.h"
#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-helpers.h"

void x86_helper_load_seg(void *env, uint32_t seg, uint32_t sel)
{
    X86CPU *cpu = env;
    uint64_t base = 0;
    sel &= 0xffff;
    bool ok = x86_user_seg_base(cpu, (uint16_t)sel, &base);
    if (seg == X86_SEG_SS && (sel & ~3u) == 0)
        ok = false;                      /* SS cannot be null */
    if (!ok)
        exec_raise(&cpu->common, X86_EXCP_GP, X86_GETPC());
    cpu->seg_sel[seg] = (uint16_t)sel;
    cpu->seg_base[seg] = base;
}
