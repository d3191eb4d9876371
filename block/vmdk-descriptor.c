/*
 * vmdk-descriptor.c — the VMDK text descriptor (a file of its own, or
 * embedded in a sparse extent) and the binary sparse extent header.
 *
 * The descriptor is lines of `key=value` (version, CID, parentCID,
 * createType, parentFileNameHint), extent lines
 *   RW|RDONLY|NOACCESS <sectors> FLAT|VMFS|SPARSE|ZERO ["file" [offset]]
 * and the disk database (`ddb.*`), which this driver does not need.
 */
#include "block/vmdk.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static uint32_t le32(const uint8_t *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }
static void st32(uint8_t *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = v >> (8 * i); }
static void st64(uint8_t *p, uint64_t v) { st32(p, (uint32_t)v); st32(p + 4, v >> 32); }

int vmdk_decode_header(const uint8_t *b, VmdkHeader *h)
{
    if (le32(b) != VMDK_MAGIC) {
        return -EINVAL;
    }
    h->version = le32(b + 4);
    h->flags = le32(b + 8);
    h->capacity = le64(b + 12);
    h->grain_size = le64(b + 20);
    h->desc_offset = le64(b + 28);
    h->desc_size = le64(b + 36);
    h->gtes_per_gt = le32(b + 44);
    h->rgd_offset = le64(b + 48);
    h->gd_offset = le64(b + 56);
    h->overhead = le64(b + 64);
    /* 72: uncleanShutdown, 73..76: the newline-detection characters */
    h->compress_algorithm = b[77] | b[78] << 8;
    return 0;
}

void vmdk_encode_header(const VmdkHeader *h, uint8_t *b)
{
    memset(b, 0, VMDK_SECTOR);
    st32(b, VMDK_MAGIC);
    st32(b + 4, h->version);
    st32(b + 8, h->flags);
    st64(b + 12, h->capacity);
    st64(b + 20, h->grain_size);
    st64(b + 28, h->desc_offset);
    st64(b + 36, h->desc_size);
    st32(b + 44, h->gtes_per_gt);
    st64(b + 48, h->rgd_offset);
    st64(b + 56, h->gd_offset);
    st64(b + 64, h->overhead);
    b[72] = 0;
    /* characters a text-mode transfer would have mangled */
    b[73] = '\n';
    b[74] = ' ';
    b[75] = '\r';
    b[76] = '\n';
    b[77] = (uint8_t)h->compress_algorithm;
    b[78] = (uint8_t)(h->compress_algorithm >> 8);
}

/* The value of `key=value` (optionally quoted) into out; true if line is key. */
static bool get_value(const char *line, const char *key, char *out, size_t n)
{
    size_t kl = strlen(key);
    if (strncmp(line, key, kl)) {
        return false;
    }
    const char *p = line + kl;
    while (*p == ' ' || *p == '\t') p++;
    if (*p != '=') {
        return false;
    }
    p++;
    while (*p == ' ' || *p == '\t') p++;
    bool quoted = *p == '"';
    p += quoted;
    size_t i = 0;
    while (*p && (quoted ? *p != '"' : !isspace((unsigned char)*p)) && i + 1 < n) {
        out[i++] = *p++;
    }
    out[i] = 0;
    return true;
}

