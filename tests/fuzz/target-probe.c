/* target-probe.c — fuzz target: the input's format is probed from its first
 * bytes (raw when no driver claims it), as `vemu-img info` without -f does. */
#include "tests/fuzz/harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_image(data, size, NULL);
}
