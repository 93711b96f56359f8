# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Guest-side helpers for hotpatch VM scenarios (busybox sh). Modelled on
# Linux tools/testing/selftests/livepatch/functions.sh, with TAP output.
#
# A scenario is tests/vm/scenarios/tNNNN-what-it-checks.sh:
#
#   #!/bin/sh
#   # t0042: what the scenario checks, in one line
#   # timeout: 60                    (optional, seconds; default 120)
#   # requires: kernel/hotpatch.ko   (optional; relative = host path from the
#   #                                 repo root, /absolute = guest path)
#   # qemu: -smp 4                   (optional extra QEMU options)
#   . /lib/hotpatch/tests/lib/functions.sh
#   plan 3
#   dmesg_mark
#   check "core loads" load_mod hotpatch
#   check_eq "version" "0.1.0" "$(cat /sys/kernel/hotpatch/version)"
#   check_dmesg "load messages" <<'EOF'
#   hotpatch: core 0.1.0 loaded, default mode 'direct'
#   EOF
#
# Every scenario boots its own guest, so it starts from a clean kernel.
#
# TAP
#   plan N                  print the plan "1..N" (once, first). Without it the
#                           plan is printed when the script exits.
#   ok DESC                 record a passing test point
#   fail DESC [LINE ...]    record a failing point; LINEs become "# " diagnostics
#   skip DESC REASON        record a skipped point ("ok N - DESC # SKIP REASON")
#   diag LINE ...           print "# LINE" diagnostics
#   check DESC CMD [ARG...] run CMD; ok if it exits 0, else fail with its output
#   check_fails DESC CMD..  the opposite: ok if CMD exits non-zero
#   check_eq DESC EXPECTED ACTUAL
#                           ok if the strings are equal, else fail showing both
#   bail_out REASON         print "Bail out! REASON" and exit 1 (alias: bail)
#   The script's exit status is 1 when any point failed, 0 otherwise.
#
# Modules (search order for a bare NAME: /lib/hotpatch, /lib/hotpatch/fixtures,
# then any other directory under /lib/hotpatch; a path is used as is)
#   mod_path NAME           print the .ko path for NAME
#   load_mod NAME [PARAM=V ...]
#                           insmod; returns insmod's status, its error output
#                           goes to the diagnostics
#   load_failing_mod NAME [PARAM=V ...]
#                           insmod that must fail: returns 0 when it failed;
#                           the error text is left in $LAST_ERROR
#   unload_mod NAME         rmmod, then wait (10 s) until /sys/module/NAME is gone
#   is_loaded NAME          true while /sys/module/NAME exists
#
# Waiting
#   wait_for COND [TIMEOUT] eval COND (shell code) every 0.1 s until it is
#                           true; returns 1 after TIMEOUT seconds (default 10)
#
# Kernel log (the message is the contract: compare transcripts)
#   dmesg_mark              write a unique marker into the kernel log; later
#                           checks look only at lines after the last marker
#   dmesg_since             print the kernel-log lines since the last marker,
#                           without timestamps
#   check_dmesg [-g] DESC [REGEX] <<'EOF'
#   expected lines
#   EOF
#                           compare the lines since the last marker that match
#                           the extended REGEX (default: $DMESG_FILTER, which
#                           defaults to "^hotpatch") with the expected lines,
#                           exactly and in order; -g: each expected line is a
#                           shell glob pattern (*, ?, [..]) instead. On a
#                           mismatch the diagnostics show both transcripts.
#   DMESG_FILTER            extended regex used when check_dmesg gets none
#
# Variables: HP_NAME (scenario name), HP_DIR=/lib/hotpatch,
# HP_FIXTURES=/lib/hotpatch/fixtures, HP_TESTS=/lib/hotpatch/tests.

export HP_DIR=/lib/hotpatch
export HP_FIXTURES="$HP_DIR/fixtures"
export HP_TESTS="$HP_DIR/tests"
: "${HP_NAME:=$(basename "$0" .sh)}"
: "${DMESG_FILTER:=^hotpatch}"
LAST_ERROR=""

_tap_n=0
_tap_failed=0
_tap_planned=""
_dmesg_marker=""

_tap_exit() {
	[ -n "$_tap_planned" ] || echo "1..$_tap_n"
	[ "$_tap_failed" -eq 0 ] || exit 1
}
trap _tap_exit EXIT

plan() {
	[ -z "$_tap_planned" ] || return 0
	_tap_planned=$1
	echo "1..$1"
}

diag() {
	for _l in "$@"; do
		[ -z "$_l" ] || printf '%s\n' "$_l" | sed 's/^/# /'
	done
}

ok() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1"
}

