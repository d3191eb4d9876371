/* env.c — what a program finds at start: argc/argv (run.sh passes fixed
 * arguments with spaces and an empty one), the environment variables
 * run.sh sets (X86U_*), and the auxiliary vector's entries that do not
 * depend on the host (AT_PAGESZ, AT_PHENT, AT_PHNUM matching the program
 * headers, AT_ENTRY = _start, AT_RANDOM 16 readable bytes, AT_UID/EUID/GID,
 * AT_SECURE, AT_EXECFN's base name, AT_PLATFORM); the initial stack
 * alignment seen by main. */
#include "x86u.h"
#include <elf.h>
#include <link.h>
#include <stdlib.h>
#include <sys/auxv.h>
#include <unistd.h>

extern char **environ;
extern void _start(void);

int main(int argc, char **argv)
{
    printf("argc %d\n", argc);
    for (int i = 1; i < argc; i++) printf("argv[%d] '%s'\n", i, argv[i]);
    printf("argv[argc] NULL %d\n", argv[argc] == NULL);
    /* sorted: qemu-user does not keep the order execve gave */
    int n = 0;
    const char *mine[16];
    for (char **e = environ; *e; e++)
        if (strncmp(*e, "X86U_", 5) == 0 && n < 16) mine[n++] = *e;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            if (strcmp(mine[j], mine[i]) < 0) { const char *t = mine[i]; mine[i] = mine[j]; mine[j] = t; }
    for (int i = 0; i < n; i++) printf("env %s\n", mine[i]);
    printf("X86U_ variables %d\n", n);
    printf("getenv X86U_B '%s'\n", getenv("X86U_B") ? getenv("X86U_B") : "(null)");
    printf("AT_PAGESZ %lu\n", getauxval(AT_PAGESZ));
    printf("AT_PHENT ok %d\n", getauxval(AT_PHENT) == sizeof(ElfW(Phdr)));
    const ElfW(Phdr) *ph = (const ElfW(Phdr) *)getauxval(AT_PHDR);
    unsigned long phnum = getauxval(AT_PHNUM);
    int has_load = 0;
    for (unsigned long i = 0; i < phnum; i++) has_load |= ph[i].p_type == PT_LOAD;
    printf("AT_PHDR/AT_PHNUM describe a PT_LOAD %d\n", has_load);
    printf("AT_ENTRY is _start %d\n", getauxval(AT_ENTRY) == (unsigned long)_start);
    unsigned char *rnd = (unsigned char *)getauxval(AT_RANDOM);
    int sum = 0;
    for (int i = 0; rnd && i < 16; i++) sum |= rnd[i];
    printf("AT_RANDOM readable %d\n", rnd != NULL);
    printf("AT_UID ok %d AT_EUID ok %d AT_GID ok %d AT_SECURE %lu\n", getauxval(AT_UID) == getuid(), getauxval(AT_EUID) == geteuid(),
           getauxval(AT_GID) == getgid(), getauxval(AT_SECURE));
    const char *fn = (const char *)getauxval(AT_EXECFN);
    const char *fb = fn ? strrchr(fn, '/') : NULL;
    const char *b = strrchr(argv[0], '/');
    printf("AT_EXECFN's base name is argv[0]'s %d\n", fb && b && strcmp(fb, b) == 0);
    const char *plat = (const char *)getauxval(AT_PLATFORM);
    printf("w: AT_PLATFORM %s\n", plat ? plat : "(none)");
    uintptr_t sp;
#ifdef __x86_64__
    asm("mov %%rsp, %0" : "=r"(sp));
#else
    asm("mov %%esp, %0" : "=r"(sp));
#endif
    printf("stack in the top of the address space %d\n", sp > (uintptr_t)&argc - (1u << 24));
    (void)sum;
    return 3;
}
