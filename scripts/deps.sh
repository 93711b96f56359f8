#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what hotpatch needs to build and test, from Debian's archive.
# Idempotent: packages already installed are not touched, and apt-get runs
# only when something is missing.
set -euo pipefail

pkgs=(
	# toolchain and kernel module build
	gcc gcc-12 make bc flex bison pkg-config libc6-dev
	# tools
	libelf-dev libdwarf-dev libkmod-dev libssl-dev openssl libjson-c-dev
	# tests
	libcunit1-dev qemu-system-x86 busybox-static cpio kmod shellcheck
	python3 zstd xz-utils clang libfuzzer-14-dev
	# debugging info and checkpatch
	dwarves perl
	# hotpatch-build build: applies the fix (the kernel tree's own
	# `make prepare` needs the toolchain packages above)
	patch
)

missing=()
for p in "${pkgs[@]}"; do
	[[ $p == \#* ]] && continue
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
