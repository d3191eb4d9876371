/*
 * options.h — `-o key=value[,key=value...]` option lists (commas inside a
 * value are written twice, as in qemu-img) and sizes with k/M/G/T/P/E
 * suffixes.  Drivers describe the keys they accept with a BlockOptDesc table.
 */
#ifndef VEMU_BLOCK_OPTIONS_H
#define VEMU_BLOCK_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

typedef enum { BOPT_STRING, BOPT_SIZE, BOPT_BOOL, BOPT_NUMBER } BlockOptType;

typedef struct BlockOptDesc {
    const char *name;
    BlockOptType type;
    const char *help;
    const char *def;         /* shown by `create -o help`; NULL: none */
} BlockOptDesc;

typedef struct BlockOpt {
    char *key, *value;
} BlockOpt;

typedef struct BlockOpts {
    int n, cap;
    BlockOpt *v;
} BlockOpts;

BlockOpts *block_opts_new(void);
void block_opts_free(BlockOpts *o);
/* Parses "a=b,c=d" (",," is a literal comma) and adds every pair; later
 * pairs replace earlier ones.  Returns 0 or -EINVAL with *errp set. */
int block_opts_parse(BlockOpts *o, const char *str, char **errp);
void block_opts_set(BlockOpts *o, const char *key, const char *value);
const char *block_opts_get(const BlockOpts *o, const char *key);
/* Every key must be in desc (NULL-name terminated) and typed values must
 * parse; the message names the first offender like qemu-img. */
int block_opts_validate(const BlockOpts *o, const BlockOptDesc *desc, char **errp);
/* typed getters: the default when the key is absent; -EINVAL if malformed */
int block_opts_get_size(const BlockOpts *o, const char *key, uint64_t def, uint64_t *out, char **errp);
int block_opts_get_bool(const BlockOpts *o, const char *key, bool def, bool *out, char **errp);

/* Parses a size: a decimal (fraction allowed with a suffix) followed by an
 * optional suffix b, k/K, M, G, T, P, E (powers of 1024); default_unit
 * multiplies a bare number.  Returns 0, -EINVAL (malformed) or -ERANGE. */
int parse_size(const char *str, uint64_t default_unit, uint64_t *out);
/* "1 GiB", "196 KiB", "512 B", as qemu-img prints sizes (3 significant digits) */
void format_size(uint64_t size, char *buf, int n);

#endif
