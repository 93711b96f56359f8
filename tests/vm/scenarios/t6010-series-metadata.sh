#!/bin/sh
# The signed metadata of a patch (manifest version 2: description, series,
# patch version, CVE ids) in sysfs, `hotpatch list`, `status`, `status
# --json` (with the summary's cves_fixed) and `verify`; a patch without
# metadata (manifest version 1) shows none.
# requires: /usr/bin/hotpatch /usr/bin/jsonq /lib/hotpatch/keys/signing_cert.der
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 19

V2=hp_patch_series_v2
P=$HP_SYSFS/patches/$V2
load_core
load_mod "$FIXTURES/hp_target.ko"

check "version 2 of hp-series loads" hotpatch load "$FIXTURES/$V2.ko"
check_eq "it runs" "original 202" "$(cat /proc/hp_target)"
check_eq "sysfs: series" hp-series "$(cat $P/series)"
check_eq "sysfs: patch_version" 2 "$(cat $P/patch_version)"
check_eq "sysfs: cves" CVE-2024-1086 "$(cat $P/cves)"
check_eq "sysfs: description" \
	"hp-series version 2: hp_target_answer returns 202" "$(cat $P/description)"

check "a patch without metadata loads" hotpatch load "$FIXTURES/hp_patch_cmdline.ko"
C=$HP_SYSFS/patches/hp_patch_cmdline
check_eq "it has no series, version 0, no CVE, no description" "|0||" \
	"$(cat $C/series)|$(cat $C/patch_version)|$(cat $C/cves)|$(cat $C/description)"

hotpatch list >/tmp/list
check_grep "list: the series and version" "hp-series 2" "$(grep "^$V2 " /tmp/list)"
check_grep "list: the CVE" CVE-2024-1086 "$(grep "^$V2 " /tmp/list)"
hotpatch status $V2 >/tmp/status
check_grep "status NAME: the description" \
	"description:  hp-series version 2: hp_target_answer returns 202" \
	"$(cat /tmp/status)"

hotpatch status --json >/tmp/status.json
check_eq "status --json: the patch's series" hp-series \
	"$(jsonq .patches.0.series </tmp/status.json)"
check_eq "status --json: its patch_version" 2 \
	"$(jsonq .patches.0.patch_version </tmp/status.json)"
check_eq "status --json: its CVE list" CVE-2024-1086 \
	"$(jsonq .patches.0.cves.0 </tmp/status.json)"
check_eq "status --json: summary.cves_fixed" CVE-2024-1086 \
	"$(jsonq .summary.cves_fixed.0 </tmp/status.json)"
check_eq "status --json: the patch without metadata has a null series" null \
	"$(jsonq .patches.1.series </tmp/status.json)"

hotpatch verify --cert /lib/hotpatch/keys/signing_cert.der \
	"$FIXTURES/hp_patch_series_v3.ko" >/tmp/verify 2>&1
check_grep "verify: the metadata of version 3" \
	"series 'hp-series' version 3; fixes CVE-2024-1086 CVE-2023-0179; hp-series version 3" \
	"$(cat /tmp/verify)"

check "the cmdline patch unloads" hotpatch unload hp_patch_cmdline
check "version 2 unloads" hotpatch unload $V2
unload_mod hp_target
