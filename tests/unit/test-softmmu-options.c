/* Unit tests for the system emulator's command line (softmmu/options.c):
 * each option lands in SysOptions, QEMU's spellings work, bad input is an
 * error with a message that names the option. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "exec/exec.h"
#include "softmmu/options.h"

static int parse(SysOptions *o, char **err, ...)
{
    char *argv[64] = { "vemu-system-arm" };
    int argc = 1;
    va_list ap;
    va_start(ap, err);
    for (char *a; (a = va_arg(ap, char *));)
        argv[argc++] = a;
    va_end(ap);
    return sys_options_parse(o, argc, argv, err);
}

static void expect_fail(const char *want, SysOptions *o, char *err)
{
    assert_non_null(err);
    if (!strstr(err, want))
        fail_msg("error \"%s\" lacks \"%s\"", err, want);
    free(err);
}
#define EXPECT_FAIL(want, ...)                                     \
    do {                                                           \
        SysOptions o_;                                             \
        char *e_ = NULL;                                           \
        assert_int_equal(parse(&o_, &e_, __VA_ARGS__, NULL), -1);  \
        expect_fail(want, &o_, e_);                                \
    } while (0)

static void test_full_command_line(void **state)
{
    SysOptions o;
    char *err = NULL;
    assert_int_equal(parse(&o, &err, "-M", "versatilepb", "-cpu", "arm1176", "-m", "256M", "-kernel", "zImage",
                           "-initrd", "initrd.gz", "-append", "console=ttyAMA0 quiet", "-dtb", "pb.dtb",
                           "-nographic", "-serial", "mon:stdio", "-serial", "null", "-no-reboot", "-D", "log.txt",
                           "-S", "-s", NULL),
                     0);
    assert_null(err);
    assert_string_equal(o.machine, "versatilepb");
    assert_null(o.machine_props);
    assert_string_equal(o.cpu, "arm1176");
    assert_int_equal(o.ram_size, 256u << 20);
    assert_string_equal(o.kernel, "zImage");
    assert_string_equal(o.initrd, "initrd.gz");
    assert_string_equal(o.append, "console=ttyAMA0 quiet");
    assert_string_equal(o.dtb, "pb.dtb");
    assert_true(o.nographic);
    assert_int_equal(o.nserial, 2);
    assert_string_equal(o.serial[0], "mon:stdio");
    assert_string_equal(o.serial[1], "null");
    assert_true(o.no_reboot);
    assert_string_equal(o.log_file, "log.txt");
    assert_true(o.stopped);
    assert_string_equal(o.gdb, "tcp::1234");
    assert_false(o.help || o.version || o.machine_help || o.cpu_help);
}

static void test_spellings(void **state)
{
    SysOptions o;
    char *err = NULL;
    /* two dashes, -machine with type= and properties, -gdb */
    assert_int_equal(parse(&o, &err, "--machine", "type=versatilepb,atags=on", "--kernel", "k", "-gdb",
                           "tcp::5555", NULL),
                     0);
    assert_string_equal(o.machine, "versatilepb");
    assert_string_equal(o.machine_props, "atags=on");
    assert_string_equal(o.gdb, "tcp::5555");
    assert_null(o.cpu);
    assert_int_equal(o.ram_size, 0);
    assert_int_equal(o.nserial, 0);

    /* help and version need no kernel */
    assert_int_equal(parse(&o, &err, "--help", NULL), 0);
    assert_true(o.help);
    assert_int_equal(parse(&o, &err, "-h", NULL), 0);
    assert_true(o.help);
    assert_int_equal(parse(&o, &err, "--version", NULL), 0);
    assert_true(o.version);
    assert_int_equal(parse(&o, &err, "-M", "help", NULL), 0);
    assert_true(o.machine_help);
    assert_int_equal(parse(&o, &err, "-cpu", "help", NULL), 0);
    assert_true(o.cpu_help);
    assert_int_equal(parse(&o, &err, "-d", "help", NULL), 0);
    assert_true(o.log_help);
}

