/*
 * monitor-block.h — the monitor's block commands (monitor-block.c):
 * HMP `info block`, `commit`, `change`, `eject`; QMP query-block, eject,
 * blockdev-change-medium.  They run, like every monitor command, on the
 * event loop's thread with the machine lock held.
 */
#ifndef VEMU_SOFTMMU_MONITOR_BLOCK_H
#define VEMU_SOFTMMU_MONITOR_BLOCK_H

#include <jansson.h>

#include "softmmu/monitor.h"

int hmp_info_block(MonOut *out);
int hmp_commit(const char *args, MonOut *out);
int hmp_change(const char *args, MonOut *out);
int hmp_eject(const char *args, MonOut *out);

json_t *qmp_query_block(json_t *args);
json_t *qmp_eject(json_t *args);
json_t *qmp_blockdev_change_medium(json_t *args);

#endif
