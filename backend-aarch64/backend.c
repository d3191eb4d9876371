/*
 * backend.c — the aarch64 host backend as the engine sees it.
 */
#include <capstone/capstone.h>

#include "a64-internal.h"

/* The backend core writes the block through the rw view; the instruction
 * cache must see it (through the rx view, where it runs) before any thread
 * does: clean to the point of unification and invalidate, over the block. */
static int a64_emit_block(CodeBuf *cb, const IRBlock *b, BackendBlock *out)
{
    int r = backend_emit_block(&a64_host, cb, b, out);
    if (r == 0) {
        char *start = (char *)(uintptr_t)codebuf_rx_addr(cb, out->code_off);
        __builtin___clear_cache(start, start + out->code_size);
    }
    return r;
}

const Backend backend_aarch64 = {
    .name = "aarch64",
    .cs_arch = CS_ARCH_ARM64,
    .cs_mode = CS_MODE_ARM,
    .init = a64_init,
    .emit_block = a64_emit_block,
    .patch_jump = a64_patch_jump,
    .code_signature = a64_code_signature,
    .host_x87 = false,
};

/* This build's host backend (exec/backend.h) where the build is for an
 * aarch64 host; elsewhere (the unit tests on x86_64 link these objects
 * beside backend-x86_64's) only backend_aarch64 exists. */
#if defined(__aarch64__)
extern const Backend backend_host __attribute__((alias("backend_aarch64")));
#endif
