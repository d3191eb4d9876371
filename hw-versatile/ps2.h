/*
 * ps2.h — a PS/2 keyboard or mouse, the device at the far end of a KMI
 * port (pl050.c).  The port sends it bytes (commands and their
 * parameters, ps2_write) and takes the bytes it answers or reports, one at
 * a time (ps2_read).  Device-to-host bytes wait in a queue; the port is
 * told when the queue goes from empty to non-empty (ps2_set_notify), so
 * input that arrives on its own (a key press) reaches it.
 *
 * The input side (ps2_keyboard_scancode, ps2_mouse_event) is what a
 * display window will feed (issue 15); the keyboard reports set-2
 * scancodes as given, the mouse builds standard 3-byte packets (4 bytes
 * once the guest has switched it to IntelliMouse mode).
 */
#ifndef VEMU_HW_VERSATILE_PS2_H
#define VEMU_HW_VERSATILE_PS2_H

#include <stdbool.h>
#include <stdint.h>

typedef struct PS2Device PS2Device;

PS2Device *ps2_keyboard_new(void);
PS2Device *ps2_mouse_new(void);
void ps2_free(PS2Device *dev);
/* Its state in savevm (softmmu/vmstate.h), as instance id of its port. */
void ps2_vmstate_register(PS2Device *dev, uint64_t id);

/* Power-on state: as after a reset command, nothing queued, no BAT sent. */
void ps2_reset(PS2Device *dev);

/* A byte from the host (a command, or the parameter of the last one). */
void ps2_write(PS2Device *dev, uint8_t byte);
/* Whether a device-to-host byte is waiting, and taking it (0 if none). */
bool ps2_has_data(const PS2Device *dev);
uint8_t ps2_read(PS2Device *dev);
/* fn(opaque) runs when a byte is queued while the queue was empty. */
void ps2_set_notify(PS2Device *dev, void (*fn)(void *opaque), void *opaque);

/* Keyboard input: the set-2 scancode bytes of one key event (e.g. 0x1C
 * for 'A' pressed, 0xF0 0x1C released); dropped while scanning is
 * disabled (after 0xF5, until 0xF4). */
void ps2_keyboard_scancode(PS2Device *dev, const uint8_t *bytes, int n);
/* Mouse input: relative motion (dy positive up, as PS/2 counts it),
 * wheel (dz) and buttons (bit 0 left, 1 right, 2 middle); reported in
 * stream mode while reporting is enabled (0xF4), accumulated for 0xEB
 * (read data) otherwise. */
void ps2_mouse_event(PS2Device *dev, int dx, int dy, int dz, unsigned buttons);

#endif
