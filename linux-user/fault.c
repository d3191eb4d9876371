/*
 * fault.c — host faults while running the guest, and the two hooks exec
 * uses to read and watch guest code.
 *
 * A host SIGSEGV/SIGBUS is one of three things:
 *   1. a write to a guest page that we write-protected because it holds
 *      translated code: drop the translations, give write access back and
 *      return, so the store retries (self-modifying code, guest JITs);
 *   2. a guest memory access that faults (generated code or the IR
 *      interpreter touching an unmapped or protected guest page): raise
 *      EXCP_MEM_FAULT in the guest cpu at the faulting instruction;
 *   3. anything else is a bug in vemu: say so clearly and abort.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "host/host-fp.h"
#include "host/host-signal.h"
#include "host/host-x87.h"
#include "linux-user/guest-mem.h"
#include "linux-user/process.h"

__thread CPUCommon *thread_cpu;

static bool user_code_fetch(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    if (!guest_range_ok(addr, len, PAGE_EXEC)) {
        return false;
    }
    /* Protect before reading: a store after this faults and drops the
     * block being translated (guest-mem.c). */
    page_protect_code(addr & GUEST_PAGE_MASK);
    page_protect_code((addr + len - 1) & GUEST_PAGE_MASK);
    memcpy(buf, g2h(addr), len);
    return true;
}

static bool user_code_probe(CPUCommon *cpu, uint64_t addr, void *buf, unsigned len)
{
    if (!guest_range_ok(addr, len, PAGE_EXEC))
        return false;
    memcpy(buf, g2h(addr), len);
    return true;
}

static void user_code_page_added(uint64_t page)
{
    page_protect_code(page);
}

const ExecHostOps linux_host_ops = {
    .code_fetch = user_code_fetch,
    .code_probe = user_code_probe,
    .code_page_added = user_code_page_added,
};

/* Async-signal-safe output. */
static void say(const char *s)
{
    ssize_t r = write(2, s, strlen(s));
    (void)r;
}

static void say_hex(uintptr_t v)
{
    char buf[19] = "0x";
    for (int i = 0; i < 16; i++) {
        buf[2 + i] = "0123456789abcdef"[(v >> (60 - 4 * i)) & 15];
    }
    buf[18] = 0;
    say(buf);
}

