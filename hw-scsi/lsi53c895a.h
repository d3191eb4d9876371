/*
 * lsi53c895a.h — the LSI53C895A PCI-to-Ultra2 SCSI controller
 * (lsi53c895a.c) with up to 7 targets (ids 0..6; the adapter is 7).
 */
#ifndef VEMU_HW_LSI53C895A_H
#define VEMU_HW_LSI53C895A_H

#include <stdbool.h>

#include "hw-scsi/scsi.h"
#include "softmmu/pci.h"

#define LSI_MAX_TARGETS 7

typedef struct LSI53C895A LSI53C895A;

/* Plugs the adapter into bus at slot (-1: the first free one); NULL if taken. */
LSI53C895A *lsi53c895a_new(PCIBus *bus, int slot);
/* Puts dev at SCSI id (0..6); false when the id is taken or out of range. */
bool lsi53c895a_attach(LSI53C895A *s, int id, SCSIDevice *dev);
/* The lowest free id, or -1. */
int lsi53c895a_free_id(const LSI53C895A *s);

#endif
