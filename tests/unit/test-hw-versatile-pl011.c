/* Unit tests for the PL011 UART (ARM DDI 0183) on a chardev pair: the
 * UART's chardev is a unix socket server and the test is its client, so
 * bytes typed at the "terminal" reach the receive FIFO through the event
 * loop (driven here by main_loop_poll_once).  Covered: IDs and reset
 * values, the 1-byte holding register and the 16-byte FIFO (LCR_H.FEN),
 * flags, input held back while the FIFO is full and taken when it drains,
 * RX/RT/TX interrupts with mask, raw, masked and clear, loopback, and the
 * registers stored as written. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "hw-versatile/devices.h"
#include "softmmu/chardev-internal.h"
#include "softmmu/chardev.h"
#include "softmmu/main-loop.h"
#include "tests/unit/softmmu-test-rig.h"

#define UART 0x101F1000u
#define DR    (UART + 0x000)
#define RSR   (UART + 0x004)
#define FR    (UART + 0x018)
#define ILPR  (UART + 0x020)
#define IBRD  (UART + 0x024)
#define FBRD  (UART + 0x028)
#define LCR_H (UART + 0x02C)
#define CR    (UART + 0x030)
#define IFLS  (UART + 0x034)
#define IMSC  (UART + 0x038)
#define RIS   (UART + 0x03C)
#define MIS   (UART + 0x040)
#define ICR   (UART + 0x044)
#define DMACR (UART + 0x048)

#define FR_RXFE 0x10
#define FR_TXFF 0x20
#define FR_RXFF 0x40
#define FR_TXFE 0x80
#define INT_RX 0x10
#define INT_TX 0x20
#define INT_RT 0x40
#define FEN 0x10

#define PUMP_UNTIL(cond)                                         \
    do {                                                         \
        for (int pump_i = 0; pump_i < 1000 && !(cond); pump_i++) \
            main_loop_poll_once(10 * 1000 * 1000);               \
        assert_true(cond);                                       \
    } while (0)

static char dir[64], path[128];
static Chardev *chr;
static PL011 *uart;
static int client;

static int setup(void **state)
{
    rig_clear();
    rig_irq_clear();
    strcpy(dir, "/tmp/vemu-pl011-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/uart", dir);
    char spec[160], *err = NULL;
    snprintf(spec, sizeof spec, "unix:%s,server,nowait", path);
    chr = chardev_open(spec, "serial0", &err);
    assert_non_null(chr);
    uart = pl011_new(NULL, UART, rig_irq_line(12), chr);
    client = socket(AF_UNIX, SOCK_STREAM, 0);
    struct sockaddr_un a = { .sun_family = AF_UNIX };
    strcpy(a.sun_path, path);
    assert_int_equal(connect(client, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = { .tv_sec = 10 };
    setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    PUMP_UNTIL(chr->in_fd >= 0);   /* the server has accepted the client */
    return 0;
}

static int teardown(void **state)
{
    close(client);
    pl011_free(uart);
    chardev_close(chr);
    rmdir(dir);
    return 0;
}

static void type(const char *s)
{
    assert_int_equal(send(client, s, strlen(s), 0), (ssize_t)strlen(s));
}

/* Let the loop deliver whatever it can (no condition to wait for). */
static void settle(void)
{
    for (int i = 0; i < 5; i++)
        main_loop_poll_once(2 * 1000 * 1000);
}

static void test_pl011_ids_and_reset_values(void **state)
{
    static const uint32_t ids[8] = { 0x11, 0x10, 0x04, 0x00, 0x0D, 0xF0, 0x05, 0xB1 };
    for (int i = 0; i < 8; i++)
        assert_int_equal(rd(UART + 0xFE0 + 4 * i), ids[i]);
    assert_int_equal(rd(FR), FR_RXFE | FR_TXFE);
    assert_int_equal(rd(CR), 0x300);
    assert_int_equal(rd(IFLS), 0x12);
    assert_int_equal(rd(IMSC), 0);
    assert_int_equal(rd(RIS), 0);
    assert_int_equal(rd(RSR), 0);
}

static void test_pl011_registers_stored(void **state)
{
    wr(IBRD, 0x10027);
    assert_int_equal(rd(IBRD), 0x0027);
    wr(FBRD, 0xFF);
    assert_int_equal(rd(FBRD), 0x3F);
    wr(LCR_H, 0x70);
    assert_int_equal(rd(LCR_H), 0x70);
    wr(ILPR, 0x1FF);
    assert_int_equal(rd(ILPR), 0xFF);
    wr(CR, 0x301);
    assert_int_equal(rd(CR), 0x301);
    wr(DMACR, 0xFF);
    assert_int_equal(rd(DMACR), 0x7);
    device_reset_all();
    assert_int_equal(rd(IBRD), 0);
    assert_int_equal(rd(LCR_H), 0);
    assert_int_equal(rd(CR), 0x300);
}

static void test_pl011_transmit(void **state)
{
    wr(DR, 'h');
    wr(DR, 'i');
    wr(DR, 0x100 | '!');                            /* only 8 data bits go out */
    char buf[3];
    assert_int_equal(recv(client, buf, 3, MSG_WAITALL), 3);
    assert_memory_equal(buf, "hi!", 3);
    assert_int_equal(rd(FR) & (FR_TXFE | FR_TXFF), FR_TXFE);
    /* TX interrupt: raw set by the drained FIFO, masked by IMSC */
    assert_int_equal(rd(RIS) & INT_TX, INT_TX);
    assert_int_equal(rd(MIS), 0);
    assert_int_equal(rig_irq[12], 0);
    wr(IMSC, INT_TX);
    assert_int_equal(rd(MIS), INT_TX);
    assert_int_equal(rig_irq[12], 1);
    wr(ICR, INT_TX);
    assert_int_equal(rd(RIS) & INT_TX, 0);
    assert_int_equal(rig_irq[12], 0);
    wr(DR, '\n');
    assert_int_equal(rig_irq[12], 1);
}

