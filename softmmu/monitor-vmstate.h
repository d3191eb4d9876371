/*
 * monitor-vmstate.h — the monitor's snapshot commands (monitor-vmstate.c),
 * for monitor-hmp.c's command table.
 */
#ifndef VEMU_SOFTMMU_MONITOR_VMSTATE_H
#define VEMU_SOFTMMU_MONITOR_VMSTATE_H

#include "softmmu/monitor.h"

int hmp_savevm(const char *args, MonOut *out);
int hmp_loadvm(const char *args, MonOut *out);
int hmp_delvm(const char *args, MonOut *out);
int hmp_info_snapshots(MonOut *out);

#endif
