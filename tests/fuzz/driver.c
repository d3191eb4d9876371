/*
 * driver.c — the replay and mutation driver that stands in for libFuzzer
 * when a target is built with gcc (make check, also under SAN=1):
 *
 *   fuzz-FMT [-n ITERATIONS] [-t SECONDS] [-s SEED] [-o CRASH_DIR] FILE|DIR...
 *
 * It runs every seed file as is (a directory: its files in name order), then
 * mutated copies of them: input i is seed i mod count with 1-4 mutations
 * drawn from a PRNG seeded by SEED and i, so a run is reproducible and two
 * runs with the same arguments try the same inputs.  It stops after
 * ITERATIONS inputs or SECONDS seconds, whichever comes first.  Mutations
 * aim at what image parsers trust: header fields (most land in the first
 * 512 bytes or the last 512, where a VHD footer is), 8-byte aligned table
 * entries, and lengths and offsets set to boundary values in either byte
 * order, numbers in text (descriptors) replaced, plus block copies, zeroed
 * ranges, truncation and growth.
 *
 * A crash (signal, sanitizer report, abort on a broken contract) or an input
 * that runs longer than 20 s leaves the input in CRASH_DIR/crash-FMT-N and
 * the process dies with the signal; the suite reports it.  The targets'
 * chatter (check reports, warnings) goes to /dev/null unless FUZZ_VERBOSE
 * is set; the driver's lines and sanitizer reports go to the original stderr.
 */
#include "tests/fuzz/harness.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define FUZZ_MAX_INPUT   (4u << 20)   /* seeds and mutants are cut to this */
#define INPUT_TIMEOUT 20         /* seconds one input may take */

/* sanitizer hooks, present only in a SAN=1 build */
extern void __sanitizer_set_death_callback(void (*cb)(void)) __attribute__((weak));
extern void __sanitizer_set_report_fd(void *fd) __attribute__((weak));

typedef struct Seed {
    char *name;
    uint8_t *data;
    size_t size;
} Seed;

static Seed *seeds;
static int nseeds;
static int err_fd = 2;             /* the original stderr */
static const char *target = "fuzz";
static const char *crash_dir = ".";

/* the input being run, for the crash handlers */
static const uint8_t *cur_data;
static size_t cur_size;
static char crash_path[PATH_MAX];

static void say(const char *s)
{
    ssize_t r = write(err_fd, s, strlen(s));
    (void)r;
}

static void save_crash(void)
{
    if (!cur_data) {
        return;
    }
    int fd = open(crash_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd >= 0) {
        size_t off = 0;
        while (off < cur_size) {
            ssize_t n = write(fd, cur_data + off, cur_size - off);
            if (n <= 0) {
                break;
            }
            off += (size_t)n;
        }
        close(fd);
    }
    say("fuzz: crashing input saved as ");
    say(crash_path);
    say("\n");
    cur_data = NULL;
}

static void on_signal(int sig)
{
    if (sig == SIGALRM) {
        say("fuzz: an input ran longer than the limit (a hang)\n");
    }
    save_crash();
    signal(sig == SIGALRM ? SIGABRT : sig, SIG_DFL);
    raise(sig == SIGALRM ? SIGABRT : sig);
}

static void add_seed(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    uint8_t *buf = malloc(FUZZ_MAX_INPUT);
    size_t n = fread(buf, 1, FUZZ_MAX_INPUT, f);
    fclose(f);
    seeds = realloc(seeds, (size_t)(nseeds + 1) * sizeof(*seeds));
    seeds[nseeds++] = (Seed){ strdup(path), realloc(buf, n ? n : 1), n };
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) < 0) {
        fprintf(stderr, "fuzz: %s: %s\n", path, strerror(errno));
        exit(2);
    }
    if (!S_ISDIR(st.st_mode)) {
        add_seed(path);
        return;
    }
    DIR *d = opendir(path);
    char **names = NULL;
    int n = 0;
    for (struct dirent *e; d && (e = readdir(d));) {
        if (e->d_name[0] == '.') {
            continue;
        }
        names = realloc(names, (size_t)(n + 1) * sizeof(*names));
        if (asprintf(&names[n], "%s/%s", path, e->d_name) < 0) {
            exit(2);
        }
        n++;
    }
    if (d) {
        closedir(d);
    }
    qsort(names, (size_t)n, sizeof(*names), by_name);
    for (int i = 0; i < n; i++) {
        if (stat(names[i], &st) == 0 && S_ISREG(st.st_mode)) {
            add_seed(names[i]);
        }
        free(names[i]);
    }
    free(names);
}

