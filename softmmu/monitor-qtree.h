/*
 * monitor-qtree.h — HMP `info qtree` (monitor-qtree.c).
 */
#ifndef VEMU_SOFTMMU_MONITOR_QTREE_H
#define VEMU_SOFTMMU_MONITOR_QTREE_H

#include "softmmu/monitor.h"

int hmp_info_qtree(CPUCommon *cpu, MonOut *out);

#endif
