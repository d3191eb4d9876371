/*
 * fp-nbody.c — floating-point heavy: a five-body gravitational simulation
 * in double precision (multiplies, adds, a division and a square root per
 * pair and step) followed by a dense double matrix multiply.  On armhf it
 * is VFP code end to end; this is the kernel the "FP-heavy program runs 3x
 * faster than under qemu-arm" goal is measured with.  Only IEEE basic
 * operations and sqrt (all correctly rounded), no fused multiply-add, so
 * native, qemu-arm and vemu-arm print the same bits.
 * bench-abi: armhf (as armel soft-float it would take minutes per run)
 */
#include <math.h>
#include <string.h>
#include "bench-common.h"

#define NBODIES 5
#define PI 3.141592653589793
#define SOLAR_MASS (4 * PI * PI)
#define DAYS_PER_YEAR 365.24

typedef struct Body {
    double x, y, z, vx, vy, vz, mass;
} Body;

static Body bodies[NBODIES] = {
    { 0, 0, 0, 0, 0, 0, SOLAR_MASS },
    { 4.84143144246472090e+00, -1.16032004402742839e+00, -1.03622044471123109e-01,
      1.66007664274403694e-03 * DAYS_PER_YEAR, 7.69901118419740425e-03 * DAYS_PER_YEAR,
      -6.90460016972063023e-05 * DAYS_PER_YEAR, 9.54791938424326609e-04 * SOLAR_MASS },
    { 8.34336671824457987e+00, 4.12479856412430479e+00, -4.03523417114321381e-01,
      -2.76742510726862411e-03 * DAYS_PER_YEAR, 4.99852801234917238e-03 * DAYS_PER_YEAR,
      2.30417297573763929e-05 * DAYS_PER_YEAR, 2.85885980666130812e-04 * SOLAR_MASS },
    { 1.28943695621391310e+01, -1.51111514016986312e+01, -2.23307578892655734e-01,
      2.96460137564761618e-03 * DAYS_PER_YEAR, 2.37847173959480950e-03 * DAYS_PER_YEAR,
      -2.96589568540237556e-05 * DAYS_PER_YEAR, 4.36624404335156298e-05 * SOLAR_MASS },
    { 1.53796971148509165e+01, -2.59193146099879641e+01, 1.79258772950371181e-01,
      2.68067772490389322e-03 * DAYS_PER_YEAR, 1.62824170038242295e-03 * DAYS_PER_YEAR,
      -9.51592254519715870e-05 * DAYS_PER_YEAR, 5.15138902046611451e-05 * SOLAR_MASS },
};

static void advance(double dt)
{
    for (int i = 0; i < NBODIES; i++) {
        Body *a = &bodies[i];
        for (int j = i + 1; j < NBODIES; j++) {
            Body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            double d2 = dx * dx + dy * dy + dz * dz;
            double mag = dt / (d2 * sqrt(d2));
            a->vx -= dx * b->mass * mag;
            a->vy -= dy * b->mass * mag;
            a->vz -= dz * b->mass * mag;
            b->vx += dx * a->mass * mag;
            b->vy += dy * a->mass * mag;
            b->vz += dz * a->mass * mag;
        }
    }
    for (int i = 0; i < NBODIES; i++) {
        bodies[i].x += dt * bodies[i].vx;
        bodies[i].y += dt * bodies[i].vy;
        bodies[i].z += dt * bodies[i].vz;
    }
}

static double energy(void)
{
    double e = 0.0;
    for (int i = 0; i < NBODIES; i++) {
        const Body *a = &bodies[i];
        e += 0.5 * a->mass * (a->vx * a->vx + a->vy * a->vy + a->vz * a->vz);
        for (int j = i + 1; j < NBODIES; j++) {
            const Body *b = &bodies[j];
            double dx = a->x - b->x, dy = a->y - b->y, dz = a->z - b->z;
            e -= a->mass * b->mass / sqrt(dx * dx + dy * dy + dz * dz);
        }
    }
    return e;
}

/* The Sun moves so that the total momentum is zero. */
static void offset_momentum(void)
{
    double px = 0, py = 0, pz = 0;
    for (int i = 0; i < NBODIES; i++) {
        px += bodies[i].vx * bodies[i].mass;
        py += bodies[i].vy * bodies[i].mass;
        pz += bodies[i].vz * bodies[i].mass;
    }
    bodies[0].vx = -px / SOLAR_MASS;
    bodies[0].vy = -py / SOLAR_MASS;
    bodies[0].vz = -pz / SOLAR_MASS;
}

/* C = A * B for N x N doubles, i-k-j order (streams rows of B and C). */
#define N 96
static double ma[N][N], mb[N][N], mc[N][N];

static double matmul_round(uint32_t r)
{
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            ma[i][j] = (double)((i * 7 + j * 3 + r) % 17) / 8.0 - 1.0;
            mb[i][j] = (double)((i * 5 + j * 11 + r) % 13) / 4.0 - 1.5;
            mc[i][j] = 0.0;
        }
    for (int i = 0; i < N; i++)
        for (int k = 0; k < N; k++) {
            double a = ma[i][k];
            for (int j = 0; j < N; j++)
                mc[i][j] += a * mb[k][j];
        }
    double trace = 0.0;
    for (int i = 0; i < N; i++)
        trace += mc[i][i] * (1.0 + i / 64.0);
    return trace;
}

static uint64_t bits_of(double d)
{
    uint64_t b;
    memcpy(&b, &d, sizeof b);
    return b;
}

int main(int argc, char **argv)
{
    uint32_t steps = bench_scale(argc, argv, 1200000);
    uint32_t rounds = bench_scale(argc, argv, 100);
    offset_momentum();
    double e0 = energy();
    for (uint32_t s = 0; s < steps; s++)
        advance(0.01);
    double e1 = energy();
    double traces = 0.0;
    for (uint32_t r = 0; r < rounds; r++)
        traces += matmul_round(r);
    printf("energy %.9f -> %.9f, traces %.6f\n", e0, e1, traces);
    bench_result("fp-nbody", bits_of(e1) ^ bits_of(traces));
    return 0;
}
