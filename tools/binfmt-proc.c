/*
 * binfmt-proc.c — binfmt_misc file system access (see binfmt-proc.h).
 */
#include "tools/binfmt-proc.h"
#include "tools/binfmt-arch.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <unistd.h>

bool binfmt_is_mounted(const char *dir)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/register", dir);
    return access(path, F_OK) == 0;
}

int binfmt_ensure_mounted(const char *dir, bool *mounted_now)
{
    *mounted_now = false;
    if (binfmt_is_mounted(dir))
        return 0;
    if (mount("binfmt_misc", dir, "binfmt_misc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL) < 0)
        return -errno;
    *mounted_now = true;
    return binfmt_is_mounted(dir) ? 0 : -ENOENT;
}

static int write_file(const char *path, const char *text)
{
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    size_t len = strlen(text);
    ssize_t w = write(fd, text, len);
    int err = w < 0 ? -errno : (size_t)w != len ? -EIO : 0;
    if (close(fd) < 0 && !err)
        err = -errno;
    return err;
}

int binfmt_global_enabled(const char *dir)
{
    char path[PATH_MAX], buf[32] = "";
    snprintf(path, sizeof(path), "%s/status", dir);
    FILE *f = fopen(path, "re");
    if (!f)
        return -errno;
    bool ok = fgets(buf, sizeof(buf), f) != NULL;
    fclose(f);
    if (!ok)
        return -EIO;
    return strncmp(buf, "enabled", 7) == 0;
}

static size_t parse_hex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    while (n < max && s[0] && s[1]) {
        unsigned v;
        if (sscanf(s, "%2x", &v) != 1)
            break;
        out[n++] = (uint8_t)v;
        s += 2;
    }
    return n;
}

/* Copies src into dst[size], cutting it short if needed. */
static void copy_str(char *dst, size_t size, const char *src)
{
    size_t n = strnlen(src, size - 1);
    memcpy(dst, src, n);
    dst[n] = '\0';
}

int binfmt_read_entry(const char *dir, const char *name, BinfmtEntry *e)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "re");
    if (!f)
        return -errno;
    memset(e, 0, sizeof(*e));
    copy_str(e->name, sizeof(e->name), name);
    bool have_mask = false;
    char line[PATH_MAX + 64];
    while (fgets(line, sizeof(line), f)) {
        line[strcspn(line, "\n")] = '\0';
        if (!strcmp(line, "enabled"))
            e->enabled = true;
        else if (!strncmp(line, "interpreter ", 12))
            copy_str(e->interpreter, sizeof(e->interpreter), line + 12);
        else if (!strncmp(line, "flags:", 6))
            copy_str(e->flags, sizeof(e->flags), line + 6 + (line[6] == ' '));
        else if (!strncmp(line, "offset ", 7))
            e->offset = (unsigned)strtoul(line + 7, NULL, 10);
        else if (!strncmp(line, "magic ", 6)) {
            e->by_magic = true;
            e->len = parse_hex(line + 6, e->magic, BINFMT_MAX_MAGIC);
        } else if (!strncmp(line, "mask ", 5)) {
            have_mask = true;
            parse_hex(line + 5, e->mask, BINFMT_MAX_MAGIC);
        }
    }
    fclose(f);
    if (!have_mask)
        memset(e->mask, 0xff, sizeof(e->mask));    /* no mask: match every bit */
    return 0;
}

int binfmt_list(const char *dir, BinfmtEntry **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return -errno;
    size_t cap = 0;
    struct dirent *de;
    int err = 0;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' || !strcmp(de->d_name, "register") ||
            !strcmp(de->d_name, "status"))
            continue;
        if (*n == cap) {
            cap = cap ? 2 * cap : 8;
            BinfmtEntry *grown = realloc(*out, cap * sizeof(**out));
            if (!grown) {
                err = -ENOMEM;
                break;
            }
            *out = grown;
        }
        if (binfmt_read_entry(dir, de->d_name, &(*out)[*n]) == 0)
            (*n)++;
    }
    closedir(d);
    return err;
}

int binfmt_register(const char *dir, const char *line)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/register", dir);
    return write_file(path, line);
}

int binfmt_remove(const char *dir, const char *name)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return write_file(path, "-1");
}

bool binfmt_entry_matches(const BinfmtEntry *e, const uint8_t *hdr, size_t len)
{
    if (!e->by_magic || e->len == 0 || e->offset + e->len > len)
        return false;
    for (size_t i = 0; i < e->len; i++)
        if ((hdr[e->offset + i] ^ e->magic[i]) & e->mask[i])
            return false;
    return true;
}

char *binfmt_entry_register_line(const BinfmtEntry *e)
{
    if (!e->by_magic)
        return NULL;
    char magic[4 * BINFMT_MAX_MAGIC + 1], mask[4 * BINFMT_MAX_MAGIC + 1];
    binfmt_escape(e->magic, e->len, magic);
    binfmt_escape(e->mask, e->len, mask);
    char *line = NULL;
    if (asprintf(&line, ":%s:M:%u:%s:%s:%s:%s", e->name, e->offset, magic, mask,
                 e->interpreter, e->flags) < 0)
        return NULL;
    return line;
}
