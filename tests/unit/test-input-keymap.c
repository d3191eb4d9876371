/* Unit tests for softmmu/input-keymap.c and input.c's key events: USB
 * HID usages (SDL scancodes) and X keysyms (VNC) to PS/2 scan code set 2,
 * and the make/break bytes the keyboard sink gets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "softmmu/input.h"

static uint8_t got[64];
static int ngot;

static void sink(void *opaque, const uint8_t *bytes, int n)
{
    (void)opaque;
    memcpy(got + ngot, bytes, (size_t)n);
    ngot += n;
}

static void test_hid_usages(void **state)
{
    uint8_t c[2];
    assert_int_equal(input_hid_to_set2(0x04, c), 1);   /* a */
    assert_int_equal(c[0], 0x1c);
    assert_int_equal(input_hid_to_set2(0x27, c), 1);   /* 0 */
    assert_int_equal(c[0], 0x45);
    assert_int_equal(input_hid_to_set2(0x28, c), 1);   /* Return */
    assert_int_equal(c[0], 0x5a);
    assert_int_equal(input_hid_to_set2(0x3a, c), 1);   /* F1 */
    assert_int_equal(c[0], 0x05);
    assert_int_equal(input_hid_to_set2(0x52, c), 2);   /* Up: E0 75 */
    assert_int_equal(c[0], 0xe0);
    assert_int_equal(c[1], 0x75);
    assert_int_equal(input_hid_to_set2(0xe4, c), 2);   /* right Ctrl: E0 14 */
    assert_int_equal(c[1], 0x14);
    assert_int_equal(input_hid_to_set2(0xe1, c), 1);   /* left Shift */
    assert_int_equal(c[0], 0x12);
    assert_int_equal(input_hid_to_set2(0x64, c), 1);   /* the ISO key left of Z */
    assert_int_equal(c[0], 0x61);
    assert_int_equal(input_hid_to_set2(0x00, c), 0);
    assert_int_equal(input_hid_to_set2(0x46, c), 0);   /* PrintScreen: not a key vemu has */
    assert_int_equal(input_hid_to_set2(0x1000, c), 0);
}

static void test_keysyms(void **state)
{
    uint8_t c[2];
    assert_int_equal(input_keysym_to_set2('a', c), 1);
    assert_int_equal(c[0], 0x1c);
    assert_int_equal(input_keysym_to_set2('A', c), 1);   /* the same key, shift is the client's */
    assert_int_equal(c[0], 0x1c);
    assert_int_equal(input_keysym_to_set2('!', c), 1);   /* shift-1 on a US keyboard */
    assert_int_equal(c[0], 0x16);
    assert_int_equal(input_keysym_to_set2('?', c), 1);
    assert_int_equal(c[0], 0x4a);
    assert_int_equal(input_keysym_to_set2(' ', c), 1);
    assert_int_equal(c[0], 0x29);
    assert_int_equal(input_keysym_to_set2(0xff0d, c), 1);   /* Return */
    assert_int_equal(c[0], 0x5a);
    assert_int_equal(input_keysym_to_set2(0xffc9, c), 1);   /* F12 */
    assert_int_equal(c[0], 0x07);
    assert_int_equal(input_keysym_to_set2(0xffff, c), 2);   /* Delete: E0 71 */
    assert_int_equal(c[1], 0x71);
    assert_int_equal(input_keysym_to_set2(0xffb5, c), 1);   /* KP_5 */
    assert_int_equal(c[0], 0x73);
    assert_int_equal(input_keysym_to_set2(0x20ac, c), 0);   /* EuroSign: none */
}

static void test_key_events(void **state)
{
    input_register_keyboard(sink, NULL);
    ngot = 0;
    uint8_t a[2] = { 0x1c }, up[2] = { 0xe0, 0x75 };
    input_key_event(a, 1, true);
    input_key_event(a, 1, false);
    input_key_event(up, 2, true);
    input_key_event(up, 2, false);
    static const uint8_t want[] = { 0x1c, 0xf0, 0x1c, 0xe0, 0x75, 0xe0, 0xf0, 0x75 };
    assert_int_equal(ngot, sizeof(want));
    assert_memory_equal(got, want, sizeof(want));
    input_register_keyboard(NULL, NULL);
    input_key_event(a, 1, true);   /* no keyboard: dropped */
    assert_int_equal(ngot, sizeof(want));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hid_usages),
        cmocka_unit_test(test_keysyms),
        cmocka_unit_test(test_key_events),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
