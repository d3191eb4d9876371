/*
 * input-keymap.c — host key codes to the keyboard's set-2 codes
 * (input.h), through QEMU's key names (input.c's table):
 *   - USB HID usages (keyboard page 0x07), which SDL2's scancodes are:
 *     the position of a key, whatever the host's layout;
 *   - X keysyms, which RFB (VNC) clients send: the symbol, so a shifted
 *     symbol is mapped to the key that gives it on a US keyboard (the
 *     client sends the shift key itself).
 * The facts are the USB HID Usage Tables (section 10, keyboard page) and
 * X11's keysymdef.h values.
 */
#include "softmmu/input.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* HID usage 0x04.. -> name ("" : not a key vemu has) */
static const char *const hid_names[] = {
    [0x04] = "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o", "p", "q", "r", "s", "t",
    "u", "v", "w", "x", "y", "z",
    [0x1E] = "1", "2", "3", "4", "5", "6", "7", "8", "9", "0",
    [0x28] = "ret", "esc", "backspace", "tab", "spc", "minus", "equal", "bracket_left", "bracket_right",
    "backslash", "backslash", "semicolon", "apostrophe", "grave_accent", "comma", "dot", "slash", "caps_lock",
    [0x3A] = "f1", "f2", "f3", "f4", "f5", "f6", "f7", "f8", "f9", "f10", "f11", "f12",
    [0x47] = "scroll_lock",
    [0x49] = "insert", "home", "pgup", "delete", "end", "pgdn", "right", "left", "down", "up", "num_lock",
    "kp_divide", "kp_multiply", "kp_subtract", "kp_add", "kp_enter", "kp_1", "kp_2", "kp_3", "kp_4", "kp_5",
    "kp_6", "kp_7", "kp_8", "kp_9", "kp_0", "kp_decimal", "less", "menu",
    [0xE0] = "ctrl", "shift", "alt", "meta_l", "ctrl_r", "shift_r", "alt_r", "meta_r",
};

int input_hid_to_set2(unsigned usage, uint8_t code[2])
{
    if (usage >= sizeof(hid_names) / sizeof(hid_names[0]) || !hid_names[usage])
        return 0;
    return input_key_code(hid_names[usage], code);
}

/* printable ASCII keysyms (0x20..0x7E) on a US keyboard */
static const char *ascii_key(unsigned ch)
{
    static const char shifted[] = "!@#$%^&*()";
    static const char *const digit_of[] = { "1", "2", "3", "4", "5", "6", "7", "8", "9", "0" };
    static const struct {
        const char *chars, *name;
    } sym[] = {
        { " ", "spc" },        { "-_", "minus" },     { "=+", "equal" },     { "[{", "bracket_left" },
        { "]}", "bracket_right" }, { ";:", "semicolon" }, { "'\"", "apostrophe" }, { "`~", "grave_accent" },
        { "\\|", "backslash" }, { ",<", "comma" },    { ".>", "dot" },       { "/?", "slash" },
    };
    static char one[2];
    if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')) {
        one[0] = (char)ch;
        one[1] = 0;
        return one;
    }
    if (ch >= 'A' && ch <= 'Z') {
        one[0] = (char)(ch - 'A' + 'a');
        one[1] = 0;
        return one;
    }
    const char *p = ch ? strchr(shifted, (int)ch) : NULL;
    if (p)
        return digit_of[p - shifted];
    for (size_t i = 0; i < sizeof(sym) / sizeof(sym[0]); i++)
        if (strchr(sym[i].chars, (int)ch))
            return sym[i].name;
    return NULL;
}

static const struct {
    uint32_t keysym;
    const char *name;
} special[] = {
    { 0xff08, "backspace" }, { 0xff09, "tab" },      { 0xff0d, "ret" },        { 0xff1b, "esc" },
    { 0xffff, "delete" },    { 0xff50, "home" },     { 0xff51, "left" },       { 0xff52, "up" },
    { 0xff53, "right" },     { 0xff54, "down" },     { 0xff55, "pgup" },       { 0xff56, "pgdn" },
    { 0xff57, "end" },       { 0xff63, "insert" },   { 0xff67, "menu" },       { 0xff7f, "num_lock" },
    { 0xff14, "scroll_lock" }, { 0xffe1, "shift" },  { 0xffe2, "shift_r" },    { 0xffe3, "ctrl" },
    { 0xffe4, "ctrl_r" },    { 0xffe5, "caps_lock" }, { 0xffe7, "meta_l" },    { 0xffe8, "meta_r" },
    { 0xffe9, "alt" },       { 0xffea, "alt_r" },    { 0xffeb, "meta_l" },     { 0xffec, "meta_r" },
    { 0xfe03, "alt_r" },     { 0xff8d, "kp_enter" }, { 0xffaa, "kp_multiply" }, { 0xffab, "kp_add" },
    { 0xffad, "kp_subtract" }, { 0xffae, "kp_decimal" }, { 0xffaf, "kp_divide" },
};

int input_keysym_to_set2(uint32_t keysym, uint8_t code[2])
{
    const char *name = NULL;
    char buf[8];
    if (keysym >= 0x20 && keysym <= 0x7e) {
        name = ascii_key(keysym);
    } else if (keysym >= 0xffbe && keysym <= 0xffc9) {          /* F1..F12 */
        snprintf(buf, sizeof(buf), "f%u", (unsigned)(keysym - 0xffbe + 1));
        name = buf;
    } else if (keysym >= 0xffb0 && keysym <= 0xffb9) {          /* KP_0..KP_9 */
        snprintf(buf, sizeof(buf), "kp_%u", (unsigned)(keysym - 0xffb0));
        name = buf;
    } else {
        for (size_t i = 0; i < sizeof(special) / sizeof(special[0]); i++)
            if (special[i].keysym == keysym)
                name = special[i].name;
    }
    return name ? input_key_code(name, code) : 0;
}
