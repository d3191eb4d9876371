# gdbstub: the generic stub (rsp.c, gdbstub.c, gdb-signals.c) joins the core
# objects every program links; gdb-arm.c knows ARMCPU, so it travels with
# frontend-arm (vemu-arm and the unit tests link that).
LIB_gdbstub_arch := $(BUILD)/gdbstub/gdb-arm.o
LIB_gdbstub      := $(filter-out $(LIB_gdbstub_arch) $(BUILD)/gdbstub/gdb-x86.o,$(call objs,gdbstub))
CORE_OBJS        += $(LIB_gdbstub)
LIB_frontend_arm += $(LIB_gdbstub_arch)
# gdb-x86.c knows X86CPU: it travels with frontend-x86 (vemu-i386,
# vemu-x86_64), once there is one
ifneq ($(wildcard frontend-x86/x86-cpu.c),)
LIB_frontend_x86 += $(BUILD)/gdbstub/gdb-x86.o
endif
