/* target-vdi.c — fuzz target: the input is a vdi image (tests/fuzz/harness.h). */
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_image(data, size, "vdi");
}
