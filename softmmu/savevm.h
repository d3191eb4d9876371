/*
 * savevm.h — whole-machine snapshots in the drives' qcow2 internal
 * snapshots, as QEMU's savevm/loadvm/delvm/info snapshots
 * (docs/vmstate.md).
 *
 * savevm stops the machine, writes the VM state (softmmu/vmstate.h: RAM,
 * cpu, every device, the virtual clock) into the VM-state area of the
 * first writable drive that keeps one (softmmu/drive.h), then takes an
 * internal snapshot of that name on every writable drive (one of the same
 * name is replaced).  loadvm reverts every writable drive to the snapshot
 * and loads the state from the first one.  Both leave the run state as it
 * was (a running machine runs on).  Called with the machine lock held from
 * a thread that is not the vcpu's (the monitors), or from main before the
 * vcpu runs (-loadvm).  0, or -1 with *err (malloc'd, QEMU's words).
 */
#ifndef VEMU_SOFTMMU_SAVEVM_H
#define VEMU_SOFTMMU_SAVEVM_H

int savevm(const char *name, char **err);   /* name "" or NULL: vm-YYYYMMDDHHMMSS */
int loadvm(const char *name, char **err);
int delvm(const char *name, char **err);
/* `info snapshots`: the lines, each ending in "\n", to print(opaque, text). */
void info_snapshots(void (*print)(void *opaque, const char *text), void *opaque);

#endif
