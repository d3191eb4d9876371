# frontend-x86: the decoder is generated from the x86 decode tables by
# tools/gen-x86-decoder.py into $(BUILD)/gen/frontend-x86/ (the dispatch,
# included by x86-decode.c, and the x86_trans_* prototypes, included by
# x86-insn.h).  GEN_HEADERS makes every object wait for it.
#
# A unit with its own table adds it here, one line:
#   X86_DECODE_TABLES += frontend-x86/sse.decode

X86_GEN := $(BUILD)/gen/frontend-x86
X86_DECODE_TABLES := frontend-x86/base.decode
X86_DECODE_TABLES += frontend-x86/x87.decode

# frontend-x86's second table: bit operations, atomics, BMI, ADX, CRC32
X86_DECODE_TABLES += frontend-x86/bits.decode
X86_DECODERS := $(X86_GEN)/x86-decode.c.inc $(X86_GEN)/x86-trans.h.inc
GEN_HEADERS += $(X86_DECODERS)

$(X86_GEN)/x86-decode.c.inc $(X86_GEN)/x86-trans.h.inc &: $(X86_DECODE_TABLES) tools/gen-x86-decoder.py frontend-x86/module.mk
	@mkdir -p $(dir $@)
	$(PYTHON) tools/gen-x86-decoder.py --out-c $(X86_GEN)/x86-decode.c.inc \
	    --out-h $(X86_GEN)/x86-trans.h.inc $(X86_DECODE_TABLES)
