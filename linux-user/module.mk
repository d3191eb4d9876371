# linux-user/module.mk — extra rules for linux-user.
#
#   make syscall-table   regenerate linux-user/arm/syscall-table-arm.inc and
#                        syscall-table-arm-oabi.inc (the old ABI's)
#   make syscall-docs    regenerate docs/syscalls.md (every ARM EABI system
#                        call with its status in vemu-arm)
# Both read the kernel's asm/unistd-eabi.h and unistd-oabi.h (linux-libc-dev-armel-cross) and
# the handler list in linux-user/syscall.h; their outputs are committed.
.PHONY: syscall-table syscall-docs
syscall-table:
	$(PYTHON) linux-user/arm/gen-syscall-table.py > linux-user/arm/syscall-table-arm.inc.tmp
	mv linux-user/arm/syscall-table-arm.inc.tmp linux-user/arm/syscall-table-arm.inc
	$(PYTHON) linux-user/arm/gen-syscall-table.py --oabi > linux-user/arm/syscall-table-arm-oabi.inc.tmp
	mv linux-user/arm/syscall-table-arm-oabi.inc.tmp linux-user/arm/syscall-table-arm-oabi.inc

syscall-docs:
	$(PYTHON) linux-user/arm/gen-syscall-table.py --docs > docs/syscalls.md.tmp
	mv docs/syscalls.md.tmp docs/syscalls.md
