/* Unit tests for the x86 vDSO images (linux-user/x86/vdso-*.S, embedded
 * by gen-vdso-image.py): each is one page of ELF shared object for its
 * machine with the kernel's exports under the kernel's versions, hash
 * tables and no relocations, and the offsets the loader uses point at
 * the code the kernel has there (the i386 signal trampolines' exact
 * bytes, which unwinders recognize; __kernel_vsyscall), checked by
 * disassembling them with capstone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <capstone/capstone.h>
#include <elf.h>
#include <stdio.h>
#include <string.h>

#include "linux-user/vdso.h"

#include "linux-user/x86/vdso-i386.c.inc"
#include "linux-user/x86/vdso-x86_64.c.inc"

/* What a dynamic linker reads: the dynamic tags it needs, and a symbol's
 * value by name and version (0: none).  One definition per ELF class. */
#define DEFINE_READER(B)                                                                      \
    static const Elf##B##_Dyn *dyn##B(const uint8_t *img)                                     \
    {                                                                                         \
        const Elf##B##_Ehdr *eh = (const void *)img;                                          \
        const Elf##B##_Phdr *ph = (const void *)(img + eh->e_phoff);                          \
        for (int i = 0; i < eh->e_phnum; i++)                                                 \
            if (ph[i].p_type == PT_DYNAMIC)                                                   \
                return (const void *)(img + ph[i].p_offset);                                  \
        return NULL;                                                                          \
    }                                                                                         \
    static uint64_t tag##B(const uint8_t *img, int64_t tag)                                   \
    {                                                                                         \
        for (const Elf##B##_Dyn *d = dyn##B(img); d && d->d_tag != DT_NULL; d++)              \
            if (d->d_tag == tag)                                                              \
                return d->d_un.d_val ? d->d_un.d_val : 1;                                     \
        return 0;                                                                             \
    }                                                                                         \
    static uint64_t sym##B(const uint8_t *img, const char *name, const char *version)         \
    {                                                                                         \
        const Elf##B##_Sym *syms = (const void *)(img + tag##B(img, DT_SYMTAB));              \
        const char *str = (const char *)img + tag##B(img, DT_STRTAB);                         \
        const uint16_t *versym = (const void *)(img + tag##B(img, DT_VERSYM));                \
        const uint32_t *hash = (const void *)(img + tag##B(img, DT_HASH));                    \
        for (uint32_t i = 1; i < hash[1]; i++) {                                              \
            if (strcmp(str + syms[i].st_name, name) || syms[i].st_shndx == SHN_UNDEF)         \
                continue;                                                                     \
            const uint8_t *vd = img + tag##B(img, DT_VERDEF);                                 \
            for (;;) {                                                                        \
                const Elf##B##_Verdef *d = (const void *)vd;                                  \
                const Elf##B##_Verdaux *a = (const void *)(vd + d->vd_aux);                   \
                if (d->vd_ndx == (versym[i] & 0x7fff) && !strcmp(str + a->vda_name, version)) \
                    return syms[i].st_value;                                                  \
                if (!d->vd_next)                                                              \
                    break;                                                                    \
                vd += d->vd_next;                                                             \
            }                                                                                 \
        }                                                                                     \
        return 0;                                                                             \
    }
DEFINE_READER(32)
DEFINE_READER(64)

static void check_header(const LinuxVdsoImage *v, int cls, int machine)
{
    assert_true(v->size <= 4096);
    assert_memory_equal(v->bytes, ELFMAG, SELFMAG);
    assert_int_equal(v->bytes[EI_CLASS], cls);
    uint16_t type, mach;
    memcpy(&type, v->bytes + 16, 2);
    memcpy(&mach, v->bytes + 18, 2);
    assert_int_equal(type, ET_DYN);
    assert_int_equal(mach, machine);
}

static void test_x86_64_image(void **state)
{
    const uint8_t *img = x86_64_vdso.bytes;
    check_header(&x86_64_vdso, ELFCLASS64, EM_X86_64);
    assert_true(tag64(img, DT_HASH) && tag64(img, DT_GNU_HASH) && tag64(img, DT_VERDEF));
    assert_false(tag64(img, DT_REL) || tag64(img, DT_RELA) || tag64(img, DT_TEXTREL));
    static const char *const names[] = { "clock_gettime", "gettimeofday", "time", "getcpu", "clock_getres" };
    for (unsigned i = 0; i < 5; i++) {
        char vname[64];
        snprintf(vname, sizeof(vname), "__vdso_%s", names[i]);
        uint64_t a = sym64(img, vname, "LINUX_2.6");
        assert_true(a != 0 && a < x86_64_vdso.size);
        /* the plain name is the same function */
        assert_int_equal(sym64(img, names[i], "LINUX_2.6"), a);
    }
    assert_int_equal(sym64(img, "__vdso_time", "LINUX_2.5"), 0);
    /* x86_64 has no AT_SYSINFO and uses no trampolines of the vDSO */
    assert_int_equal(x86_64_vdso.sysinfo, 0);
    assert_int_equal(x86_64_vdso.sigreturn, 0);
}

/* The instructions at off, as capstone prints them, joined by "; ". */
static void disas(const LinuxVdsoImage *v, uint32_t off, unsigned n, char *out, size_t len)
{
    csh cs;
    cs_insn *insn;
    assert_int_equal(cs_open(CS_ARCH_X86, CS_MODE_32, &cs), CS_ERR_OK);
    size_t got = cs_disasm(cs, v->bytes + off, v->size - off, off, n, &insn);
    assert_int_equal(got, n);
    out[0] = 0;
    for (size_t i = 0; i < got; i++)
        snprintf(out + strlen(out), len - strlen(out), "%s%s %s", i ? "; " : "", insn[i].mnemonic,
                 insn[i].op_str);
    cs_free(insn, got);
    cs_close(&cs);
}

static void test_i386_image(void **state)
{
    const uint8_t *img = i386_vdso.bytes;
    check_header(&i386_vdso, ELFCLASS32, EM_386);
    assert_true(tag32(img, DT_HASH) && tag32(img, DT_GNU_HASH) && tag32(img, DT_VERDEF));
    assert_false(tag32(img, DT_REL) || tag32(img, DT_RELA) || tag32(img, DT_TEXTREL));
    static const char *const v26[] = { "__vdso_clock_gettime", "__vdso_gettimeofday", "__vdso_time",
                                        "__vdso_clock_getres", "__vdso_clock_gettime64", "__vdso_getcpu" };
    for (unsigned i = 0; i < 6; i++)
        assert_true(sym32(img, v26[i], "LINUX_2.6") != 0);
    assert_int_equal(sym32(img, "__kernel_vsyscall", "LINUX_2.5"), i386_vdso.sysinfo);
    assert_int_equal(sym32(img, "__kernel_sigreturn", "LINUX_2.5"), i386_vdso.sigreturn);
    assert_int_equal(sym32(img, "__kernel_rt_sigreturn", "LINUX_2.5"), i386_vdso.rt_sigreturn);
    assert_int_equal(sym32(img, "__kernel_vsyscall", "LINUX_2.6"), 0);

    /* the kernel's trampoline bytes (libgcc's and gdb's pattern), each after a nop */
    static const uint8_t sigret[] = { 0x58, 0xb8, 0x77, 0, 0, 0, 0xcd, 0x80 };
    static const uint8_t rtsigret[] = { 0xb8, 0xad, 0, 0, 0, 0xcd, 0x80 };
    assert_memory_equal(img + i386_vdso.sigreturn, sigret, sizeof(sigret));
    assert_memory_equal(img + i386_vdso.rt_sigreturn, rtsigret, sizeof(rtsigret));
    assert_int_equal(img[i386_vdso.sigreturn - 1], 0x90);
    assert_int_equal(img[i386_vdso.rt_sigreturn - 1], 0x90);
    char text[160];
    disas(&i386_vdso, i386_vdso.sigreturn, 3, text, sizeof(text));
    assert_string_equal(text, "pop eax; mov eax, 0x77; int 0x80");
    disas(&i386_vdso, i386_vdso.rt_sigreturn, 2, text, sizeof(text));
    assert_string_equal(text, "mov eax, 0xad; int 0x80");
    disas(&i386_vdso, i386_vdso.sysinfo, 2, text, sizeof(text));
    assert_string_equal(text, "int 0x80; ret ");
    /* clock_gettime keeps ebx (callee-saved in the i386 ABI) */
    disas(&i386_vdso, (uint32_t)sym32(img, "__vdso_clock_gettime", "LINUX_2.6"), 8, text, sizeof(text));
    assert_string_equal(text, "push ebx; mov ebx, dword ptr [esp + 8]; mov ecx, dword ptr [esp + 0xc]; "
                              "mov edx, dword ptr [esp + 0x10]; mov eax, 0x109; int 0x80; pop ebx; ret ");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_x86_64_image),
        cmocka_unit_test(test_i386_image),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
