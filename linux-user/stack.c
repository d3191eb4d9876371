/*
 * stack.c — building the initial stack of a new guest process.
 *
 * From the top of the stack down, as Linux's binfmt_elf lays it out:
 *   execfn string, environment strings, argument strings, platform string,
 *   16 random bytes (AT_RANDOM), then (16-byte aligned) argc, argv[],
 *   NULL, envp[], NULL, auxv pairs, AT_NULL.  sp points at argc.
 */
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <unistd.h>

#include "linux-user/guest-mem.h"
#include "linux-user/stack.h"

/* Guest words are 4 or 8 bytes; the stack is written through g2h. */
static unsigned word_size(void)
{
    return linux_target.fe->guest_bits / 8;
}

static void put_word(uint64_t addr, uint64_t v)
{
    if (word_size() == 4) {
        stl_guest(addr, (uint32_t)v);
    } else {
        __builtin_memcpy(g2h(addr), &v, 8);
    }
}

/* Push a string (with its NUL) below *sp; returns its guest address. */
static uint64_t push_string(uint64_t *sp, const char *s)
{
    size_t n = strlen(s) + 1;
    *sp -= n;
    memcpy(g2h(*sp), s, n);
    return *sp;
}

int setup_initial_stack(CPUCommon *cpu, LinuxImageInfo *info, uint64_t stack_size,
                        int argc, char *const *argv, char *const *envp, const char *execfn,
                        char *err, size_t errlen)
{
    const LinuxTarget *t = &linux_target;
    unsigned ws = word_size();
    uint64_t top = t->stack_top;
    stack_size = GUEST_PAGE_ALIGN(stack_size);
    if (stack_size < 16 * GUEST_PAGE_SIZE || stack_size > top / 2) {
        snprintf(err, errlen, "invalid stack size %llu", (unsigned long long)stack_size);
        return -1;
    }
    uint64_t bottom = top - stack_size;
    int prot = PROT_READ | PROT_WRITE | (info->exec_stack ? PROT_EXEC : 0);
    int64_t r = guest_mmap(bottom, stack_size, prot,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
    if (r < 0) {
        snprintf(err, errlen, "cannot map the stack: %s", strerror((int)-r));
        return -1;
    }
    info->stack_top = top;
    info->stack_limit = bottom;

    int envc = 0;
    size_t strings = strlen(execfn) + 1;
    for (int i = 0; i < argc; i++)
        strings += strlen(argv[i]) + 1;
    for (; envp[envc]; envc++)
        strings += strlen(envp[envc]) + 1;
    const char *platform = t->platform ? t->platform(cpu) : NULL;
    if (platform)
        strings += strlen(platform) + 1;
    /* Pointers and auxv must fit in the stack with room to run. */
    uint64_t need = strings + 64 + (uint64_t)(argc + envc + 3 + 2 * 24) * ws;
    if (need > stack_size / 2) {
        snprintf(err, errlen, "arguments and environment too large for the stack");
        return -1;
    }

    uint64_t sp = top - ws;         /* a NULL word at the very top, as Linux leaves */
    put_word(sp, 0);
    uint64_t execfn_addr = push_string(&sp, execfn);
    uint64_t env_addr[envc + 1], arg_addr[argc + 1];
    for (int i = envc - 1; i >= 0; i--)
        env_addr[i] = push_string(&sp, envp[i]);
    for (int i = argc - 1; i >= 0; i--)
        arg_addr[i] = push_string(&sp, argv[i]);
    uint64_t platform_addr = platform ? push_string(&sp, platform) : 0;
    sp &= ~(uint64_t)15;
    uint8_t rnd[16];
    if (getrandom(rnd, sizeof(rnd), 0) != (ssize_t)sizeof(rnd)) {
        for (unsigned i = 0; i < sizeof(rnd); i++)
            rnd[i] = (uint8_t)(i * 37 + getpid());
    }
    sp -= 16;
    memcpy(g2h(sp), rnd, 16);
    uint64_t random_addr = sp;

    uint64_t auxv[2 * 24];
    unsigned na = 0;
#define AUX(k, v) do { auxv[na++] = (k); auxv[na++] = (v); } while (0)
    /* the architecture's entries first (the kernel's ARCH_DLINFO) */
    if (info->sysinfo)
        AUX(AT_SYSINFO, info->sysinfo);
    if (info->vdso_base)
        AUX(AT_SYSINFO_EHDR, info->vdso_base);
    AUX(AT_PHDR, info->phdr_addr);
    AUX(AT_PHENT, info->phent);
    AUX(AT_PHNUM, info->phnum);
    AUX(AT_PAGESZ, GUEST_PAGE_SIZE);
    AUX(AT_BASE, info->interp_base);
    AUX(AT_FLAGS, 0);
    AUX(AT_ENTRY, info->entry);
    AUX(AT_UID, getuid());
    AUX(AT_EUID, geteuid());
    AUX(AT_GID, getgid());
    AUX(AT_EGID, getegid());
    AUX(AT_SECURE, 0);
    AUX(AT_RANDOM, random_addr);
    AUX(AT_HWCAP, t->hwcap ? t->hwcap(cpu) : 0);
    AUX(AT_HWCAP2, t->hwcap2 ? t->hwcap2(cpu) : 0);
    if (platform)
        AUX(AT_PLATFORM, platform_addr);
    AUX(AT_EXECFN, execfn_addr);
    AUX(AT_CLKTCK, (uint64_t)sysconf(_SC_CLK_TCK));
    AUX(AT_NULL, 0);
#undef AUX

    unsigned items = 1 + (unsigned)argc + 1 + (unsigned)envc + 1 + na;
    sp -= (uint64_t)items * ws;
    sp &= ~(uint64_t)15;            /* the kernel's STACK_ROUND: 16-byte aligned */
    uint64_t p = sp;
    put_word(p, (uint64_t)argc);
    p += ws;
    for (int i = 0; i < argc; i++, p += ws)
        put_word(p, arg_addr[i]);
    put_word(p, 0);
    p += ws;
    for (int i = 0; i < envc; i++, p += ws)
        put_word(p, env_addr[i]);
    put_word(p, 0);
    p += ws;
    for (unsigned i = 0; i < na; i++, p += ws)
        put_word(p, auxv[i]);
    info->sp = sp;
    return 0;
}