/* xorshift64*: small, fast and the same everywhere */
static uint64_t rng;
static uint64_t next(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 0x2545f4914f6cdd1dull;
}

static uint64_t below(uint64_t n)
{
    return n ? next() % n : 0;
}

/* where a mutation lands: headers, footers, aligned table entries, anywhere */
static size_t pick_offset(size_t size, size_t width)
{
    if (size <= width) {
        return 0;
    }
    size_t room = size - width;
    switch (below(8)) {
    case 0: case 1: case 2:
        return below(room < 512 ? room + 1 : 512);
    case 3:
        return room > 512 ? room - below(512) : below(room + 1);
    case 4: case 5:
        return below(room + 1) & ~(size_t)7;
    default:
        return below(room + 1);
    }
}

static void put(uint8_t *p, uint64_t v, int width, int big_endian)
{
    for (int i = 0; i < width; i++) {
        p[big_endian ? width - 1 - i : i] = (uint8_t)(v >> (8 * i));
    }
}

static uint64_t get(const uint8_t *p, int width, int big_endian)
{
    uint64_t v = 0;
    for (int i = 0; i < width; i++) {
        v |= (uint64_t)p[big_endian ? width - 1 - i : i] << (8 * i);
    }
    return v;
}

static uint64_t interesting(size_t size)
{
    static const uint64_t v[] = {
        0, 1, 2, 7, 8, 9, 16, 0x7f, 0x80, 0xff, 0x100, 0x1ff, 0x200, 0x201, 0x1000, 0xffff,
        0x10000, 0x200000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff, 0x100000000ull,
        1ull << 40, 1ull << 56, 0x7fffffffffffffffull, 0x8000000000000000ull,
        0xfffffffffffffe00ull, 0xffffffffffffffffull,
    };
    switch (below(4)) {
    case 0:
        return size - below(size < 1024 ? size + 1 : 1024);   /* near the end of the file */
    case 1:
        return (uint64_t)1 << below(64);
    default:
        return v[below(sizeof(v) / sizeof(v[0]))];
    }
}

/* One mutation of buf (size bytes, room for FUZZ_MAX_INPUT); returns the new size. */
static size_t mutate(uint8_t *buf, size_t size)
{
    static const int widths[] = { 1, 2, 4, 8 };
    int w = widths[below(4)];
    size_t off, len, src;
    switch (below(13)) {
    case 0:
        if (size) {
            off = pick_offset(size, 1);
            buf[off] ^= (uint8_t)(1u << below(8));
        }
        break;
    case 1:
        if (size) {
            buf[pick_offset(size, 1)] = (uint8_t)next();
        }
        break;
    case 2: case 3: case 4:
        if (size >= (size_t)w) {
            put(buf + pick_offset(size, (size_t)w), interesting(size), w, (int)below(2));
        }
        break;
    case 5: case 6:   /* a field a little off */
        if (size >= (size_t)w) {
            int be = (int)below(2);
            off = pick_offset(size, (size_t)w);
            uint64_t d = 1 + below(16);
            put(buf + off, get(buf + off, w, be) + (below(2) ? d : -d), w, be);
        }
        break;
    case 7:   /* a block copied over another (tables pointing at tables) */
        if (size >= 16) {
            len = 1 + below(size < 4096 ? size / 2 : 4096);
            src = below(size - len + 1);
            off = below(size - len + 1);
            memmove(buf + off, buf + src, len);
        }
        break;
    case 8:   /* a range zeroed or filled */
        if (size >= 16) {
            len = 1 + below(size < 1024 ? size / 2 : 1024);
            off = below(size - len + 1);
            memset(buf + off, below(2) ? 0 : 0xff, len);
        }
        break;
    case 9:   /* truncated */
        if (size > 1) {
            size = below(4) ? size - below(size < 4096 ? size : 4096) : below(size);
        }
        break;
    case 10:  /* grown with random bytes */
        len = 1 + below(4096);
        if (size + len <= FUZZ_MAX_INPUT) {
            for (size_t i = 0; i < len; i++) {
                buf[size + i] = (uint8_t)next();
            }
            size += len;
        }
        break;
    case 12:  /* a decimal number in text (VMDK descriptors) replaced by another */
        off = size ? below(size) : 0;
        for (len = 0; off < size && len < 4096 && !(buf[off] >= '0' && buf[off] <= '9'); off++, len++) {
        }
        if (off < size) {
            size_t end = off;
            while (end < size && buf[end] >= '0' && buf[end] <= '9') {
                end++;
            }
            char num[24];
            int n = snprintf(num, sizeof(num), "%llu", (unsigned long long)interesting(size));
            if (size - (end - off) + (size_t)n <= FUZZ_MAX_INPUT) {
                memmove(buf + off + n, buf + end, size - end);
                memcpy(buf + off, num, (size_t)n);
                size = size - (end - off) + (size_t)n;
            }
        }
        break;
    default:  /* random bytes in a header */
        for (int i = 0, n = 1 + (int)below(8); i < n && size; i++) {
            buf[below(size < 512 ? size : 512)] = (uint8_t)next();
        }
        break;
    }
    return size;
}

