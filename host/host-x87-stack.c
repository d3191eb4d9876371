/*
 * host-x87-stack.c — the host x87 register stack that generated code left
 * behind at a fault (host-x87.h, "Generated code's x87 stack").
 *
 * frontend-x86's fast path keeps guest x87 registers on the host's own
 * x87 stack inside a block (docs/x87.md).  When the block is left by a
 * fault, those values are either in the signal context (a host SIGSEGV in
 * generated code: the kernel saved the FPU there and gave the handler a
 * fresh one) or still on the live host stack (a helper that raised from
 * generated code).  The frontend's restore_state takes them from there.
 */
#include "host/host-x87.h"

#include <string.h>

#if defined(__x86_64__)
#include <ucontext.h>

static __thread HostX87Stack noted;
static __thread bool noted_valid;

void host_x87_note_signal(const void *ucontext)
{
    const ucontext_t *uc = ucontext;
    noted_valid = false;
    if (!uc || !uc->uc_mcontext.fpregs)
        return;
    const struct _libc_fpstate *fp = uc->uc_mcontext.fpregs;
    memset(&noted, 0, sizeof noted);
    noted.sw = fp->swd;
    unsigned top = (fp->swd >> 11) & 7, depth = 0;
    /* fxsave's abridged tag: bit p set = physical register p not empty;
     * _st[j] is ST(j) */
    while (depth < 8 && (fp->ftw >> ((top + depth) & 7) & 1))
        depth++;
    noted.depth = depth;
    for (unsigned j = 0; j < 8; j++) {
        memcpy(&noted.st[j].mant, fp->_st[j].significand, 8);
        noted.st[j].sign_exp = fp->_st[j].exponent;
    }
    noted_valid = true;
}

void host_x87_take_stack(HostX87Stack *out)
{
    if (noted_valid) {
        *out = noted;
        noted_valid = false;
        return;
    }
    /* the live stack: FXSAVE, then FNINIT empties it (its control word
     * 0x37F is the one vemu runs with) */
    uint8_t img[512] __attribute__((aligned(16)));
    __asm__ volatile("fxsave64 %0\n\tfninit" : "=m"(img) : : "memory");
    uint16_t sw, ftw;
    memcpy(&sw, img + 2, 2);
    memcpy(&ftw, img + 4, 2);
    memset(out, 0, sizeof *out);
    out->sw = sw;
    unsigned top = (sw >> 11) & 7, depth = 0;
    while (depth < 8 && (ftw >> ((top + depth) & 7) & 1))
        depth++;
    out->depth = depth;
    for (unsigned j = 0; j < 8; j++) {
        memcpy(&out->st[j].mant, img + 32 + 16 * j, 8);
        memcpy(&out->st[j].sign_exp, img + 32 + 16 * j + 8, 2);
    }
}

#else

void host_x87_note_signal(const void *ucontext) { (void)ucontext; }

void host_x87_take_stack(HostX87Stack *out) { memset(out, 0, sizeof *out); }

#endif