static void test_pl011_holding_register_without_fifo(void **state)
{
    wr(IMSC, INT_RX | INT_RT);
    type("abc");
    PUMP_UNTIL((rd(FR) & FR_RXFE) == 0);
    settle();
    /* FEN clear: one byte at a time */
    assert_int_equal(rd(FR) & (FR_RXFE | FR_RXFF), FR_RXFF);
    assert_int_equal(rd(RIS) & INT_RX, INT_RX);
    assert_int_equal(rig_irq[12], 1);
    assert_int_equal(rd(DR), 'a');
    assert_int_equal(rd(FR) & FR_RXFE, FR_RXFE);
    assert_int_equal(rd(RIS) & (INT_RX | INT_RT), 0);
    assert_int_equal(rig_irq[12], 0);
    /* reading made room: the chardev hands over the next byte */
    PUMP_UNTIL((rd(FR) & FR_RXFE) == 0);
    assert_int_equal(rd(DR), 'b');
    PUMP_UNTIL((rd(FR) & FR_RXFE) == 0);
    assert_int_equal(rd(DR), 'c');
    settle();
    assert_int_equal(rd(FR) & FR_RXFE, FR_RXFE);
    assert_int_equal(rd(DR), 0);                    /* empty reads 0 */
}

static void test_pl011_fifo_trigger_and_timeout(void **state)
{
    wr(LCR_H, FEN | 0x60);                          /* 8N1, FIFO on */
    wr(IFLS, 2 << 3);                               /* RX at 1/2: 8 bytes */
    wr(IMSC, INT_RX | INT_RT);

    type("12345");                                  /* below the trigger */
    PUMP_UNTIL((rd(RIS) & INT_RT) != 0);
    settle();
    assert_int_equal(rd(RIS) & INT_RX, 0);
    assert_int_equal(rd(RIS) & INT_RT, INT_RT);     /* the timeout stands for them */
    assert_int_equal(rd(MIS), INT_RT);
    assert_int_equal(rig_irq[12], 1);
    wr(ICR, INT_RT);
    assert_int_equal(rig_irq[12], 0);

    type("6789ABCDEFGHIJKLMNOP");                   /* 25 in all: 16 fit */
    PUMP_UNTIL((rd(FR) & FR_RXFF) != 0);
    settle();
    assert_int_equal(rd(RIS) & INT_RX, INT_RX);
    assert_int_equal(rig_irq[12], 1);
    char got[32] = { 0 };
    for (int i = 0; i < 9; i++)
        got[i] = (char)rd(DR);
    /* 7 left: below 8, so RX drops; RT says bytes are still waiting */
    assert_int_equal(rd(RIS) & INT_RX, 0);
    assert_int_equal(rd(RIS) & INT_RT, INT_RT);
    /* the chardev refills the FIFO as it drains */
    PUMP_UNTIL((rd(FR) & FR_RXFF) != 0);
    int n = 9;
    while (n < 25) {
        if (rd(FR) & FR_RXFE) {
            main_loop_poll_once(10 * 1000 * 1000);
            continue;
        }
        got[n++] = (char)rd(DR);
    }
    assert_string_equal(got, "123456789ABCDEFGHIJKLMNOP");
    assert_int_equal(rd(RIS) & (INT_RX | INT_RT), 0);
    assert_int_equal(rig_irq[12], 0);
}

static void test_pl011_fen_change_empties_fifo(void **state)
{
    wr(LCR_H, FEN);
    type("xy");
    PUMP_UNTIL((rd(FR) & FR_RXFE) == 0);
    settle();
    wr(LCR_H, 0);                                   /* FIFO off: flushed */
    assert_int_equal(rd(FR) & FR_RXFE, FR_RXFE);
    assert_int_equal(rd(RIS) & (INT_RX | INT_RT), 0);
}

static void test_pl011_loopback(void **state)
{
    wr(LCR_H, FEN);
    wr(CR, 0x381);                                  /* UARTEN, TXE, RXE, LBE */
    wr(DR, 'L');
    wr(DR, 'B');
    assert_int_equal(rd(FR) & FR_RXFE, 0);
    assert_int_equal(rd(DR), 'L');
    assert_int_equal(rd(DR), 'B');
    /* nothing went to the chardev */
    wr(CR, 0x301);
    wr(DR, 'z');
    char c;
    assert_int_equal(recv(client, &c, 1, 0), 1);
    assert_int_equal(c, 'z');
}

static void test_pl011_without_chardev(void **state)
{
    PL011 *u = pl011_new(NULL, 0x101F3000, rig_irq_line(14), NULL);
    wr(0x101F3000, 'q');                            /* discarded */
    assert_int_equal(rd(0x101F3000 + 0x018), FR_RXFE | FR_TXFE);
    assert_int_equal(rd_size(0x101F3000 + 0xFE0, 1), 0x11);
    pl011_free(u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pl011_ids_and_reset_values, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl011_registers_stored, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl011_transmit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl011_holding_register_without_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl011_fifo_trigger_and_timeout, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl011_fen_change_empties_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl011_loopback, setup, teardown),
        cmocka_unit_test_setup_teardown(test_pl011_without_chardev, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
