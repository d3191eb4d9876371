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

# vemu-i386 and vemu-x86_64: linux-user/x86 (what both share) with
# linux-user/i386 or linux-user/x86_64 (each a LinuxTarget), on
# frontend-x86; built once frontend-x86 provides its Frontends.
LIB_linux_user_x86    := $(call objs,linux-user/x86)
LIB_linux_user_i386   := $(call objs,linux-user/i386)
LIB_linux_user_x86_64 := $(call objs,linux-user/x86_64)
LIB_frontend_x86      ?= $(call objs,frontend-x86)
ifeq ($(words $(X86_GUESTS) $(wildcard frontend-x86/x86-fxsave.c)),2)
PROGRAMS += $(BUILD)/vemu-i386 $(BUILD)/vemu-x86_64
$(BUILD)/vemu-i386: $(LIB_linux_user) $(LIB_linux_user_x86) $(LIB_linux_user_i386) $(LIB_frontend_x86) $(CORE_OBJS)
	$(CC) $(VEMU_LDFLAGS) -o $@ $^ $(VEMU_PROG_LIBS)
$(BUILD)/vemu-x86_64: $(LIB_linux_user) $(LIB_linux_user_x86) $(LIB_linux_user_x86_64) $(LIB_frontend_x86) $(CORE_OBJS)
	$(CC) $(VEMU_LDFLAGS) -o $@ $^ $(VEMU_PROG_LIBS)
endif

# The x86 system call tables, from the kernel's syscall_32.tbl and
# syscall_64.tbl in Debian's linux-source-6.1 (cached tarball).
.PHONY: syscall-table-x86
syscall-table-x86:
	$(PYTHON) linux-user/x86/gen-syscall-table.py --i386 > linux-user/i386/syscall-table-i386.inc.tmp
	mv linux-user/i386/syscall-table-i386.inc.tmp linux-user/i386/syscall-table-i386.inc
	$(PYTHON) linux-user/x86/gen-syscall-table.py --x86_64 > linux-user/x86_64/syscall-table-x86_64.inc.tmp
	mv linux-user/x86_64/syscall-table-x86_64.inc.tmp linux-user/x86_64/syscall-table-x86_64.inc

.PHONY: syscall-docs-x86
syscall-docs-x86:
	$(PYTHON) linux-user/x86/gen-syscall-table.py --docs > docs/syscalls-x86.md.tmp
	mv docs/syscalls-x86.md.tmp docs/syscalls-x86.md

# The x86 vDSO images (linux-user/vdso.h): assembled and linked for the
# guest with i686-linux-gnu-gcc (-m32 or -m64: Debian's i686 cross
# compiler is biarch, so one package serves both, on any host), then
# turned into C by gen-vdso-image.py, which also checks the layout the
# loader relies on.  VDSO_CC overrides the compiler.
VDSO_CC ?= i686-linux-gnu-gcc
VDSO_GEN := $(BUILD)/gen/linux-user/x86
VDSO_LDFLAGS := -nostdlib -shared -Wl,-T,linux-user/x86/vdso-layout.lds -Wl,--hash-style=both \
                -Wl,-soname=linux-vdso.so.1 -Wl,--build-id=none -Wl,-z,max-page-size=4096 \
                -Wl,--no-undefined -Wl,-z,noexecstack
$(VDSO_GEN)/vdso-i386.so $(VDSO_GEN)/vdso-x86_64.so: $(VDSO_GEN)/vdso-%.so: \
        linux-user/x86/vdso-%.S linux-user/x86/vdso-%.map linux-user/x86/vdso-layout.lds
	@mkdir -p $(dir $@)
	$(VDSO_CC) $(if $(filter i386,$*),-m32,-m64) $(VDSO_LDFLAGS) \
	    -Wl,--version-script=linux-user/x86/vdso-$*.map -o $@ linux-user/x86/vdso-$*.S
$(VDSO_GEN)/vdso-i386.c.inc: $(VDSO_GEN)/vdso-i386.so linux-user/x86/gen-vdso-image.py
	$(PYTHON) linux-user/x86/gen-vdso-image.py $< i386_vdso sysinfo=__kernel_vsyscall \
	    sigreturn=__kernel_sigreturn rt_sigreturn=__kernel_rt_sigreturn > $@.tmp
	mv $@.tmp $@
$(VDSO_GEN)/vdso-x86_64.c.inc: $(VDSO_GEN)/vdso-x86_64.so linux-user/x86/gen-vdso-image.py
	$(PYTHON) linux-user/x86/gen-vdso-image.py $< x86_64_vdso > $@.tmp
	mv $@.tmp $@
$(BUILD)/linux-user/i386/vdso-i386.o: $(VDSO_GEN)/vdso-i386.c.inc
$(BUILD)/linux-user/x86_64/vdso-x86_64.o: $(VDSO_GEN)/vdso-x86_64.c.inc
$(BUILD)/tests/unit/test-linux-user-vdso.o: $(VDSO_GEN)/vdso-i386.c.inc $(VDSO_GEN)/vdso-x86_64.c.inc
