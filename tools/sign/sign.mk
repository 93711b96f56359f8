# SPDX-License-Identifier: GPL-2.0
#
# libhpsign (manifests, signing, offline verification) and hotpatch-sign.
# kernel/manifest.c, the core's manifest parser, is compiled here too, with
# tools/sign/kcompat.h standing in for the kernel headers.
#
# Users of the library (e.g. tools/cli for `hotpatch verify`):
#   #include "hpsign.h"          (this fragment adds -I$(TOOLS)/sign to CFLAGS)
#   $(BIN)/foo: ... $(LIBHPSIGN)
#   	$(CC) ... $^ $(LIBHPSIGN_LDLIBS)
# A fragment included before this one (cli.mk) must spell the archive
# path itself: $(O)/sign/libhpsign.a.

CFLAGS += -I$(TOOLS)/sign

LIBHPSIGN_SRCS := crypto.c mfbuild.c modsig.c patchmod.c target.c util.c verify.c
LIBHPSIGN_OBJS := $(addprefix $(O)/sign/,$(LIBHPSIGN_SRCS:.c=.o)) \
	$(O)/sign/manifest.o
LIBHPSIGN := $(O)/sign/libhpsign.a
LIBHPSIGN_LDLIBS := -lelf -lcrypto -ljson-c

$(O)/sign/manifest.o: $(TOP)/kernel/manifest.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(LIBHPSIGN): $(LIBHPSIGN_OBJS)
	@mkdir -p $(dir $@)
	rm -f $@
	$(AR) rcs $@ $^

$(BIN)/hotpatch-sign: $(O)/sign/main.o $(LIBHPSIGN)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LIBHPSIGN_LDLIBS)

LIBS += $(LIBHPSIGN)
BINS += $(BIN)/hotpatch-sign
