# hw-scsi/ — the SCSI adapter (LSI53C895A) and its disks and CD-ROMs.
# Boards link them with their own devices: the objects join
# LIB_hw_versatile (vemu-system-arm and the system archive the unit tests
# link), so the top-level GNUmakefile needs no new library.
LIB_hw_scsi := $(call objs,hw-scsi)
LIB_hw_versatile += $(LIB_hw_scsi)
