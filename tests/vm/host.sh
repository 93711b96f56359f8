# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Host-side helpers shared by tests/vm/run, tests/vm/demo, tests/vm/selftest
# and tests/bench/run. Source it; it defines:
#
#   hp_top                      repository root (set on sourcing)
#   hp_kernel_env               source build/kernel.env (HP_KVER,
#                               HP_VMLINUZ…), running scripts/fetch-kernel.sh
#                               first when it is missing or KVER names
#                               another kernel; HP_KERNEL_ENV=FILE sources
#                               FILE instead
#   hp_build_initramfs DIR [HOST:GUEST ...]
#                               build DIR/initrd.cpio.gz (tree in DIR/root):
#                               busybox, /init (tests/vm/init), kernel/*.ko,
#                               tests/fixtures/*.ko, build/bin/* and
#                               build/test-bin/* with their libraries, tests/vm/lib/*, the scenarios,
#                               build/realpatches/*.ko (/lib/hotpatch/realpatches),
#                               the Debian modules of tests/realpatches/modules
#                               (/lib/hotpatch/debian), plus
#                               each extra HOST file or directory at GUEST
#   hp_qemu_cmd ARRAY INITRD LOG APPEND [QEMU-OPTION ...]
#                               fill the array named ARRAY with the QEMU
#                               command line: LOG is the serial log ("-" for
#                               stdio), APPEND is added to the kernel command
#                               line; extra options come last, so they win
#   hp_log_problems FILE        print the kernel-log lines of FILE that mean
#                               the kernel is unhappy (BUG:, WARNING:, Oops…)

hp_top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)

hp_die() { echo "${0##*/}: error: $*" >&2; exit 2; }

hp_kernel_env() {
	local env=$hp_top/build/kernel.env cur=""
	# HP_KERNEL_ENV: another kernel's OUT.env (scripts/fetch-kernel.sh),
	# taken as it is (the corpus benchmark boots the kernel it builds for).
	if [ -n "${HP_KERNEL_ENV:-}" ]; then
		# shellcheck source=/dev/null
		. "$HP_KERNEL_ENV"
		[ -f "${HP_VMLINUZ:-}" ] || hp_die "HP_VMLINUZ missing in $HP_KERNEL_ENV"
		return 0
	fi
	# Use the kernel make resolved (the modules were built for it); fetch
	# when there is none yet, or when KVER asks for another one.
	[ ! -f "$env" ] || cur=$(sed -n 's/^HP_KVER=//p' "$env")
	if [ -z "$cur" ] || { [ -n "${KVER:-}" ] && [ "${KVER%-cloud-amd64}" != "${cur%-cloud-amd64}" ]; }; then
		"$hp_top/scripts/fetch-kernel.sh" "$hp_top/build/kernel.mk" ||
			hp_die "cannot fetch the kernel"
	fi
	# shellcheck source=/dev/null
	. "$env"
	[ -f "${HP_VMLINUZ:-}" ] ||
		hp_die "HP_VMLINUZ='${HP_VMLINUZ:-}' missing; rerun scripts/fetch-kernel.sh build/kernel.mk"
}

# _hp_copy_libs ROOT BINARY: copy the shared libraries and the dynamic loader
# BINARY needs into ROOT, at their host paths.
_hp_copy_libs() {
	local root=$1 bin=$2 lib
	# ldd prints "name => /path (addr)" or "/path (addr)" for the loader;
	# it fails on a static binary, which needs nothing.
	{ ldd "$bin" 2>/dev/null || true; } | awk '
		$2 == "=>" && $3 ~ /^\// { print $3 }
		$1 ~ /^\// { print $1 }' |
	while read -r lib; do
		[ -e "$root$lib" ] && continue
		mkdir -p "$root$(dirname "$lib")"
		cp -L "$lib" "$root$lib"
	done
}

# _hp_add ROOT HOST GUEST: copy a file or a directory's contents.
_hp_add() {
	local root=$1 src=$2 dst=$3
	if [ -d "$src" ]; then
		mkdir -p "$root$dst"
		cp -a "$src/." "$root$dst/"
	elif [ -e "$src" ]; then
		mkdir -p "$root$(dirname "$dst")"
		cp -L "$src" "$root$dst"
	else
		hp_die "no such file: $src"
	fi
}

