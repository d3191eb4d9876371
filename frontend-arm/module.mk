# frontend-arm: the A32 decoder is generated from frontend-arm/*.decode by
# tools/gen-decoder.py into $(BUILD)/gen/frontend-arm/.  GEN_HEADERS makes
# every object wait for it (order-only), and the .d files then track it.

ARM_GEN := $(BUILD)/gen/frontend-arm
ARM_DECODERS := $(ARM_GEN)/a32-decode.c.inc $(ARM_GEN)/a32-decode.h.inc
GEN_HEADERS += $(ARM_DECODERS)

$(ARM_GEN)/a32-decode.c.inc $(ARM_GEN)/a32-decode.h.inc &: frontend-arm/a32.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix a32 --ctx DisasContext \
	    --out-h $(ARM_GEN)/a32-decode.h.inc --out-c $(ARM_GEN)/a32-decode.c.inc frontend-arm/a32.decode

# Thumb: 16-bit (T16) and 32-bit (T32) encodings, decoded in translate-thumb.c.
ARM_THUMB_DECODERS := $(ARM_GEN)/t16-decode.c.inc $(ARM_GEN)/t16-decode.h.inc \
                      $(ARM_GEN)/t32-decode.c.inc $(ARM_GEN)/t32-decode.h.inc
GEN_HEADERS += $(ARM_THUMB_DECODERS)

$(ARM_GEN)/t16-decode.c.inc $(ARM_GEN)/t16-decode.h.inc &: frontend-arm/t16.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --width 16 --prefix t16 --ctx DisasContext \
	    --out-h $(ARM_GEN)/t16-decode.h.inc --out-c $(ARM_GEN)/t16-decode.c.inc frontend-arm/t16.decode

$(ARM_GEN)/t32-decode.c.inc $(ARM_GEN)/t32-decode.h.inc &: frontend-arm/t32.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix t32 --ctx DisasContext \
	    --out-h $(ARM_GEN)/t32-decode.h.inc --out-c $(ARM_GEN)/t32-decode.c.inc frontend-arm/t32.decode

# The VFP decoder (frontend-arm/vfp.decode), called by translate-vfp.c for
# the A32 coprocessor space with coproc 101x and by the T32 decoder.
ARM_VFP_DECODERS := $(ARM_GEN)/vfp-decode.c.inc $(ARM_GEN)/vfp-decode.h.inc
GEN_HEADERS += $(ARM_VFP_DECODERS)

$(ARM_GEN)/vfp-decode.c.inc $(ARM_GEN)/vfp-decode.h.inc &: frontend-arm/vfp.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix vfp --ctx DisasContext \
	    --out-h $(ARM_GEN)/vfp-decode.h.inc --out-c $(ARM_GEN)/vfp-decode.c.inc frontend-arm/vfp.decode

# XScale coprocessors 0 and 1: iWMMXt and the DSP accumulator
# (frontend-arm/iwmmxt.decode), called by translate-iwmmxt.c.
ARM_IWMMXT_DECODERS := $(ARM_GEN)/iwmmxt-decode.c.inc $(ARM_GEN)/iwmmxt-decode.h.inc
GEN_HEADERS += $(ARM_IWMMXT_DECODERS)

$(ARM_GEN)/iwmmxt-decode.c.inc $(ARM_GEN)/iwmmxt-decode.h.inc &: frontend-arm/iwmmxt.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix iwmmxt --ctx DisasContext \
	    --out-h $(ARM_GEN)/iwmmxt-decode.h.inc --out-c $(ARM_GEN)/iwmmxt-decode.c.inc frontend-arm/iwmmxt.decode

# The FP-ARMv8 decoder (frontend-arm/v8.decode), called by translate-v8.c.
ARM_V8_DECODERS := $(ARM_GEN)/v8-decode.c.inc $(ARM_GEN)/v8-decode.h.inc
GEN_HEADERS += $(ARM_V8_DECODERS)

$(ARM_GEN)/v8-decode.c.inc $(ARM_GEN)/v8-decode.h.inc &: frontend-arm/v8.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix v8 --ctx DisasContext \
	    --out-h $(ARM_GEN)/v8-decode.h.inc --out-c $(ARM_GEN)/v8-decode.c.inc frontend-arm/v8.decode

# A small table exercising the generator itself (tests/unit/test-arm-decode.c).
GEN_HEADERS += $(BUILD)/gen/tests/test-decode.c.inc $(BUILD)/gen/tests/test-decode.h.inc
$(BUILD)/gen/tests/test-decode.c.inc $(BUILD)/gen/tests/test-decode.h.inc &: tests/unit/test-arm-decode.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix tdec --ctx TestCtx \
	    --out-h $(BUILD)/gen/tests/test-decode.h.inc --out-c $(BUILD)/gen/tests/test-decode.c.inc $<
GEN_HEADERS += $(BUILD)/gen/tests/test-decode-subset.c.inc
$(BUILD)/gen/tests/test-decode-subset.c.inc: tests/unit/test-arm-decode.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix tsub --ctx TestCtx --subset PAIR_X,SIGNED \
	    --fn-prefix sub_ --extract-prefix tdec --out-c $@ $<

# Direct-branch classifiers for the engine's look-ahead (arm-branch.c):
# subset decoders of the A32, T16 and T32 tables that answer only for the
# B/Bcc patterns, with the full tables' decision trees.
ARM_BRANCH_DECODERS := $(ARM_GEN)/a32-branch.c.inc $(ARM_GEN)/t16-branch.c.inc $(ARM_GEN)/t32-branch.c.inc
GEN_HEADERS += $(ARM_BRANCH_DECODERS)

$(ARM_GEN)/a32-branch.c.inc: frontend-arm/a32.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix a32_branch --ctx BranchInfo --subset B \
	    --fn-prefix branch_ --extract-prefix a32 --out-c $@ $<

$(ARM_GEN)/t16-branch.c.inc: frontend-arm/t16.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --width 16 --prefix t16_branch --ctx BranchInfo \
	    --subset T16_Bcc,T16_B --fn-prefix branch_ --extract-prefix t16 --out-c $@ $<

$(ARM_GEN)/t32-branch.c.inc: frontend-arm/t32.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix t32_branch --ctx BranchInfo \
	    --subset T32_Bcc,T32_B --fn-prefix branch_ --extract-prefix t32 --out-c $@ $<

# The FEAT_FP16 decoder (frontend-arm/fp16.decode), called by translate-fp16.c.
ARM_FP16_DECODERS := $(ARM_GEN)/fp16-decode.c.inc $(ARM_GEN)/fp16-decode.h.inc
GEN_HEADERS += $(ARM_FP16_DECODERS)

$(ARM_GEN)/fp16-decode.c.inc $(ARM_GEN)/fp16-decode.h.inc &: frontend-arm/fp16.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix fp16 --ctx DisasContext \
	    --out-h $(ARM_GEN)/fp16-decode.h.inc --out-c $(ARM_GEN)/fp16-decode.c.inc frontend-arm/fp16.decode

# The decode tables still decode as their pre-rewrite references do
# (tests/unit/test-arm-decode-tables.py, a Python check that prints cmocka
# lines): a wrapper beside the unit test binaries, so tests/run-tests.sh runs it.
$(BUILD)/tests/unit/test-arm-decode-tables: tests/unit/test-arm-decode-tables.py
	@mkdir -p $(dir $@)
	printf '#!/bin/sh\nexec $(PYTHON) "%s/tests/unit/test-arm-decode-tables.py" "$$@"\n' "$(CURDIR)" > $@
	chmod +x $@
unit-tests: $(BUILD)/tests/unit/test-arm-decode-tables
