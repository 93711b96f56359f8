#!/bin/sh
# `hotpatch upgrade`: a newer cumulative version of a series is verified,
# installed and applied, and the older version is unloaded and uninstalled;
# an upgrade to an older version is refused and changes nothing. Then
# `hotpatch metrics`: the textfile names the core, the applied patch, its
# version, when it was applied, its CVEs and the patch installed but not
# loaded; written atomically.
# requires: /usr/bin/hotpatch /usr/bin/jsonq /lib/hotpatch/keys/signing_cert.der
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 22

rel=$(uname -r)
dir=/var/lib/hotpatch/$rel
export HOTPATCH_LOG=/tmp/hotpatch.log
mkdir -p /etc/hotpatch/keys.d
cp /lib/hotpatch/keys/signing_cert.der /etc/hotpatch/keys.d/vendor.der
load_core
load_mod "$FIXTURES/hp_target.ko"

check "version 2 installs" hotpatch install "$FIXTURES/hp_patch_series_v2.ko"
check "and loads" hotpatch load hp_patch_series_v2
hotpatch upgrade --json "$FIXTURES/hp_patch_series_v3.ko" >/tmp/up.json
check_eq "upgrade to version 3 exits 0" 0 $?
check_eq "version 3 runs" "original 203" "$(cat /proc/hp_target)"
check_eq "version 3 is applied" applied \
	"$(cat $HP_SYSFS/patches/hp_patch_series_v3/state)"
check "version 2's module is gone" not_loaded hp_patch_series_v2
check "version 2 is uninstalled" test ! -e "$dir/hp_patch_series_v2.ko"
check "version 3 is installed" test -f "$dir/hp_patch_series_v3.ko"
check_eq "upgrade --json: what it replaced" "hp_patch_series_v2 removed" \
	"$(jsonq .replaced.0.name </tmp/up.json) $(jsonq .replaced.0.result </tmp/up.json)"

hotpatch upgrade "$FIXTURES/hp_patch_series_v1.ko" 2>/tmp/err
check_eq "upgrade to version 1 is refused: exit 2" 2 $?
check_grep "it says version 3 is applied" \
	"version 1 of series 'hp-series' ('hp_patch_series_v1') is not newer than version 3 ('hp_patch_series_v3'), which is applied" \
	"$(cat /tmp/err)"
check "version 1 was not installed" test ! -e "$dir/hp_patch_series_v1.ko"
check "nor loaded" not_loaded hp_patch_series_v1

# metrics: hp_patch_cmdline installed, not loaded
check "another patch installs" hotpatch install "$FIXTURES/hp_patch_cmdline.ko"
mkdir -p /tmp/prom
hotpatch metrics --output /tmp/prom/hotpatch.prom
check_eq "metrics exits 0" 0 $?
m=$(cat /tmp/prom/hotpatch.prom)
check_grep "metrics: the core" "hotpatch_core_loaded 1" "$m"
check_grep "metrics: version 3 applied" \
	'hotpatch_patch_applied{patch="hp_patch_series_v3",state="applied"} 1' "$m"
check_grep "metrics: its version" \
	'hotpatch_patch_version{patch="hp_patch_series_v3",series="hp-series"} 3' "$m"
at=$(cat $HP_SYSFS/patches/hp_patch_series_v3/applied_at)
check_grep "metrics: when it was applied" \
	"hotpatch_patch_applied_timestamp_seconds{patch=\"hp_patch_series_v3\"} $at" "$m"
check_grep "metrics: the CVEs it fixes" \
	'hotpatch_cve_fixed{cve="CVE-2023-0179",patch="hp_patch_series_v3"} 1' "$m"
check_grep "metrics: the installed patch not loaded" \
	'hotpatch_patch_installed_not_loaded{patch="hp_patch_cmdline"} 1' "$m"
check_eq "only the textfile in its directory (the temporary was renamed)" \
	hotpatch.prom "$(ls /tmp/prom)"

hotpatch uninstall hp_patch_cmdline >/dev/null
hotpatch uninstall hp_patch_series_v3 >/dev/null
hotpatch unload hp_patch_series_v3 >/dev/null
unload_mod hp_target
