/*
 * disas.h — capstone for the -d log, loaded on first use (exec/disas.c).
 */
#ifndef VEMU_EXEC_DISAS_H
#define VEMU_EXEC_DISAS_H

#include <capstone.h>
#include <stdbool.h>

/* false (once, with a message on stderr) when capstone cannot be loaded:
 * the log then shows raw words instead of mnemonics. */
bool disas_open(int arch, int mode, csh *handle);
size_t disas_insns(csh handle, const uint8_t *code, size_t size, uint64_t addr, size_t count, cs_insn **insn);
void disas_free(cs_insn *insn, size_t count);
void disas_close(csh *handle);

#endif
