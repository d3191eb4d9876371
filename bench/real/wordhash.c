/* wordhash.c — the input of the gcc row (bench/real/gcc.sh): a small,
 * self-contained C program (a word counter on a chained hash table), the
 * size of a typical file of a C project. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Entry {
    char *word;
    unsigned count;
    struct Entry *next;
} Entry;

typedef struct {
    Entry **slots;
    size_t nslots, n;
} Hash;

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    while (*s)
        h = (h ^ (unsigned char)*s++) * 16777619u;
    return h;
}

static void hash_init(Hash *h, size_t nslots)
{
    h->slots = calloc(nslots, sizeof(*h->slots));
    h->nslots = nslots;
    h->n = 0;
}

static void grow(Hash *h)
{
    Hash bigger;
    hash_init(&bigger, h->nslots * 2);
    for (size_t i = 0; i < h->nslots; i++) {
        for (Entry *e = h->slots[i], *next; e; e = next) {
            next = e->next;
            size_t k = hash_str(e->word) % bigger.nslots;
            e->next = bigger.slots[k];
            bigger.slots[k] = e;
        }
    }
    free(h->slots);
    bigger.n = h->n;
    *h = bigger;
}

static void hash_add(Hash *h, const char *word)
{
    size_t k = hash_str(word) % h->nslots;
    for (Entry *e = h->slots[k]; e; e = e->next) {
        if (strcmp(e->word, word) == 0) {
            e->count++;
            return;
        }
    }
    Entry *e = malloc(sizeof(*e));
    e->word = strdup(word);
    e->count = 1;
    e->next = h->slots[k];
    h->slots[k] = e;
    if (++h->n > h->nslots * 2)
        grow(h);
}

/* Most frequent first; ties in byte order, independent of the table. */
static int by_count(const void *a, const void *b)
{
    const Entry *x = *(Entry *const *)a, *y = *(Entry *const *)b;
    if (x->count != y->count)
        return x->count < y->count ? 1 : -1;
    return strcmp(x->word, y->word);
}

int main(void)
{
    Hash h;
    char word[256];
    size_t len = 0, total = 0;
    int c;
    hash_init(&h, 64);
    do {
        c = getchar();
        if (c != EOF && (isalnum(c) || c == '\'') && len + 1 < sizeof(word)) {
            word[len++] = (char)tolower(c);
        } else if (len) {
            word[len] = 0;
            hash_add(&h, word);
            total++;
            len = 0;
        }
    } while (c != EOF);
    Entry **all = malloc((h.n + 1) * sizeof(*all));
    size_t n = 0;
    for (size_t i = 0; i < h.nslots; i++)
        for (Entry *e = h.slots[i]; e; e = e->next)
            all[n++] = e;
    qsort(all, n, sizeof(*all), by_count);
    printf("%zu words, %zu distinct\n", total, n);
    for (size_t i = 0; i < n && i < 5; i++)
        printf("%6u %s %08x\n", all[i]->count, all[i]->word, hash_str(all[i]->word));
    return 0;
}
