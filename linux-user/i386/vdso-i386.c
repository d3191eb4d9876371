/*
 * vdso-i386.c — vemu-i386's vDSO image: linux-user/x86/vdso-i386.S, built
 * and turned into C at build time (linux-user/module.mk).
 */
#include <stdint.h>

#include "linux-user/i386/target-i386.h"
#include "linux-user/vdso.h"

#include "linux-user/x86/vdso-i386.c.inc"
