#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
# Install what hotpatch needs to build and test, from Debian's archive.
# Idempotent: packages already installed are not touched, and apt-get runs
# only when something is missing.
#
# usage: scripts/deps.sh [--check] [--packaging]
#   --check      install nothing: list what is missing and exit 1 if
#                anything is (what every make target but `make deps` runs,
#                so a build touches no package and no network)
#   --packaging  the Debian packaging tools as well (make deb, make
#                debian-check), and the SSH client (make check-system)
set -euo pipefail

check_only=
packaging=
for arg in "$@"; do
	case $arg in
	--check) check_only=1 ;;
	--packaging) packaging=1 ;;
	-h|--help) sed -n '3,13s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) echo "deps: unknown option '$arg' (see --help)" >&2; exit 1 ;;
	esac
done

pkgs=(
	# toolchain and kernel module build
	gcc gcc-12 make bc flex bison pkg-config libc6-dev
	# tools
	libelf-dev libdwarf-dev libkmod-dev libssl-dev openssl libjson-c-dev
	# tests
	libcunit1-dev qemu-system-x86 busybox-static cpio kmod shellcheck
	python3 zstd xz-utils clang libfuzzer-14-dev
	# `promtool check metrics` for hotpatch metrics' textfile
	prometheus
	# the Ansible module's tests (make ansible-check)
	ansible-core
	# debugging info and checkpatch
	dwarves perl
	# hotpatch-build build: applies the fix (the kernel tree's own
	# `make prepare` needs the toolchain packages above)
	patch
)

# `scripts/deps.sh --packaging` (make deb, make debian-check): the Debian
# packaging tools as well; plain `make` does not need them.
if [ -n "$packaging" ]; then
	pkgs+=(debhelper dh-dkms dkms lintian mmdebstrap fakeroot dpkg-dev
		e2fsprogs
		# make check-system: the playbook run from the host over SSH
		openssh-client)
fi

missing=()
for p in "${pkgs[@]}"; do
	[[ $p == \#* ]] && continue
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing+=("$p")
	fi
done

# QEMU 8 or later: 7.2's TCG (bookworm's) can leave a vCPU re-executing a
# stale int3 for ever after ftrace rewrites a function another vCPU runs
# (docs/consistency.md, "QEMU"), which hangs the stress scenario. On
# bookworm it comes from bookworm-backports (Debian's archive), for that
# one package: nothing else is taken from backports.
backports=
qemu_ver=$(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || true)
if [ -z "$qemu_ver" ] || dpkg --compare-versions "$qemu_ver" lt 1:8; then
	codename=$(sed -n "s/^VERSION_CODENAME=//p" /etc/os-release)
	if [ "$codename" = bookworm ]; then
		backports=bookworm-backports
		[[ " ${missing[*]} " == *" qemu-system-x86 "* ]] ||
			missing+=(qemu-system-x86)
	elif [ -n "$qemu_ver" ]; then
		echo "deps: QEMU $qemu_ver is older than 8.0 and this is not" \
			"bookworm: install QEMU 8 or later for the VM tests" >&2
	fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if [ -n "$check_only" ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: install them with 'make deps${packaging:+ DEPS_ARGS=--packaging}' as root" \
		"(it runs scripts/deps.sh${packaging:+ --packaging}), or: apt-get install ${missing[*]}" >&2
	exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages: ${missing[*]}" >&2
	echo "deps: run as root, or: sudo apt-get install ${missing[*]}" >&2
	exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
if [ -n "$backports" ] &&
	! grep -rqs -e "^Suites:.*$backports" -e "^deb .* $backports " \
		/etc/apt/sources.list /etc/apt/sources.list.d/; then
	cat >"/etc/apt/sources.list.d/hotpatch-$backports.sources" <<EOF
Types: deb
URIs: http://deb.debian.org/debian
Suites: $backports
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
fi
apt-get update -qq
others=()
for p in "${missing[@]}"; do
	[ -n "$backports" ] && [ "$p" = qemu-system-x86 ] && continue
	others+=("$p")
done
[ ${#others[@]} -eq 0 ] ||
	apt-get install -y -qq --no-install-recommends "${others[@]}" >/dev/null
if [ -n "$backports" ]; then
	apt-get install -y -qq --no-install-recommends -t "$backports" \
		qemu-system-x86 >/dev/null
fi
