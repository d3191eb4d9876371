/*
 * x86-seg.c — segment register loads in user mode.  Code and data
 * segments are flat; FS and GS carry the thread pointer, whose base the
 * owner knows (set_thread_area's GDT entries for i386, arch_prctl for
 * x86_64, which sets the base without a load).
 */
#include "exec/exec.h"
#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-helpers.h"

bool (*x86_user_load_seg)(X86CPU *cpu, unsigned seg, uint16_t sel, uint64_t *base);

void x86_helper_load_seg(void *env, uint32_t seg, uint32_t sel)
{
    X86CPU *cpu = env;
    uint64_t base = 0;
    sel &= 0xffff;
    bool ok;
    if ((sel & ~3u) == 0)
        ok = seg != X86_SEG_SS;          /* a null selector: no SS */
    else
        ok = x86_user_load_seg && x86_user_load_seg(cpu, seg, (uint16_t)sel, &base);
    if (!ok)
        exec_raise(&cpu->common, X86_EXCP_GP, (uintptr_t)__builtin_return_address(0));
    cpu->seg_sel[seg] = (uint16_t)sel;
    /* in 64-bit mode loading FS/GS with a null selector keeps the base
     * arch_prctl set only on AMD; Intel and Linux clear it */
    cpu->seg_base[seg] = base;
}
