/*
 * a64-stubs.c — TEMPORARY weak definitions of the emitters other parts
 * write (a64-emit-alu.c: a64alu; a64-emit-softtlb.c: a64memfp), so the
 * core links and runs blocks before their branches land.  Each refuses
 * plainly: no value op (the core then reports the op as unhandled), no
 * soft TLB (init refuses system mode).  Deleted once both are merged.
 */
#include <stdio.h>
#include <stdlib.h>

#include "a64-internal.h"

static void __attribute__((noreturn)) missing(const char *what)
{
    fprintf(stderr, "vemu: aarch64 backend: %s is not in this build yet\n", what);
    abort();
}

__attribute__((weak)) bool a64_emit_alu(BackendCtx *c, const IROp *op)
{
    (void)c;
    (void)op;
    return false;
}

__attribute__((weak)) int a64_compare(BackendCtx *c, IRCond cond, IRTemp a, IRTemp b)
{
    (void)c, (void)cond, (void)a, (void)b;
    missing("a64_compare (a64-emit-alu.c)");
}

__attribute__((weak)) bool a64_softtlb_layout_ok(const BackendMem *mem)
{
    (void)mem;
    return false;
}

__attribute__((weak)) void a64_softtlb_emit_stubs(BackendAsm *a, const BackendEnv *env)
{
    (void)a, (void)env;
}

__attribute__((weak)) void a64_softtlb_ld(BackendCtx *c, const IROp *op)
{
    (void)c, (void)op;
    missing("the soft TLB (a64-emit-softtlb.c)");
}

__attribute__((weak)) void a64_softtlb_st(BackendCtx *c, const IROp *op)
{
    (void)c, (void)op;
    missing("the soft TLB (a64-emit-softtlb.c)");
}

__attribute__((weak)) void a64_softtlb_cmpxchg(BackendCtx *c, const IROp *op)
{
    (void)c, (void)op;
    missing("the soft TLB (a64-emit-softtlb.c)");
}
