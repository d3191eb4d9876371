/*
 * stack.h — the initial process stack: argv, envp and the auxiliary vector.
 */
#ifndef VEMU_LINUX_USER_STACK_H
#define VEMU_LINUX_USER_STACK_H

#include <stddef.h>
#include <stdint.h>

#include "linux-user/target.h"

#define DEFAULT_STACK_SIZE (8u << 20)

/* Map the stack below info->stack_top... and fill it as the kernel does
 * for a new process; sets info->sp, stack_top, stack_limit.  Returns 0 or
 * -1 with a message in err. */
int setup_initial_stack(CPUCommon *cpu, LinuxImageInfo *info, uint64_t stack_size,
                        int argc, char *const *argv, char *const *envp, const char *execfn,
                        char *err, size_t errlen);

#endif
