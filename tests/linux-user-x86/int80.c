/*
 * int80.c — `int $0x80` in 64-bit code: Linux runs its i386 (compat)
 * system call table, the number in eax, 32-bit arguments in ebx ecx edx
 * esi edi ebp (upper halves ignored), the result sign-extended into rax
 * for an error; every other register is kept (r8-r11 too, since Linux
 * 4.17).  Addresses must fit in 32 bits: mmap2 through int $0x80 maps
 * below 4 GiB, a buffer above 4 GiB is -EFAULT.  set_thread_area (an
 * i386-only call) fills a GDT TLS entry that gs can then load.  Prints "name: ok" or
 * "name: BAD (why)" lines, and one line written through int $0x80.
 * x86_64 only (linux-user-x86/run.sh).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

enum { NR_exit = 1, NR_write = 4, NR_getpid = 20, NR_munmap = 91, NR_mmap2 = 192,
       NR_set_thread_area = 243, NR_get_thread_area = 244 };

static int bad;

static void check(const char *what, int ok, const char *why)
{
    printf("%s: %s%s%s\n", what, ok ? "ok" : "BAD (", ok ? "" : why, ok ? "" : ")");
    bad |= !ok;
}

/* int $0x80 with rax and the six argument registers set in full 64 bits */
static uint64_t int80(uint64_t nr, uint64_t b, uint64_t c, uint64_t d, uint64_t si, uint64_t di, uint64_t bp)
{
    uint64_t ret;
    register uint64_t rsi __asm__("rsi") = si, rdi __asm__("rdi") = di;
    __asm__ volatile("push %%rbp\n\tmov %[bp], %%rbp\n\tint $0x80\n\tpop %%rbp"
                     : "=a"(ret)
                     : "0"(nr), "b"(b), "c"(c), "d"(d), "r"(rsi), "r"(rdi), [bp] "r"(bp)
                     : "memory");
    return ret;
}

