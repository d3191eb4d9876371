/*
 * net-tap.h — the "tap" network backend (-netdev tap / -nic tap): frames
 * to and from a host tap interface.  opts: ifname=, script=, downscript=,
 * fd= (see net-tap.c).  NULL and *err set on failure.
 */
#ifndef VEMU_SOFTMMU_NET_TAP_H
#define VEMU_SOFTMMU_NET_TAP_H

#include "softmmu/net.h"

NetClient *net_tap_new(const char *opts, const char *name, char **err);

#endif
