/*
 * probe.c — guessing an image's format from its first bytes.  Each format
 * driver scores the buffer; raw accepts anything with the lowest score, so
 * it is the fallback (and bdrv_open warns when it was guessed for writing).
 */
#include "block/block.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#define PROBE_BYTES 2048

const BlockDriver *bdrv_probe_format(const uint8_t *buf, size_t len)
{
    const BlockDriver *best = &bdrv_raw;
    int best_score = 0;
    for (int i = 0; bdrv_drivers[i]; i++) {
        if (!bdrv_drivers[i]->probe) {
            continue;
        }
        int score = bdrv_drivers[i]->probe(buf, len);
        if (score > best_score) {
            best_score = score;
            best = bdrv_drivers[i];
        }
    }
    return best;
}

int bdrv_probe_file(const char *filename, const BlockDriver **drv, char **errp)
{
    uint8_t buf[PROBE_BYTES];
    int fd = open(filename, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        int e = errno;
        bdrv_error(errp, "Could not open '%s': %s", filename, strerror(e));
        return -e;
    }
    ssize_t n = pread(fd, buf, sizeof(buf), 0);
    int e = errno;
    close(fd);
    if (n < 0) {
        bdrv_error(errp, "Could not read image for determining its format: %s", strerror(e));
        return -e;
    }
    *drv = bdrv_probe_format(buf, (size_t)n);
    return 0;
}
