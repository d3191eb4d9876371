/*
 * sp804.c — ARM Dual-Timer Module (SP804), two 32/16-bit down counters in
 * one 4 KiB window, after the SP804 Technical Reference Manual (ARM DDI
 * 0271), chapter 3 "Programmer's Model".  The Versatile PB has two, at
 * 0x101E2000 (timers 0 and 1) and 0x101E3000 (timers 2 and 3), clocked at
 * 1 MHz, each with one interrupt line for both its timers.
 *
 * Per timer, at 0x00 and 0x20: Load, Value (RO), Control, IntClr (WO),
 * RIS, MIS, BGLoad.  Control: bit 0 one-shot, bit 1 32-bit, bits 3:2
 * prescale (1, 16, 256), bit 5 interrupt enable, bit 6 periodic, bit 7
 * enable.  Free-running mode wraps from zero to the maximum, periodic
 * mode reloads Load, one-shot mode stops at zero; each reaches zero with
 * an interrupt, and the reload takes one more tick (a period of Load + 1).
 * Writing Load restarts the count from the new value; BGLoad changes only
 * the value the next reload uses.
 *
 * The counter is not ticked: Value is computed from the virtual clock and
 * the time the count last (re)started, and one timer is set for the next
 * time it reaches zero, so an idle guest costs nothing between
 * interrupts.  Register reads first bring the state up to now, so RIS is
 * right even if the event loop has not run the timer yet.
 *
 * Not modelled: the integration test registers (TimerITCR, TimerITOP)
 * read as zero and ignore writes; prescale 3 (undefined) counts as 256; a
 * running counter that is reconfigured restarts on a whole tick of the
 * new configuration (sub-tick phase is kept only across BGLoad writes and
 * control writes that keep the prescale).
 */
#include <stdlib.h>

#include "hw-versatile/devices.h"
#include "hw-versatile/primecell.h"
#include "softmmu/device.h"
#include "softmmu/vmstate.h"
#include "softmmu/timer.h"

#define SP804_PERIPH_ID 0x00141804u

#define CTRL_ONESHOT  0x01
#define CTRL_32BIT    0x02
#define CTRL_PRESCALE 0x0C
#define CTRL_IE       0x20
#define CTRL_PERIODIC 0x40
#define CTRL_ENABLE   0x80

typedef struct SP804Timer {
    SP804 *dev;
    uint32_t load;
    uint32_t control;
    bool ris;
    bool halted;            /* one-shot at zero */
    int64_t base_ns;        /* when the counter held base_val */
    uint32_t base_val;      /* also the value while disabled or halted */
    uint64_t next_zero;     /* index of the next zero not yet signalled */
    Timer *timer;
} SP804Timer;

struct SP804 {
    IRQLine irq;
    uint64_t freq_hz;
    SP804Timer t[2];
    int irq_level;
};

static uint32_t max_value(const SP804Timer *t)
{
    return (t->control & CTRL_32BIT) ? 0xFFFFFFFFu : 0xFFFFu;
}

static uint64_t prescale(const SP804Timer *t)
{
    switch ((t->control & CTRL_PRESCALE) >> 2) {
    case 0: return 1;
    case 1: return 16;
    default: return 256;
    }
}

/* The value the counter starts from after reaching zero. */
static uint64_t reload_value(const SP804Timer *t)
{
    return (t->control & CTRL_PERIODIC) ? (t->load & max_value(t)) : max_value(t);
}

static bool running(const SP804Timer *t)
{
    return (t->control & CTRL_ENABLE) && !t->halted;
}

static uint64_t ticks_since_base(const SP804Timer *t, int64_t now)
{
    if (now <= t->base_ns)
        return 0;
    unsigned __int128 n = (unsigned __int128)(uint64_t)(now - t->base_ns) * t->dev->freq_hz;
    return (uint64_t)(n / ((unsigned __int128)prescale(t) * 1000000000u));
}

