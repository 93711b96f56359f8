#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# fetch-source.sh VERSION: download (once) Debian's linux-source-6.1 of
# package version VERSION (e.g. 6.1.176-1) into the cache layout
# scripts/fetch-kernel.sh uses for the source of a kernel, and print the
# path of its tarball:
#   $HOTPATCH_CACHE/sources/VERSION/{dl,root}, .tar-ok written last
set -euo pipefail

die() { echo "${0##*/}: error: $*" >&2; exit 1; }
[ $# -eq 1 ] || die "usage: $0 VERSION"
ver=$1
[[ $ver =~ ^6\.1\.[0-9]+-[0-9]+$ ]] || die "'$ver' is not a linux-source-6.1 version like 6.1.176-1"

cache=${HOTPATCH_CACHE:-$HOME/.cache/hotpatch}
sdir=$cache/sources/$ver
pkg=linux-source-6.1
tarball=$sdir/root/usr/src/$pkg.tar.xz
mkdir -p "$sdir"
exec 8>"$sdir/.lock"
flock 8
if [ ! -f "$sdir/.tar-ok" ]; then
	apt_opts=(-q -o Dpkg::Use-Pty=0)
	[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)
	apt-cache madison "$pkg" 2>/dev/null | awk -F' *[|] *' '{print $2}' |
		grep -qxF -- "$ver" ||
		die "$pkg=$ver is not in the archive; versions: $(apt-cache madison "$pkg" |
			awk -F' *[|] *' '{print $2}' | paste -sd' ')"
	echo "${0##*/}: downloading $pkg=$ver (about 140 MB)" >&2
	rm -rf "$sdir/dl" "$sdir/root"
	mkdir -p "$sdir/dl"
	(cd "$sdir/dl" && apt-get "${apt_opts[@]}" download "$pkg=$ver" >/dev/null) ||
		die "apt-get download $pkg=$ver failed"
	mkdir -p "$sdir/root"
	dpkg-deb -x "$sdir"/dl/*.deb "$sdir/root"
	[ -f "$tarball" ] || die "$tarball missing after unpacking"
	touch "$sdir/.tar-ok"
fi
echo "$tarball"
