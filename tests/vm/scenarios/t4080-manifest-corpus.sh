#!/bin/sh
# Every manifest of the malformed corpus (tests/manifest-corpus, embedded
# into a patch module at build time; the expected errno is in the file
# name) is refused at staging with that errno, cleanly: nothing loads,
# nothing is applied, no kernel warning.
# timeout: 300
# requires: /usr/bin/hotpatch /usr/bin/insmod1
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh
# shellcheck source=../lib/stage.sh
. /lib/hotpatch/tests/lib/stage.sh

n=0
for f in "$FIXTURES"/hp_mfcorpus_*.ko; do
	[ -f "$f" ] && n=$((n + 1))
done
plan $((n + 3))

check "at least 20 malformed manifests" test "$n" -ge 20
# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
cmdline=$(cat /proc/cmdline)
tab=$(printf "\t")
for f in "$FIXTURES"/hp_mfcorpus_*.ko; do
	b=${f##*/hp_mfcorpus_}
	want=${b%%_*}
	name=${b#*_}
	name=${name%.ko}
	case $want in
	ENOEXEC) errno=8 ;;
	EINVAL) errno=22 ;;
	*) errno=unknown ;;
	esac
	if insmod1 "$f" >/dev/null 2>&1; then
		fail "$name: loaded"
		rmmod hp_patch_cmdline
		continue
	fi
	last=$(cat $HP_SYSFS/last_error)
	case $last in
	"hp_patch_cmdline$tab$errno$tab"*)
		ok "$name: refused with $want (${last##*"$tab"})" ;;
	*) fail "$name: refused with $want" "last_error: $last" ;;
	esac
done
check "no patch is loaded" not_loaded hp_patch_cmdline
check_eq "nothing was redirected" "$cmdline" "$(cat /proc/cmdline)"
unload_core
