#!/bin/sh
# Installed patches and what the boot does with them, in the busybox guest:
# `hotpatch install` (verified against this kernel, copied to
# /var/lib/hotpatch/RELEASE/), `load --all` (core first, then every
# installed patch; again: unchanged), `check`, `status --json` (host and
# summary first), `unload --all` (newest first), the in-flight marker that
# makes the next `load --all` skip a patch (and an explicit `load NAME`
# clear it), `load --boot` with hotpatch.enable=0, `uninstall`.
# requires: /usr/bin/hotpatch /usr/bin/jsonq /lib/hotpatch/keys/signing_cert.der
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 31

rel=$(uname -r)
dir=/var/lib/hotpatch/$rel
A=hp_patch_cmdline
B=hp_patch_getppid
export HOTPATCH_LOG=/tmp/hotpatch.log

# no certificate yet: install says where to put one
hotpatch install "$FIXTURES/$A.ko" 2>/tmp/err
check_eq "install without a certificate is a usage error" 1 $?
check_grep "it names --cert" "--cert CERT" "$(cat /tmp/err)"

mkdir -p /etc/hotpatch/keys.d
cp /lib/hotpatch/keys/signing_cert.der /etc/hotpatch/keys.d/vendor.der
check "install verifies and installs A" hotpatch install "$FIXTURES/$A.ko"
check "install installs B" hotpatch install "$FIXTURES/$B.ko"
check "A is in $dir" test -f "$dir/$A.ko"
check_fails "an unsigned module is not installed" \
	hotpatch install "$FIXTURES/hp_sig_unsigned.ko"
check_fails "a module for another kernel's build is not installed" \
	hotpatch install "$FIXTURES/hp_sig_buildid.ko"

hotpatch check >/tmp/out
check_eq "check before anything is loaded exits 8" 8 $?

hotpatch load --all --core "$CORE" --json >/tmp/all.json
check_eq "load --all exits 0" 0 $?
check_eq "the core was loaded" 0.1.0 "$(cat $HP_SYSFS/version 2>/dev/null | cut -c1-5)"
check_eq "A is applied" applied "$(cat $HP_SYSFS/patches/$A/state)"
check_eq "B is applied" applied "$(cat $HP_SYSFS/patches/$B/state)"
check_eq "load --all --json says it changed something" true "$(jsonq .changed </tmp/all.json)"

hotpatch load --all --json >/tmp/all.json
check_eq "load --all again exits 0" 0 $?
check_eq "and changes nothing" false "$(jsonq .changed </tmp/all.json)"
check_eq "A: unchanged" unchanged "$(jsonq .patches.0.result </tmp/all.json)"
hotpatch load --json "$dir/$A.ko" >/tmp/one.json
check_eq "loading the same file: exit 0" 0 $?
check_eq "and changed: false" false "$(jsonq .changed </tmp/one.json)"

check "check: everything installed is applied" hotpatch check
hotpatch status --json >/tmp/status.json
check_eq "status --json: the host's kernel" "$rel" "$(jsonq .host.kernel_release </tmp/status.json)"
check_eq "status --json: 2 applied" 2 "$(jsonq .summary.applied </tmp/status.json)"
check_eq "status --json: 2 installed" 2 "$(jsonq .summary.installed </tmp/status.json)"

check "unload --all" hotpatch unload --all
check "no patch is left" not test -d "$HP_SYSFS/patches/$A"

# a load that never finished: the next load --all skips it, and says so
printf 'in-flight\t1764000000\tcrashed-boot\n' >"$dir/$A.state"
hotpatch load --all 2>/tmp/err
check_eq "load --all with a marker exits 8" 8 $?
check_grep "it says why" "being applied when the machine stopped" "$(cat /tmp/err)"
check "A was skipped" not test -d "$HP_SYSFS/patches/$A"
check "an explicit load by name loads it" hotpatch load "$A"
check "and clears the marker" not test -e "$dir/$A.state"

# hotpatch.enable=0: the boot does nothing
hotpatch unload --all >/dev/null
echo "console=ttyS0 hotpatch.enable=0" >/tmp/cmdline
HOTPATCH_CMDLINE=/tmp/cmdline hotpatch load --boot 2>/tmp/err
check "load --boot with hotpatch.enable=0 loads nothing" \
	not test -d "$HP_SYSFS/patches/$B"

check "uninstall" hotpatch uninstall "$A"
hotpatch uninstall "$B" >/dev/null
diag "$(cat /tmp/hotpatch.log)"
unload_core
