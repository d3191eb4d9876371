/*
 * host-backend.c — host_backend() (host/host-backend.h): a weak reference
 * to backend_host, which is NULL when no backend-<host>/ was linked.
 */
#include "host/host-backend.h"

extern const Backend backend_host __attribute__((weak));

const Backend *host_backend(void)
{
    return &backend_host;
}
