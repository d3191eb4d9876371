# tests/fuzz — fuzz targets over the image-format parsers (docs/block.md,
# "Fuzzing").  Each tests/fuzz/target-FMT.c becomes $(BUILD)/tests/fuzz/fuzz-FMT:
# linked with the replay and mutation driver (driver.c) in ordinary and SAN
# builds, which `make check` runs (tests/fuzz/run.sh); with libFuzzer in the
# FUZZ=1 build (clang, build-fuzz/), which `make fuzz` runs.
FUZZ_TARGETS := $(patsubst tests/fuzz/target-%.c,%,$(wildcard tests/fuzz/target-*.c))
FUZZ_BINS := $(patsubst %,$(BUILD)/tests/fuzz/fuzz-%,$(FUZZ_TARGETS))
FUZZ_HARNESS := $(BUILD)/tests/fuzz/harness.o $(LIB_block)

ifeq ($(FUZZ),1)
$(BUILD)/tests/fuzz/fuzz-%: $(BUILD)/tests/fuzz/target-%.o $(FUZZ_HARNESS)
	$(CC) $(VEMU_LDFLAGS) -fsanitize=fuzzer -o $@ $^ $(PKG_LIBS) -lz -lpthread -lm $(LIBS)
else
$(BUILD)/tests/fuzz/fuzz-%: $(BUILD)/tests/fuzz/target-%.o $(BUILD)/tests/fuzz/driver.o $(FUZZ_HARNESS)
	$(CC) $(VEMU_LDFLAGS) -o $@ $^ $(PKG_LIBS) -lz -lpthread -lm $(LIBS)
# make check builds unit-tests, and with them the fuzz targets it runs
unit-tests: $(FUZZ_BINS)
endif

.PHONY: fuzz fuzz-targets
fuzz-targets: $(FUZZ_BINS)

# libFuzzer needs clang; without it `make fuzz` says so and succeeds (the
# gcc-built driver in make check still runs every target).
fuzz:
	@if command -v clang >/dev/null 2>&1; then \
	    $(MAKE) --no-print-directory all && \
	    $(MAKE) --no-print-directory FUZZ=1 fuzz-targets && \
	    BUILD=$(BUILD) FUZZ_BUILD=build-fuzz tests/fuzz/libfuzzer.sh; \
	else echo "make fuzz: clang is not installed (apt-get install clang); nothing to do"; fi
