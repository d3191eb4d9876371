/*
 * options.c — option lists and size parsing/printing for the block layer
 * and vemu-img.
 */
#include "block/options.h"
#include "block/block.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

BlockOpts *block_opts_new(void)
{
    return calloc(1, sizeof(BlockOpts));
}

void block_opts_free(BlockOpts *o)
{
    if (!o) {
        return;
    }
    for (int i = 0; i < o->n; i++) {
        free(o->v[i].key);
        free(o->v[i].value);
    }
    free(o->v);
    free(o);
}

void block_opts_set(BlockOpts *o, const char *key, const char *value)
{
    for (int i = 0; i < o->n; i++) {
        if (!strcmp(o->v[i].key, key)) {
            free(o->v[i].value);
            o->v[i].value = strdup(value);
            return;
        }
    }
    if (o->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 8;
        o->v = realloc(o->v, o->cap * sizeof(*o->v));
    }
    o->v[o->n].key = strdup(key);
    o->v[o->n].value = strdup(value);
    o->n++;
}

const char *block_opts_get(const BlockOpts *o, const char *key)
{
    for (int i = 0; o && i < o->n; i++) {
        if (!strcmp(o->v[i].key, key)) {
            return o->v[i].value;
        }
    }
    return NULL;
}

/* Reads up to the next unescaped `stop` character; ",," is one comma. */
static const char *parse_token(const char *p, char stop, char **out)
{
    size_t len = strlen(p), n = 0;
    char *buf = malloc(len + 1);
    while (*p) {
        if (*p == ',') {
            if (p[1] == ',') {
                buf[n++] = ',';
                p += 2;
                continue;
            }
            break;
        }
        if (*p == stop) {
            break;
        }
        buf[n++] = *p++;
    }
    buf[n] = 0;
    *out = buf;
    return p;
}

int block_opts_parse(BlockOpts *o, const char *str, char **errp)
{
    const char *p = str;
    while (*p) {
        char *key, *value = NULL;
        p = parse_token(p, '=', &key);
        if (*p != '=') {
            /* "help" and "?" are valid on their own; anything else needs a value */
            if (!strcmp(key, "help") || !strcmp(key, "?")) {
                block_opts_set(o, "help", "on");
                free(key);
                if (*p == ',') {
                    p++;
                }
                continue;
            }
            bdrv_error(errp, "Invalid parameter '%s'", key);
            free(key);
            return -EINVAL;
        }
        p = parse_token(p + 1, 0, &value);
        if (!*key) {
            bdrv_error(errp, "Invalid parameter ''");
            free(key);
            free(value);
            return -EINVAL;
        }
        block_opts_set(o, key, value);
        free(key);
        free(value);
        if (*p == ',') {
            p++;
        }
    }
    return 0;
}

static const BlockOptDesc *find_desc(const BlockOptDesc *desc, const char *key)
{
    for (; desc && desc->name; desc++) {
        if (!strcmp(desc->name, key)) {
            return desc;
        }
    }
    return NULL;
}

static int parse_bool(const char *s, bool *out)
{
    if (!strcmp(s, "on") || !strcmp(s, "yes") || !strcmp(s, "true") || !strcmp(s, "y")) {
        *out = true;
    } else if (!strcmp(s, "off") || !strcmp(s, "no") || !strcmp(s, "false") || !strcmp(s, "n")) {
        *out = false;
    } else {
        return -EINVAL;
    }
    return 0;
}

