/*
 * gdb-x86.c — the x86 cpus (i386 and x86_64) for the gdbstub: target
 * descriptions and register access.  x86-specific glue, the only gdbstub
 * file that knows X86CPU.
 *
 * The registers are gdb's own features, in their documents' order
 * (gdb/features/i386/32bit-core.xml, 64bit-core.xml, *-sse.xml,
 * 64bit-segments.xml): the general registers from the frontend's table
 * (frontend-x86 lists them in gdb's order), eflags, the six segment
 * selectors, the x87 stack st0-st7 (80-bit, ST(i) = R[(top + i) & 7]) and
 * its control registers, the SSE registers and mxcsr, and for x86_64 the
 * fs and gs bases.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "frontend-x86/x86-cpu.h"
#include "frontend-x86/x86-fxsave.h"
#include "gdbstub/gdbstub.h"

enum {
    /* after the nine (i386) or seventeen (x86_64) frontend registers */
    X86G_EFLAGS, X86G_SEG0, X86G_ST0 = X86G_SEG0 + 6, X86G_FCTRL = X86G_ST0 + 8,
    X86G_FSTAT, X86G_FTAG, X86G_FISEG, X86G_FIOFF, X86G_FOSEG, X86G_FOOFF, X86G_FOP, X86G_XMM0,
};

/* gdb's selector order: cs ss ds es fs gs */
static const int seg_order[6] = { X86_SEG_CS, X86_SEG_SS, X86_SEG_DS, X86_SEG_ES, X86_SEG_FS, X86_SEG_GS };

typedef struct X86GdbShape {
    const Frontend *fe;
    unsigned nxmm;
    bool bases;                 /* fs_base, gs_base after mxcsr */
} X86GdbShape;

static const X86GdbShape shape32 = { &x86_frontend_i386, 8, false };
static const X86GdbShape shape64 = { &x86_frontend_x86_64, 16, true };

static char xml32[8192], xml64[8192];

