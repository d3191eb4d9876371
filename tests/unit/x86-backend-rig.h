/*
 * x86-backend-rig.h — backend-rig.h driving the x86_64 backend by name, for
 * the tests of x86_64-specific code (code bytes, lzcnt/bmi1 fallbacks).
 */
#ifndef VEMU_X86_BACKEND_RIG_H
#define VEMU_X86_BACKEND_RIG_H

#include "backend-x86_64/backend-x86_64.h"

#define RIG_BACKEND backend_x86_64
#include "backend-rig.h"

#endif
