/*
 * float-mandel.c — double-precision floating point: the Mandelbrot set
 * (multiply, add, compare) plus a division and a polynomial per point.
 * On armel (soft-float ABI) every operation is a call into libgcc's integer
 * soft-float routines; on the host it is SSE2.  Only IEEE basic operations,
 * so native, qemu-arm and vemu-arm print the same bits.
 * bench-armhf-times: 3 (as armhf, VFP code, it runs with 3x the rows)
 */
#include <string.h>
#include "bench-common.h"

int main(int argc, char **argv)
{
    /* Sized to ~0.05 s natively, far less than the others: as armel
     * soft-float it runs ~150x slower under an emulator than the host's SSE2,
     * and a 1 s kernel would take minutes per run.  The scale argument sets
     * the number of rows (the image repeats every `size` rows). */
    const uint32_t size = 450;
    uint32_t rows = bench_scale(argc, argv, size);
    uint64_t inside = 0, iters = 0;
    double acc = 0.0;
    for (uint32_t py = 0; py < rows; py++) {
        double ci = -1.25 + 2.5 * (py % size) / size;
        for (uint32_t px = 0; px < size; px++) {
            double cr = -2.0 + 2.6 * px / size;
            double zr = 0, zi = 0, zr2 = 0, zi2 = 0;
            uint32_t k = 0;
            while (k < 200 && zr2 + zi2 <= 4.0) {
                zi = 2.0 * zr * zi + ci;
                zr = zr2 - zi2 + cr;
                zr2 = zr * zr;
                zi2 = zi * zi;
                k++;
            }
            iters += k;
            if (k == 200)
                inside++;
            double t = cr * 0.5 + ci;   /* a little Horner and a division */
            acc += (((0.25 * t - 0.5) * t + 1.0) * t - 2.0) / (1.0 + zr2 + zi2);
        }
    }
    uint64_t bits;
    memcpy(&bits, &acc, sizeof bits);
    printf("inside %llu, iterations %llu, acc %.10g\n", (unsigned long long)inside,
           (unsigned long long)iters, acc);
    bench_result("float-mandel", bits ^ iters ^ (inside << 40));
    return 0;
}