static void test_sizes(void **state)
{
    assert_int_equal(sys_parse_size("128"), 128 << 20);
    assert_int_equal(sys_parse_size("128M"), 128 << 20);
    assert_int_equal(sys_parse_size("128m"), 128 << 20);
    assert_int_equal(sys_parse_size("1G"), 1 << 30);
    assert_int_equal(sys_parse_size("65536K"), 64 << 20);
    assert_int_equal(sys_parse_size("0.5G"), 512 << 20);
    assert_int_equal(sys_parse_size("size=64M"), 64 << 20);
    assert_int_equal(sys_parse_size("4096B"), 4096);
    assert_int_equal(sys_parse_size(""), -1);
    assert_int_equal(sys_parse_size("M"), -1);
    assert_int_equal(sys_parse_size("12Q"), -1);
    assert_int_equal(sys_parse_size("12MB"), -1);
    assert_int_equal(sys_parse_size("-5"), -1);
    assert_int_equal(sys_parse_size("1.3B"), -1);
}

static void test_errors(void **state)
{
    EXPECT_FAIL("-bogus: invalid option", "-bogus", "-kernel", "k");
    EXPECT_FAIL("-m: requires an argument", "-kernel", "k", "-m");
    EXPECT_FAIL("-kernel: requires an argument", "-kernel");
    EXPECT_FAIL("-m 12Q: invalid RAM size", "-kernel", "k", "-m", "12Q");
    EXPECT_FAIL("-m 0: RAM size must be a positive multiple of 4 KiB", "-kernel", "k", "-m", "0");
    EXPECT_FAIL("multiple of 4 KiB", "-kernel", "k", "-m", "1000B");
    EXPECT_FAIL("no kernel given", "-m", "64");
    EXPECT_FAIL("only work with -kernel", "-initrd", "i");
    EXPECT_FAIL("zImage: not an option", "zImage");
    EXPECT_FAIL("at most 4 serial ports", "-kernel", "k", "-serial", "null", "-serial", "null", "-serial",
                "null", "-serial", "null", "-serial", "null");
    EXPECT_FAIL("unknown log item 'bogus'", "-kernel", "k", "-d", "in_asm,bogus");
    EXPECT_FAIL("not available in system mode", "-kernel", "k", "-d", "strace");
}

static void test_network_options(void **state)
{
    SysOptions o;
    char *err = NULL;
    assert_int_equal(parse(&o, &err, "-kernel", "k", "-nic",
                           "user,hostfwd=tcp::2222-:22,model=smc91c111,mac=52:54:00:00:00:01,restrict=on", NULL), 0);
    assert_true(o.net_nic);
    assert_true(o.net_user);
    assert_string_equal(o.net_user_opts, "hostfwd=tcp::2222-:22,restrict=on");
    assert_string_equal(o.net_mac, "52:54:00:00:00:01");

    assert_int_equal(parse(&o, &err, "-kernel", "k", "-net", "nic", "-net", "user,net=10.1.0.0/16", NULL), 0);
    assert_true(o.net_nic && o.net_user);
    assert_string_equal(o.net_user_opts, "net=10.1.0.0/16");

    assert_int_equal(parse(&o, &err, "-kernel", "k", "-netdev", "user,id=n0,restrict=off", "-device",
                           "smc91c111,netdev=n0,mac=52:54:00:aa:bb:cc", NULL), 0);
    assert_true(o.net_nic && o.net_user);
    assert_string_equal(o.netdev_id, "n0");
    assert_string_equal(o.nic_netdev, "n0");
    assert_string_equal(o.net_mac, "52:54:00:aa:bb:cc");

    assert_int_equal(parse(&o, &err, "-kernel", "k", "-nic", "none", NULL), 0);
    assert_false(o.net_nic || o.net_user);

    /* no network option: the NIC on user networking, as QEMU */
    assert_int_equal(parse(&o, &err, "-kernel", "k", NULL), 0);
    assert_true(o.net_nic && o.net_user);
    assert_string_equal(o.net_backend, "user");

    assert_int_equal(parse(&o, &err, "-kernel", "k", "-netdev", "tap,id=t,ifname=tap3,script=no", "-net",
                           "nic,netdev=t", NULL), 0);
    assert_string_equal(o.net_backend, "tap");
    assert_string_equal(o.netdev_id, "t");
    assert_string_equal(o.net_user_opts, "id=t,ifname=tap3,script=no");
    assert_int_equal(parse(&o, &err, "-kernel", "k", "-nic", "socket,listen=:5000,mac=52:54:00:00:00:02", NULL), 0);
    assert_string_equal(o.net_backend, "socket");
    assert_string_equal(o.net_user_opts, "listen=:5000");
    assert_string_equal(o.net_mac, "52:54:00:00:00:02");

    EXPECT_FAIL("unknown network backend", "-kernel", "k", "-netdev", "vde,id=t");
    EXPECT_FAIL("cannot be combined", "-kernel", "k", "-nic", "none", "-net", "nic");
    EXPECT_FAIL("needs id=", "-kernel", "k", "-netdev", "user");
    EXPECT_FAIL("no -netdev with that id", "-kernel", "k", "-netdev", "user,id=a", "-device",
                "smc91c111,netdev=b");
    EXPECT_FAIL("this board has an smc91c111", "-kernel", "k", "-nic", "user,model=e1000");
    EXPECT_FAIL("-device virtio-net: unknown device", "-kernel", "k", "-device", "virtio-net");
    EXPECT_FAIL("only one network backend", "-kernel", "k", "-nic", "user", "-net", "user");
    EXPECT_FAIL("-net nic: unknown option 'bogus=1'", "-kernel", "k", "-net", "nic,bogus=1");
}

