# SPDX-License-Identifier: GPL-2.0
#
# hotpatch-build and its library (libhpbuild.a). The unit tests and the fuzz
# targets link the same library: see tests/unit/builder and tests/fuzz.

BUILDER_SRCS := util.c names.c elf.c correlate.c compare.c notrace.c include.c \
	special.c verify.c dwarf.c report.c diff.c writer.c \
	target.c resolve.c funcs.c gen.c gensyms.c
# The source pipeline (`hotpatch-build build`, build.h).
BUILDER_SRCS += build.c build_cli.c build_incl.c build_patch.c build_syms.c build_tree.c
# post-link (postlink.c): livepatch relocations for a linked module.
BUILDER_SRCS += postlink.c
BUILDER_OBJS := $(patsubst %.c,$(O)/builder/%.o,$(BUILDER_SRCS))
BUILDER_LIB := $(O)/builder/libhpbuild.a
# gen.c writes manifests and signs with libhpsign (tools/sign): spelled out
# here, sign.mk comes later
BUILDER_LDLIBS := -lelf -ldwarf -ljson-c -lcrypto
BUILDER_SIGNLIB := $(O)/sign/libhpsign.a

# Where the generated patch modules find <hotpatch/hotpatch.h>, and the
# core's Module.symvers (symbol version of hotpatch_register()); the
# environment (HOTPATCH_INCLUDE, HOTPATCH_CORE_SYMVERS) overrides them.
# Installed (PREFIX/bin/hotpatch-build): PREFIX/include and
# PREFIX/lib/hotpatch/Module.symvers (tools/lib/hp_paths.h); run from the
# build tree: the tree's.
$(O)/builder/gen.o: CFLAGS += -include $(TOOLS)/lib/hp_paths.h \
	-DHP_INCLUDE_DIR='HP_INSTALL_PATH("include", "include/hotpatch/hotpatch.h", "$(TOP)/include")' \
	-DHP_CORE_SYMVERS='HP_INSTALL_PATH("lib/hotpatch/Module.symvers", "lib/hotpatch/Module.symvers", "$(TOP)/kernel/Module.symvers")'

LIBS += $(BUILDER_LIB)
BINS += $(BIN)/hotpatch-build

$(BUILDER_LIB): $(BUILDER_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/hotpatch-build: $(O)/builder/main.o $(BUILDER_LIB) $(BUILDER_SIGNLIB)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(BUILDER_LDLIBS)
