/*
 * vdso-x86_64.c — vemu-x86_64's vDSO image: linux-user/x86/vdso-x86_64.S,
 * built and turned into C at build time (linux-user/module.mk).
 */
#include <stdint.h>

#include "linux-user/vdso.h"
#include "linux-user/x86_64/target-x86_64.h"

#include "linux-user/x86/vdso-x86_64.c.inc"
