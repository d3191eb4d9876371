/*
 * net-slirp.h — user-mode networking (-netdev user, -nic user) on libslirp:
 * a NAT'ed 10.0.2.0/24 with the host at 10.0.2.2, DNS at 10.0.2.3 and DHCP
 * handing out 10.0.2.15 onwards, as QEMU's "user" backend.
 */
#ifndef VEMU_SOFTMMU_NET_SLIRP_H
#define VEMU_SOFTMMU_NET_SLIRP_H

#include "softmmu/net.h"

/* A backend from "user"'s options (comma-separated, without the leading
 * "user,"): id=, net=ADDR[/MASK], host=, dns=, dhcpstart=, hostname=,
 * restrict=on|off, hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT
 * (repeatable).  Its sockets and timers run in the main loop.  NULL with
 * *err (malloc'd) on bad options or a host port that cannot be bound. */
NetClient *net_slirp_new(const char *opts, const char *name, char **err);

#endif
