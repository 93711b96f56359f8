# SPDX-License-Identifier: GPL-2.0
#
# hotpatch: the admin CLI (see docs/man/hotpatch.8).
# This fragment is read before lib.mk and sign.mk, so the archives are
# named here; libhpsign (tools/sign) does `hotpatch verify`.

HOTPATCH_CLI_OBJS := $(patsubst $(TOOLS)/%.c,$(O)/%.o,$(wildcard $(TOOLS)/cli/*.c))

$(BIN)/hotpatch: $(HOTPATCH_CLI_OBJS) $(O)/lib/libhotpatch.a $(O)/sign/libhpsign.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ -lkmod -ljson-c -lelf -lcrypto

BINS += $(BIN)/hotpatch
