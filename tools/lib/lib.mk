# SPDX-License-Identifier: GPL-2.0
#
# libhotpatch: static library shared by the tools (see libhotpatch.h).
#
# Fragments are included in alphabetical order, so a tool whose fragment
# comes before this one must name the archive itself in its prerequisites:
#   $(BIN)/foo: ... $(O)/lib/libhotpatch.a
#   	$(CC) ... $^ $(LIBHOTPATCH_LDLIBS)
# (-I$(TOOLS)/lib is already in CFLAGS.)

LIBHOTPATCH_SRCS := $(wildcard $(TOOLS)/lib/*.c)
LIBHOTPATCH_OBJS := $(patsubst $(TOOLS)/%.c,$(O)/%.o,$(LIBHOTPATCH_SRCS))
LIBHOTPATCH := $(O)/lib/libhotpatch.a
LIBHOTPATCH_LDLIBS := -ljson-c

$(LIBHOTPATCH): $(LIBHOTPATCH_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

LIBS += $(LIBHOTPATCH)
