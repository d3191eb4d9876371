/*
 * pl110.c — ARM PrimeCell Color LCD Controller (CLCD), as the Versatile
 * PB has it at 0x10120000 on VIC input 16: a PL110 by its identification
 * registers (PeriphID 0x00041110) with the register order of the PL111.
 * The register meanings follow the PL111 Technical Reference Manual (ARM
 * DDI 0293), chapter 3 "Programmer's Model"; the Versatile's mixed variant
 * is described in the board's user guide (ARM DUI 0224, "Color LCD
 * Controller") and is what Linux's pl111 DRM driver expects on
 * "arm,versatile-pb" (control at 0x18, interrupt mask at 0x1C).
 *
 *   0x000 LCDTiming0..3   RW  horizontal, vertical, clock/signal polarity,
 *                             line end timing (stored; define the mode)
 *   0x010 LCDUPBASE       RW  upper panel frame base (word aligned; the
 *                             PL111 variant doubleword aligned)
 *   0x014 LCDLPBASE       RW  lower panel frame base
 *   0x018 LCDControl      RW  bit 0 LcdEn, 3:1 LcdBpp, 4 LcdBW, 5 LcdTFT,
 *                             6 LcdMono8, 7 LcdDual, 8 BGR, 9 BEBO,
 *                             10 BEPO, 11 LcdPwr, 13:12 LcdVComp,
 *                             16 WATERMARK
 *   0x01C LCDIMSC         RW  interrupt mask: 1 FUF, 2 LNBU, 3 Vcomp,
 *                             4 MBERROR
 *   0x020 LCDRIS          RO  raw interrupt status (same bits)
 *   0x024 LCDMIS          RO  RIS & IMSC
 *   0x028 LCDICR          WO  write 1 to clear a RIS bit
 *   0x02C LCDUPCURR       RO  upper panel DMA address (the frame's base)
 *   0x030 LCDLPCURR       RO  lower panel DMA address
 *   0x200..0x3FC palette  RW  256 entries, two 16-bit entries a word
 *   0xFE0.. PeriphID, PCellID 0xB105F00D
 *
 * Frames: while LcdEn is set the timing generator runs, one frame every
 * 1/60 s of virtual time from the moment LcdEn was set.  At each vertical
 * sync (the first one frame after LcdEn) the controller copies
 * LCDUPBASE/LCDLPBASE into the current address registers for the next
 * frame and raises LNBU (next base update, what Linux uses as its
 * vblank), and raises Vcomp (the vertical compare point, whichever
 * LcdVComp selects, comes once a frame as well).  Like the SP804 nothing
 * ticks: the frame count is computed from the virtual clock when a
 * register is read, and a timer is set for the next frame only while an
 * unmasked frame interrupt could still be raised, so an idle display
 * costs no wake-ups.
 *
 * The picture (display.h): when something looks (a window, a VNC client,
 * screendump) the frame is read from guest memory at LCDUPBASE and
 * converted to the display's XRGB surface.  Size: LCDTiming0 PPL (pixels
 * per line, 16 * (PPL+1)) by LCDTiming1 LPP (lines, LPP+1).  Formats, by
 * LcdBpp: 1, 2, 4, 8 bpp through the palette (entry bits 4:0, 9:5, 14:10
 * and the intensity bit 15, which is ignored as QEMU ignores it); 16 bpp
 * 1:5:5:5 on a PL111, and on the Versatile through the board's external
 * multiplexer (SYS_CLCD bits 1:0, pl110_set_mux: 0 and 2 5:6:5, 1 5:5:5,
 * 3 5:6:5 with red and blue swapped); 24 bpp as one 32-bit word a pixel;
 * the PL111's 5:6:5 (6) and 4:4:4 (7).  With BGR clear the first field
 * (the low bits) is red, as Linux's pl111 driver programs it
 * (DRM_FORMAT_XBGR8888 with BGR clear); BGR swaps red and blue of the
 * direct-colour formats, not of palette entries (as QEMU 7.2 shows
 * them; the TRM leaves it open).  BEBO: each word read big endian, pixel
 * 0 in its low bits (QEMU's reading too); BEPO alone: bytes in order,
 * sub-byte pixels from the top bit.  5- and 6-bit channels widen by a shift
 * (0x1F -> 0xF8), as QEMU's do, so the two screendumps agree.  While
 * LcdEn or LcdPwr is clear the panel is dark (black).
 *
 * Not modelled: the frame rate is 60 Hz whatever the timing registers
 * and the CLCD clock say; FUF (FIFO underflow) and MBERROR (bus error)
 * are never raised; the PL111's hardware cursor (0x800..0xC2C) reads as
 * zero and is not drawn; dual panels (LcdDual: the lower panel is not
 * shown), STN monochrome and grey-scaling (LcdBW: shown as colour
 * through the palette).
 */