static void run_one(const uint8_t *data, size_t size, long n)
{
    snprintf(crash_path, sizeof(crash_path), "%s/crash-%s-%ld", crash_dir, target, n);
    cur_data = data;
    cur_size = size;
    alarm(INPUT_TIMEOUT);
    LLVMFuzzerTestOneInput(data, size);
    alarm(0);
    cur_data = NULL;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    long iterations = 100000;
    double seconds = 10;
    uint64_t seed = 1;
    int opt;
    target = strrchr(argv[0], '/') ? strrchr(argv[0], '/') + 1 : argv[0];
    while ((opt = getopt(argc, argv, "n:t:s:o:")) != -1) {
        switch (opt) {
        case 'n': iterations = atol(optarg); break;
        case 't': seconds = atof(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 0); break;
        case 'o': crash_dir = optarg; break;
        default:
            fprintf(stderr, "usage: %s [-n ITERATIONS] [-t SECONDS] [-s SEED] [-o CRASH_DIR] FILE|DIR...\n",
                    target);
            return 2;
        }
    }
    for (int i = optind; i < argc; i++) {
        add_path(argv[i]);
    }
    if (nseeds == 0) {
        fprintf(stderr, "%s: no seed inputs\n", target);
        return 2;
    }
    /* the targets' own messages to /dev/null; reports to the real stderr */
    err_fd = dup(2);
    int null = open("/dev/null", O_WRONLY);
    if (err_fd < 0 || null < 0 || (!getenv("FUZZ_VERBOSE") && dup2(null, 2) < 0)) {
        perror("fuzz: redirecting stderr");
        return 2;
    }
    close(null);
    if (__sanitizer_set_report_fd) {
        __sanitizer_set_report_fd((void *)(long)err_fd);
    }
    if (__sanitizer_set_death_callback) {
        __sanitizer_set_death_callback(save_crash);   /* the sanitizers own SIGSEGV & co */
    } else {
        signal(SIGSEGV, on_signal);
        signal(SIGBUS, on_signal);
        signal(SIGFPE, on_signal);
        signal(SIGILL, on_signal);
    }
    signal(SIGABRT, on_signal);
    signal(SIGALRM, on_signal);

    double start = now();
    long n = 0;
    for (int i = 0; i < nseeds; i++) {
        run_one(seeds[i].data, seeds[i].size, n++);
    }
    long seeds_opened = fuzz_opened;
    uint8_t *buf = malloc(FUZZ_MAX_INPUT);
    long mutants = 0;
    for (long i = 0; i < iterations && now() - start < seconds; i++) {
        const Seed *s = &seeds[i % nseeds];
        rng = (seed * 0x9e3779b97f4a7c15ull) ^ ((uint64_t)i * 0xd1b54a32d192ed03ull) ^ 0x5851f42d4c957f2dull;
        next();
        size_t size = s->size;
        memcpy(buf, s->data, size);
        for (int m = 0, k = 1 + (int)below(4); m < k; m++) {
            size = mutate(buf, size);
        }
        run_one(buf, size, n++);
        mutants++;
    }
    char line[256];
    snprintf(line, sizeof(line), "%s: %d seeds (%ld opened), %ld mutated inputs (%ld opened) in %.1f s, no crash\n",
             target, nseeds, seeds_opened, mutants, fuzz_opened - seeds_opened, now() - start);
    say(line);
    free(buf);
    for (int i = 0; i < nseeds; i++) {
        free(seeds[i].name);
        free(seeds[i].data);
    }
    free(seeds);
    return 0;
}
