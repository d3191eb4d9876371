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

# A small table exercising the generator itself (tests/unit/test-arm-decode.c).
GEN_HEADERS += $(BUILD)/gen/tests/test-decode.c.inc $(BUILD)/gen/tests/test-decode.h.inc
$(BUILD)/gen/tests/test-decode.c.inc $(BUILD)/gen/tests/test-decode.h.inc &: tests/unit/test-arm-decode.decode tools/gen-decoder.py
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-decoder.py --prefix tdec --ctx TestCtx \
	    --out-h $(BUILD)/gen/tests/test-decode.h.inc --out-c $(BUILD)/gen/tests/test-decode.c.inc $<