static void build_xml(char *xml, size_t cap, const X86GdbShape *s)
{
    bool is64 = s->fe->guest_bits == 64;
    size_t n = (size_t)snprintf(xml, cap,
                                "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
                                "<target><architecture>%s</architecture>"
                                "<feature name=\"org.gnu.gdb.i386.core\">"
                                "<flags id=\"i386_eflags\" size=\"4\">"
                                "<field name=\"CF\" start=\"0\" end=\"0\"/><field name=\"\" start=\"1\" end=\"1\"/>"
                                "<field name=\"PF\" start=\"2\" end=\"2\"/><field name=\"AF\" start=\"4\" end=\"4\"/>"
                                "<field name=\"ZF\" start=\"6\" end=\"6\"/><field name=\"SF\" start=\"7\" end=\"7\"/>"
                                "<field name=\"TF\" start=\"8\" end=\"8\"/><field name=\"IF\" start=\"9\" end=\"9\"/>"
                                "<field name=\"DF\" start=\"10\" end=\"10\"/><field name=\"OF\" start=\"11\" end=\"11\"/>"
                                "<field name=\"NT\" start=\"14\" end=\"14\"/><field name=\"RF\" start=\"16\" end=\"16\"/>"
                                "<field name=\"VM\" start=\"17\" end=\"17\"/><field name=\"AC\" start=\"18\" end=\"18\"/>"
                                "<field name=\"VIF\" start=\"19\" end=\"19\"/><field name=\"VIP\" start=\"20\" end=\"20\"/>"
                                "<field name=\"ID\" start=\"21\" end=\"21\"/></flags>",
                                is64 ? "i386:x86-64" : "i386");
    for (unsigned i = 0; i < s->fe->n_regs && n < cap; i++)
        n += (size_t)snprintf(xml + n, cap - n, "<reg name=\"%s\" bitsize=\"%u\" type=\"%s\"/>",
                              s->fe->regs[i].name, s->fe->regs[i].bits, s->fe->regs[i].gdb_type);
    static const char *const segs[6] = { "cs", "ss", "ds", "es", "fs", "gs" };
    if (n < cap)
        n += (size_t)snprintf(xml + n, cap - n, "<reg name=\"eflags\" bitsize=\"32\" type=\"i386_eflags\"/>");
    for (unsigned i = 0; i < 6 && n < cap; i++)
        n += (size_t)snprintf(xml + n, cap - n, "<reg name=\"%s\" bitsize=\"32\" type=\"int32\"/>", segs[i]);
    for (unsigned i = 0; i < 8 && n < cap; i++)
        n += (size_t)snprintf(xml + n, cap - n, "<reg name=\"st%u\" bitsize=\"80\" type=\"i387_ext\"/>", i);
    static const char *const fctl[8] = { "fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg", "fooff", "fop" };
    for (unsigned i = 0; i < 8 && n < cap; i++)
        n += (size_t)snprintf(xml + n, cap - n, "<reg name=\"%s\" bitsize=\"32\" type=\"int\" group=\"float\"/>",
                              fctl[i]);
    if (n < cap)
        n += (size_t)snprintf(xml + n, cap - n,
                              "</feature><feature name=\"org.gnu.gdb.i386.sse\">"
                              "<vector id=\"v4f\" type=\"ieee_single\" count=\"4\"/>"
                              "<vector id=\"v2d\" type=\"ieee_double\" count=\"2\"/>"
                              "<vector id=\"v16i8\" type=\"int8\" count=\"16\"/>"
                              "<vector id=\"v8i16\" type=\"int16\" count=\"8\"/>"
                              "<vector id=\"v4i32\" type=\"int32\" count=\"4\"/>"
                              "<vector id=\"v2i64\" type=\"int64\" count=\"2\"/>"
                              "<union id=\"vec128\"><field name=\"v4_float\" type=\"v4f\"/>"
                              "<field name=\"v2_double\" type=\"v2d\"/><field name=\"v16_int8\" type=\"v16i8\"/>"
                              "<field name=\"v8_int16\" type=\"v8i16\"/><field name=\"v4_int32\" type=\"v4i32\"/>"
                              "<field name=\"v2_int64\" type=\"v2i64\"/><field name=\"uint128\" type=\"uint128\"/></union>"
                              "<flags id=\"i386_mxcsr\" size=\"4\">"
                              "<field name=\"IE\" start=\"0\" end=\"0\"/><field name=\"DE\" start=\"1\" end=\"1\"/>"
                              "<field name=\"ZE\" start=\"2\" end=\"2\"/><field name=\"OE\" start=\"3\" end=\"3\"/>"
                              "<field name=\"UE\" start=\"4\" end=\"4\"/><field name=\"PE\" start=\"5\" end=\"5\"/>"
                              "<field name=\"DAZ\" start=\"6\" end=\"6\"/><field name=\"IM\" start=\"7\" end=\"7\"/>"
                              "<field name=\"DM\" start=\"8\" end=\"8\"/><field name=\"ZM\" start=\"9\" end=\"9\"/>"
                              "<field name=\"OM\" start=\"10\" end=\"10\"/><field name=\"UM\" start=\"11\" end=\"11\"/>"
                              "<field name=\"PM\" start=\"12\" end=\"12\"/><field name=\"FZ\" start=\"15\" end=\"15\"/></flags>");
    for (unsigned i = 0; i < s->nxmm && n < cap; i++)
        n += (size_t)snprintf(xml + n, cap - n, "<reg name=\"xmm%u\" bitsize=\"128\" type=\"vec128\"/>", i);
    if (n < cap)
        n += (size_t)snprintf(xml + n, cap - n,
                              "<reg name=\"mxcsr\" bitsize=\"32\" type=\"i386_mxcsr\" group=\"vector\"/></feature>");
    if (s->bases && n < cap)
        n += (size_t)snprintf(xml + n, cap - n,
                              "<feature name=\"org.gnu.gdb.i386.segments\">"
                              "<reg name=\"fs_base\" bitsize=\"64\" type=\"int\"/>"
                              "<reg name=\"gs_base\" bitsize=\"64\" type=\"int\"/></feature>");
    if (n < cap)
        n += (size_t)snprintf(xml + n, cap - n, "</target>");
    if (n >= cap) {
        fputs("vemu: internal error: gdb target description too long\n", stderr);
        abort();
    }
}

