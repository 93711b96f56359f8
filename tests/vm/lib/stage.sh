# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# Helpers for the staging and signature scenarios (t40NN); source after
# functions.sh and hotpatch.sh.
#
#   refused DESC FILE.ko PATCH ERRNO REASON
#       load FILE.ko once (insmod1) and check that it is refused: the load
#       fails, the kernel log says exactly "'PATCH': REASON" then
#       "'PATCH': refused (-ERRNO)", /sys/kernel/hotpatch/last_error is
#       "PATCH<tab>ERRNO<tab>REASON", the module is not loaded, no patch
#       directory remains and /proc/cmdline was not redirected. Six TAP
#       points. REASON is a shell glob pattern (*, ?, [...]) for both.

refused() {
	_rdesc=$1 _rko=$2 _rpatch=$3 _rerrno=$4 _rreason=$5
	_rcmdline=$(cat /proc/cmdline)
	dmesg_mark
	check_fails "$_rdesc: the load fails" insmod1 "$_rko"
	check_dmesg -g "$_rdesc: the kernel log says why" <<LOG
hotpatch: '$_rpatch': $_rreason
hotpatch: '$_rpatch': refused (-$_rerrno)
LOG
	_rlast=$(cat "$HP_SYSFS/last_error")
	_rtab=$(printf '\t')
	# shellcheck disable=SC2254 # the reason is a pattern
	case $_rlast in
	"$_rpatch$_rtab$_rerrno$_rtab"$_rreason) ok "$_rdesc: last_error has patch, errno and reason" ;;
	*) fail "$_rdesc: last_error has patch, errno and reason" \
		"expected: $_rpatch $_rerrno $_rreason" "actual:   $_rlast" ;;
	esac
	check "$_rdesc: the module is not loaded" not_loaded "$_rpatch"
	check "$_rdesc: no patch directory remains" \
		test ! -e "$HP_SYSFS/patches/$_rpatch"
	check_eq "$_rdesc: nothing was redirected" "$_rcmdline" "$(cat /proc/cmdline)"
}
