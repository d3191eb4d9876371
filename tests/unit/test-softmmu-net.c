/* Unit tests for the NetClient layer (softmmu/net.c): delivery to the
 * peer, the sender's queue while the receiver refuses (order kept, new
 * frames behind waiting ones, the queue's limit), no peer, oversized
 * frames, unlinking on free, and `info network`'s lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "softmmu/net.h"

static bool open_;
static int got[1024];
static int n_got;

static bool rx_can(NetClient *nc) { (void)nc; return open_; }
static bool rx(NetClient *nc, const uint8_t *buf, size_t len)
{
    (void)nc;
    assert_true(len >= 1);
    got[n_got++] = buf[0] | (int)(len << 8);
    return true;
}
static void rx_describe(NetClient *nc, char *buf, size_t size)
{
    (void)nc;
    snprintf(buf, size, "type=nic,model=test");
}
static const NetClientOps nic_ops = { .kind = "nic", .can_receive = rx_can, .receive = rx,
                                      .describe = rx_describe };
static const NetClientOps be_ops = { .kind = "user", .receive = rx };

static NetClient *nic, *be;

static int setup(void **state)
{
    open_ = true;
    n_got = 0;
    nic = net_client_new(&nic_ops, "nic.0", NULL);
    be = net_client_new(&be_ops, "be.0", NULL);
    net_connect(nic, be);
    return 0;
}

static int teardown(void **state)
{
    net_client_free(nic);
    net_client_free(be);
    return 0;
}

static void test_net_delivers_to_peer(void **state)
{
    uint8_t f[60] = { 7 };
    assert_true(net_send(be, f, 60));
    assert_true(net_send(nic, f, 20));
    assert_int_equal(n_got, 2);
    assert_int_equal(got[0], 7 | 60 << 8);
    assert_int_equal(got[1], 7 | 20 << 8);
}

static void test_net_queues_in_order_while_refused(void **state)
{
    open_ = false;
    uint8_t f[64];
    for (int i = 0; i < 5; i++) {
        f[0] = (uint8_t)i;
        assert_true(net_send(be, f, 64));
    }
    assert_int_equal(n_got, 0);
    assert_int_equal(be->queued, 5);
    open_ = true;
    f[0] = 99;
    assert_true(net_send(be, f, 64));     /* behind the waiting ones */
    assert_int_equal(n_got, 0);
    net_flush(nic);
    assert_int_equal(n_got, 6);
    for (int i = 0; i < 5; i++)
        assert_int_equal(got[i] & 0xFF, i);
    assert_int_equal(got[5] & 0xFF, 99);
    assert_int_equal(be->queued, 0);
}

static void test_net_queue_limit_drops(void **state)
{
    open_ = false;
    uint8_t f[64] = { 0 };
    for (int i = 0; i < NET_MAX_QUEUED; i++)
        assert_true(net_send(be, f, 64));
    assert_false(net_send(be, f, 64));
    assert_int_equal(be->queued, NET_MAX_QUEUED);
}

static void test_net_no_peer_and_oversized(void **state)
{
    uint8_t f[2048] = { 0 };
    assert_false(net_send(nic, f, NET_MAX_FRAME + 5));
    net_client_free(be);
    be = NULL;
    assert_null(nic->peer);
    assert_false(net_send(nic, f, 64));
    net_flush(nic);                        /* nothing to flush: no crash */
}

static char info[8][256];
static int n_info;
static void info_line(void *opaque, const char *text)
{
    (void)opaque;
    snprintf(info[n_info++], sizeof info[0], "%s", text);
}

static void test_net_info_lines(void **state)
{
    n_info = 0;
    net_info(info_line, NULL);
    assert_int_equal(n_info, 2);
    assert_string_equal(info[0], "nic.0: index=0,type=nic,model=test");
    assert_string_equal(info[1], " \\ be.0: index=0,type=user");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_net_delivers_to_peer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_net_queues_in_order_while_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_net_queue_limit_drops, setup, teardown),
        cmocka_unit_test_setup_teardown(test_net_no_peer_and_oversized, setup, teardown),
        cmocka_unit_test_setup_teardown(test_net_info_lines, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