static const X86GdbShape *shape_of(const CPUCommon *c)
{
    return c->fe->guest_bits == 64 ? &shape64 : &shape32;
}

/* gdb register n as the shape numbers it, relative to the end of the
 * frontend's registers; -1 for the frontend's own. */
static int x86_rel(const X86GdbShape *s, unsigned n)
{
    return n < s->fe->n_regs ? -1 : (int)(n - s->fe->n_regs);
}

static int x86_read_reg(CPUCommon *c, unsigned n, uint8_t *buf)
{
    const X86CPU *cpu = (const X86CPU *)c;
    const X86GdbShape *s = shape_of(c);
    int r = x86_rel(s, n);
    uint32_t v;
    if (r < 0) {
        unsigned bytes = s->fe->regs[n].bits / 8;
        memcpy(buf, (const uint8_t *)c + s->fe->regs[n].offset, bytes);
        return (int)bytes;
    }
    if (r == X86G_EFLAGS) {
        v = x86_eflags_read(cpu);
    } else if (r >= X86G_SEG0 && r < X86G_SEG0 + 6) {
        v = cpu->seg_sel[seg_order[r - X86G_SEG0]];
    } else if (r >= X86G_ST0 && r < X86G_ST0 + 8) {
        const X87Reg *st = &cpu->fpu.r[(cpu->fpu.top + (unsigned)(r - X86G_ST0)) & 7];
        memcpy(buf, &st->mant, 8);
        memcpy(buf + 8, &st->sign_exp, 2);
        return 10;
    } else if (r >= X86G_FCTRL && r < X86G_XMM0) {
        const X87State *f = &cpu->fpu;
        x86_fpu_sync_host(cpu);
        uint32_t vals[8] = { f->fcw, (uint32_t)(f->fsw | (f->top & 7) << 11), f->ftw, f->fcs,
                             (uint32_t)f->fip, f->fds, (uint32_t)f->fdp, f->fop };
        v = vals[r - X86G_FCTRL];
    } else if (r >= X86G_XMM0 && r < X86G_XMM0 + (int)s->nxmm) {
        memcpy(buf, cpu->vec.ymm[r - X86G_XMM0].b, 16);
        return 16;
    } else if (r == X86G_XMM0 + (int)s->nxmm) {
        v = cpu->vec.mxcsr;
    } else if (s->bases && (r == X86G_XMM0 + (int)s->nxmm + 1 || r == X86G_XMM0 + (int)s->nxmm + 2)) {
        uint64_t b = cpu->seg_base[r == X86G_XMM0 + (int)s->nxmm + 1 ? X86_SEG_FS : X86_SEG_GS];
        memcpy(buf, &b, 8);
        return 8;
    } else {
        return 0;
    }
    memcpy(buf, &v, 4);
    return 4;
}

/* What gdb may change in EFLAGS in user mode: the arithmetic flags, TF,
 * DF, AC, ID (not IF, IOPL, VM). */
#define EFLAGS_GDB_WRITABLE (X86_EFLAGS_ARITH | X86_EFLAGS_TF | X86_EFLAGS_DF | X86_EFLAGS_AC | \
                             X86_EFLAGS_ID | X86_EFLAGS_RF | X86_EFLAGS_NT)