static int parse_extent(BlockDriverState *bs, const char *line, char **errp)
{
    BDRVVmdkState *s = bs->opaque;
    char access[16], type[16];
    unsigned long long sectors, offset = 0;
    int pos = 0;
    if (sscanf(line, "%15s %llu %15s %n", access, &sectors, type, &pos) < 3) {
        bdrv_error(errp, "Invalid extent line in VMDK descriptor of '%s': %s", bs->filename, line);
        return -EINVAL;
    }
    if (strcmp(access, "RW") && strcmp(access, "RDONLY") && strcmp(access, "NOACCESS")) {
        bdrv_error(errp, "Invalid extent access '%s' in VMDK descriptor of '%s'", access, bs->filename);
        return -EINVAL;
    }
    if (s->nb_extents >= VMDK_MAX_EXTENTS) {
        bdrv_error(errp, "Too many extents in VMDK descriptor of '%s'", bs->filename);
        return -EINVAL;
    }
    VmdkExtent e = { .gt_cached = -1 };
    if (!strcmp(type, "FLAT") || !strcmp(type, "VMFS")) {
        e.type = VMDK_EXT_FLAT;
    } else if (!strcmp(type, "SPARSE")) {
        e.type = VMDK_EXT_SPARSE;
    } else if (!strcmp(type, "ZERO")) {
        e.type = VMDK_EXT_ZERO;
    } else {
        bdrv_error(errp, "Unsupported VMDK extent type '%s' in '%s'", type, bs->filename);
        return -ENOTSUP;
    }
    if (e.type != VMDK_EXT_ZERO) {
        const char *p = line + pos;
        const char *q = *p == '"' ? strchr(p + 1, '"') : NULL;
        if (!q || q == p + 1) {
            bdrv_error(errp, "Invalid extent line in VMDK descriptor of '%s': %s", bs->filename, line);
            return -EINVAL;
        }
        e.name = strndup(p + 1, (size_t)(q - p - 1));
        if (e.type == VMDK_EXT_FLAT && sscanf(q + 1, "%llu", &offset) == 1) {
            if (offset > (UINT64_MAX >> 10)) {
                free(e.name);
                bdrv_error(errp, "Invalid flat extent offset in '%s'", bs->filename);
                return -EINVAL;
            }
            e.flat_offset = offset * VMDK_SECTOR;
        }
    }
    if (sectors > (1ull << 40)) {
        free(e.name);
        bdrv_error(errp, "VMDK extent of %llu sectors in '%s' is too large", sectors, bs->filename);
        return -EINVAL;
    }
    e.start = s->total;
    e.length = sectors * VMDK_SECTOR;
    s->total += e.length;
    VmdkExtent *n = realloc(s->extents, (size_t)(s->nb_extents + 1) * sizeof(*n));
    if (!n) {
        free(e.name);
        return -ENOMEM;
    }
    s->extents = n;
    s->extents[s->nb_extents++] = e;
    return 0;
}

int vmdk_parse_descriptor(BlockDriverState *bs, const char *text, size_t len, bool embedded,
                          char **errp)
{
    BDRVVmdkState *s = bs->opaque;
    char *buf = strndup(text, len), *save = NULL, val[1024];
    bool have_type = false;
    int ret = 0;
    s->parent_cid = 0xffffffff;
    for (char *line = strtok_r(buf, "\r\n", &save); line && ret == 0;
         line = strtok_r(NULL, "\r\n", &save)) {
        while (*line == ' ' || *line == '\t') line++;
        if (!*line || *line == '#') {
            continue;
        }
        if (get_value(line, "CID", val, sizeof(val))) {
            s->cid = (uint32_t)strtoul(val, NULL, 16);
        } else if (get_value(line, "parentCID", val, sizeof(val))) {
            s->parent_cid = (uint32_t)strtoul(val, NULL, 16);
        } else if (get_value(line, "createType", val, sizeof(val))) {
            val[sizeof(s->create_type) - 1] = 0;
            memcpy(s->create_type, val, sizeof(s->create_type));
            have_type = true;
        } else if (get_value(line, "parentFileNameHint", val, sizeof(val))) {
            memcpy(bs->backing_file, val, sizeof(bs->backing_file) < sizeof(val) ?
                   sizeof(bs->backing_file) : sizeof(val));
            bs->backing_file[sizeof(bs->backing_file) - 1] = 0;
            snprintf(bs->backing_format, sizeof(bs->backing_format), "vmdk");
        } else if (!embedded && (!strncmp(line, "RW ", 3) || !strncmp(line, "RDONLY ", 7) ||
                                 !strncmp(line, "NOACCESS ", 9))) {
            ret = parse_extent(bs, line, errp);
        }
    }
    free(buf);
    if (ret == 0 && !embedded) {
        if (!have_type) {
            bdrv_error(errp, "VMDK descriptor of '%s' has no createType", bs->filename);
            ret = -EINVAL;
        } else if (!s->nb_extents) {
            bdrv_error(errp, "VMDK descriptor of '%s' names no extent", bs->filename);
            ret = -EINVAL;
        }
    }
    return ret;
}
