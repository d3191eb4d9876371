/*
 * elfload.c — the ELF loader, built on libelf.
 *
 * Every value in the file is checked before use: a truncated or corrupt
 * executable gives a clear error, never a crash.  Segments are copied into
 * anonymous guest memory (not file-mapped) so that any file alignment
 * works and the bss tail of the last file page is zero by construction.
 */
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "linux-user/elfload.h"
#include "linux-user/pcache.h"
#include "linux-user/guest-mem.h"
#include "linux-user/path.h"
#include "linux-user/procfs.h"

/* The guest-visible name of the file being loaded (maps), or NULL. */
static const char *elf_loading_name;
static struct stat elf_loading_st;   /* the file being loaded (map_file) */
static int elf_loading_fd = -1;      /* and an open descriptor of it, or -1 */

#define MAX_PHNUM 1024

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

static int prot_of(uint32_t pflags)
{
    return ((pflags & PF_R) ? PROT_READ : 0) | ((pflags & PF_W) ? PROT_WRITE : 0) |
           ((pflags & PF_X) ? PROT_EXEC : 0);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* The protection of the piece of the image starting at page a, which lies
 * wholly inside or outside each segment; -1 when outside all (a gap). */
static int piece_prot(const GElf_Phdr *ph, size_t phnum, uint64_t a)
{
    int prot = -1;
    for (size_t i = 0; i < phnum; i++) {
        const GElf_Phdr *p = &ph[i];
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        if ((p->p_vaddr & GUEST_PAGE_MASK) <= a && a < GUEST_PAGE_ALIGN(p->p_vaddr + p->p_memsz))
            prot = (prot < 0 ? 0 : prot) | prot_of(p->p_flags);
    }
    return prot;
}

static int apply_prot(uint64_t addr, uint64_t len, int prot)
{
    return prot < 0 ? guest_munmap(addr, len) : guest_mprotect(addr, len, prot);
}

/*
 * Map segment i's file bytes from the file (private, copy on write) instead
 * of copying them, as the kernel's loader does: a process then reads only
 * the pages it touches, and shares them with every other process running
 * the same file (copying cc1's 25 MB on each exec cost more than the rest
 * of a short compile's start-up).  Only where the file offset and the
 * address agree modulo the page size and no other segment shares a page;
 * false: the caller copies.  The bss part of the last file page is zeroed
 * (the rest of the bss is the anonymous mapping underneath).
 */
static bool map_segment(const GElf_Phdr *ph, size_t phnum, size_t i, uint64_t bias)
{
    const GElf_Phdr *p = &ph[i];
    if (elf_loading_fd < 0 || p->p_filesz == 0 || ((p->p_vaddr - p->p_offset) & ~GUEST_PAGE_MASK))
        return false;
    uint64_t lo = p->p_vaddr & GUEST_PAGE_MASK, hi = GUEST_PAGE_ALIGN(p->p_vaddr + p->p_filesz);
    for (size_t j = 0; j < phnum; j++) {
        const GElf_Phdr *q = &ph[j];
        if (j == i || q->p_type != PT_LOAD || q->p_memsz == 0)
            continue;
        if ((q->p_vaddr & GUEST_PAGE_MASK) < hi && GUEST_PAGE_ALIGN(q->p_vaddr + q->p_memsz) > lo)
            return false;       /* shares a page: copy both */
    }
    if (guest_mmap(lo + bias, hi - lo, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, elf_loading_fd,
                   p->p_offset & GUEST_PAGE_MASK) != (int64_t)(lo + bias))
        return false;
    uint64_t file_end = p->p_vaddr + p->p_filesz;
    if (p->p_memsz > p->p_filesz && hi > file_end)
        memset(g2h(file_end + bias), 0, hi - file_end);
    return true;
}

/* Give each page of the image the union of the protections of the
 * segments that touch it, and unmap the pages between segments.  The
 * boundaries of the page-rounded segments cut the image into pieces whose
 * pages all get the same treatment, so the host calls are one per run of
 * equal pieces: loading costs what is mapped, not the span's page count
 * (segments a gigabyte apart, or a huge bss). */
static int set_protections(const GElf_Phdr *ph, size_t phnum, uint64_t bias)
{
    uint64_t *cut = malloc(2 * phnum * sizeof(*cut));
    if (!cut)
        return -1;
    size_t ncut = 0;
    for (size_t i = 0; i < phnum; i++) {
        if (ph[i].p_type != PT_LOAD || ph[i].p_memsz == 0)
            continue;
        cut[ncut++] = ph[i].p_vaddr & GUEST_PAGE_MASK;
        cut[ncut++] = GUEST_PAGE_ALIGN(ph[i].p_vaddr + ph[i].p_memsz);
    }
    qsort(cut, ncut, sizeof(*cut), cmp_u64);
    int ret = 0;
    uint64_t run = 0;
    int run_prot = 0;
    bool in_run = false;
    for (size_t k = 0; k + 1 < ncut && ret == 0; k++) {
        if (cut[k] == cut[k + 1])
            continue;
        int prot = piece_prot(ph, phnum, cut[k]);
        if (in_run && prot == run_prot)
            continue;
        if (in_run)
            ret = apply_prot(run + bias, cut[k] - run, run_prot);
        run = cut[k];
        run_prot = prot;
        in_run = true;
    }
    if (in_run && ret == 0)
        ret = apply_prot(run + bias, cut[ncut - 1] - run, run_prot);
    free(cut);
    return ret < 0 ? -1 : 0;
}

int elf_load_image(char *data, size_t size, int is_interp, LinuxImageInfo *info,
                   char *interp_path, size_t interp_len, char *err, size_t errlen)
{
    const LinuxTarget *t = &linux_target;
    int ret = -1;
    if (interp_path && interp_len) {
        interp_path[0] = 0;
    }
    if (elf_version(EV_CURRENT) == EV_NONE) {
        return fail(err, errlen, "libelf initialisation failed");
    }
    if (size < EI_NIDENT || memcmp(data, ELFMAG, SELFMAG) != 0) {
        return fail(err, errlen, "not an ELF file");
    }
    Elf *e = elf_memory(data, size);
    if (!e || elf_kind(e) != ELF_K_ELF) {
        if (e)
            elf_end(e);
        return fail(err, errlen, "not an ELF file");
    }
    GElf_Ehdr eh;
    GElf_Phdr *ph = NULL;
    if (!gelf_getehdr(e, &eh)) {
        fail(err, errlen, "truncated or corrupt ELF header");
        goto out;
    }
    if (eh.e_ident[EI_CLASS] != t->elf_class || eh.e_ident[EI_DATA] != t->elf_data) {
        fail(err, errlen, "ELF class/byte order is not that of %s (%s-bit %s)", t->name,
             eh.e_ident[EI_CLASS] == ELFCLASS64 ? "64" : "32",
             eh.e_ident[EI_DATA] == ELFDATA2MSB ? "big-endian" : "little-endian");
        goto out;
    }
    if (eh.e_machine != t->elf_machine) {
        fail(err, errlen, "wrong machine: ELF e_machine %u is not %s (%u)", eh.e_machine,
             t->name, t->elf_machine);
        goto out;
    }
    const char *refused = t->elf_check_flags ? t->elf_check_flags((uint32_t)eh.e_flags) : NULL;
    if (refused) {
        fail(err, errlen, "%s", refused);
        goto out;
    }
    if (eh.e_type != ET_EXEC && eh.e_type != ET_DYN) {
        fail(err, errlen, "not an executable (ELF type %u)", eh.e_type);
        goto out;
    }
    if (is_interp && eh.e_type != ET_DYN) {
        fail(err, errlen, "program interpreter is not position-independent (ET_DYN)");
        goto out;
    }
    /* libelf clamps the count to what fits in the file; the header's own
     * count tells a truncated file apart. */
    size_t phnum = eh.e_phnum;
    if (phnum == PN_XNUM && elf_getphdrnum(e, &phnum) != 0) {
        phnum = 0;
    }
    if (phnum == 0 || phnum > MAX_PHNUM) {
        fail(err, errlen, "corrupt program header table");
        goto out;
    }
    if (eh.e_phoff >= size || eh.e_phentsize == 0 ||
        phnum * (uint64_t)eh.e_phentsize > size - eh.e_phoff) {
        fail(err, errlen, "truncated ELF: program headers outside the file");
        goto out;
    }
    ph = calloc(phnum, sizeof(*ph));
    if (!ph) {
        fail(err, errlen, "out of memory");
        goto out;
    }

    uint64_t lo = UINT64_MAX, hi = 0, first_off_vaddr = 0;
    bool have_load = false, exec_stack = true;
    uint64_t phdr_vaddr = UINT64_MAX;
    for (size_t i = 0; i < phnum; i++) {
        if (!gelf_getphdr(e, (int)i, &ph[i])) {
            fail(err, errlen, "corrupt program header %zu", i);
            goto out;
        }
        GElf_Phdr *p = &ph[i];
        switch (p->p_type) {
        case PT_LOAD:
            /* Like Linux, which maps p_filesz bytes of the file and then
             * refuses the image (EINVAL): more file than memory is corrupt,
             * also when there is no memory at all. */
            if (p->p_filesz > p->p_memsz) {
                fail(err, errlen, "corrupt ELF: segment %zu has p_filesz 0x%llx > p_memsz 0x%llx",
                     i, (unsigned long long)p->p_filesz, (unsigned long long)p->p_memsz);
                ret = ELF_LOAD_FATAL;
                goto out;
            }
            if (p->p_memsz == 0)
                break;           /* nothing to map */
            if (p->p_offset > size || p->p_filesz > size - p->p_offset) {
                fail(err, errlen, "truncated or corrupt ELF: segment %zu outside the file", i);
                goto out;
            }
            if (p->p_vaddr >= t->guest_space_size ||
                p->p_memsz > t->guest_space_size - p->p_vaddr) {
                fail(err, errlen, "segment %zu (0x%llx+0x%llx) outside the guest address space", i,
                     (unsigned long long)p->p_vaddr, (unsigned long long)p->p_memsz);
                goto out;
            }
            if (!have_load) {
                first_off_vaddr = p->p_vaddr - p->p_offset;
            }
            have_load = true;
            if ((p->p_vaddr & GUEST_PAGE_MASK) < lo)
                lo = p->p_vaddr & GUEST_PAGE_MASK;
            if (GUEST_PAGE_ALIGN(p->p_vaddr + p->p_memsz) > hi)
                hi = GUEST_PAGE_ALIGN(p->p_vaddr + p->p_memsz);
            break;
        case PT_INTERP:
            if (is_interp) {
                break;           /* an interpreter's own PT_INTERP is ignored */
            }
            if (p->p_offset > size || p->p_filesz > size - p->p_offset || p->p_filesz < 2 ||
                p->p_filesz > 4096 || data[p->p_offset + p->p_filesz - 1] != 0) {
                fail(err, errlen, "corrupt PT_INTERP");
                goto out;
            }
            if (interp_path && interp_len) {
                snprintf(interp_path, interp_len, "%s", data + p->p_offset);
            }
            break;
        case PT_GNU_STACK:
            exec_stack = (p->p_flags & PF_X) != 0;
            break;
        case PT_PHDR:
            phdr_vaddr = p->p_vaddr;
            break;
        }
    }
    if (!have_load) {
        fail(err, errlen, "no loadable segments");
        goto out;
    }
    uint64_t span = hi - lo;

    /* Where the image goes. */
    uint64_t bias = 0;
    if (eh.e_type == ET_DYN) {
        uint64_t base;
        uint64_t hint = is_interp ? UINT64_MAX : t->et_dyn_base;
        if (hint != UINT64_MAX && hint + span <= guest_space_size && guest_range_free(hint, hint + span)) {
            base = hint;
        } else {
            base = guest_find_free(span, guest_mmap_top);
            if (base == UINT64_MAX) {
                fail(err, errlen, "no room for a %llu-byte image", (unsigned long long)span);
                goto out;
            }
        }
        bias = base - lo;
    } else if (!guest_range_free(lo, hi) || lo < 0x1000) {
        fail(err, errlen, "segments at 0x%llx-0x%llx overlap reserved guest memory",
             (unsigned long long)lo, (unsigned long long)hi);
        goto out;
    }

    int64_t r = guest_mmap(lo + bias, span, PROT_READ | PROT_WRITE,
                           MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    if (r < 0) {
        fail(err, errlen, "cannot map segments: %s", strerror((int)-r));
        goto out;
    }
    uint64_t end_data = 0, end_code = 0, start_code = UINT64_MAX, start_data = 0;
    for (size_t i = 0; i < phnum; i++) {
        GElf_Phdr *p = &ph[i];
        if (p->p_type != PT_LOAD || p->p_memsz == 0)
            continue;
        if (!map_segment(ph, phnum, i, bias))
            memcpy(g2h(p->p_vaddr + bias), data + p->p_offset, p->p_filesz);
        uint64_t s = p->p_vaddr + bias, en = s + p->p_memsz;
        if (elf_loading_name)   /* for /proc/self/maps */
            procfs_note_image(s & GUEST_PAGE_MASK, GUEST_PAGE_ALIGN(en), elf_loading_name,
                              p->p_offset & GUEST_PAGE_MASK);
        if (elf_loading_name)   /* whose saved translations apply here */
            pcache_note_file(s & GUEST_PAGE_MASK, GUEST_PAGE_ALIGN(en), bias, &elf_loading_st);
        if (p->p_flags & PF_X) {
            if (s < start_code)
                start_code = s;
            if (s + p->p_filesz > end_code)
                end_code = s + p->p_filesz;
        }
        if (s + p->p_filesz > end_data) {
            start_data = s;
            end_data = s + p->p_filesz;
        }
        (void)en;
    }
    if (set_protections(ph, phnum, bias) < 0) {
        fail(err, errlen, "cannot set segment protections");
        guest_munmap(lo + bias, span);
        goto out;
    }

    /* The program headers as the guest sees them (AT_PHDR). */
    uint64_t phdr_addr;
    if (phdr_vaddr != UINT64_MAX) {
        phdr_addr = phdr_vaddr + bias;
    } else {
        phdr_addr = first_off_vaddr + eh.e_phoff + bias;
    }

    if (is_interp) {
        info->interp_base = lo + bias;
        info->start_pc = eh.e_entry + bias;
    } else {
        info->load_bias = bias;
        info->entry = eh.e_entry + bias;
        info->start_pc = info->entry;
        info->phdr_addr = phdr_addr;
        info->phnum = (uint32_t)phnum;
        info->phent = eh.e_phentsize;
        info->interp_base = 0;
        info->start_code = start_code == UINT64_MAX ? lo + bias : start_code;
        info->end_code = end_code;
        info->start_data = start_data;
        info->end_data = end_data;
        info->brk = hi + bias;
        info->exec_stack = exec_stack;
    }
    ret = 0;
out:
    free(ph);
    elf_end(e);
    return ret;
}

/* Read a whole file into private memory; NULL with a message on error. */
static char *map_file(const char *path, size_t *size, char *err, size_t errlen)
{
    /* Like execve, only a regular file is a program: a FIFO, device or
     * directory is refused with EACCES before it is opened (opening a FIFO
     * blocks until a writer comes; opening a device may do things).  The
     * open itself does not block either, should the file be replaced by a
     * FIFO in between, and what was opened is checked again. */
    struct stat st;
    if (stat(path, &st) < 0) {
        fail(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        fail(err, errlen, "%s: %s (not a regular file)", path, strerror(EACCES));
        return NULL;
    }
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        fail(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        fail(err, errlen, "%s: %s (not a regular file)", path, strerror(EACCES));
        close(fd);
        return NULL;
    }
    elf_loading_st = st;
    if (st.st_size == 0) {
        fail(err, errlen, "%s: not an ELF file (empty)", path);
        close(fd);
        return NULL;
    }
    /* Private and writable: libelf may convert headers in place. */
    void *p = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
        elf_loading_fd = fd;     /* segments map from it (map_segment) */
    } else {
        close(fd);
    }
    if (p == MAP_FAILED) {
        fail(err, errlen, "%s: %s", path, strerror(errno));
        return NULL;
    }
    *size = (size_t)st.st_size;
    return p;
}

static void loading_done(char *data, size_t size)
{
    munmap(data, size);
    if (elf_loading_fd >= 0)
        close(elf_loading_fd);
    elf_loading_fd = -1;
}

int elf_load_program(const char *path, LinuxImageInfo *info, char *err, size_t errlen)
{
    extern const char *guest_exe_path;
    elf_loading_name = guest_exe_path ? guest_exe_path : path;
    size_t size;
    char *data = map_file(path, &size, err, errlen);
    if (!data) {
        return -1;
    }
    char interp[4096], msg[512];
    memset(info, 0, sizeof(*info));
    int r = elf_load_image(data, size, 0, info, interp, sizeof(interp), msg, sizeof(msg));
    elf_loading_name = NULL;
    loading_done(data, size);
    if (r < 0) {
        fail(err, errlen, "%s: %s", path, msg);
        return r;
    }
    if (!interp[0]) {
        return 0;
    }
    char buf[4096];
    const char *ipath = guest_path(interp, buf, sizeof(buf));
    data = map_file(ipath, &size, msg, sizeof(msg));
    if (!data) {
        bool missing = access(ipath, F_OK) < 0;
        return fail(err, errlen, "%s: cannot load program interpreter: %s%s", path, msg,
                    guest_ld_prefix || !missing ? "" : " (use -L to give the guest's library root)");
    }
    elf_loading_name = interp;
    r = elf_load_image(data, size, 1, info, NULL, 0, msg, sizeof(msg));
    elf_loading_name = NULL;
    loading_done(data, size);
    if (r < 0) {
        fail(err, errlen, "%s: program interpreter %s: %s", path, ipath, msg);
        return r;
    }
    return 0;
}