static int x86_write_reg(CPUCommon *c, unsigned n, const uint8_t *buf)
{
    X86CPU *cpu = (X86CPU *)c;
    const X86GdbShape *s = shape_of(c);
    int r = x86_rel(s, n);
    uint32_t v;
    if (r < 0) {
        unsigned bytes = s->fe->regs[n].bits / 8;
        uint64_t w = 0;               /* 32-bit registers keep their upper half zero */
        memcpy(&w, buf, bytes);
        memcpy((uint8_t *)c + s->fe->regs[n].offset, &w, 8);
        return (int)bytes;
    }
    if (r >= X86G_ST0 && r < X86G_ST0 + 8) {
        X87Reg *st = &cpu->fpu.r[(cpu->fpu.top + (unsigned)(r - X86G_ST0)) & 7];
        memcpy(&st->mant, buf, 8);
        memcpy(&st->sign_exp, buf + 8, 2);
        return 10;
    }
    if (r >= X86G_XMM0 && r < X86G_XMM0 + (int)s->nxmm) {
        memcpy(cpu->vec.ymm[r - X86G_XMM0].b, buf, 16);
        return 16;
    }
    if (s->bases && (r == X86G_XMM0 + (int)s->nxmm + 1 || r == X86G_XMM0 + (int)s->nxmm + 2)) {
        uint64_t b;
        memcpy(&b, buf, 8);
        cpu->seg_base[r == X86G_XMM0 + (int)s->nxmm + 1 ? X86_SEG_FS : X86_SEG_GS] = b;
        return 8;
    }
    memcpy(&v, buf, 4);
    if (r == X86G_EFLAGS) {
        x86_eflags_write(cpu, v, EFLAGS_GDB_WRITABLE);
    } else if (r >= X86G_SEG0 && r < X86G_SEG0 + 6) {
        int seg = seg_order[r - X86G_SEG0];
        uint64_t base;
        /* only what the program could load itself; cs stays */
        if (seg != X86_SEG_CS && x86_user_seg_base(cpu, (uint16_t)v, &base)) {
            cpu->seg_sel[seg] = (uint16_t)v;
            cpu->seg_base[seg] = base;
        }
    } else if (r >= X86G_FCTRL && r < X86G_XMM0) {
        X87State *f = &cpu->fpu;
        switch (r - X86G_FCTRL) {
        case 0: f->fcw = (uint16_t)v; break;
        case 1: f->fsw = (uint16_t)(v & ~0x3800u); f->top = (v >> 11) & 7; break;
        case 2: f->ftw = (uint16_t)v; break;
        case 3: f->fcs = (uint16_t)v; break;
        case 4: f->fip = v; break;
        case 5: f->fds = (uint16_t)v; break;
        case 6: f->fdp = v; break;
        case 7: f->fop = (uint16_t)(v & 0x7ff); break;
        }
    } else if (r == X86G_XMM0 + (int)s->nxmm) {
        cpu->vec.mxcsr = v & 0xffff;
    } else {
        return 0;
    }
    return 4;
}

static GdbArch gdb_arch_i386 = {
    .name = "i386",
    .target_xml = xml32,
    .read_reg = x86_read_reg,
    .write_reg = x86_write_reg,
};

static GdbArch gdb_arch_x86_64 = {
    .name = "x86_64",
    .target_xml = xml64,
    .read_reg = x86_read_reg,
    .write_reg = x86_write_reg,
};

/* Found by gdbstub_arch_find("i386"/"x86_64") in every program that links
 * frontend-x86. */
__attribute__((constructor)) static void gdb_x86_register(void)
{
    build_xml(xml32, sizeof(xml32), &shape32);
    build_xml(xml64, sizeof(xml64), &shape64);
    /* n_regs: the frontend's registers and everything the xml adds */
    gdb_arch_i386.n_regs = shape32.fe->n_regs + X86G_XMM0 + shape32.nxmm + 1;
    gdb_arch_x86_64.n_regs = shape64.fe->n_regs + X86G_XMM0 + shape64.nxmm + 1 + 2;
    gdbstub_arch_register(&gdb_arch_i386);
    gdbstub_arch_register(&gdb_arch_x86_64);
}
