/*
 * host-backend.h — the backend this program was linked with, if any.
 *
 * A program links the backend of the host it is built for
 * (backend-<host>/, which defines backend_host, exec/backend.h).  A host
 * whose backend does not exist yet (aarch64 today, docs/backend-aarch64.md)
 * builds the same programs without one: they run every guest in the IR
 * interpreter.  The products ask here instead of naming backend_host, so
 * they link either way.
 */
#ifndef VEMU_HOST_BACKEND_H
#define VEMU_HOST_BACKEND_H

#include "exec/backend.h"

/* backend_host, or NULL when the program has no backend (interpreter only). */
const Backend *host_backend(void);

#endif