static void host_fault_handler(int sig, siginfo_t *si, void *ctx)
{
    ucontext_t *uc = ctx;
    uintptr_t addr = (uintptr_t)si->si_addr;
    uintptr_t pc = host_signal_pc(uc);
    int saved_errno = errno;

    /* Sent by kill/tgkill (ours or another process's), not a fault. */
    if (si->si_code <= 0) {
        uint64_t h = guest_sigactions[sig].handler;
        if (h == 1)
            return;
        if (h == 0)
            die_by_signal(sig);
        GuestSiginfo gi;
        guest_siginfo_from_host(&gi, sig, si);
        queue_guest_signal(sig, &gi);
        errno = saved_errno;
        return;
    }
    if (host_addr_in_guest(addr)) {
        uint64_t gaddr = addr - guest_base;
        uint8_t *f = &guest_page_flags[gaddr >> GUEST_PAGE_BITS];
        int is_write = host_signal_is_write(uc);
        /* 1. A store into a page we protected for its translations, or a
         * fault that another thread's unprotect or mprotect has made stale
         * (retried, but not forever: a page the host keeps refusing is a
         * guest fault after all). */
        if (sig == SIGSEGV) {
            static __thread uintptr_t stale_addr;
            static __thread unsigned stale_count;
            PageFault pf = page_fault_unprotect(gaddr, is_write);
            if (pf == PAGE_FAULT_UNPROTECTED ||
                (pf == PAGE_FAULT_STALE && (stale_addr != addr || stale_count < 16))) {
                stale_count = (pf == PAGE_FAULT_STALE && stale_addr == addr) ? stale_count + 1 : 0;
                stale_addr = addr;
                /* The store wrote the code of the block it is in (x86
                 * code patching the next instruction): restart at the
                 * store, in a block of its own (exec_smc_store). */
                CPUCommon *scpu = thread_cpu;
                host_x87_note_signal(uc);
                if (pf == PAGE_FAULT_UNPROTECTED && scpu && exec_smc_store(scpu, pc, gaddr)) {
                    sigset_t set;
                    sigemptyset(&set);
                    sigaddset(&set, sig);
                    sigprocmask(SIG_UNBLOCK, &set, NULL);
                    errno = saved_errno;
                    host_fp_restore_from_signal(uc);
                    exec_raise(scpu, EXCP_INTERRUPT, 0);
                }
                host_x87_note_signal(NULL);
                errno = saved_errno;
                return;
            }
            stale_count = 0;
        }
        /* 2. A guest access from generated code or the interpreter. */
        CPUCommon *cpu = thread_cpu;
        if (cpu && exec_host_pc_in_code(pc)) {
            cpu->fault_addr = gaddr;
            cpu->fault_access = is_write > 0 ? EXEC_ACCESS_WRITE : EXEC_ACCESS_READ;
            cpu->fault_reason = sig == SIGBUS ? EXEC_FAULT_EXTERNAL
                              : (*f & PAGE_VALID) ? EXEC_FAULT_PERMISSION : EXEC_FAULT_UNMAPPED;
            /* We leave the handler by longjmp: unblock the signal now. */
            sigset_t set;
            sigemptyset(&set);
            sigaddset(&set, sig);
            sigprocmask(SIG_UNBLOCK, &set, NULL);
            errno = saved_errno;
            /* The handler runs with a fresh FPU status and longjmp keeps
             * it: put back the interrupted code's, whose sticky flags may be
             * guest FPSCR flags not folded yet (frontend-arm/vfp-fpscr.c). */
            host_fp_restore_from_signal(uc);
            host_x87_note_signal(uc);
            exec_raise(cpu, EXCP_MEM_FAULT, pc);
        }
    }
    /* 3. vemu itself crashed. */
    say("vemu: internal error: ");
    say(sig == SIGBUS ? "SIGBUS" : "SIGSEGV");
    say(" at host pc ");
    say_hex(pc);
    say(", address ");
    say_hex(addr);
    if (host_addr_in_guest(addr)) {
        say(" (guest address ");
        say_hex(addr - guest_base);
        say(")");
    }
    say("\n");
    signal(SIGABRT, SIG_DFL);
    abort();
}

#define ALTSTACK_SIZE (64 * 1024)

/* Each host thread handles its faults on its own alternate stack.  It is
 * mmapped because AddressSanitizer unmaps a thread's alternate stack when
 * the thread ends. */
int fault_handlers_thread_init(void)
{
    void *p = mmap(NULL, ALTSTACK_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED) {
        return -errno;
    }
    stack_t ss = { .ss_sp = p, .ss_size = ALTSTACK_SIZE, .ss_flags = 0 };
    if (sigaltstack(&ss, NULL) < 0) {
        munmap(p, ALTSTACK_SIZE);
        return -errno;
    }
    return 0;
}

void fault_handlers_thread_exit(void)
{
#ifndef __SANITIZE_ADDRESS__
    stack_t old, off = { .ss_flags = SS_DISABLE };
    if (sigaltstack(&off, &old) == 0 && old.ss_sp && old.ss_size == ALTSTACK_SIZE) {
        munmap(old.ss_sp, old.ss_size);
    }
#endif
}

int fault_handlers_init(void)
{
    int r = fault_handlers_thread_init();
    if (r < 0) {
        return r;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_sigaction = host_fault_handler;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, NULL) < 0 || sigaction(SIGBUS, &sa, NULL) < 0) {
        return -errno;
    }
    return 0;
}
