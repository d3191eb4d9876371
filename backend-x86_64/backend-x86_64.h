/*
 * backend-x86_64.h — the x86_64 backend by name, for its own tests (the
 * engine and the products use backend_host, exec/backend.h).
 */
#ifndef VEMU_BACKEND_X86_64_H
#define VEMU_BACKEND_X86_64_H

#include "exec/backend.h"

extern const Backend backend_x86_64;

#endif
