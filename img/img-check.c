/*
 * img-check.c — `vemu-img check`: consistency check and repair with
 * qemu-img's report and exit codes (0 clean, 1 check not completed,
 * 2 corruptions, 3 leaks only, 63 format without checks).
 */
#include "img/img.h"

#include <getopt.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static void check_help(void)
{
    printf("usage: vemu-img check [-q] [-f fmt] [--output=human|json] [-r leaks|all] [-U] filename\n\n"
           "Checks an image's metadata.  -r leaks frees leaked clusters (harmless waste);\n"
           "-r all also repairs corruptions.  Exit status: 0 no errors, 1 the check could\n"
           "not be completed, 2 corruptions remain, 3 only leaks remain, 63 the format\n"
           "has no checks.\n");
}

static void dump_human(const BlockCheckResult *r)
{
    if (!r->corruptions && !r->leaks && !r->check_errors) {
        printf("No errors were found on the image.\n");
    } else {
        if (r->corruptions) {
            printf("\n%d errors were found on the image.\n"
                   "Data may be corrupted, or further writes to the image may corrupt it.\n",
                   r->corruptions);
        }
        if (r->leaks) {
            printf("\n%d leaked clusters were found on the image.\n"
                   "This means waste of disk space, but no harm to data.\n", r->leaks);
        }
        if (r->check_errors) {
            printf("\n%d internal errors have occurred during the check.\n", r->check_errors);
        }
    }
    if (r->total_clusters && r->allocated_clusters) {
        printf("%" PRIu64 "/%" PRIu64 " = %0.2f%% allocated, %0.2f%% fragmented, "
               "%0.2f%% compressed clusters\n",
               r->allocated_clusters, r->total_clusters,
               r->allocated_clusters * 100.0 / r->total_clusters,
               r->fragmented_clusters * 100.0 / r->allocated_clusters,
               r->compressed_clusters * 100.0 / r->allocated_clusters);
    }
    if (r->image_end_offset > 0) {
        printf("Image end offset: %" PRId64 "\n", r->image_end_offset);
    }
}

/* Keys in qemu-img's order (that of its JSON dictionary); counts that are
 * zero are left out as qemu-img does. */
static void dump_json(const BlockCheckResult *r, const char *filename, const char *fmt)
{
    printf("{\n");
    if (r->image_end_offset > 0) {
        printf("    \"image-end-offset\": %" PRId64 ",\n", r->image_end_offset);
    }
    if (r->compressed_clusters) {
        printf("    \"compressed-clusters\": %" PRIu64 ",\n", r->compressed_clusters);
    }
    if (r->have_cluster_stats) {
        printf("    \"total-clusters\": %" PRIu64 ",\n", r->total_clusters);
    }
    if (r->corruptions_fixed) {
        printf("    \"corruptions-fixed\": %d,\n", r->corruptions_fixed);
    }
    if (r->corruptions) {
        printf("    \"corruptions\": %d,\n", r->corruptions);
    }
    printf("    \"check-errors\": %d,\n", r->check_errors);
    if (r->leaks) {
        printf("    \"leaks\": %d,\n", r->leaks);
    }
    if (r->leaks_fixed) {
        printf("    \"leaks-fixed\": %d,\n", r->leaks_fixed);
    }
    if (r->allocated_clusters) {
        printf("    \"allocated-clusters\": %" PRIu64 ",\n", r->allocated_clusters);
    }
    printf("    \"filename\": ");
    json_string(stdout, filename);
    printf(",\n    \"format\": \"%s\"", fmt);
    if (r->fragmented_clusters) {
        printf(",\n    \"fragmented-clusters\": %" PRIu64, r->fragmented_clusters);
    }
    printf("\n}\n");
}

int cmd_check(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "help", no_argument, NULL, 'h' },
        { "output", required_argument, NULL, 'o' },
        { "repair", required_argument, NULL, 'r' },
        { "force-share", no_argument, NULL, 'U' },
        { NULL, 0, NULL, 0 },
    };
    const char *fmt = NULL;
    bool json = false, quiet = false;
    int fix = 0, c;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":f:r:T:hqU", longopts, NULL)) != -1) {
        switch (c) {
        case 'f': fmt = optarg; break;
        case 'h': check_help(); return 0;
        case 'q': quiet = true; break;
        case 'U': case 'T': break;
        case 'r':
            if (!strcmp(optarg, "leaks")) {
                fix = BDRV_FIX_LEAKS;
            } else if (!strcmp(optarg, "all")) {
                fix = BDRV_FIX_LEAKS | BDRV_FIX_ERRORS;
            } else {
                return img_usage("Unknown option value for -r (expecting 'leaks' or 'all'): %s", optarg);
            }
            break;
        case 'o':
            if (img_parse_output(optarg, &json) < 0)
                return 1;
            break;
        case ':': return img_usage("option requires an argument -- '%c'", optopt);
        default: return img_usage("unrecognized option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc - 1) {
        return img_usage("Expecting one image file name");
    }
    const char *filename = argv[optind];
    BlockDriverState *bs = img_open(filename, fmt, BDRV_O_NO_BACKING | BDRV_O_CHECK |
                                                   (fix ? BDRV_O_RDWR : 0));
    if (!bs) {
        return 1;
    }
    if (!bs->drv->check) {
        img_error("This image format does not support checks");
        bdrv_close(bs);
        return 63;
    }
    BlockCheckResult res;
    int ret = bs->drv->check(bs, &res, fix);
    if (ret == 0 && fix && (res.leaks_fixed || res.corruptions_fixed)) {
        if (!json && !quiet) {
            printf("The following inconsistencies were found and repaired:\n\n"
                   "    %d leaked clusters\n    %d corruptions\n\n"
                   "Double checking the fixed image now...\n",
                   res.leaks_fixed, res.corruptions_fixed);
        }
        int leaks_fixed = res.leaks_fixed, corruptions_fixed = res.corruptions_fixed;
        ret = bs->drv->check(bs, &res, 0);
        res.leaks_fixed = leaks_fixed;
        res.corruptions_fixed = corruptions_fixed;
    }
    if (ret == 0 && !quiet) {
        if (json) {
            dump_json(&res, filename, bs->drv->format_name);
        } else {
            dump_human(&res);
        }
    }
    bdrv_close(bs);
    if (ret < 0 || res.check_errors) {
        if (ret < 0) {
            img_error("Check failed: %s", strerror(-ret));
        } else {
            img_error("Check failed");
        }
        return 1;
    }
    return res.corruptions ? 2 : res.leaks ? 3 : 0;
}
