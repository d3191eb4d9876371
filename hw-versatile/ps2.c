/*
 * ps2.c — a PS/2 keyboard and a PS/2 mouse, as the host sees them through
 * a KMI port: command bytes in, acknowledgements, replies and input out.
 * After the IBM Personal System/2 keyboard and mouse interface
 * descriptions (the command sets every PS/2 keyboard and mouse answers);
 * the byte values are the protocol's.
 *
 * Every command is acknowledged with 0xFA before anything else it sends;
 * a command taking a parameter acknowledges the parameter with 0xFA as
 * well; an unknown command is answered with 0xFE (resend).  0xFE from the
 * host repeats the last byte the device sent.
 *
 * Keyboard: 0xFF reset (0xFA 0xAA: the self test passes at once),
 * 0xF2 read ID (0xFA 0xAB 0x83, an MF2 keyboard), 0xED set LEDs,
 * 0xEE echo (0xEE), 0xF0 scancode set (0 reads it: 0xFA 0xFA set),
 * 0xF3 typematic rate, 0xF4 enable scanning, 0xF5 disable (and defaults),
 * 0xF6 defaults, 0xF7..0xFD set-3 key types (acknowledged, no effect).
 * Mouse: 0xFF reset (0xFA 0xAA 0x00), 0xF2 read ID (0x00; 0x03 after the
 * IntelliMouse sample-rate sequence 200, 100, 80; then 0x04 after 200,
 * 200, 80: the wheel and its 4-byte packets), 0xE6/0xE7 scaling, 0xE8
 * resolution, 0xE9 status (three bytes), 0xEA stream mode, 0xF0 remote
 * mode, 0xEB read data (a packet), 0xEE/0xEC wrap mode on/off (echoes
 * every other byte), 0xF3 sample rate, 0xF4/0xF5 reporting on/off,
 * 0xF6 defaults.
 *
 * Not modelled: timing (a reply is there at once; a real reset takes
 * hundreds of milliseconds), typematic repeat (the input side reports
 * what it is given), scancode translation between sets (input is set 2),
 * 2:1 scaling (stored and reported in the status, motion not scaled),
 * the buttons 4 and 5 of the 0x04 mouse.
 */
#include "hw-versatile/ps2.h"

#include "softmmu/vmstate.h"

#include <stdlib.h>

#define PS2_ACK    0xFA
#define PS2_RESEND 0xFE
#define PS2_BAT_OK 0xAA

#define QUEUE_SIZE 256   /* bytes, a power of two */

typedef enum { PS2_KEYBOARD, PS2_MOUSE } PS2Kind;

struct PS2Device {
    PS2Kind kind;
    uint8_t queue[QUEUE_SIZE];
    unsigned head, count;
    uint8_t last_sent;
    uint8_t pending;          /* command awaiting its parameter, or 0 */
    void (*notify)(void *opaque);
    void *notify_opaque;
    /* keyboard */
    bool scanning;
    uint8_t leds, scancode_set, typematic;
    /* mouse */
    bool reporting, remote, wrap, scale21;
    uint8_t resolution, sample_rate, id;
    uint8_t rates[3];         /* the last three sample rates set */
    unsigned buttons;
    int dx, dy, dz;           /* accumulated, not yet reported */
};

static void queue_clear(PS2Device *d)
{
    d->head = d->count = 0;
}

static void push(PS2Device *d, uint8_t b)
{
    if (d->count == QUEUE_SIZE)
        return;   /* a full buffer drops input, as the device's does */
    d->queue[(d->head + d->count) % QUEUE_SIZE] = b;
    d->count++;
    if (d->count == 1 && d->notify)
        d->notify(d->notify_opaque);
}

static void keyboard_defaults(PS2Device *d)
{
    d->scancode_set = 2;
    d->typematic = 0x2B;   /* 10.9 characters/s after 500 ms */
}

static void mouse_defaults(PS2Device *d)
{
    d->reporting = false;
    d->remote = false;
    d->scale21 = false;
    d->resolution = 2;     /* 4 counts/mm */
    d->sample_rate = 100;
    d->dx = d->dy = d->dz = 0;
}

void ps2_reset(PS2Device *d)
{
    queue_clear(d);
    d->pending = 0;
    d->last_sent = 0;
    d->leds = 0;
    d->scanning = true;
    keyboard_defaults(d);
    mouse_defaults(d);
    d->wrap = false;
    d->id = 0;
    d->rates[0] = d->rates[1] = d->rates[2] = 0;
    d->buttons = 0;
}

static PS2Device *ps2_new(PS2Kind kind)
{
    PS2Device *d = calloc(1, sizeof *d);
    if (!d)
        abort();
    d->kind = kind;
    ps2_reset(d);
    return d;
}

PS2Device *ps2_keyboard_new(void) { return ps2_new(PS2_KEYBOARD); }
PS2Device *ps2_mouse_new(void) { return ps2_new(PS2_MOUSE); }

void ps2_free(PS2Device *d)
{
    vmstate_unregister(d);
    free(d);
}

