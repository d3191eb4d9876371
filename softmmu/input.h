/*
 * input.h — keyboard input from the host side (the monitor's sendkey;
 * later a display window) to the board's keyboard, by QEMU's key names
 * ("a", "ret", "ctrl", "alt", "delete", "f1", ...).
 *
 * The board registers its keyboard as a sink of PS/2 scan code set 2
 * bytes (hw-versatile: the KMI0 keyboard, ps2_keyboard_scancode).
 */
#ifndef VEMU_SOFTMMU_INPUT_H
#define VEMU_SOFTMMU_INPUT_H

#include <stdbool.h>
#include <stdint.h>

/* The keyboard (one; NULL sink: none).  Called with the machine lock held. */
void input_register_keyboard(void (*scancode)(void *opaque, const uint8_t *bytes, int n), void *opaque);
bool input_have_keyboard(void);

/* A key's set-2 make code: 1 or 2 bytes (0xE0 prefix for the extended
 * keys) in code[]; 0 when the name is not a key vemu knows. */
int input_key_code(const char *name, uint8_t code[2]);

/* Press the keys of "ctrl-alt-delete" in order, then release them in
 * reverse, as QEMU's sendkey does.  0, or -1 with the unknown name in
 * *bad (a pointer into keys, its length in *bad_len). */
int input_send_keys(const char *keys, const char **bad, int *bad_len);

/* One key pressed or released, by its set-2 make code (1 or 2 bytes, as
 * input_key_code gives it): the window's and VNC's keys.  Machine lock
 * held. */
void input_key_event(const uint8_t code[2], int len, bool down);

/* The mouse (one; NULL sink: none): relative motion (dy positive down, as
 * windows count it; the sink turns it round for PS/2), wheel steps (dz
 * positive towards the user) and buttons (bit 0 left, 1 right, 2
 * middle).  Called with the machine lock held. */
void input_register_mouse(void (*event)(void *opaque, int dx, int dy, int dz, unsigned buttons), void *opaque);
bool input_have_mouse(void);
void input_mouse_event(int dx, int dy, int dz, unsigned buttons);

/* Host key codes to set-2 make codes (input_keymap.c): a USB HID usage
 * (what SDL's scancodes are) and an X keysym (what VNC clients send,
 * US layout: shifted symbols map to their unshifted key).  The length
 * (1 or 2), or 0 for a key vemu does not know. */
int input_hid_to_set2(unsigned usage, uint8_t code[2]);
int input_keysym_to_set2(uint32_t keysym, uint8_t code[2]);

#endif
