/*
 * host-abi.h — values of the host kernel's ABI that its C library hides
 * or that differ between hosts, for linux-user's translations.
 *
 *   HOST_O_LARGEFILE  the open flag the 64-bit kernel sets on every open
 *                     (and F_GETFL reports); glibc's O_LARGEFILE is 0 on a
 *                     64-bit host.  x86_64 has the generic numbering
 *                     (0100000), aarch64 ARM's (0400000, where 0100000 is
 *                     O_NOFOLLOW).
 */
#ifndef VEMU_HOST_ABI_H
#define VEMU_HOST_ABI_H

#if defined(__x86_64__)
#define HOST_O_LARGEFILE 0100000
#elif defined(__aarch64__)
#define HOST_O_LARGEFILE 0400000
#else
#error "vemu: host-abi.h does not know this host"
#endif

#endif