void ps2_set_notify(PS2Device *d, void (*fn)(void *opaque), void *opaque)
{
    d->notify = fn;
    d->notify_opaque = opaque;
}

bool ps2_has_data(const PS2Device *d)
{
    return d->count != 0;
}

uint8_t ps2_read(PS2Device *d)
{
    if (!d->count)
        return 0;
    uint8_t b = d->queue[d->head];
    d->head = (d->head + 1) % QUEUE_SIZE;
    d->count--;
    d->last_sent = b;
    return b;
}

/* ---- keyboard ------------------------------------------------------------ */

static void keyboard_parameter(PS2Device *d, uint8_t cmd, uint8_t b)
{
    switch (cmd) {
    case 0xED:
        d->leds = b & 7;
        push(d, PS2_ACK);
        break;
    case 0xF0:
        push(d, PS2_ACK);
        if (b == 0)
            push(d, d->scancode_set);
        else if (b <= 3)
            d->scancode_set = b;
        break;
    case 0xF3:
        d->typematic = b & 0x7F;
        push(d, PS2_ACK);
        break;
    }
}

static void keyboard_command(PS2Device *d, uint8_t b)
{
    switch (b) {
    case 0xED: case 0xF0: case 0xF3:
        d->pending = b;
        push(d, PS2_ACK);
        break;
    case 0xEE:
        push(d, 0xEE);
        break;
    case 0xF2:
        push(d, PS2_ACK);
        push(d, 0xAB);
        push(d, 0x83);
        break;
    case 0xF4:
        queue_clear(d);
        d->scanning = true;
        push(d, PS2_ACK);
        break;
    case 0xF5:
        queue_clear(d);
        keyboard_defaults(d);
        d->scanning = false;
        push(d, PS2_ACK);
        break;
    case 0xF6:
        queue_clear(d);
        keyboard_defaults(d);
        d->scanning = true;
        push(d, PS2_ACK);
        break;
    case 0xF7: case 0xF8: case 0xF9: case 0xFA: case 0xFB: case 0xFC: case 0xFD:
        push(d, PS2_ACK);
        break;
    case 0xFE:
        push(d, d->last_sent);
        break;
    case 0xFF:
        ps2_reset(d);
        push(d, PS2_ACK);
        push(d, PS2_BAT_OK);
        break;
    default:
        push(d, PS2_RESEND);
        break;
    }
}

void ps2_keyboard_scancode(PS2Device *d, const uint8_t *bytes, int n)
{
    if (d->kind != PS2_KEYBOARD || !d->scanning)
        return;
    if (QUEUE_SIZE - d->count < (unsigned)n)
        return;   /* the whole event or nothing */
    for (int i = 0; i < n; i++)
        push(d, bytes[i]);
}

/* ---- mouse --------------------------------------------------------------- */

