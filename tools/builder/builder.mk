# SPDX-License-Identifier: GPL-2.0
#
# hotpatch-build and its library (libhpbuild.a). The unit tests and the fuzz
# targets link the same library: see tests/unit/builder and tests/fuzz.

BUILDER_SRCS := util.c names.c elf.c correlate.c compare.c include.c \
	special.c verify.c dwarf.c report.c diff.c writer.c \
	target.c resolve.c
BUILDER_OBJS := $(patsubst %.c,$(O)/builder/%.o,$(BUILDER_SRCS))
BUILDER_LIB := $(O)/builder/libhpbuild.a
BUILDER_LDLIBS := -lelf -ldwarf -ljson-c

LIBS += $(BUILDER_LIB)
BINS += $(BIN)/hotpatch-build

$(BUILDER_LIB): $(BUILDER_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/hotpatch-build: $(O)/builder/main.o $(BUILDER_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(BUILDER_LDLIBS)