static void test_log_items(void **state)
{
    SysOptions o;
    char *err = NULL;
    exec_log_mask = 0;
    sys_log_mask = 0;
    assert_int_equal(parse(&o, &err, "-kernel", "k", "-d", "in_asm,int,mmu,unimp,guest_errors", NULL), 0);
    assert_int_equal(exec_log_mask, LOG_IN_ASM | LOG_INT | LOG_UNIMP);
    assert_int_equal(sys_log_mask, SYS_LOG_MMU | SYS_LOG_GUEST_ERRORS);
    assert_string_equal(o.log_items, "in_asm,int,mmu,unimp,guest_errors");
    exec_log_mask = 0;
    sys_log_mask = 0;
}

/* -sd FILE and -drive file=,if=sd[,format=][,readonly=] (the PL181's card) */
static void test_sd_card(void **state)
{
    SysOptions o;
    char *err = NULL;
    assert_int_equal(parse(&o, &err, "-kernel", "k", NULL), 0);
    assert_null(o.sd_file);
    assert_int_equal(parse(&o, &err, "-kernel", "k", "-sd", "card.img", NULL), 0);
    assert_string_equal(o.sd_file, "card.img");
    assert_null(o.sd_format);
    assert_false(o.sd_readonly);
    assert_int_equal(parse(&o, &err, "-kernel", "k", "-drive", "if=sd,file=c.qcow2,format=qcow2,readonly=on", NULL), 0);
    assert_string_equal(o.sd_file, "c.qcow2");
    assert_string_equal(o.sd_format, "qcow2");
    assert_true(o.sd_readonly);
    /* SCSI drives (softmmu/drive.c): parsed here, opened later */
    assert_int_equal(parse(&o, &err, "-kernel", "k", "-drive", "file=x,if=scsi", "-hdb", "y", "-cdrom", "z.iso",
                           "-drive", "file=w,if=none,id=d0", "-device", "scsi-hd,drive=d0,scsi-id=5",
                           "-device", "lsi53c895a", "-snapshot", NULL), 0);
    assert_null(o.sd_file);
    EXPECT_FAIL("unsupported bus type 'ide'", "-kernel", "k", "-drive", "file=x,if=ide");
    EXPECT_FAIL("Invalid parameter 'bogus'", "-kernel", "k", "-drive", "file=x,bogus=1");
    EXPECT_FAIL("Unknown driver 'nope'", "-kernel", "k", "-drive", "file=x,format=nope");
    EXPECT_FAIL("drive with bus=0, unit=0 (index=0) exists", "-kernel", "k", "-hda", "a", "-drive", "file=b,index=0");
    EXPECT_FAIL("can't find value 'd9'", "-kernel", "k", "-device", "scsi-hd,drive=d9");
    EXPECT_FAIL("Duplicate ID 'd1'", "-kernel", "k", "-drive", "file=a,if=none,id=d1", "-drive", "file=b,if=none,id=d1");
    EXPECT_FAIL("no file=", "-kernel", "k", "-drive", "if=sd,format=raw");
    EXPECT_FAIL("unknown parameter 'bogus=1'", "-kernel", "k", "-drive", "file=x,if=sd,bogus=1");
    EXPECT_FAIL("one SD card slot", "-kernel", "k", "-sd", "a", "-drive", "file=b,if=sd");
    EXPECT_FAIL("one SD card slot", "-kernel", "k", "-sd", "a", "-sd", "b");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_command_line),
        cmocka_unit_test(test_spellings),
        cmocka_unit_test(test_sizes),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_log_items),
        cmocka_unit_test(test_network_options),
        cmocka_unit_test(test_sd_card),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