#include <stdlib.h>
#include <string.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/primecell.h"
#include "softmmu/device.h"
#include "softmmu/display.h"
#include "softmmu/memory.h"
#include "softmmu/vmstate.h"
#include "softmmu/timer.h"

#define CTRL_LCDEN 0x1u
#define CTRL_BPP(c) (((c) >> 1) & 7u)
#define CTRL_BGR   (1u << 8)
#define CTRL_BEBO  (1u << 9)
#define CTRL_BEPO  (1u << 10)
#define CTRL_PWR   (1u << 11)
#define CTRL_MASK  0x1FFFFu

#define INT_FUF     0x02u
#define INT_LNBU    0x04u
#define INT_VCOMP   0x08u
#define INT_MBERROR 0x10u
#define INT_MASK    0x1Eu
#define INT_FRAME   (INT_LNBU | INT_VCOMP)

#define FRAME_HZ 60

struct PL110 {
    PhysMemory *pm;
    IRQLine irq;
    PL110Variant variant;
    uint32_t timing[4];
    uint32_t upbase, lpbase, upcurr, lpcurr;
    uint32_t control, imsc, ris;
    uint32_t palette[128];
    int64_t enable_ns;      /* when LcdEn was set: frame 0 starts there */
    uint64_t next_frame;    /* first frame whose start is not yet signalled
                             * (frame 0's is LcdEn itself: never) */
    int irq_level;
    Timer *frame;
    unsigned mux;           /* the Versatile's SYS_CLCD bits 1:0 */
    uint8_t *fb;            /* the frame as read from guest memory */
    size_t fb_cap;
    uint32_t *row;          /* one converted line */
    bool was_dark;
};

static uint32_t periph_id(const PL110 *c)
{
    return c->variant == PL110_VARIANT_PL111 ? 0x00041111u : 0x00041110u;
}

static uint32_t base_mask(const PL110 *c)
{
    return c->variant == PL110_VARIANT_PL111 ? ~7u : ~3u;
}

/* The virtual time frame n (counted from LcdEn) starts. */
static int64_t frame_start(const PL110 *c, uint64_t n)
{
    return c->enable_ns + (int64_t)((unsigned __int128)n * 1000000000u / FRAME_HZ);
}

/* Bring the frame count up to now: a frame that has started raises the
 * frame interrupts and latches the base addresses. */
static void sync_frames(PL110 *c, int64_t now)
{
    if (!(c->control & CTRL_LCDEN) || now < frame_start(c, c->next_frame))
        return;
    uint64_t n = (uint64_t)((unsigned __int128)(uint64_t)(now - c->enable_ns) * FRAME_HZ / 1000000000u);
    if (frame_start(c, n + 1) <= now)   /* rounding of the division above */
        n++;
    c->ris |= INT_FRAME;
    c->upcurr = c->upbase;
    c->lpcurr = c->lpbase;
    c->next_frame = n + 1;
}

static void update_irq(PL110 *c)
{
    int level = (c->ris & c->imsc) != 0;
    if (level != c->irq_level) {
        c->irq_level = level;
        irq_set(&c->irq, level);
    }
}

/* Wake at the next frame only if it would change the interrupt line. */
static void schedule(PL110 *c)
{
    if ((c->control & CTRL_LCDEN) && (c->imsc & INT_FRAME & ~c->ris))
        timer_mod(c->frame, frame_start(c, c->next_frame));
    else
        timer_del(c->frame);
}

static void frame_expired(void *opaque)
{
    PL110 *c = opaque;
    sync_frames(c, clock_virtual_ns());
    update_irq(c);
    schedule(c);
}

static uint64_t pl110_read(void *opaque, uint64_t offset, unsigned size)
{
    PL110 *c = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = 0;
    if (primecell_id_read(reg, periph_id(c), &val))
        return primecell_narrow(val, offset, size);
    sync_frames(c, clock_virtual_ns());
    update_irq(c);
    schedule(c);
    switch (reg) {
    case 0x00: case 0x04: case 0x08: case 0x0C:
        val = c->timing[reg / 4];
        break;
    case 0x10: val = c->upbase; break;
    case 0x14: val = c->lpbase; break;
    case 0x18: val = c->control; break;
    case 0x1C: val = c->imsc; break;
    case 0x20: val = c->ris; break;
    case 0x24: val = c->ris & c->imsc; break;
    case 0x2C: val = c->upcurr; break;
    case 0x30: val = c->lpcurr; break;
    default:
        if (reg >= 0x200 && reg < 0x400)
            val = c->palette[(reg - 0x200) / 4];
        break;
    }
    return primecell_narrow(val, offset, size);
}

