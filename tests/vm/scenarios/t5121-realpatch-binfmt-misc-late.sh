#!/bin/sh
# t5121: the binfmt_misc patch built from tests/realpatches/binfmt_misc.patch
# loads before Debian's binfmt_misc.ko: the module is patched as it loads
# (its livepatch relocations applied then), again after it is unloaded and
# loaded once more, and not any more once the patch is gone.
# requires: build/realpatches/hp_real_binfmt_misc.ko /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 13
P=hp_real_binfmt_misc
B=/tmp/binfmt
mkdir -p $B

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
check "binfmt_misc is not loaded" not is_loaded binfmt_misc
check "the patch loads before its target module" hotpatch load "$(mod_path $P)"
check "then binfmt_misc.ko loads" load_mod binfmt_misc
mount -t binfmt_misc none $B
check_eq "patched as it loaded" "enabled (0 entries)" "$(cat $B/status)"
echo ':hptest:E::hptest::/bin/true:' >$B/register
check_eq "and reads the module's own statics" "enabled (1 entries)" \
	"$(cat $B/status)"
umount $B
check "binfmt_misc unloads under the patch" unload_mod binfmt_misc
check "and loads again" load_mod binfmt_misc
mount -t binfmt_misc none $B
check_eq "patched again (relocations applied anew)" "enabled (0 entries)" \
	"$(cat $B/status)"
umount $B
check "binfmt_misc unloads" unload_mod binfmt_misc
check "the patch unloads" hotpatch unload $P
check "binfmt_misc loads without the patch" load_mod binfmt_misc
mount -t binfmt_misc none $B
check_eq "not patched" "enabled" "$(cat $B/status)"
umount $B
check "binfmt_misc unloads" unload_mod binfmt_misc
