/*
 * disas.c — capstone, loaded when the log first disassembles something.
 *
 * Only `-d in_asm,out_asm` needs a disassembler, but linking capstone costs
 * every process the dynamic loader's work on its ~80,000 relative
 * relocations: about 4 ms of the ~25 ms an empty static ARM program takes
 * under vemu, paid again at every exec of a guest program (a shell script
 * or `make` execs hundreds).  So the programs are linked without it, and
 * this file dlopen()s it on first use.  A static build (make STATIC=1)
 * links it in instead: the references below are weak, so they are the
 * real functions there (the link pulls them in with -u) and NULL here.
 */
#include <dlfcn.h>
#include <stdio.h>

#include "disas.h"

#pragma weak cs_open
#pragma weak cs_disasm
#pragma weak cs_free
#pragma weak cs_close

static struct {
    cs_err (*open)(cs_arch, cs_mode, csh *);
    size_t (*disasm)(csh, const uint8_t *, size_t, uint64_t, size_t, cs_insn **);
    void (*free)(cs_insn *, size_t);
    cs_err (*close)(csh *);
} api;

static bool load(void)
{
    static int state;        /* 0 not tried, 1 loaded, -1 unavailable */
    if (state)
        return state > 0;
    state = -1;
    if (cs_open && cs_disasm && cs_free && cs_close) {
        api.open = cs_open;
        api.disasm = cs_disasm;
        api.free = cs_free;
        api.close = cs_close;
        state = 1;
        return true;
    }
    void *lib = NULL;
#ifndef VEMU_STATIC     /* static builds link capstone in (and glibc warns about dlopen) */
    static const char *const names[] = { "libcapstone.so.4", "libcapstone.so.5", "libcapstone.so" };
    for (unsigned i = 0; i < sizeof(names) / sizeof(names[0]) && !lib; i++)
        lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
#endif
    if (lib) {
        *(void **)&api.open = dlsym(lib, "cs_open");
        *(void **)&api.disasm = dlsym(lib, "cs_disasm");
        *(void **)&api.free = dlsym(lib, "cs_free");
        *(void **)&api.close = dlsym(lib, "cs_close");
    }
    if (!lib || !api.open || !api.disasm || !api.free || !api.close) {
        fprintf(stderr, "vemu: capstone (libcapstone.so.4) not found: the log shows no disassembly\n");
        return false;
    }
    state = 1;
    return true;
}

bool disas_open(int arch, int mode, csh *handle)
{
    *handle = 0;
    return load() && api.open((cs_arch)arch, (cs_mode)mode, handle) == CS_ERR_OK;
}

size_t disas_insns(csh handle, const uint8_t *code, size_t size, uint64_t addr, size_t count, cs_insn **insn)
{
    return handle && load() ? api.disasm(handle, code, size, addr, count, insn) : 0;
}

void disas_free(cs_insn *insn, size_t count)
{
    if (load())
        api.free(insn, count);
}

void disas_close(csh *handle)
{
    if (*handle && load())
        api.close(handle);
    *handle = 0;
}
