# tests/guest/guest.mk — cross-compiles the guest test programs.
#
#   make -f tests/guest/guest.mk OUT=build/guest
#
# Every C (*.c) and C++ (*.cc) program is built twice, as <name>-O0 and
# <name>-O2; every assembly program (*.S) once, as <name>.  All are static
# armel (ARMv5TE, soft-float) executables.  make rebuilds only what changed.

SRC       := tests/guest
OUT       ?= build/guest
CROSS     ?= arm-linux-gnueabi-
GUEST_CC  := $(CROSS)gcc
GUEST_CXX := $(CROSS)g++
GUEST_CFLAGS := -static -Wall -Wextra -fno-strict-aliasing

C_PROGS   := $(basename $(notdir $(wildcard $(SRC)/*.c)))
CXX_PROGS := $(basename $(notdir $(wildcard $(SRC)/*.cc)))
ASM_PROGS := $(basename $(notdir $(wildcard $(SRC)/*.S)))

BINS := $(foreach p,$(C_PROGS) $(CXX_PROGS),$(OUT)/$(p)-O0 $(OUT)/$(p)-O2) \
        $(addprefix $(OUT)/,$(ASM_PROGS))

all: $(BINS)

$(OUT)/%-O0: $(SRC)/%.c $(SRC)/guest.mk | $(OUT)
	$(GUEST_CC) $(GUEST_CFLAGS) -O0 -o $@ $< -lm
$(OUT)/%-O2: $(SRC)/%.c $(SRC)/guest.mk | $(OUT)
	$(GUEST_CC) $(GUEST_CFLAGS) -O2 -o $@ $< -lm
$(OUT)/%-O0: $(SRC)/%.cc $(SRC)/guest.mk | $(OUT)
	$(GUEST_CXX) $(GUEST_CFLAGS) -O0 -o $@ $<
$(OUT)/%-O2: $(SRC)/%.cc $(SRC)/guest.mk | $(OUT)
	$(GUEST_CXX) $(GUEST_CFLAGS) -O2 -o $@ $<
$(OUT)/%: $(SRC)/%.S $(SRC)/guest.mk | $(OUT)
	$(GUEST_CC) $(GUEST_CFLAGS) -o $@ $<

# Thumb-2 variants of the C and C++ programs (ARMv7-A: T16/T32, IT blocks):
#   <name>-thumb  armel with -march=armv7-a -mthumb: soft-float, and libc stays
#                 ARM code, so every libc call and return interworks;
#   <name>-armhf  the armhf toolchain: Thumb-2 by default, libc Thumb-2 too,
#                 and VFPv3 (hard-float ABI).
# The arm-* programs hold ARM-state inline assembly and are left out.
HF_CROSS    ?= arm-linux-gnueabihf-
THUMB_PROGS := $(filter-out arm-%,$(C_PROGS) $(CXX_PROGS))
THUMB_BINS  := $(addprefix $(OUT)/,$(addsuffix -thumb,$(THUMB_PROGS)) $(addsuffix -armhf,$(THUMB_PROGS)))
all: $(THUMB_BINS)

$(OUT)/%-thumb: $(SRC)/%.c $(SRC)/guest.mk | $(OUT)
	$(GUEST_CC) $(GUEST_CFLAGS) -O2 -march=armv7-a -mthumb -o $@ $< -lm
$(OUT)/%-thumb: $(SRC)/%.cc $(SRC)/guest.mk | $(OUT)
	$(GUEST_CXX) $(GUEST_CFLAGS) -O2 -march=armv7-a -mthumb -o $@ $<
$(OUT)/%-armhf: $(SRC)/%.c $(SRC)/guest.mk | $(OUT)
	$(HF_CROSS)gcc $(GUEST_CFLAGS) -O2 -o $@ $< -lm
$(OUT)/%-armhf: $(SRC)/%.cc $(SRC)/guest.mk | $(OUT)
	$(HF_CROSS)g++ $(GUEST_CFLAGS) -O2 -o $@ $<

$(OUT):
	mkdir -p $@

.PHONY: all
.DELETE_ON_ERROR:
