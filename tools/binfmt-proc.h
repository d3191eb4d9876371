/*
 * binfmt-proc.h — talking to the kernel's binfmt_misc file system:
 * mounting it, reading entries, registering and removing them.
 *
 * Facts this relies on (Documentation/admin-guide/binfmt-misc.rst, checked
 * on Linux 6.x): writing ":name:type:offset:magic:mask:interp:flags" to
 * `register` adds an entry; writing "-1" to an entry file removes it,
 * "0"/"1" disable/enable it; entries are tried newest first and the first
 * match wins; a directory listing returns them in that same order.
 */
#ifndef VEMU_TOOLS_BINFMT_PROC_H
#define VEMU_TOOLS_BINFMT_PROC_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BINFMT_MISC_DIR "/proc/sys/fs/binfmt_misc"
#define BINFMT_MAX_MAGIC 128    /* the kernel limit for offset + magic length */

typedef struct BinfmtEntry {
    char name[256];
    bool enabled;
    bool by_magic;              /* M entry; false: E (extension) or other */
    char interpreter[PATH_MAX];
    char flags[32];
    unsigned offset;
    size_t len;                 /* bytes of magic/mask */
    uint8_t magic[BINFMT_MAX_MAGIC];
    uint8_t mask[BINFMT_MAX_MAGIC];
} BinfmtEntry;

/* true if binfmt_misc is mounted at dir (its `register` file exists). */
bool binfmt_is_mounted(const char *dir);

/* Mounts binfmt_misc at dir unless it already is.  *mounted_now tells
 * whether this call did it.  Returns 0 or -errno. */
int binfmt_ensure_mounted(const char *dir, bool *mounted_now);

/* 1 if binfmt_misc as a whole is enabled, 0 if disabled, -errno. */
int binfmt_global_enabled(const char *dir);

/* Reads entry `name`: 0, -ENOENT if there is none, other -errno. */
int binfmt_read_entry(const char *dir, const char *name, BinfmtEntry *e);

/* All entries, in the order the kernel tries them.  *out is malloc'd. */
int binfmt_list(const char *dir, BinfmtEntry **out, size_t *n);

/* Writes a register line.  Returns 0 or -errno (the kernel's answer). */
int binfmt_register(const char *dir, const char *line);

/* Removes entry `name`.  Returns 0 or -errno. */
int binfmt_remove(const char *dir, const char *name);

/* Would entry e claim a file starting with hdr[0..len)? */
bool binfmt_entry_matches(const BinfmtEntry *e, const uint8_t *hdr, size_t len);

/* Rebuilds the register line that recreates e (malloc'd), or NULL. */
char *binfmt_entry_register_line(const BinfmtEntry *e);

#endif
