/*
 * backend.c — the x86_64 host backend as the engine sees it.
 */
#include <capstone/capstone.h>

#include "x86-internal.h"
#include "backend-x86_64.h"

static int x86_emit_block(CodeBuf *cb, const IRBlock *b, BackendBlock *out)
{
    return backend_emit_block(&x86_host, cb, b, out);
}

const Backend backend_x86_64 = {
    .name = "x86_64",
    .cs_arch = CS_ARCH_X86,
    .cs_mode = CS_MODE_64,
    .init = x86_init,
    .emit_block = x86_emit_block,
    .patch_jump = x86_patch_jump,
    .code_signature = x86_code_signature,
    .host_x87 = true,
};

/* This build's host backend (exec/backend.h). */
extern const Backend backend_host __attribute__((alias("backend_x86_64")));
