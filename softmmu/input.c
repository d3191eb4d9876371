/*
 * input.c — host keys to the board's keyboard (input.h): QEMU's key names
 * and their PS/2 scan code set 2 make codes (the break code is 0xF0 before
 * the last byte).  The codes are the PS/2 keyboard's, from its set-2
 * table.
 */
#include "softmmu/input.h"

#include <string.h>

static void (*kbd_sink)(void *opaque, const uint8_t *bytes, int n);
static void *kbd_opaque;

void input_register_keyboard(void (*scancode)(void *opaque, const uint8_t *bytes, int n), void *opaque)
{
    kbd_sink = scancode;
    kbd_opaque = opaque;
}

bool input_have_keyboard(void)
{
    return kbd_sink != NULL;
}

void input_key_event(const uint8_t code[2], int len, bool down)
{
    if (!kbd_sink || len < 1 || len > 2)
        return;
    uint8_t bytes[3];
    int n = 0;
    if (len == 2)
        bytes[n++] = code[0];
    if (!down)
        bytes[n++] = 0xf0;
    bytes[n++] = code[len - 1];
    kbd_sink(kbd_opaque, bytes, n);
}

static void (*mouse_sink)(void *opaque, int dx, int dy, int dz, unsigned buttons);
static void *mouse_opaque;

void input_register_mouse(void (*event)(void *opaque, int dx, int dy, int dz, unsigned buttons), void *opaque)
{
    mouse_sink = event;
    mouse_opaque = opaque;
}

bool input_have_mouse(void)
{
    return mouse_sink != NULL;
}

void input_mouse_event(int dx, int dy, int dz, unsigned buttons)
{
    if (mouse_sink)
        mouse_sink(mouse_opaque, dx, dy, dz, buttons);
}

#define EXT 0x100   /* an 0xE0-prefixed key */

static const struct {
    const char *name;
    uint16_t code;
} keys[] = {
    { "a", 0x1c }, { "b", 0x32 }, { "c", 0x21 }, { "d", 0x23 }, { "e", 0x24 }, { "f", 0x2b },
    { "g", 0x34 }, { "h", 0x33 }, { "i", 0x43 }, { "j", 0x3b }, { "k", 0x42 }, { "l", 0x4b },
    { "m", 0x3a }, { "n", 0x31 }, { "o", 0x44 }, { "p", 0x4d }, { "q", 0x15 }, { "r", 0x2d },
    { "s", 0x1b }, { "t", 0x2c }, { "u", 0x3c }, { "v", 0x2a }, { "w", 0x1d }, { "x", 0x22 },
    { "y", 0x35 }, { "z", 0x1a },
    { "1", 0x16 }, { "2", 0x1e }, { "3", 0x26 }, { "4", 0x25 }, { "5", 0x2e }, { "6", 0x36 },
    { "7", 0x3d }, { "8", 0x3e }, { "9", 0x46 }, { "0", 0x45 },
    { "minus", 0x4e }, { "equal", 0x55 }, { "backspace", 0x66 }, { "tab", 0x0d },
    { "bracket_left", 0x54 }, { "bracket_right", 0x5b }, { "ret", 0x5a }, { "semicolon", 0x4c },
    { "apostrophe", 0x52 }, { "grave_accent", 0x0e }, { "backslash", 0x5d }, { "comma", 0x41 },
    { "dot", 0x49 }, { "slash", 0x4a }, { "spc", 0x29 }, { "esc", 0x76 }, { "caps_lock", 0x58 },
    { "num_lock", 0x77 }, { "scroll_lock", 0x7e },
    { "shift", 0x12 }, { "shift_r", 0x59 }, { "ctrl", 0x14 }, { "ctrl_r", EXT | 0x14 },
    { "alt", 0x11 }, { "alt_r", EXT | 0x11 }, { "meta_l", EXT | 0x1f }, { "meta_r", EXT | 0x27 },
    { "menu", EXT | 0x2f },
    { "f1", 0x05 }, { "f2", 0x06 }, { "f3", 0x04 }, { "f4", 0x0c }, { "f5", 0x03 }, { "f6", 0x0b },
    { "f7", 0x83 }, { "f8", 0x0a }, { "f9", 0x01 }, { "f10", 0x09 }, { "f11", 0x78 }, { "f12", 0x07 },
    { "up", EXT | 0x75 }, { "down", EXT | 0x72 }, { "left", EXT | 0x6b }, { "right", EXT | 0x74 },
    { "home", EXT | 0x6c }, { "end", EXT | 0x69 }, { "pgup", EXT | 0x7d }, { "pgdn", EXT | 0x7a },
    { "insert", EXT | 0x70 }, { "delete", EXT | 0x71 },
    { "kp_divide", EXT | 0x4a }, { "kp_multiply", 0x7c }, { "kp_subtract", 0x7b }, { "kp_add", 0x79 },
    { "kp_enter", EXT | 0x5a }, { "kp_decimal", 0x71 }, { "kp_0", 0x70 }, { "kp_1", 0x69 },
    { "kp_2", 0x72 }, { "kp_3", 0x7a }, { "kp_4", 0x6b }, { "kp_5", 0x73 }, { "kp_6", 0x74 },
    { "kp_7", 0x6c }, { "kp_8", 0x75 }, { "kp_9", 0x7d },
    { "less", 0x61 },
};

static int lookup(const char *name, size_t len, uint8_t code[2])
{
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        if (strlen(keys[i].name) == len && !strncmp(keys[i].name, name, len)) {
            if (keys[i].code & EXT) {
                code[0] = 0xe0;
                code[1] = keys[i].code & 0xff;
                return 2;
            }
            code[0] = keys[i].code & 0xff;
            return 1;
        }
    }
    return 0;
}

int input_key_code(const char *name, uint8_t code[2])
{
    return lookup(name, strlen(name), code);
}

#define MAX_COMBO 16

int input_send_keys(const char *spec, const char **bad, int *bad_len)
{
    uint8_t codes[MAX_COMBO][2];
    int lens[MAX_COMBO], n = 0;
    for (const char *p = spec; *p;) {
        /* "-" alone is not a key name; names are split at '-' */
        size_t len = strcspn(p, "-");
        int l = len ? lookup(p, len, codes[n]) : 0;
        if (!l || n == MAX_COMBO) {
            *bad = p;
            *bad_len = (int)len;
            return -1;
        }
        lens[n++] = l;
        p += len;
        if (*p == '-')
            p++;
    }
    if (!n) {
        *bad = spec;
        *bad_len = 0;
        return -1;
    }
    if (!kbd_sink)
        return 0;
    for (int i = 0; i < n; i++)
        kbd_sink(kbd_opaque, codes[i], lens[i]);
    for (int i = n - 1; i >= 0; i--) {
        uint8_t brk[3];
        int b = 0;
        if (lens[i] == 2)
            brk[b++] = codes[i][0];
        brk[b++] = 0xf0;
        brk[b++] = codes[i][lens[i] - 1];
        kbd_sink(kbd_opaque, brk, b);
    }
    return 0;
}