/* The first virtual time at which tick n (counted from base) has happened. */
static int64_t tick_time(const SP804Timer *t, uint64_t n)
{
    unsigned __int128 num = (unsigned __int128)n * prescale(t) * 1000000000u;
    unsigned __int128 ns = (num + t->dev->freq_hz - 1) / t->dev->freq_hz;
    unsigned __int128 at = ns + (uint64_t)t->base_ns;
    return at > INT64_MAX ? INT64_MAX : (int64_t)at;
}

/* The counter register is 32 bits wide; a 16-bit timer counts its low
 * half (so Load 0xFFFFFFFF written in 16-bit mode, then a switch to 32-bit
 * mode, counts from 0xFFFFFFFF, as Linux's clocksource set-up expects). */
static uint32_t start_value(const SP804Timer *t)
{
    return t->base_val & max_value(t);
}

/* Tick index of the n-th zero after base. */
static uint64_t zero_tick(const SP804Timer *t, uint64_t n)
{
    return start_value(t) + n * (reload_value(t) + 1);
}

static uint32_t value_at(const SP804Timer *t, uint64_t ticks)
{
    if (!running(t))
        return t->base_val;
    uint32_t start = start_value(t);
    if (ticks <= start)
        return (uint32_t)(start - ticks);
    if (t->control & CTRL_ONESHOT)
        return 0;
    uint64_t period = reload_value(t) + 1;
    uint64_t into = (ticks - start - 1) % period;
    return (uint32_t)(reload_value(t) - into);
}

static void update_irq(SP804 *d)
{
    int level = (d->t[0].ris && (d->t[0].control & CTRL_IE)) ||
                (d->t[1].ris && (d->t[1].control & CTRL_IE));
    if (level != d->irq_level) {
        d->irq_level = level;
        irq_set(&d->irq, level);
    }
}

/* Bring t up to now: signal a zero that has been reached. */
static void sync_timer(SP804Timer *t, int64_t now)
{
    if (!running(t))
        return;
    uint64_t ticks = ticks_since_base(t, now);
    if (ticks < zero_tick(t, t->next_zero))
        return;
    t->ris = true;
    if (t->control & CTRL_ONESHOT) {
        t->halted = true;
        t->base_val = 0;
        return;
    }
    t->next_zero = (ticks - start_value(t)) / (reload_value(t) + 1) + 1;
}

static void schedule(SP804Timer *t)
{
    if (running(t))
        timer_mod(t->timer, tick_time(t, zero_tick(t, t->next_zero)));
    else
        timer_del(t->timer);
}

/* Restart the count description at the current tick (before a change of
 * configuration); sync_timer(now) must have run. */
static void rebase(SP804Timer *t, int64_t now)
{
    if (!running(t))
        return;
    uint64_t ticks = ticks_since_base(t, now);
    uint32_t v = value_at(t, ticks);
    t->base_ns = tick_time(t, ticks);
    t->base_val = v;
    /* a zero at this very tick has been signalled already */
    t->next_zero = v == 0 ? 1 : 0;
}

static void timer_expired(void *opaque)
{
    SP804Timer *t = opaque;
    sync_timer(t, clock_virtual_ns());
    update_irq(t->dev);
    schedule(t);
}

static uint64_t sp804_read(void *opaque, uint64_t offset, unsigned size)
{
    SP804 *d = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = 0;
    if (primecell_id_read(reg, SP804_PERIPH_ID, &val))
        return primecell_narrow(val, offset, size);
    if (reg < 0x40) {
        SP804Timer *t = &d->t[reg >= 0x20];
        int64_t now = clock_virtual_ns();
        sync_timer(t, now);
        update_irq(d);
        switch (reg & 0x1F) {
        case 0x00: val = t->load; break;
        case 0x04: val = value_at(t, ticks_since_base(t, now)); break;
        case 0x08: val = t->control; break;
        case 0x10: val = t->ris; break;
        case 0x14: val = t->ris && (t->control & CTRL_IE); break;
        case 0x18: val = t->load; break;
        default: val = 0; break;
        }
    }
    return primecell_narrow(val, offset, size);
}

