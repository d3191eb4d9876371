/*
 * pcache.h — user mode's side of the persistent translation cache
 * (exec/tb-persist.h, docs/translation-cache.md): which guest ranges come
 * from which files, where the cache lives, and turning it on or off.
 */
#ifndef VEMU_LINUX_USER_PCACHE_H
#define VEMU_LINUX_USER_PCACHE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/stat.h>

/* Guest range [start, end) now holds the contents of the file st describes,
 * guest address = file offset + bias (an mmap: bias = start - offset; an
 * image the ELF loader copied: its load bias).  Replaces what was there. */
void pcache_note_file(uint64_t start, uint64_t end, uint64_t bias, const struct stat *st);
/* The same for an mmap of descriptor fd (not a regular file: forgets). */
void pcache_note_fd(uint64_t start, uint64_t end, uint64_t offset, int fd);
/* [start, end) no longer comes from a file (unmapped, anonymous, moved). */
void pcache_forget(uint64_t start, uint64_t end);

/* Turn the cache on after exec_init() unless disabled (-no-cache,
 * VEMU_CACHE=off): $VEMU_CACHE_DIR, else $XDG_CACHE_HOME/vemu, else
 * ~/.cache/vemu.  cpu_model: the model in use (part of the key). */
void pcache_setup(bool disabled, const char *cpu_model);
/* Save new translations (exit, exec). */
void pcache_save(void);

#endif
