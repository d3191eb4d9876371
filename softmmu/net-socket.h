/*
 * net-socket.h — the "socket" network backend (-netdev socket / -nic
 * socket): a wire to another emulator over TCP (listen=, connect=) or UDP
 * (mcast=, udp=), in QEMU's formats (see net-socket.c).  NULL and *err set
 * on failure.
 */
#ifndef VEMU_SOFTMMU_NET_SOCKET_H
#define VEMU_SOFTMMU_NET_SOCKET_H

#include "softmmu/net.h"

NetClient *net_socket_new(const char *opts, const char *name, char **err);

#endif