static void sp804_write(void *opaque, uint64_t offset, uint64_t value, unsigned size)
{
    SP804 *d = opaque;
    uint64_t reg = offset & ~3ull;
    uint32_t val = (uint32_t)value;
    if (reg >= 0x40)
        return;
    SP804Timer *t = &d->t[reg >= 0x20];
    int64_t now = clock_virtual_ns();
    sync_timer(t, now);
    switch (reg & 0x1F) {
    case 0x00:   /* Load: the count restarts from it */
        t->load = val;
        t->base_val = val;
        t->base_ns = now;
        t->halted = false;
        t->next_zero = 0;
        break;
    case 0x08: { /* Control */
        bool was_running = running(t);
        rebase(t, now);
        uint32_t old = t->control;
        t->control = val & 0xEF;
        if (!(old & CTRL_ENABLE) && (t->control & CTRL_ENABLE)) {
            t->base_ns = now;
            t->next_zero = start_value(t) == 0 ? 1 : 0;
            t->halted = start_value(t) == 0 && (t->control & CTRL_ONESHOT);
        } else if (was_running && (old ^ t->control) & CTRL_PRESCALE) {
            t->base_ns = now;   /* ticks of the new length start now */
        }
        break;
    }
    case 0x0C:   /* IntClr */
        t->ris = false;
        break;
    case 0x18:   /* BGLoad: the next reload uses it */
        rebase(t, now);
        t->load = val;
        break;
    default:
        break;
    }
    update_irq(d);
    schedule(t);
}

static const MemoryRegionOps sp804_ops = { .read = sp804_read, .write = sp804_write };

static void sp804_reset(void *opaque)
{
    SP804 *d = opaque;
    for (int i = 0; i < 2; i++) {
        SP804Timer *t = &d->t[i];
        t->load = 0;
        t->control = CTRL_IE;
        t->ris = false;
        t->halted = false;
        t->base_ns = 0;
        t->base_val = 0xFFFFFFFFu;
        t->next_zero = 0;
        timer_del(t->timer);
    }
    update_irq(d);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField sp804_fields[] = {
    VMS_FIELD(SP804, t[0].load),
    VMS_FIELD(SP804, t[0].control),
    VMS_FIELD(SP804, t[0].ris),
    VMS_FIELD(SP804, t[0].halted),
    VMS_FIELD(SP804, t[0].base_ns),
    VMS_FIELD(SP804, t[0].base_val),
    VMS_FIELD(SP804, t[0].next_zero),
    VMS_TIMER(SP804, t[0].timer),
    VMS_FIELD(SP804, t[1].load),
    VMS_FIELD(SP804, t[1].control),
    VMS_FIELD(SP804, t[1].ris),
    VMS_FIELD(SP804, t[1].halted),
    VMS_FIELD(SP804, t[1].base_ns),
    VMS_FIELD(SP804, t[1].base_val),
    VMS_FIELD(SP804, t[1].next_zero),
    VMS_TIMER(SP804, t[1].timer),
    VMS_FIELD(SP804, irq_level),
    VMS_END
};

static const VMStateDescription sp804_vmsd = {
    .name = "sp804",
    .version = 1,
    .fields = sp804_fields,
};

SP804 *sp804_new(PhysMemory *pm, uint64_t base, IRQLine irq, uint64_t freq_hz)
{
    SP804 *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->irq = irq;
    d->freq_hz = freq_hz ? freq_hz : 1000000;
    for (int i = 0; i < 2; i++) {
        d->t[i].dev = d;
        d->t[i].timer = timer_new(timer_expired, &d->t[i]);
    }
    sp804_reset(d);
    phys_add_mmio(pm, "sp804", base, PRIMECELL_WINDOW, &sp804_ops, d);
    device_register_reset(sp804_reset, d);
    vmstate_register(&sp804_vmsd, base, d);
    return d;
}

void sp804_free(SP804 *d)
{
    vmstate_unregister(d);
    if (!d)
        return;
    timer_free(d->t[0].timer);
    timer_free(d->t[1].timer);
    free(d);
}
