/*
 * guest-mem.h — the guest address space of a user-mode process.
 *
 * The whole guest space (4 GiB for 32-bit guests) is one host reservation
 * starting at guest_base, so guest address a is host address guest_base + a
 * and a guest load is one host load.  Unmapped guest pages are PROT_NONE in
 * the host; a page-state table (one byte per 4 KiB guest page) says what
 * the guest believes is mapped and with which protection, and which pages
 * we write-protected in the host because they hold translated code.
 */
#ifndef VEMU_LINUX_USER_GUEST_MEM_H
#define VEMU_LINUX_USER_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define GUEST_PAGE_BITS 12
#define GUEST_PAGE_SIZE (1ull << GUEST_PAGE_BITS)
#define GUEST_PAGE_MASK (~(GUEST_PAGE_SIZE - 1))
#define GUEST_PAGE_ALIGN(a) (((a) + GUEST_PAGE_SIZE - 1) & GUEST_PAGE_MASK)

/* Page-state bits. */
enum {
    PAGE_VALID = 1 << 0,     /* mapped in the guest */
    PAGE_READ  = 1 << 1,
    PAGE_WRITE = 1 << 2,     /* the guest may write (even if the host page is protected) */
    PAGE_EXEC  = 1 << 3,
    PAGE_CODE_PROTECTED = 1 << 4, /* writable page made read-only in the host: holds translations */
};

extern uintptr_t guest_base;
extern uint64_t guest_space_size;
extern uint8_t *guest_page_flags;

/* Reserve the guest space and the page table.  0 or -errno. */
int guest_space_init(uint64_t size);
/* The same at host address base (page-aligned; 0: the kernel picks), for
 * -B.  -EEXIST when something is mapped there. */
int guest_space_init_at(uint64_t size, uintptr_t base);

static inline void *g2h(uint64_t addr) { return (void *)(guest_base + (uintptr_t)addr); }
static inline uint64_t h2g(const void *p) { return (uintptr_t)p - guest_base; }
static inline bool host_addr_in_guest(uintptr_t p)
{
    return p >= guest_base && p - guest_base < guest_space_size;
}

static inline unsigned page_flags_at(uint64_t addr)
{
    return addr < guest_space_size ? guest_page_flags[addr >> GUEST_PAGE_BITS] : 0;
}

/* Set the flags of every page in [start, end) (page-aligned). */
void page_set_flags(uint64_t start, uint64_t end, unsigned flags);
/* Host protection for a page in this state. */
int page_host_prot(unsigned flags);

/* Code protection (see guest-mem.c for the protocol).  The translator calls
 * page_protect_code() on a page before reading code from it. */
void page_protect_code(uint64_t page);
/* A host SIGSEGV at guest address gaddr (is_write: 1, 0, or -1 unknown). */
typedef enum {
    PAGE_FAULT_GUEST,        /* the guest's own fault */
    PAGE_FAULT_UNPROTECTED,  /* a store into a code page: protection lifted, translations dropped; retry */
    PAGE_FAULT_STALE,        /* the page allows the access by now; retry */
} PageFault;
PageFault page_fault_unprotect(uint64_t gaddr, int is_write);
/* The lock behind flags and host protections (guest mprotect; fork). */
void page_prot_lock_take(void);
void page_prot_lock_drop(void);
void page_prot_fork_child(void);
/* Is [addr, addr+len) inside the guest space and mapped with all of prot
 * (PAGE_READ/PAGE_WRITE/PAGE_EXEC)? */
bool guest_range_ok(uint64_t addr, uint64_t len, unsigned prot);
/* Is every page of [start, end) unmapped? */
bool guest_range_free(uint64_t start, uint64_t end);

/* The host (the kernel, or our own code) is about to write guest memory
 * [addr, addr+len): restore host write access on pages we protected for
 * translated code, dropping their translations.  Returns false (nothing
 * changed) when the range is not writable by the guest. */
bool guest_prepare_write(uint64_t addr, uint64_t len);

/* Checked copies; return 0 or -EFAULT. */
int copy_from_guest(void *dst, uint64_t src, size_t len);
int copy_to_guest(uint64_t dst, const void *src, size_t len);
/* A NUL-terminated guest string, or NULL if unmapped / longer than max. */
const char *guest_string(uint64_t addr, size_t max);
/* A host pointer to [addr, addr+len) checked for prot; NULL on EFAULT.
 * With PAGE_WRITE the range is also prepared for host writes. */
void *guest_ptr(uint64_t addr, uint64_t len, unsigned prot);

/* Unaligned little-endian guest word access through host pointers
 * (all current guests are little-endian, like the hosts). */
static inline uint32_t ldl_guest(uint64_t a) { uint32_t v; __builtin_memcpy(&v, g2h(a), 4); return v; }
static inline void stl_guest(uint64_t a, uint32_t v) { __builtin_memcpy(g2h(a), &v, 4); }

/* ---- mmap emulation (mmap.c) ------------------------------------------ */

/* Guest mmap flags and protections are the asm-generic values on every
 * supported target, equal to the x86_64 host's. */
int64_t guest_mmap(uint64_t addr, uint64_t len, int prot, int flags, int fd, uint64_t offset);
int guest_munmap(uint64_t addr, uint64_t len);
int guest_mprotect(uint64_t addr, uint64_t len, int prot);
int64_t guest_mremap(uint64_t old_addr, uint64_t old_len, uint64_t new_len, int flags,
                     uint64_t new_addr);
/* Find len bytes of free guest space, top-down from below `below`; returns
 * the address or UINT64_MAX. */
uint64_t guest_find_free(uint64_t len, uint64_t below);
/* Where top-down mmap searches start (just below the stack). */
extern uint64_t guest_mmap_top;
extern uint64_t guest_mmap_min;

/* SysV shared memory: attach segment shmid (size bytes) at addr, or
 * where mmap would put it when addr is 0; the address or -errno.  Detach
 * with guest_munmap (the reservation comes back over the attachment). */
int64_t guest_shmat(int shmid, uint64_t addr, uint64_t size, int shmflg);
/* Around a fork: the mmap lock is held across it, so the child's page
 * table and host mappings are never caught half-updated by another thread;
 * in the child it starts afresh. */
void guest_mmap_fork_prepare(void);
void guest_mmap_fork_parent(void);
void guest_mmap_fork_child(void);

/* brk */
void guest_brk_init(uint64_t start);
/* The heap: [start, current break). */
void guest_brk_range(uint64_t *start, uint64_t *cur);
uint64_t guest_brk(uint64_t new_brk);

#endif