/* Writable bits of LCDTiming0..3 (PL111 TRM): reserved bits read zero. */
static const uint32_t timing_mask[4] = { 0xFFFFFFFCu, 0xFFFFFFFFu, 0xFFFF7FFFu, 0x0001007Fu };

static void pl110_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    PL110 *c = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = (uint32_t)value;
    int64_t now = clock_virtual_ns();
    sync_frames(c, now);
    switch (reg) {
    case 0x00: case 0x04: case 0x08: case 0x0C:
        c->timing[reg / 4] = val & timing_mask[reg / 4];
        break;
    case 0x10: c->upbase = val & base_mask(c); break;
    case 0x14: c->lpbase = val & base_mask(c); break;
    case 0x18:
        if (!(c->control & CTRL_LCDEN) && (val & CTRL_LCDEN)) {
            /* the timing generator starts: frame 0 begins now, the
             * first vertical sync comes after it */
            c->enable_ns = now;
            c->next_frame = 1;
        }
        c->control = val & CTRL_MASK;
        break;
    case 0x1C: c->imsc = val & INT_MASK; break;
    case 0x28: c->ris &= ~(val & INT_MASK); break;
    default:
        if (reg >= 0x200 && reg < 0x400)
            c->palette[(reg - 0x200) / 4] = val;
        break;
    }
    update_irq(c);
    schedule(c);
}

static const MemoryRegionOps pl110_ops = { .read = pl110_read, .write = pl110_write };

static void pl110_reset(void *opaque)
{
    PL110 *c = opaque;
    for (int i = 0; i < 4; i++)
        c->timing[i] = 0;
    c->upbase = c->lpbase = c->upcurr = c->lpcurr = 0;
    c->control = c->imsc = c->ris = 0;
    for (int i = 0; i < 128; i++)
        c->palette[i] = 0;
    c->enable_ns = 0;
    c->next_frame = 0;
    timer_del(c->frame);
    update_irq(c);
}

/* ---- the picture ------------------------------------------------------------------ */

void pl110_set_mux(PL110 *c, unsigned mode)
{
    c->mux = mode & 3;
}

/* A palette entry (two a word, the even one in the low half) as XRGB:
 * red in bits 4:0, whatever BGR says (as QEMU shows it). */
static uint32_t palette_rgb(const PL110 *c, unsigned index)
{
    uint32_t e = c->palette[index / 2] >> (16 * (index & 1));
    uint32_t r = (e & 0x1F) << 3, g = ((e >> 5) & 0x1F) << 3, b = ((e >> 10) & 0x1F) << 3;
    return r << 16 | g << 8 | b;
}

/* The first field (low bits) is red unless BGR (or the mux) swaps. */
static uint32_t rgb(uint32_t first, uint32_t g, uint32_t third, bool bgr)
{
    return bgr ? third << 16 | g << 8 | first : first << 16 | g << 8 | third;
}

enum PixFmt { PF_PALETTE, PF_1555, PF_565, PF_565_BGR, PF_444, PF_888 };

/* Bits a pixel takes in memory and how to read it, from LcdBpp (and the
 * Versatile's multiplexer for 16 bpp). */
static int pixel_format(const PL110 *c, enum PixFmt *pf)
{
    switch (CTRL_BPP(c->control)) {
    case 0: *pf = PF_PALETTE; return 1;
    case 1: *pf = PF_PALETTE; return 2;
    case 2: *pf = PF_PALETTE; return 4;
    case 3: *pf = PF_PALETTE; return 8;
    case 4:
        if (c->variant == PL110_VARIANT_PL111)
            *pf = PF_1555;
        else
            *pf = c->mux == 1 ? PF_1555 : c->mux == 3 ? PF_565_BGR : PF_565;
        return 16;
    case 5: *pf = PF_888; return 32;
    case 6: *pf = PF_565; return 16;
    default: *pf = PF_444; return 16;
    }
}