hp_build_initramfs() {
	local dir=$1; shift
	local root=$dir/root f l spec
	local busybox
	busybox=$(command -v busybox) || hp_die "busybox missing (scripts/deps.sh installs busybox-static)"
	! ldd "$busybox" >/dev/null 2>&1 ||
		hp_die "$busybox is not static (install busybox-static)"

	rm -rf "$root"
	mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,run,root,etc}
	mkdir -p "$root"/lib/hotpatch/{fixtures,tests/lib} "$root/lib/modules/$HP_KVER"
	cp "$busybox" "$root/bin/busybox"
	# Applet links, where busybox would install them.
	while read -r l; do
		[ -e "$root/$l" ] || ln -s /bin/busybox "$root/$l"
	done < <("$busybox" --list-full)
	install -m 755 "$hp_top/tests/vm/init" "$root/init"
	echo "root:x:0:0:root:/root:/bin/sh" >"$root/etc/passwd"
	echo "root:x:0:" >"$root/etc/group"

	for f in "$hp_top"/kernel/*.ko; do
		[ -f "$f" ] && cp "$f" "$root/lib/hotpatch/"
	done
	for f in "$hp_top"/tests/fixtures/*.ko; do
		[ -f "$f" ] && cp "$f" "$root/lib/hotpatch/fixtures/"
	done
	# the test signing certificate, for `hotpatch install` (t6000)
	mkdir -p "$root/lib/hotpatch/keys"
	[ ! -f "$hp_top/build/keys/signing_cert.der" ] ||
		cp "$hp_top/build/keys/signing_cert.der" "$root/lib/hotpatch/keys/"
	for f in "$hp_top"/build/bin/* "$hp_top"/build/test-bin/*; do
		if [ ! -f "$f" ] || [ ! -x "$f" ]; then
			continue
		fi
		cp -L "$f" "$root/usr/bin/"
		_hp_copy_libs "$root" "$f"
	done
	for f in "$hp_top"/tests/vm/lib/*; do
		[ -f "$f" ] && cp "$f" "$root/lib/hotpatch/tests/lib/"
	done
	# The real patches hotpatch-build made from tests/realpatches/*.patch,
	# and the Debian modules they target (tests/realpatches/modules).
	mkdir -p "$root/lib/hotpatch/realpatches" "$root/lib/hotpatch/debian"
	for f in "$hp_top"/build/realpatches/*.ko; do
		[ -f "$f" ] && cp "$f" "$root/lib/hotpatch/realpatches/"
	done
	if [ -f "$hp_top/tests/realpatches/modules" ] && [ -n "${HP_KROOT:-}" ]; then
		while read -r l; do
			case $l in ''|'#'*) continue ;; esac
			f=$(find "$HP_KROOT/lib/modules/$HP_KVER" -name "$l.ko" -print -quit)
			[ -z "$f" ] || cp "$f" "$root/lib/hotpatch/debian/"
		done <"$hp_top/tests/realpatches/modules"
	fi
	for f in "$hp_top"/tests/vm/scenarios/t[0-9][0-9][0-9][0-9]-*.sh; do
		[ -f "$f" ] && cp "$f" "$root/lib/hotpatch/tests/"
	done
	for spec in "$@"; do
		_hp_add "$root" "${spec%%:*}" "${spec#*:}"
	done
	# libkmod (and modprobe) want the module directory of the running
	# kernel to exist; an empty index is enough for loading by path.
	if command -v depmod >/dev/null; then
		depmod -b "$root" "$HP_KVER" 2>/dev/null || true
	fi

	(cd "$root" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$dir/initrd.cpio.gz.tmp"
	mv "$dir/initrd.cpio.gz.tmp" "$dir/initrd.cpio.gz"
}

# hp_qemu_check: refuse QEMU older than 8.0. Its TCG (7.2 is bookworm's)
# can leave a vCPU re-executing a stale int3 for ever after ftrace rewrites
# a function another vCPU runs (docs/consistency.md, "QEMU"): scenarios
# would hang for reasons that are not ours. HP_QEMU_ANY=1 runs anyway.
hp_qemu_check() {
	local v
	v=$(qemu-system-x86_64 --version 2>/dev/null |
		sed -n '1s/^QEMU emulator version \([0-9][0-9]*\)\..*/\1/p')
	[ -n "$v" ] || hp_die "qemu-system-x86_64 not found: run scripts/deps.sh"
	[ "$v" -ge 8 ] || [ "${HP_QEMU_ANY:-}" = 1 ] ||
		hp_die "QEMU $v is too old: its TCG can hang on ftrace code rewrites" \
			"(docs/consistency.md, \"QEMU\"); run scripts/deps.sh (it installs" \
			"QEMU from bookworm-backports) or set HP_QEMU_ANY=1 to run anyway"
}

# hp_qemu_cmd ARRAY INITRD LOG APPEND [QEMU-OPTION ...]
# no_timer_check: on a loaded host a TCG guest can miss the boot-time check
# that the timer interrupt arrives through the IO-APIC and panic ("IO-APIC
# + timer doesn't work"); the check is for broken boards, not for QEMU.
hp_qemu_cmd() {
	local -n _cmd=$1
	local initrd=$2 log=$3 append=$4
	shift 4
	_cmd=(qemu-system-x86_64 -accel tcg -cpu max -smp 2 -m 1024
		-nodefaults -no-user-config -display none -no-reboot
		-kernel "$HP_VMLINUZ" -initrd "$initrd"
		-append "console=ttyS0 panic=-1 quiet no_timer_check $append")
	if [ "$log" = - ]; then
		_cmd+=(-serial stdio)
	else
		_cmd+=(-serial "file:$log")
	fi
	_cmd+=("$@")
}

# Kernel-log lines that mean the kernel is unhappy. Only kernel messages are
# looked at (they carry a "[    1.234567] " timestamp on the console and in
# dmesg), so what scenarios and tools print themselves never trips it.
hp_problem_re='BUG:|WARNING:|Oops|Call Trace|general protection|Kernel panic'

hp_log_problems() {
	grep -aE "^\[ *[0-9]+\.[0-9]+\] .*($hp_problem_re)" "$1" || true
}
