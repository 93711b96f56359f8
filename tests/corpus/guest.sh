#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The corpus benchmark's guest side (tests/corpus/run.sh boots it as
# hp.script): loads the core built for this kernel, then for every line
# "ID NAME OBJECT..." of /lib/corpus/list loads the Debian modules the patch
# targets (modprobe: their dependencies first), loads the patch with the
# hotpatch CLI, checks its state in sysfs, disables, enables and unloads
# it, and looks at what the kernel logged meanwhile. Per patch, on stdout:
#   @@CORPUS-START ID                  before anything is done
#   @@CORPUS ID ok|fail|error TEXT     the result (error: a target module
#                                      would not load)

S=/sys/kernel/hotpatch/patches
problems='BUG:|WARNING:|Oops|Call Trace|general protection|Kernel panic'

insmod /lib/corpus/hotpatch.ko || { echo "cannot load the core"; exit 1; }

# state NAME: what sysfs says, or "none"
state() {
	cat "$S/$1/state" 2>/dev/null || echo none
}

# one ID NAME OBJECT...: prints the result without the "@@CORPUS ID" prefix
one() {
	id=$1 name=$2
	shift 2
	ko=/lib/corpus/mods/$name.ko
	err=""
	for o in "$@"; do
		[ "$o" = vmlinux ] && continue
		grep -q "^$o " /proc/modules && continue
		if ! modprobe "$o" >/tmp/mp 2>&1; then
			err="target module $o does not load: $(tr '\n' ' ' </tmp/mp | cut -c1-150)"
		fi
	done
	if ! timeout 120 hotpatch load "$ko" >/tmp/out 2>&1; then
		echo "fail load: $(tr '\n' ' ' </tmp/out | cut -c1-200)${err:+; $err}"
		return
	fi
	[ -z "$err" ] || { echo "error $err (the patch loaded)"; timeout 60 hotpatch unload "$name" >/dev/null 2>&1; return; }
	[ "$(state "$name")" = applied ] || { echo "fail after load: state $(state "$name")"; return; }
	for o in "$@"; do
		p=$(cat "$S/$name/$o/patched" 2>/dev/null)
		[ "$p" = 1 ] || { echo "fail after load: $o patched=${p:-missing}"; return; }
	done
	timeout 60 hotpatch disable "$name" >/tmp/out 2>&1 ||
		{ echo "fail disable: $(tr '\n' ' ' </tmp/out | cut -c1-200)"; return; }
	[ "$(state "$name")" = reverted ] || { echo "fail after disable: state $(state "$name")"; return; }
	timeout 60 hotpatch enable "$name" >/tmp/out 2>&1 ||
		{ echo "fail enable: $(tr '\n' ' ' </tmp/out | cut -c1-200)"; return; }
	[ "$(state "$name")" = applied ] || { echo "fail after enable: state $(state "$name")"; return; }
	timeout 60 hotpatch unload "$name" >/tmp/out 2>&1 ||
		{ echo "fail unload: $(tr '\n' ' ' </tmp/out | cut -c1-200)"; return; }
	if grep -q "^$name " /proc/modules || [ -e "$S/$name" ]; then
		echo "fail after unload: still loaded"
		return
	fi
	echo "ok"
}

while read -r id name objs; do
	echo "@@CORPUS-START $id"
	before=$(dmesg | wc -l)
	# shellcheck disable=SC2086 # objs: one word per object
	r=$(one "$id" "$name" $objs)
	bad=$(dmesg | tail -n +$((before + 1)) | grep -E "$problems" | head -n 1 |
		sed 's/^\[[ 0-9.]*\] //' | cut -c1-150)
	if [ -n "$bad" ]; then
		case $r in
		ok) r="fail kernel log: $bad" ;;
		*) r="$r; kernel log: $bad" ;;
		esac
	fi
	echo "@@CORPUS $id $r"
done </lib/corpus/list
echo "corpus: done"