static void convert_line(const PL110 *c, const uint8_t *src, int width, int bpp, enum PixFmt pf, uint32_t *out)
{
    bool bebo = c->control & CTRL_BEBO;
    bool bepo = c->control & CTRL_BEPO;
    bool bgr = c->control & CTRL_BGR;
    unsigned per_word = 32 / bpp;
    uint32_t mask = bpp == 32 ? 0xFFFFFFFFu : (1u << bpp) - 1;
    for (int x = 0; x < width; x++) {
        const uint8_t *p = src + 4 * ((unsigned)x / per_word);
        unsigned k = (unsigned)x % per_word;
        uint32_t v, word;
        if (bebo) {
            /* the word read big endian, pixel 0 in its low bits */
            word = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
            v = (word >> (k * bpp)) & mask;
        } else if (bepo && bpp < 8) {
            /* bytes in order, pixel 0 in a byte's top bits */
            unsigned bit = k * bpp;
            v = (p[bit / 8] >> (8 - bpp - bit % 8)) & mask;
        } else {
            word = (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0];
            v = (word >> (k * bpp)) & mask;
        }
        switch (pf) {
        case PF_PALETTE: out[x] = palette_rgb(c, v); break;
        case PF_1555:
            out[x] = rgb((v & 0x1F) << 3, ((v >> 5) & 0x1F) << 3, ((v >> 10) & 0x1F) << 3, bgr);
            break;
        case PF_565:
        case PF_565_BGR:
            out[x] = rgb((v & 0x1F) << 3, ((v >> 5) & 0x3F) << 2, ((v >> 11) & 0x1F) << 3, bgr || pf == PF_565_BGR);
            break;
        case PF_444:
            out[x] = rgb((v & 0xF) << 4, ((v >> 4) & 0xF) << 4, ((v >> 8) & 0xF) << 4, bgr);
            break;
        case PF_888:
            out[x] = rgb(v & 0xFF, (v >> 8) & 0xFF, (v >> 16) & 0xFF, bgr);
            break;
        }
    }
}

/* display.h's render: the frame at LCDUPBASE, converted line by line;
 * true when a pixel or the size changed. */
static bool pl110_render(void *opaque, DisplaySurface *s)
{
    PL110 *c = opaque;
    int width = (int)(((c->timing[0] >> 2) & 0x3F) + 1) * 16;
    int height = (int)(c->timing[1] & 0x3FF) + 1;
    bool on = (c->control & CTRL_LCDEN) && (c->control & CTRL_PWR);
    bool resized = false;
    if (on && (s->width != width || s->height != height)) {
        if (display_surface_resize(s, width, height) < 0)
            return false;
        resized = true;
    }
    if (!on) {
        /* a dark panel, at the size it had */
        if (c->was_dark)
            return false;
        memset(s->pixels, 0, (size_t)s->width * s->height * 4);
        c->was_dark = true;
        return true;
    }
    c->was_dark = false;
    enum PixFmt pf;
    int bpp = pixel_format(c, &pf);
    size_t line_bytes = (size_t)width * bpp / 8;
    size_t len = line_bytes * height;
    if (len > c->fb_cap) {
        uint8_t *fb = realloc(c->fb, len);
        uint32_t *row = realloc(c->row, (size_t)8192 * 4);
        if (row)
            c->row = row;
        if (!fb || !row) {
            if (fb)
                c->fb = fb;
            return false;
        }
        c->fb = fb;
        c->fb_cap = len;
    }
    /* unassigned memory reads as zero, as a bus error would show nothing */
    phys_read(c->pm, c->upbase, c->fb, len);
    bool changed = resized;
    for (int y = 0; y < height; y++) {
        uint32_t *dst = s->pixels + (size_t)y * width;
        convert_line(c, c->fb + line_bytes * y, width, bpp, pf, c->row);
        if (changed || memcmp(dst, c->row, (size_t)width * 4)) {
            memcpy(dst, c->row, (size_t)width * 4);
            changed = true;
        }
    }
    return changed;
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField pl110_fields[] = {
    VMS_FIELD(PL110, timing),
    VMS_FIELD(PL110, upbase),
    VMS_FIELD(PL110, lpbase),
    VMS_FIELD(PL110, upcurr),
    VMS_FIELD(PL110, lpcurr),
    VMS_FIELD(PL110, control),
    VMS_FIELD(PL110, imsc),
    VMS_FIELD(PL110, ris),
    VMS_FIELD(PL110, palette),
    VMS_FIELD(PL110, enable_ns),
    VMS_FIELD(PL110, next_frame),
    VMS_FIELD(PL110, irq_level),
    VMS_TIMER(PL110, frame),
    VMS_FIELD(PL110, mux),
    VMS_END
};

static const VMStateDescription pl110_vmsd = {
    .name = "pl110",
    .version = 2,           /* 2: the sysregs' CLCD mux */
    .fields = pl110_fields,
};

PL110 *pl110_new(PhysMemory *pm, uint64_t base, IRQLine irq, PL110Variant variant)
{
    PL110 *c = calloc(1, sizeof *c);
    if (!c)
        abort();
    c->pm = pm;
    c->irq = irq;
    c->variant = variant;
    c->frame = timer_new(frame_expired, c);
    pl110_reset(c);
    phys_add_mmio(pm, "pl110", base, PRIMECELL_WINDOW, &pl110_ops, c);
    device_register_reset(pl110_reset, c);
    display_register_source(pl110_render, c);
    vmstate_register(&pl110_vmsd, base, c);
    return c;
}

void pl110_free(PL110 *c)
{
    vmstate_unregister(c);
    if (!c)
        return;
    display_register_source(NULL, NULL);
    timer_free(c->frame);
    free(c->fb);
    free(c->row);
    free(c);
}
