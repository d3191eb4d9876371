/*
 * monitor-vmstate.c — savevm, loadvm, delvm and info snapshots in the
 * human monitor (softmmu/savevm.h does the work).  Errors read as QEMU's
 * monitor prints them: "Error: " and the message.
 */
#include "softmmu/monitor-vmstate.h"

#include <stdlib.h>
#include <string.h>

#include "softmmu/savevm.h"

static int report(MonOut *out, int r, char *err)
{
    if (r < 0)
        monout_printf(out, "Error: %s\n", err ? err : "failed");
    free(err);
    return r;
}

int hmp_savevm(const char *args, MonOut *out)
{
    char *err = NULL;
    int r = savevm(args, &err);
    return report(out, r, err);
}

int hmp_loadvm(const char *args, MonOut *out)
{
    const char *cmd = "loadvm";
    if (!*args) {
        monout_printf(out, "%s: string expected\nTry \"help %s\" for more information\n", cmd, cmd);
        return -1;
    }
    char *err = NULL;
    int r = loadvm(args, &err);
    return report(out, r, err);
}

int hmp_delvm(const char *args, MonOut *out)
{
    const char *cmd = "delvm";
    if (!*args) {
        monout_printf(out, "%s: string expected\nTry \"help %s\" for more information\n", cmd, cmd);
        return -1;
    }
    char *err = NULL;
    int r = delvm(args, &err);
    return report(out, r, err);
}

static void print_line(void *opaque, const char *text)
{
    monout_printf(opaque, "%s", text);
}

int hmp_info_snapshots(MonOut *out)
{
    info_snapshots(print_line, out);
    return 0;
}