int block_opts_validate(const BlockOpts *o, const BlockOptDesc *desc, char **errp)
{
    for (int i = 0; i < o->n; i++) {
        const BlockOptDesc *d = find_desc(desc, o->v[i].key);
        uint64_t sz;
        bool b;
        if (!d) {
            bdrv_error(errp, "Invalid parameter '%s'", o->v[i].key);
            return -EINVAL;
        }
        switch (d->type) {
        case BOPT_SIZE:
            if (parse_size(o->v[i].value, 1, &sz) < 0) {
                bdrv_error(errp, "Parameter '%s' expects a non-negative number below 2^64\n"
                           "Optional suffix k, M, G, T, P or E means kilo-, mega-, giga-, tera-, peta-\n"
                           "and exabytes, respectively.", d->name);
                return -EINVAL;
            }
            break;
        case BOPT_NUMBER: {
            char *end;
            errno = 0;
            strtoull(o->v[i].value, &end, 0);
            if (errno || *end || !*o->v[i].value) {
                bdrv_error(errp, "Parameter '%s' expects a number", d->name);
                return -EINVAL;
            }
            break;
        }
        case BOPT_BOOL:
            if (parse_bool(o->v[i].value, &b) < 0) {
                bdrv_error(errp, "Parameter '%s' expects 'on' or 'off'", d->name);
                return -EINVAL;
            }
            break;
        case BOPT_STRING:
            break;
        }
    }
    return 0;
}

int block_opts_get_size(const BlockOpts *o, const char *key, uint64_t def, uint64_t *out, char **errp)
{
    const char *v = block_opts_get(o, key);
    if (!v) {
        *out = def;
        return 0;
    }
    if (parse_size(v, 1, out) < 0) {
        bdrv_error(errp, "Parameter '%s' expects a size", key);
        return -EINVAL;
    }
    return 0;
}

int block_opts_get_bool(const BlockOpts *o, const char *key, bool def, bool *out, char **errp)
{
    const char *v = block_opts_get(o, key);
    if (!v) {
        *out = def;
        return 0;
    }
    if (parse_bool(v, out) < 0) {
        bdrv_error(errp, "Parameter '%s' expects 'on' or 'off'", key);
        return -EINVAL;
    }
    return 0;
}

int parse_size(const char *str, uint64_t default_unit, uint64_t *out)
{
    const char *p = str;
    char *end;
    uint64_t unit = default_unit, whole;
    double frac = 0;

    while (isspace((unsigned char)*p)) {
        p++;
    }
    if (!isdigit((unsigned char)*p)) {
        return -EINVAL;    /* no sign, no empty string */
    }
    errno = 0;
    whole = strtoull(p, &end, 10);
    if (errno == ERANGE) {
        return -ERANGE;
    }
    if (*end == '.') {
        char *fend;
        frac = strtod(end, &fend);
        if (fend == end + 1) {
            return -EINVAL;
        }
        end = fend;
    }
    if (*end) {
        switch (*end) {
        case 'b': case 'B': unit = 1; break;
        case 'k': case 'K': unit = 1ull << 10; break;
        case 'm': case 'M': unit = 1ull << 20; break;
        case 'g': case 'G': unit = 1ull << 30; break;
        case 't': case 'T': unit = 1ull << 40; break;
        case 'p': case 'P': unit = 1ull << 50; break;
        case 'e': case 'E': unit = 1ull << 60; break;
        default: return -EINVAL;
        }
        end++;
        if (*end) {
            return -EINVAL;
        }
    } else if (frac != 0) {
        return -EINVAL;    /* a fraction of a byte */
    }
    if (whole > UINT64_MAX / unit) {
        return -ERANGE;
    }
    uint64_t v = whole * unit;
    if (frac != 0) {
        double f = frac * (double)unit;
        if ((double)v + f >= 18446744073709551616.0) {
            return -ERANGE;
        }
        v += (uint64_t)f;
    }
    *out = v;
    return 0;
}

void format_size(uint64_t size, char *buf, int n)
{
    static const char *const units[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
    int e;
    /* a unit is used once the value reaches 1000 of the next smaller one
     * (qemu-img's choice: "0.977 MiB", never "1000 KiB") */
    frexp((double)size / (1000.0 / 1024.0), &e);
    int i = (e - 1) / 10;
    if (i < 0) {
        i = 0;
    } else if (i > 6) {
        i = 6;
    }
    snprintf(buf, n, "%0.3g %s", (double)size / (double)(1ull << (i * 10)), units[i]);
}
