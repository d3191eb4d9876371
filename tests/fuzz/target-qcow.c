/* target-qcow.c — fuzz target: the input is a qcow image (tests/fuzz/harness.h). */
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_image(data, size, "qcow");
}
