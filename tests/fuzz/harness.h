/*
 * harness.h — what every fuzz target over the image formats shares
 * (tests/fuzz/target-*.c): the bytes of one input become an image file that
 * the block layer opens, reads, walks, inspects, checks, writes and repairs.
 * The same targets link against libFuzzer (`make fuzz`, clang) or against
 * tests/fuzz/driver.c, the replay and mutation driver `make check` runs.
 */
#ifndef VEMU_FUZZ_HARNESS_H
#define VEMU_FUZZ_HARNESS_H

#include <stddef.h>
#include <stdint.h>

/* Runs one input as an image of format fmt (NULL: probed, as vemu-img does
 * without -f).  Returns 0; a broken contract aborts (a finding). */
int fuzz_image(const uint8_t *data, size_t size, const char *fmt);

/* How many inputs so far opened as an image (a harness whose inputs never
 * open tests nothing: tests/fuzz/run.sh requires some). */
extern long fuzz_opened;

/* libFuzzer's entry points, defined by each target. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif
