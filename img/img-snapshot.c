/*
 * img-snapshot.c — `vemu-img snapshot`: internal snapshots, listed (-l),
 * created (-c), applied (-a) and deleted (-d) through the driver's hooks
 * (qcow2: block/qcow2-snapshot.c); -a and -d take an id or a name.
 */
#include "img/img.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static void snapshot_help(void)
{
    printf("usage: vemu-img snapshot [-U] [-q] [-l | -a snapshot | -c snapshot | -d snapshot] filename\n\n"
           "-l lists the internal snapshots of an image; -c creates one named 'snapshot',\n"
           "-a applies (reverts the image to) one and -d deletes one, given by id or name.\n");
}

int cmd_snapshot(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    int c, action = 0;
    const char *name = NULL;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":hla:c:d:qU", longopts, NULL)) != -1) {
        switch (c) {
        case 'h': snapshot_help(); return 0;
        case 'q': case 'U': break;
        case 'l': case 'a': case 'c': case 'd':
            if (action) {
                return img_usage("Cannot mix '-l', '-a', '-c', '-d'");
            }
            action = c;
            name = optarg;
            break;
        case ':': return img_usage("option requires an argument -- '%c'", optopt);
        default: return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage("Expecting one image file name");
    }
    BlockDriverState *bs = img_open(argv[optind], NULL, action && action != 'l' ? BDRV_O_RDWR : 0);
    if (!bs) {
        return 1;
    }
    int ret = 0;
    if (action == 'l') {
        BlockSnapshotInfo *sn = NULL;
        int n = bs->drv->snapshot_list ? bs->drv->snapshot_list(bs, &sn) : 0;
        if (n < 0) {
            img_error("Could not read the snapshot table of '%s'", argv[optind]);
            ret = 1;
        } else if (n > 0) {
            printf("Snapshot list:\n");
            img_print_snapshot_table(sn, n);
        }
        free(sn);
    } else if (action) {
        const char *what = action == 'c' ? "create" : action == 'a' ? "apply" : "delete";
        int (*op)(BlockDriverState *, const char *, char **) =
            action == 'c' ? bs->drv->snapshot_create :
            action == 'a' ? bs->drv->snapshot_goto : bs->drv->snapshot_delete;
        char *err = NULL;
        if (!op) {
            img_error("Could not %s snapshot '%s': -95 (Operation not supported)", what, name);
            ret = 1;
        } else {
            int r = op(bs, name, &err);
            if (r < 0 && action == 'c') {
                /* qemu-img reports a failed create by its error number */
                img_error("Could not create snapshot '%s': %d (%s)", name, r, strerror(-r));
                ret = 1;
            } else if (r < 0) {
                img_error("Could not %s snapshot '%s': %s", what, name, err ? err : "I/O error");
                ret = 1;
            }
        }
        free(err);
    }
    bdrv_close(bs);
    return ret;
}
