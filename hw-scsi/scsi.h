/*
 * scsi.h — what a SCSI host adapter sees of a target on its bus: a
 * device that takes a command descriptor block and answers with a data
 * phase (in or out, a byte count) and a status byte (SAM-5's model of a
 * command, reduced to one logical unit per target, as -device scsi-hd
 * and scsi-cd are).
 *
 * The adapter (lsi53c895a.c) runs the bus phases; a device (scsi-disk.c)
 * interprets commands.  scsi_command() fills r: for a data-in command
 * r->buf holds all r->len bytes already (the block I/O is done then);
 * for data-out the adapter fills r->buf and calls scsi_write_data(); a
 * command with no data phase has its status at once.  Sense data stays in
 * the device until REQUEST SENSE (no autosense on parallel SCSI).
 * All calls run with the machine lock held.
 */
#ifndef VEMU_HW_SCSI_H
#define VEMU_HW_SCSI_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { SCSI_XFER_NONE, SCSI_XFER_IN, SCSI_XFER_OUT } SCSIXfer;

/* status bytes (SAM-5 5.3.1) */
enum { SCSI_GOOD = 0x00, SCSI_CHECK_CONDITION = 0x02, SCSI_BUSY = 0x08 };

typedef struct SCSIRequest {
    uint8_t cdb[16];
    int lun;
    SCSIXfer dir;
    uint8_t *buf;          /* len bytes (malloc'd; scsi_request_end frees it) */
    uint32_t len;          /* bytes of the data phase */
    uint32_t pos;          /* the adapter's progress through buf */
    uint8_t status;        /* valid once done */
    bool done;
    uint64_t lba;          /* device-private: a write's place */
} SCSIRequest;

typedef struct SCSIDevice SCSIDevice;

/* The length of the CDB that starts with opcode (by its group code). */
int scsi_cdb_length(uint8_t opcode);

void scsi_command(SCSIDevice *d, SCSIRequest *r);
void scsi_write_data(SCSIDevice *d, SCSIRequest *r);
void scsi_request_end(SCSIRequest *r);
/* The device's state takes part in savevm as the "scsi-disk" section of
 * instance_id (the adapter's: its PCI slot << 8 | the SCSI id). */
void scsi_device_register_state(SCSIDevice *d, uint64_t instance_id);
/* A bus reset or a BUS DEVICE RESET message. */
void scsi_device_reset(SCSIDevice *d);

#endif