fail() {
	_tap_n=$((_tap_n + 1))
	_tap_failed=$((_tap_failed + 1))
	echo "not ok $_tap_n - $1"
	shift
	[ $# -eq 0 ] || diag "$@"
}

skip() {
	_tap_n=$((_tap_n + 1))
	echo "ok $_tap_n - $1 # SKIP $2"
}

bail_out() {
	echo "Bail out! $*"
	exit 1
}

bail() {
	bail_out "$@"
}

check() {
	_desc=$1
	shift
	if _out=$("$@" 2>&1); then
		ok "$_desc"
	else
		fail "$_desc" "command failed (status $?): $*" "$_out"
	fi
}

check_fails() {
	_desc=$1
	shift
	if _out=$("$@" 2>&1); then
		fail "$_desc" "command succeeded but should have failed: $*" "$_out"
	else
		ok "$_desc"
	fi
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		fail "$1" "expected: '$2'" "actual:   '$3'"
	fi
}

mod_path() {
	case $1 in
	*/*) echo "$1"; return 0 ;;
	esac
	_m=${1%.ko}
	for _f in "$HP_DIR/$_m.ko" "$HP_FIXTURES/$_m.ko" "$HP_DIR"/*/"$_m.ko" \
		"$HP_DIR"/*/*/"$_m.ko"; do
		[ -f "$_f" ] && { echo "$_f"; return 0; }
	done
	echo "$HP_DIR/$_m.ko"
	return 1
}

load_mod() {
	_p=$(mod_path "$1") || { diag "load_mod: no module '$1'"; return 1; }
	shift
	if ! LAST_ERROR=$(insmod "$_p" "$@" 2>&1); then
		diag "load_mod: insmod $_p $*: $LAST_ERROR"
		return 1
	fi
	return 0
}

load_failing_mod() {
	_p=$(mod_path "$1") || { diag "load_failing_mod: no module '$1'"; return 1; }
	shift
	if LAST_ERROR=$(insmod "$_p" "$@" 2>&1); then
		diag "load_failing_mod: insmod $_p $* succeeded"
		return 1
	fi
	return 0
}

is_loaded() {
	[ -d "/sys/module/$(basename "${1%.ko}" | tr - _)" ]
}

unload_mod() {
	_m=$(basename "${1%.ko}" | tr - _)
	if ! LAST_ERROR=$(rmmod "$_m" 2>&1); then
		diag "unload_mod: rmmod $_m: $LAST_ERROR"
		return 1
	fi
	wait_for "! is_loaded $_m" 10 || {
		diag "unload_mod: $_m still in /sys/module after 10 s"
		return 1
	}
}

wait_for() {
	_cond=$1
	_ticks=$(( ${2:-10} * 10 ))
	while ! eval "$_cond"; do
		[ "$_ticks" -gt 0 ] || return 1
		_ticks=$((_ticks - 1))
		sleep 0.1
	done
	return 0
}

dmesg_mark() {
	_dmesg_marker="hp-test-mark: $HP_NAME $(cat /proc/sys/kernel/random/uuid)"
	echo "$_dmesg_marker" >/dev/kmsg
}

dmesg_since() {
	# busybox dmesg prints "[    1.234567] text"; the marker is a whole line.
	dmesg | sed 's/^\[[ 0-9.]*\] //' |
		awk -v m="$_dmesg_marker" 'm == "" || seen { print } $0 == m { seen = 1 }'
}

check_dmesg() {
	_glob=""
	if [ "$1" = -g ]; then
		_glob=1
		shift
	fi
	_desc=$1
	_re=${2:-$DMESG_FILTER}
	_exp=$(cat)
	# Give printk a moment to reach the log after the last action.
	sleep 0.1
	_act=$(dmesg_since | grep -E -e "$_re" || true)
	if [ -z "$_glob" ]; then
		[ "$_exp" = "$_act" ] && { ok "$_desc"; return 0; }
	elif _dmesg_glob_match "$_exp" "$_act"; then
		ok "$_desc"
		return 0
	fi
	fail "$_desc" "kernel log since the mark, lines matching /$_re/:" \
		"--- expected" "$_exp" "--- actual" "$_act" "---"
	return 1
}

# _dmesg_glob_match PATTERNS LINES: line i of LINES matches glob line i.
_dmesg_glob_match() {
	_pf=/tmp/.hp-glob-p.$$
	_lf=/tmp/.hp-glob-l.$$
	printf '%s\n' "$1" >"$_pf"
	printf '%s\n' "$2" >"$_lf"
	[ "$(wc -l <"$_pf")" -eq "$(wc -l <"$_lf")" ] || { rm -f "$_pf" "$_lf"; return 1; }
	_rc=0
	exec 3<"$_lf"
	while IFS= read -r _pat; do
		IFS= read -r _line <&3
		# shellcheck disable=SC2254
		case $_line in
		$_pat) ;;
		*) _rc=1; break ;;
		esac
	done <"$_pf"
	exec 3<&-
	rm -f "$_pf" "$_lf"
	return $_rc
}
