#!/bin/sh
# `hotpatch list --json` and `hotpatch status --json` are valid JSON (read
# with a real parser) that mirrors sysfs; errors come out as JSON too.
# requires: /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 16

load_core
check_eq "an empty list is an empty array" 0 "$(hotpatch list --json | jsonq .length)"

load_mod "$FIXTURES/hp_target.ko"
hotpatch load "$FIXTURES/hp_patch_target.ko" >/dev/null
hotpatch load "$FIXTURES/hp_patch_cmdline.ko" >/dev/null
hotpatch list --json > /tmp/list.json
check "list --json parses" jsonq . < /tmp/list.json
check_eq "two patches listed" 2 "$(jsonq .length < /tmp/list.json)"
check_eq "first is the oldest" hp_patch_target "$(jsonq .0.name < /tmp/list.json)"
check_eq "its state" applied "$(jsonq .0.state < /tmp/list.json)"
check_eq "enabled is a JSON true" true "$(jsonq .0.enabled < /tmp/list.json)"
check_eq "its stack order" 1 "$(jsonq .0.stack_order < /tmp/list.json)"
check_eq "second has stack order 2" 2 "$(jsonq .1.stack_order < /tmp/list.json)"
check_eq "function count" 2 "$(jsonq .0.function_count < /tmp/list.json)"
check_eq "object name" hp_target "$(jsonq .0.objects.0.name < /tmp/list.json)"
f="$HP_SYSFS/patches/hp_patch_target/hp_target/hp_target_message,0"
n=$(jsonq .0.objects.0.functions.length < /tmp/list.json)
i=0; addr=
while [ $i -lt "$n" ]; do
	if [ "$(jsonq .0.objects.0.functions.$i.name < /tmp/list.json)" = hp_target_message ]; then
		addr=$(jsonq .0.objects.0.functions.$i.old_addr < /tmp/list.json)
	fi
	i=$((i + 1))
done
check_eq "old_addr matches sysfs" "$(cat "$f"/old_addr)" "$addr"

hotpatch status --json hp_patch_cmdline > /tmp/status.json
check "status --json parses" jsonq . < /tmp/status.json
check "status --json names the patch" grep -q hp_patch_cmdline /tmp/status.json

hotpatch unload --json no_such_patch > /tmp/err.json
check "an error exits non-zero" test $? -ne 0
check "the error is JSON" jsonq .error < /tmp/err.json
check "the error carries an errno" jsonq .errno < /tmp/err.json

hotpatch unload hp_patch_cmdline
hotpatch unload hp_patch_target
unload_mod hp_target
unload_core
