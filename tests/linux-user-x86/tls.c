/*
 * tls.c — thread-local storage the x86 way: __thread variables in the main
 * thread and in threads (the C library's clone(CLONE_SETTLS)), the thread
 * pointer at %fs:0 (x86_64) / %gs:0 (i386) being the thread itself, the
 * kernel's view of it (arch_prctl ARCH_GET_FS; get_thread_area of the gs
 * entry), and a second segment the program sets up itself (ARCH_SET_GS;
 * set_thread_area with entry -1 loaded into %fs).  Prints the same on
 * i386 and x86_64.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>
#ifdef __x86_64__
#include <asm/prctl.h>
#else
#include <asm/ldt.h>
#endif

static __thread int counter = 100;
static __thread char name[16] = "main";

static void *self_pointer(void)
{
    void *p;
#ifdef __x86_64__
    __asm__("mov %%fs:0, %0" : "=r"(p));
#else
    __asm__("mov %%gs:0, %0" : "=r"(p));
#endif
    return p;
}

static void *worker(void *arg)
{
    int id = (int)(intptr_t)arg;
    snprintf(name, sizeof(name), "thread%d", id);
    for (int i = 0; i < 1000 * (id + 1); i++)
        counter++;
    int ok = self_pointer() == (void *)pthread_self();
    printf("%s: counter=%d self ok=%d\n", name, counter, ok);
    return (void *)(intptr_t)counter;
}

int main(void)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    printf("main: counter=%d name=%s self ok=%d\n", counter, name,
           self_pointer() == (void *)pthread_self());
    for (int i = 0; i < 3; i++) {
        pthread_t t;
        pthread_create(&t, NULL, worker, (void *)(intptr_t)i);
        void *r;
        pthread_join(t, &r);
        printf("joined %d: %ld\n", i, (long)(intptr_t)r);
    }
    counter += 5;
    printf("main again: counter=%d name=%s\n", counter, name);

#ifdef __x86_64__
    unsigned long fs = 0;
    syscall(SYS_arch_prctl, ARCH_GET_FS, &fs);
    printf("kernel's thread pointer ok=%d\n", fs == (unsigned long)pthread_self());
    static uint64_t area[4] = { 11, 22, 33, 44 };
    long r = syscall(SYS_arch_prctl, ARCH_SET_GS, (unsigned long)area);
    uint64_t v;
    __asm__ volatile("mov %%gs:16, %0" : "=r"(v));
    unsigned long gs = 0;
    syscall(SYS_arch_prctl, ARCH_GET_GS, &gs);
    printf("own segment: set=%ld value=%llu base ok=%d\n", r, (unsigned long long)v,
           gs == (unsigned long)area);
    printf("bad arch_prctl: %ld\n", syscall(SYS_arch_prctl, 0x9999, 0) == -1 ? -1L : 0L);
#else
    unsigned short gs;
    __asm__("mov %%gs, %0" : "=r"(gs));
    struct user_desc d;
    memset(&d, 0, sizeof(d));
    d.entry_number = gs >> 3;
    long r = syscall(SYS_get_thread_area, &d);
    printf("kernel's thread pointer ok=%d\n", r == 0 && d.base_addr == (unsigned long)pthread_self());
    static uint32_t area[4] = { 11, 22, 33, 44 };
    struct user_desc n;
    memset(&n, 0, sizeof(n));
    n.entry_number = -1;
    n.base_addr = (unsigned long)area;
    n.limit = 0xfffff;
    n.seg_32bit = 1;
    n.limit_in_pages = 1;
    n.useable = 1;
    r = syscall(SYS_set_thread_area, &n);
    unsigned short sel = (unsigned short)(n.entry_number * 8 + 3);
    uint32_t v;
    __asm__ volatile("mov %1, %%fs\n\tmov %%fs:8, %0" : "=r"(v) : "r"(sel));
    printf("own segment: set=%ld value=%u base ok=%d\n", r, v, n.entry_number != (unsigned)-1);
    printf("bad arch_prctl: -1\n");
#endif
    return 0;
}
