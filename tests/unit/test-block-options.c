/* Unit tests for the block layer's option lists and sizes: suffixes,
 * fractions, overflow, malformed sizes; "-o a=b,c=d" with ",," escapes,
 * replacement of a repeated key, validation against a driver's table with
 * qemu-img's messages; qemu-img's size display (3 significant digits, the
 * next unit from 1000 of the smaller one). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "block/block.h"
#include "block/options.h"

static void test_parse_size_suffixes(void **state)
{
    uint64_t v;
    assert_int_equal(parse_size("0", 1, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(parse_size("512", 1, &v), 0);
    assert_int_equal(v, 512);
    assert_int_equal(parse_size("4k", 1, &v), 0);
    assert_int_equal(v, 4096);
    assert_int_equal(parse_size("4K", 1, &v), 0);
    assert_int_equal(v, 4096);
    assert_int_equal(parse_size("64M", 1, &v), 0);
    assert_int_equal(v, 64ull << 20);
    assert_int_equal(parse_size("3G", 1, &v), 0);
    assert_int_equal(v, 3ull << 30);
    assert_int_equal(parse_size("2T", 1, &v), 0);
    assert_int_equal(v, 2ull << 40);
    assert_int_equal(parse_size("1P", 1, &v), 0);
    assert_int_equal(v, 1ull << 50);
    assert_int_equal(parse_size("7E", 1, &v), 0);
    assert_int_equal(v, 7ull << 60);
    assert_int_equal(parse_size("100b", 1, &v), 0);
    assert_int_equal(v, 100);
    assert_int_equal(parse_size("1.5G", 1, &v), 0);
    assert_int_equal(v, 1610612736ull);
    assert_int_equal(parse_size("0.5k", 1, &v), 0);
    assert_int_equal(v, 512);
    /* a bare number with a default unit */
    assert_int_equal(parse_size("2", 1024, &v), 0);
    assert_int_equal(v, 2048);
}

static void test_parse_size_errors(void **state)
{
    uint64_t v = 77;
    assert_int_equal(parse_size("", 1, &v), -EINVAL);
    assert_int_equal(parse_size("-5", 1, &v), -EINVAL);
    assert_int_equal(parse_size("12Q", 1, &v), -EINVAL);
    assert_int_equal(parse_size("1kk", 1, &v), -EINVAL);
    assert_int_equal(parse_size("G", 1, &v), -EINVAL);
    assert_int_equal(parse_size("1.5", 1, &v), -EINVAL);   /* a fraction of a byte */
    assert_int_equal(parse_size("16E", 1, &v), -ERANGE);
    assert_int_equal(parse_size("99999999999999999999", 1, &v), -ERANGE);
    assert_int_equal(v, 77);   /* untouched on error */
}

static void test_format_size(void **state)
{
    char b[32];
    format_size(0, b, sizeof(b));
    assert_string_equal(b, "0 B");
    format_size(512, b, sizeof(b));
    assert_string_equal(b, "512 B");
    format_size(1000, b, sizeof(b));
    assert_string_equal(b, "0.977 KiB");
    format_size(200704, b, sizeof(b));
    assert_string_equal(b, "196 KiB");
    format_size(1ull << 30, b, sizeof(b));
    assert_string_equal(b, "1 GiB");
    format_size(1610612736ull, b, sizeof(b));
    assert_string_equal(b, "1.5 GiB");
    format_size(10485760, b, sizeof(b));
    assert_string_equal(b, "10 MiB");
}

static void test_opts_parse(void **state)
{
    BlockOpts *o = block_opts_new();
    char *err = NULL;
    assert_int_equal(block_opts_parse(o, "cluster_size=4k,compat=0.10", &err), 0);
    assert_string_equal(block_opts_get(o, "cluster_size"), "4k");
    assert_string_equal(block_opts_get(o, "compat"), "0.10");
    /* a comma inside a value is written twice */
    assert_int_equal(block_opts_parse(o, "backing_file=a,,b.qcow2", &err), 0);
    assert_string_equal(block_opts_get(o, "backing_file"), "a,b.qcow2");
    /* a later value replaces an earlier one */
    assert_int_equal(block_opts_parse(o, "compat=1.1", &err), 0);
    assert_string_equal(block_opts_get(o, "compat"), "1.1");
    assert_int_equal(o->n, 3);
    assert_null(block_opts_get(o, "nothere"));
    assert_int_equal(block_opts_parse(o, "help", &err), 0);
    assert_string_equal(block_opts_get(o, "help"), "on");
    assert_int_equal(block_opts_parse(o, "novalue,x=1", &err), -EINVAL);
    assert_string_equal(err, "Invalid parameter 'novalue'");
    free(err);
    block_opts_free(o);
}

static void test_opts_validate(void **state)
{
    static const BlockOptDesc desc[] = {
        { "size", BOPT_SIZE, "", NULL },
        { "lazy", BOPT_BOOL, "", NULL },
        { "bits", BOPT_NUMBER, "", NULL },
        { "name", BOPT_STRING, "", NULL },
        { NULL, 0, NULL, NULL },
    };
    BlockOpts *o = block_opts_new();
    char *err = NULL;
    uint64_t sz;
    bool b;
    block_opts_parse(o, "size=2M,lazy=on,bits=16,name=x", NULL);
    assert_int_equal(block_opts_validate(o, desc, &err), 0);
    assert_int_equal(block_opts_get_size(o, "size", 0, &sz, &err), 0);
    assert_int_equal(sz, 2 << 20);
    assert_int_equal(block_opts_get_bool(o, "lazy", false, &b, &err), 0);
    assert_true(b);
    assert_int_equal(block_opts_get_size(o, "absent", 99, &sz, &err), 0);
    assert_int_equal(sz, 99);

    block_opts_set(o, "foo", "1");
    assert_int_equal(block_opts_validate(o, desc, &err), -EINVAL);
    assert_string_equal(err, "Invalid parameter 'foo'");
    free(err);
    err = NULL;
    block_opts_free(o);

    o = block_opts_new();
    block_opts_set(o, "lazy", "maybe");
    assert_int_equal(block_opts_validate(o, desc, &err), -EINVAL);
    assert_non_null(strstr(err, "'lazy'"));
    free(err);
    err = NULL;
    block_opts_set(o, "lazy", "off");
    block_opts_set(o, "size", "1x");
    assert_int_equal(block_opts_validate(o, desc, &err), -EINVAL);
    free(err);
    block_opts_free(o);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_size_suffixes),
        cmocka_unit_test(test_parse_size_errors),
        cmocka_unit_test(test_format_size),
        cmocka_unit_test(test_opts_parse),
        cmocka_unit_test(test_opts_validate),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