int main(void)
{
    char why[160];
    uint64_t hi = 0xdeadbeef00000000ull;

    uint64_t pid = int80(hi | NR_getpid, hi, hi, hi, hi, hi, hi);
    snprintf(why, sizeof(why), "rax %#llx, getpid() %d", (unsigned long long)pid, getpid());
    check("getpid (upper halves of rax and the arguments ignored)", pid == (uint64_t)getpid(), why);

    uint64_t m = int80(NR_mmap2, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
                       0xffffffffu, 0);
    snprintf(why, sizeof(why), "rax %#llx", (unsigned long long)m);
    check("mmap2 maps below 4 GiB", m != 0 && m < (1ull << 32) && !(m & 4095), why);
    if (m == 0 || m >= (1ull << 32))
        return 1;
    char *p = (char *)(uintptr_t)m;
    const char msg[] = "written through int $0x80\n";
    memcpy(p, msg, sizeof(msg) - 1);
    fflush(stdout);
    uint64_t w = int80(NR_write, hi | 1, m, sizeof(msg) - 1, 0, 0, 0);
    snprintf(why, sizeof(why), "rax %#llx", (unsigned long long)w);
    check("write", w == sizeof(msg) - 1, why);

    /* the sixth argument, ebp: mmap2's page offset into a file */
    char path[] = "/tmp/vemu-int80-XXXXXX";
    int fd = mkstemp(path);
    char page[4096];
    memset(page, 'a', sizeof(page));
    write(fd, page, sizeof(page));
    memset(page, 'b', sizeof(page));
    write(fd, page, sizeof(page));
    unlink(path);
    uint64_t fm = int80(NR_mmap2, 0, 4096, PROT_READ, MAP_PRIVATE, hi | (uint32_t)fd, hi | 1);
    snprintf(why, sizeof(why), "rax %#llx", (unsigned long long)fm);
    check("mmap2 of a file at page 1 (ebp)", fm < (1ull << 32) && *(char *)(uintptr_t)fm == 'b', why);
    close(fd);

    char stackbuf[8] = "x";
    uint64_t e = int80(NR_write, 1, (uintptr_t)stackbuf, 1, 0, 0, 0);
    snprintf(why, sizeof(why), "rax %#llx", (unsigned long long)e);
    if ((uintptr_t)stackbuf >= (1ull << 32))
        check("write from above 4 GiB: -EFAULT in all of rax", e == (uint64_t)-EFAULT, why);
    e = int80(9999, 0, 0, 0, 0, 0, 0);
    snprintf(why, sizeof(why), "rax %#llx", (unsigned long long)e);
    check("an unknown call: -ENOSYS in all of rax", e == (uint64_t)-ENOSYS, why);

    /* every register but rax is kept (r8-r11 and rcx too: no sysret) */
    uint64_t r[8];
    __asm__ volatile("mov $0x1111111111111111, %%r8\n\t"
                     "mov $0x2222222222222222, %%r9\n\t"
                     "mov $0x3333333333333333, %%r10\n\t"
                     "mov $0x4444444444444444, %%r11\n\t"
                     "mov $0x5555555555555555, %%r12\n\t"
                     "mov $0x6666666666666666, %%rcx\n\t"
                     "mov $0x7777777777777777, %%rdx\n\t"
                     "mov $20, %%eax\n\t"
                     "int $0x80\n\t"
                     "mov %%r8, 0(%0)\n\tmov %%r9, 8(%0)\n\tmov %%r10, 16(%0)\n\tmov %%r11, 24(%0)\n\t"
                     "mov %%r12, 32(%0)\n\tmov %%rcx, 40(%0)\n\tmov %%rdx, 48(%0)\n\tmov %%rax, 56(%0)"
                     : : "r"(r) : "rax", "rcx", "rdx", "r8", "r9", "r10", "r11", "r12", "memory");
    check("registers kept", r[0] == 0x1111111111111111ull && r[1] == 0x2222222222222222ull &&
          r[2] == 0x3333333333333333ull && r[3] == 0x4444444444444444ull &&
          r[4] == 0x5555555555555555ull && r[5] == 0x6666666666666666ull &&
          r[6] == 0x7777777777777777ull && r[7] == (uint64_t)getpid(), "one changed");

    /* set_thread_area (i386 only): a GDT TLS entry whose selector a
     * 64-bit program can load into gs; the first free entry is 12 */
    uint32_t *ud = (uint32_t *)(p + 256);
    uint32_t *data = (uint32_t *)(p + 512);
    data[0] = 0x600dcafe;
    ud[0] = 0xffffffffu;             /* entry_number: pick one */
    ud[1] = (uint32_t)(m + 512);     /* base */
    ud[2] = 0xfffff;                 /* limit */
    ud[3] = 0x51;                    /* seg_32bit, limit_in_pages, useable */
    uint64_t st = int80(NR_set_thread_area, m + 256, 0, 0, 0, 0, 0);
    snprintf(why, sizeof(why), "rax %#llx, entry %u", (unsigned long long)st, ud[0]);
    check("set_thread_area", st == 0 && ud[0] == 12, why);
    uint32_t back[4] = { 12, 0, 0, 0 };
    memcpy(p + 768, back, sizeof(back));
    uint64_t gt = int80(NR_get_thread_area, m + 768, 0, 0, 0, 0, 0);
    memcpy(back, p + 768, sizeof(back));
    snprintf(why, sizeof(why), "rax %#llx, base %#x limit %#x", (unsigned long long)gt, back[1], back[2]);
    check("get_thread_area", gt == 0 && back[1] == ud[1] && back[2] == 0xfffff, why);
    uint32_t via_gs = 0;
    uint16_t old_gs;
    __asm__ volatile("mov %%gs, %0\n\t"
                     "mov %2, %%gs\n\t"
                     "movl %%gs:0, %1\n\t"
                     "mov %0, %%gs"
                     : "=&r"(old_gs), "=&r"(via_gs) : "r"((uint16_t)(12 * 8 + 3)) : "memory");
    snprintf(why, sizeof(why), "read %#x", via_gs);
    check("the entry's selector in gs reaches its base", via_gs == 0x600dcafe, why);

    uint64_t u = int80(NR_munmap, m, 4096, 0, 0, 0, 0);
    check("munmap", u == 0, "failed");
    fflush(stdout);
    /* exit through int $0x80 too: status 0 if all went well */
    int80(NR_exit, hi | (uint64_t)bad, 0, 0, 0, 0, 0);
    return 99;
}
