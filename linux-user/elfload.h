/*
 * elfload.h — loading a guest ELF executable (and its program
 * interpreter) into the guest address space.
 */
#ifndef VEMU_LINUX_USER_ELFLOAD_H
#define VEMU_LINUX_USER_ELFLOAD_H

#include <stddef.h>

#include "linux-user/target.h"

/* What the loaders return when they fail (with a message in err):
 * ELF_LOAD_REFUSED where Linux's execve fails and the caller goes on,
 * ELF_LOAD_FATAL where Linux has already replaced the caller's image when
 * it finds the problem and kills the process with SIGSEGV (a segment with
 * more file than memory). */
#define ELF_LOAD_REFUSED (-1)
#define ELF_LOAD_FATAL (-2)

/* Load the program at path (and its PT_INTERP, looked up through the -L
 * prefix).  Returns 0 or ELF_LOAD_*, with a message (no "vemu:" prefix)
 * in err. */
int elf_load_program(const char *path, LinuxImageInfo *info, char *err, size_t errlen);

/* Load an ELF image held in memory (data is modified: libelf may convert
 * it in place).  is_interp selects where an ET_DYN image goes and fills
 * only the fields an interpreter sets; interp_path receives the PT_INTERP
 * string (or "" when there is none) if non-NULL. */
int elf_load_image(char *data, size_t size, int is_interp, LinuxImageInfo *info,
                   char *interp_path, size_t interp_len, char *err, size_t errlen);

#endif