static int clamp(int v, int lo, int hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

/* One movement packet from the motion counted since the last one. */
static void mouse_packet(PS2Device *d)
{
    int dx = d->dx, dy = d->dy;
    uint8_t b0 = 0x08 | (d->buttons & 1) | ((d->buttons & 2) ? 0x02 : 0) | ((d->buttons & 4) ? 0x04 : 0);
    if (dx < -256 || dx > 255)
        b0 |= 0x40;
    if (dy < -256 || dy > 255)
        b0 |= 0x80;
    dx = clamp(dx, -256, 255);
    dy = clamp(dy, -256, 255);
    if (dx < 0)
        b0 |= 0x10;
    if (dy < 0)
        b0 |= 0x20;
    push(d, b0);
    push(d, (uint8_t)dx);
    push(d, (uint8_t)dy);
    if (d->id == 3)
        push(d, (uint8_t)clamp(d->dz, -128, 127));
    else if (d->id == 4)
        push(d, (uint8_t)(clamp(d->dz, -8, 7) & 0x0F));
    /* the counters restart after each packet (an overflow's excess is lost) */
    d->dx = d->dy = d->dz = 0;
}

static unsigned packet_size(const PS2Device *d)
{
    return d->id == 3 || d->id == 4 ? 4 : 3;
}

void ps2_mouse_event(PS2Device *d, int dx, int dy, int dz, unsigned buttons)
{
    if (d->kind != PS2_MOUSE)
        return;
    d->dx += dx;
    d->dy += dy;
    d->dz += dz;
    d->buttons = buttons & 7;
    if (!d->reporting || d->remote || d->wrap)
        return;
    if (QUEUE_SIZE - d->count >= packet_size(d))
        mouse_packet(d);
}

/* The IntelliMouse knock: sample rates 200, 100, 80 make a wheel mouse
 * (ID 3), then 200, 200, 80 a five-button one (ID 4). */
static void mouse_sample_rate(PS2Device *d, uint8_t rate)
{
    d->sample_rate = rate;
    d->rates[0] = d->rates[1];
    d->rates[1] = d->rates[2];
    d->rates[2] = rate;
    if (d->rates[0] == 200 && d->rates[1] == 100 && d->rates[2] == 80 && d->id == 0)
        d->id = 3;
    else if (d->rates[0] == 200 && d->rates[1] == 200 && d->rates[2] == 80 && d->id == 3)
        d->id = 4;
}

static void mouse_parameter(PS2Device *d, uint8_t cmd, uint8_t b)
{
    switch (cmd) {
    case 0xE8:
        d->resolution = b & 3;
        break;
    case 0xF3:
        mouse_sample_rate(d, b);
        break;
    }
    push(d, PS2_ACK);
}

static void mouse_command(PS2Device *d, uint8_t b)
{
    if (d->wrap && b != 0xEC && b != 0xFF) {
        push(d, b);
        return;
    }
    switch (b) {
    case 0xE6: d->scale21 = false; push(d, PS2_ACK); break;
    case 0xE7: d->scale21 = true; push(d, PS2_ACK); break;
    case 0xE8: case 0xF3:
        d->pending = b;
        push(d, PS2_ACK);
        break;
    case 0xE9:
        push(d, PS2_ACK);
        push(d, (uint8_t)((d->remote ? 0x40 : 0) | (d->reporting ? 0x20 : 0) | (d->scale21 ? 0x10 : 0) |
                          ((d->buttons & 4) ? 0x04 : 0) | ((d->buttons & 1) ? 0x02 : 0) |
                          ((d->buttons & 2) ? 0x01 : 0)));
        push(d, d->resolution);
        push(d, d->sample_rate);
        break;
    case 0xEA:
        d->remote = false;
        d->dx = d->dy = d->dz = 0;
        push(d, PS2_ACK);
        break;
    case 0xEB:
        push(d, PS2_ACK);
        mouse_packet(d);
        break;
    case 0xEC:
        d->wrap = false;
        push(d, PS2_ACK);
        break;
    case 0xEE:
        d->wrap = true;
        d->dx = d->dy = d->dz = 0;
        push(d, PS2_ACK);
        break;
    case 0xF0:
        d->remote = true;
        d->dx = d->dy = d->dz = 0;
        push(d, PS2_ACK);
        break;
    case 0xF2:
        push(d, PS2_ACK);
        push(d, d->id);
        break;
    case 0xF4:
        d->reporting = true;
        d->dx = d->dy = d->dz = 0;
        push(d, PS2_ACK);
        break;
    case 0xF5:
        d->reporting = false;
        push(d, PS2_ACK);
        break;
    case 0xF6:
        mouse_defaults(d);
        push(d, PS2_ACK);
        break;
    case 0xFE:
        push(d, d->last_sent);
        break;
    case 0xFF:
        ps2_reset(d);
        push(d, PS2_ACK);
        push(d, PS2_BAT_OK);
        push(d, 0x00);
        break;
    default:
        push(d, PS2_RESEND);
        break;
    }
}

void ps2_write(PS2Device *d, uint8_t b)
{
    /* No parameter is that large (LEDs, sets, rates, resolutions all are
     * below 0xE6): such a byte is a new command, the old one abandoned. */
    if (d->pending && b < 0xE6) {
        uint8_t cmd = d->pending;
        d->pending = 0;
        if (d->kind == PS2_KEYBOARD)
            keyboard_parameter(d, cmd, b);
        else
            mouse_parameter(d, cmd, b);
        return;
    }
    d->pending = 0;
    if (d->kind == PS2_KEYBOARD)
        keyboard_command(d, b);
    else
        mouse_command(d, b);
}

/* ---- saved state (softmmu/vmstate.h, docs/vmstate.md) ---- */

static const VMStateField ps2_fields[] = {
    VMS_FIELD(PS2Device, kind),
    VMS_FIELD(PS2Device, queue),
    VMS_FIELD(PS2Device, head),
    VMS_FIELD(PS2Device, count),
    VMS_FIELD(PS2Device, last_sent),
    VMS_FIELD(PS2Device, pending),
    VMS_FIELD(PS2Device, scanning),
    VMS_FIELD(PS2Device, leds),
    VMS_FIELD(PS2Device, scancode_set),
    VMS_FIELD(PS2Device, typematic),
    VMS_FIELD(PS2Device, reporting),
    VMS_FIELD(PS2Device, remote),
    VMS_FIELD(PS2Device, wrap),
    VMS_FIELD(PS2Device, scale21),
    VMS_FIELD(PS2Device, resolution),
    VMS_FIELD(PS2Device, sample_rate),
    VMS_FIELD(PS2Device, id),
    VMS_FIELD(PS2Device, rates),
    VMS_FIELD(PS2Device, buttons),
    VMS_FIELD(PS2Device, dx),
    VMS_FIELD(PS2Device, dy),
    VMS_FIELD(PS2Device, dz),
    VMS_END
};

static const VMStateDescription ps2_keyboard_vmsd = { .name = "ps2-keyboard", .version = 1, .fields = ps2_fields };
static const VMStateDescription ps2_mouse_vmsd = { .name = "ps2-mouse", .version = 1, .fields = ps2_fields };

void ps2_vmstate_register(PS2Device *d, uint64_t id)
{
    vmstate_register(d->kind == PS2_KEYBOARD ? &ps2_keyboard_vmsd : &ps2_mouse_vmsd, id, d);
}
