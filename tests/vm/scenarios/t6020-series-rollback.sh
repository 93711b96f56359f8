#!/bin/sh
# Anti-rollback: while version 2 of a series is applied, the core refuses
# version 1 (ESTALE, a reason naming both, in the kernel log and
# last_error), the CLI explains it and the action log records it; version
# 2 keeps running. A newer version is accepted; after the newer one is
# unloaded an older one may be applied on purpose; enabling a loaded older
# version while a newer one is applied is refused the same way.
# requires: /usr/bin/hotpatch
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

DMESG_FILTER='^hotpatch:'
plan 22

export HOTPATCH_LOG=/tmp/hotpatch.log
: >"$HOTPATCH_LOG"
load_core
load_mod "$FIXTURES/hp_target.ko"

check "version 2 loads" hotpatch load "$FIXTURES/hp_patch_series_v2.ko"
dmesg_mark
hotpatch load "$FIXTURES/hp_patch_series_v1.ko" 2>/tmp/err
check_eq "version 1 is refused: exit 2" 2 $?
err=$(cat /tmp/err)
check_grep "the CLI names ESTALE" "(ESTALE)" "$err"
check_grep "the reason names both versions" \
	"reason: version 1 of series 'hp-series' is older than version 2 ('hp_patch_series_v2'), which is applied" \
	"$err"
check_grep "the hint says what to do" "hotpatch upgrade FILE.ko" "$err"
check "version 1's module is not loaded" not_loaded hp_patch_series_v1
check_eq "version 2 still runs" "original 202" "$(cat /proc/hp_target)"
check_eq "last_error" \
	"hp_patch_series_v1	116	version 1 of series 'hp-series' is older than version 2 ('hp_patch_series_v2'), which is applied" \
	"$(cat $HP_SYSFS/last_error)"
check_dmesg "the kernel log says why" <<'LOG'
hotpatch: 'hp_patch_series_v1': version 1 of series 'hp-series' is older than version 2 ('hp_patch_series_v2'), which is applied
hotpatch: 'hp_patch_series_v1': refused (-116)
LOG
check_grep "the action log names the patch, the errno and the reason" \
	"load patch=hp_patch_series_v1 result=failed (exit 2, 0 retries): ESTALE: cannot load patch 'hp_patch_series_v1': version 1 of series" \
	"$(cat $HOTPATCH_LOG)"

check "version 3 (newer) replaces version 2" \
	hotpatch load "$FIXTURES/hp_patch_series_v3.ko"
check_eq "version 3 runs" "original 203" "$(cat /proc/hp_target)"
check "the replaced version 2 unloads" hotpatch unload hp_patch_series_v2
check "version 3 unloads" hotpatch unload hp_patch_series_v3
check "with nothing newer applied, version 1 loads on purpose" \
	hotpatch load "$FIXTURES/hp_patch_series_v1.ko"

# enabling a loaded older version again is refused the same way
check "version 1 is disabled (its module stays)" \
	hotpatch disable hp_patch_series_v1
check "version 2 loads" hotpatch load "$FIXTURES/hp_patch_series_v2.ko"
hotpatch enable hp_patch_series_v1 2>/tmp/err
check_eq "enabling version 1 again is refused: exit 2" 2 $?
check_grep "with the same reason" \
	"version 1 of series 'hp-series' is older than version 2 ('hp_patch_series_v2'), which is applied" \
	"$(cat /tmp/err)"
check_eq "version 2 still runs" "original 202" "$(cat /proc/hp_target)"
check "version 2 unloads" hotpatch unload hp_patch_series_v2
check "version 1 unloads" hotpatch unload hp_patch_series_v1
unload_mod hp_target
