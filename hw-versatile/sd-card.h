/*
 * sd-card.h — an SD memory card (SD Physical Layer Simplified
 * Specification, version 2.00) behind an SD host controller (pl181.c).
 * The card's contents are a block device (block/block.h), so any image
 * format the block layer reads works as the card.
 *
 * The host side is byte-serial, as the card's bus is: a command goes in
 * and its response comes out whole; data blocks move one byte at a time
 * through sd_card_read_byte/sd_card_write_byte once a data command has put
 * the card into its sending or receiving state.
 */
#ifndef VEMU_HW_VERSATILE_SD_CARD_H
#define VEMU_HW_VERSATILE_SD_CARD_H

#include <stdbool.h>
#include <stdint.h>

typedef struct SDCard SDCard;
typedef struct BlockDriverState BlockDriverState;

/* A card over bs (taken over: closed by sd_card_free).  Cards up to 1 GiB
 * are standard capacity (byte addresses, CSD version 1), larger ones SDHC
 * (block addresses, CSD version 2); the capacity is the image size rounded
 * down to 512 KiB (SDHC) or 256 KiB (standard).  read_only: writes fail
 * with WP_VIOLATION, and CSD's TMP_WRITE_PROTECT is set.
 * NULL with *err (malloc'd) when the image is too small or too large. */
SDCard *sd_card_new(BlockDriverState *bs, bool read_only, char **err);
/* Opens filename (fmt NULL: probe) read-write unless read_only. */
SDCard *sd_card_open(const char *filename, const char *fmt, bool read_only, char **err);
void sd_card_free(SDCard *card);

/* Back to the idle state, as at power-up (the RCA, the block length, the
 * bus width and pending data are reset). */
void sd_card_reset(SDCard *card);

/* Sends command index (0..63) with its argument.  The response goes to
 * resp: 4 bytes (a 48-bit response's 32 content bits, big-endian, as the
 * card sends them) or 16 bytes (R2: CID/CSD bits 127..0 incl. the CRC7
 * byte).  Returns the number of response bytes, 0 when the card does not
 * answer (an illegal command, or one not for this card's state or RCA). */
int sd_card_command(SDCard *card, int index, uint32_t arg, uint8_t resp[16]);

/* The data phase: true while the card has a byte for the host (after a
 * read command) or takes one (after a write command). */
bool sd_card_data_out(const SDCard *card);
bool sd_card_data_in(const SDCard *card);
uint8_t sd_card_read_byte(SDCard *card);
void sd_card_write_byte(SDCard *card, uint8_t value);

/* Card state (the CURRENT_STATE field of the card status, 0..8). */
enum { SD_IDLE, SD_READY, SD_IDENT, SD_STBY, SD_TRAN, SD_DATA, SD_RCV, SD_PRG, SD_DIS };
int sd_card_state(const SDCard *card);
/* The CRC7 of commands and of the CID/CSD registers (x^7 + x^3 + 1). */
uint8_t sd_crc7(const uint8_t *data, int n);
uint64_t sd_card_capacity(const SDCard *card);

/* The card state in savevm (its slot base address as the id). */
void sd_card_vmstate_register(SDCard *c, uint64_t id);

#endif
