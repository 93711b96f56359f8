#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# Resolve, download (once) and unpack the Debian kernel hotpatch builds for
# and boots in its VM tests.
#
# usage: scripts/fetch-kernel.sh [--source | --source-tarball] [--dbg] OUT.mk
#
#   KVER=<abi>            e.g. 6.1.0-56-cloud-amd64 (or just 6.1.0-56), or a 6.12
#                         build for bookworm like 6.12.118+deb12-cloud-amd64 (or
#                         6.12.118+deb12); KVER=6.12 is the newest of those (what
#                         linux-image-6.12-cloud-amd64 depends on now); default:
#                         what bookworm's linux-image-cloud-amd64 depends on now
#   HOTPATCH_CACHE=<dir>  cache root (default ~/.cache/hotpatch)
#
#   --source              also fetch linux-source-6.1 or -6.12 (the version that matches
#                         the kernel) and unpack its tree once: sets HP_KSRC
#   --source-tarball      fetch it but only unpack the .tar.xz: sets HP_KSRC_TAR
#   --dbg                 also fetch linux-image-<abi>-dbg (about 280 MB) and
#                         unpack its vmlinux and System.map: the target's
#                         facts without booting it; sets HP_KDBG_VMLINUX,
#                         HP_KDBG_SYSTEM_MAP
#
# Writes OUT.mk (make syntax) and its shell-sourceable twin OUT.env (the same
# path with .mk replaced by .env; build/kernel.mk -> build/kernel.env):
#   HP_KVER HP_KVERSION HP_KROOT HP_KDIR HP_VMLINUZ HP_SYSTEM_MAP HP_KCONFIG
#   HP_KSRC HP_KSRC_TAR HP_KDBG_VMLINUX HP_KDBG_SYSTEM_MAP (empty until fetched)
# Both files are rewritten only when their content changes.
#
# Cache layout, each step finished by a stamp written last, so an interrupted
# run redoes that step and a complete one costs no network and well under a
# second:
#   kernels/<abi>/debs/*.deb      image, headers, headers-common, kbuild
#   kernels/<abi>/root/           the four packages unpacked, paths fixed up,
#                                 .ko.xz modules decompressed (6.12)
#   sources/<version>/            linux-source-6.1 .deb, tarball and tree
#   kernels/<abi>/dbg/            vmlinux and System.map of the -dbg package
set -euo pipefail

prog=fetch-kernel
die() { echo "$prog: error: $*" >&2; exit 1; }
info() { echo "$prog: $*" >&2; }

want_src=""
want_dbg=""
out=""
while [ $# -gt 0 ]; do
	case $1 in
	--source) want_src=tree ;;
	--source-tarball) [ -n "$want_src" ] || want_src=tarball ;;
	--dbg) want_dbg=1 ;;
	-h|--help) sed -n '4,33s/^# \{0,1\}//p' "$0"; exit 0 ;;
	-*) die "unknown option '$1' (see --help)" ;;
	*) [ -z "$out" ] || die "only one OUT.mk, got '$out' and '$1'"; out=$1 ;;
	esac
	shift
done
[ -n "$out" ] || die "usage: $0 [--source | --source-tarball] OUT.mk"
case $out in
*.mk) env_out=${out%.mk}.env ;;
*) env_out=$out.env ;;
esac

cache=${HOTPATCH_CACHE:-$HOME/.cache/hotpatch}
mkdir -p "$cache/kernels" "$cache/sources"
cache=$(cd "$cache" && pwd -P)

apt_opts=(-q -o Dpkg::Use-Pty=0)
# As root, apt-get download drops privileges to _apt, which cannot write
# into a private cache directory: stay root for the download instead.
[ "$(id -u)" -ne 0 ] || apt_opts+=(-o APT::Sandbox::User=root)

updated=""
apt_update() {
	[ -z "$updated" ] || return 1
	updated=1
	if [ "$(id -u)" -ne 0 ]; then
		info "the package lists look stale; run 'apt-get update' as root"
		return 1
	fi
	info "apt-get update"
	apt-get "${apt_opts[@]}" update >/dev/null || die "apt-get update failed"
}

# pkg_field PKG FIELD: FIELD of the candidate version of PKG, or failure.
pkg_field() {
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		sed -n "s/^$2: //p" | head -n1 | grep .
}

known() { apt-cache show --no-all-versions "$1" >/dev/null 2>&1; }

# ensure_known PKG: the package lists know PKG (apt-get update once if not).
ensure_known() {
	known "$1" && return 0
	apt_update && known "$1"
}

# ABIs with both an image and headers in the archive (the security archive
# keeps some images whose headers are gone).
available_abis() {
	local re='^linux-(image|headers)-6\.(1\.0-[0-9]+|12\.[0-9]+\+deb[0-9.]+)-cloud-amd64$'
	apt-cache search --names-only "$re" |
		sed -n 's/^linux-[a-z]*-\(6\.[0-9.]*[-+][a-z0-9.]*-cloud-amd64\) .*/\1/p' |
		sort -V | uniq -d | paste -sd' '
}

# version_available PKG VERSION
version_available() {
	apt-cache madison "$1" 2>/dev/null | awk -F' *[|] *' '{print $2}' |
		grep -qxF -- "$2"
}

# download DIR PKG=VER...: apt-get download into DIR, retrying once after an
# apt-get update (a 404 means the lists are older than the archive).
download() {
	local dir=$1; shift
	( cd "$dir" && apt-get "${apt_opts[@]}" download "$@" >/dev/null ) && return 0
	apt_update || die "apt-get download $* failed"
	( cd "$dir" && apt-get "${apt_opts[@]}" download "$@" >/dev/null ) ||
		die "apt-get download $* failed"
}

# write_if_changed FILE: stdin -> FILE, atomically, untouched if equal.
write_if_changed() {
	local f=$1 tmp
	mkdir -p "$(dirname "$f")"
	tmp=$(mktemp "$f.XXXXXX")
	cat >"$tmp"
	if cmp -s "$tmp" "$f"; then
		rm -f "$tmp"
	else
		chmod 644 "$tmp"
		mv -f "$tmp" "$f"
	fi
}

# --- resolve the ABI -------------------------------------------------------

abi_re='^6\.(1\.0-[0-9]+|12\.[0-9]+\+deb[0-9]+(\.[0-9]+)?)-cloud-amd64$'
if [ -n "${KVER:-}" ] && [ "$KVER" != 6.12 ]; then
	abi=$KVER
	[[ $abi =~ -cloud-amd64$ ]] || abi=$abi-cloud-amd64
	[[ $abi =~ $abi_re ]] ||
		die "KVER='$KVER' is not a Debian cloud kernel ABI (like 6.1.0-56-cloud-amd64 or 6.12.118+deb12-cloud-amd64; KVER=6.12 for the newest 6.12)"
else
	# KVER=6.12: the newest 6.12, what its meta package depends on; unset:
	# the default kernel, what linux-image-cloud-amd64 depends on.
	if [ -n "${KVER:-}" ]; then
		meta=linux-image-6.12-cloud-amd64 pat='6\.12\.[0-9]*+deb[0-9.]*' memo=.6.12-abi
		where=bookworm-security
	else
		meta=linux-image-cloud-amd64 pat='6\.1\.0-[0-9]*' memo=.default-abi
		where=bookworm
	fi
	# apt-cache takes about a second here (no pkgcache.bin), so remember
	# the answer for as long as the package lists stay the same.
	lists=$(apt-config shell d Dir::State::lists/d | sed -n "s/^d='\(.*\)'$/\1/p")
	key=$(stat -c '%n %s %Y' "${lists:-/var/lib/apt/lists/}"*Packages* 2>/dev/null |
		md5sum | cut -d' ' -f1)
	memo=$cache/kernels/$memo
	abi=""
	if [ -f "$memo" ] && [ "$(head -n1 "$memo")" = "$key" ]; then
		abi=$(sed -n 2p "$memo")
	fi
	if [ -z "$abi" ] && ensure_known "$meta"; then
		abi=$(apt-cache depends "$meta" 2>/dev/null |
			sed -n "s/^ *Depends: linux-image-\($pat-cloud-amd64\)$/\1/p" |
			sort -V | tail -n1)
		[ -z "$abi" ] || [ -n "$updated" ] || printf '%s\n%s\n' "$key" "$abi" | write_if_changed "$memo"
	fi
	[ -n "$abi" ] ||
		die "cannot resolve $meta to a kernel ABI (is $where in /etc/apt/sources.list?)"
fi

kdir=$cache/kernels/$abi
mkdir -p "$kdir"
exec 9>"$kdir/.lock"
flock 9

root=$kdir/root
stamp=$kdir/.stamp

# --- image + headers + common + kbuild -------------------------------------

if [ ! -f "$stamp" ]; then
	for p in "linux-image-$abi" "linux-headers-$abi"; do
		if ! ensure_known "$p"; then
			avail=$(available_abis)
			die "$p is not in the archive; ABIs with image and headers: ${avail:-none (apt-get update?)}"
		fi
	done
	kver=$(pkg_field "linux-image-$abi" Version) ||
		die "no version for linux-image-$abi"
	deps=$(pkg_field "linux-headers-$abi" Depends) ||
		die "linux-headers-$abi has no Depends"
	common="" kbuild=""
	IFS=',' read -r -a dl <<<"$deps"
	for d in "${dl[@]}"; do
		name=${d#"${d%%[! ]*}"}
		name=${name%% *}
		case $name in
		linux-headers-*-common) common=$name ;;
		linux-kbuild-*) kbuild=$name ;;
		esac
	done
	[ -n "$common" ] || die "linux-headers-$abi does not depend on a linux-headers-*-common"
	[ -n "$kbuild" ] || die "linux-headers-$abi does not depend on a linux-kbuild-*"
	hver=$(pkg_field "linux-headers-$abi" Version)
	# kbuild is shared by every ABI of the series and the headers ask for
	# ">= their version": take the matching version when the archive still
	# has it, the newest otherwise.
	kbuild_spec=$kbuild
	version_available "$kbuild" "$hver" && kbuild_spec=$kbuild=$hver

	debs=$kdir/debs
	if [ ! -f "$debs/.complete" ]; then
		info "downloading linux-image-$abi ($kver), headers, $common, $kbuild_spec"
		rm -rf "$debs" "$kdir/debs.tmp"
		mkdir -p "$kdir/debs.tmp"
		download "$kdir/debs.tmp" "linux-image-$abi=$kver" "linux-headers-$abi=$hver" \
			"$common=$hver" "$kbuild_spec"
		echo "$kver" >"$kdir/debs.tmp/.complete"
		mv "$kdir/debs.tmp" "$debs"
	fi

	info "unpacking into $root"
	rm -rf "$root" "$kdir/root.tmp"
	mkdir -p "$kdir/root.tmp"
	for deb in "$debs"/*.deb; do
		dpkg-deb -x "$deb" "$kdir/root.tmp"
	done
	hdr=$kdir/root.tmp/usr/src/linux-headers-$abi
	[ -f "$hdr/Makefile" ] || die "$hdr/Makefile missing after unpacking"
	# The flavour Makefile includes the common one by absolute path.
	sed -i "s|^include /usr/src/|include $root/usr/src/|" "$hdr/Makefile"
	# lib/modules/<abi>/{build,source} point to /usr/src absolutely.
	for l in build source; do
		link=$kdir/root.tmp/lib/modules/$abi/$l
		[ -L "$link" ] || continue
		t=$(readlink "$link")
		case $t in
		/usr/src/*) ln -sfn "../../..$t" "$link" ;;
		esac
	done
	for f in "boot/vmlinuz-$abi" "boot/System.map-$abi" "boot/config-$abi" \
		"usr/src/linux-headers-$abi/scripts/sign-file"; do
		[ -e "$kdir/root.tmp/$f" ] || die "$f missing after unpacking"
	done
	mv "$kdir/root.tmp" "$root"
	echo "$kver" >"$stamp"
fi
kver=$(cat "$stamp")

# 6.12 ships its modules xz-compressed (.ko.xz); what reads them here (the
# builder's symbol tables, the facts, the guest's busybox insmod) wants
# plain .ko: decompress them once (a few seconds; re-run after an
# interruption finishes the rest).
if [ ! -f "$kdir/.ko-plain" ]; then
	if find "$root/lib/modules" -name '*.ko.xz' -print -quit | grep -q .; then
		info "decompressing the .ko.xz modules"
		find "$root/lib/modules" -name '*.ko.xz' -print0 | xargs -0 -r xz -d ||
			die "xz -d of the modules in $root/lib/modules failed"
	fi
	touch "$kdir/.ko-plain"
fi

# --- linux-source (optional) -------------------------------------------------

ksrc="" ksrc_tar=""
sdir=$cache/sources/$kver
series=${abi%%-*}                 # 6.1.0
series=${series%.*}               # 6.1
srcpkg=linux-source-$series
tarball=$sdir/root/usr/src/$srcpkg.tar.xz

if [ -n "$want_src" ]; then
	mkdir -p "$sdir"
	exec 8>"$sdir/.lock"
	flock 8
	if [ ! -f "$sdir/.tar-ok" ]; then
		ensure_known "$srcpkg" || die "$srcpkg is not in the archive"
		version_available "$srcpkg" "$kver" || {
			avail=$(apt-cache madison "$srcpkg" | awk -F' *[|] *' '{print $2}' | paste -sd' ')
			die "$srcpkg=$kver (the source of $abi) is not in the archive; versions available: $avail"
		}
		info "downloading $srcpkg=$kver (about 140 MB)"
		rm -rf "$sdir/dl" "$sdir/root"
		mkdir -p "$sdir/dl"
		download "$sdir/dl" "$srcpkg=$kver"
		mkdir -p "$sdir/root"
		dpkg-deb -x "$sdir"/dl/*.deb "$sdir/root"
		[ -f "$tarball" ] || die "$tarball missing after unpacking"
		touch "$sdir/.tar-ok"
	fi
	if [ "$want_src" = tree ] && [ ! -f "$sdir/.tree-ok" ]; then
		info "unpacking the $srcpkg tree (about 15 s)"
		rm -rf "$sdir/tree" "$sdir/tree.tmp"
		mkdir -p "$sdir/tree.tmp"
		tar -xf "$tarball" -C "$sdir/tree.tmp"
		mv "$sdir/tree.tmp" "$sdir/tree"
		touch "$sdir/.tree-ok"
	fi
fi
[ ! -f "$sdir/.tar-ok" ] || ksrc_tar=$tarball
[ ! -f "$sdir/.tree-ok" ] || ksrc=$sdir/tree/$srcpkg

# --- linux-image-<abi>-dbg (optional) ---------------------------------------

# Only the two files a build needs are kept (the package unpacks to 1.7 GB,
# nearly all of it the modules' debug info; the image's own modules carry
# the symbol tables the pipeline reads).
dbg=$kdir/dbg
dbg_vmlinux="" dbg_map=""
if [ -n "$want_dbg" ] && [ ! -f "$dbg/.ok" ]; then
	p=linux-image-$abi-dbg
	ensure_known "$p" || die "$p is not in the archive"
	version_available "$p" "$kver" || {
		avail=$(apt-cache madison "$p" | awk -F' *[|] *' '{print $2}' | paste -sd' ')
		die "$p=$kver is not in the archive; versions available: ${avail:-none}"
	}
	info "downloading $p=$kver (about 280 MB; unpacking its vmlinux takes about 30 s)"
	rm -rf "$dbg" "$kdir/dbg.tmp"
	mkdir -p "$kdir/dbg.tmp/dl"
	download "$kdir/dbg.tmp/dl" "$p=$kver"
	dpkg-deb --fsys-tarfile "$kdir"/dbg.tmp/dl/*.deb |
		tar -x -C "$kdir/dbg.tmp" "./usr/lib/debug/boot/vmlinux-$abi" \
			"./usr/lib/debug/boot/System.map-$abi" ||
		die "vmlinux-$abi or System.map-$abi missing from $p"
	mv "$kdir/dbg.tmp/usr/lib/debug/boot/vmlinux-$abi" \
		"$kdir/dbg.tmp/usr/lib/debug/boot/System.map-$abi" "$kdir/dbg.tmp/"
	rm -rf "$kdir/dbg.tmp/dl" "$kdir/dbg.tmp/usr"
	touch "$kdir/dbg.tmp/.ok"
	mv "$kdir/dbg.tmp" "$dbg"
fi
if [ -f "$dbg/.ok" ]; then
	dbg_vmlinux=$dbg/vmlinux-$abi
	dbg_map=$dbg/System.map-$abi
fi

# --- outputs -----------------------------------------------------------------

names=(HP_KVER HP_KVERSION HP_KROOT HP_KDIR HP_VMLINUZ HP_SYSTEM_MAP HP_KCONFIG
	HP_KSRC HP_KSRC_TAR HP_KDBG_VMLINUX HP_KDBG_SYSTEM_MAP)
vals=("$abi" "$kver" "$root" "$root/usr/src/linux-headers-$abi"
	"$root/boot/vmlinuz-$abi" "$root/boot/System.map-$abi"
	"$root/boot/config-$abi" "$ksrc" "$ksrc_tar" "$dbg_vmlinux" "$dbg_map")

{
	echo "# Generated by scripts/fetch-kernel.sh; do not edit."
	for i in "${!names[@]}"; do
		echo "${names[$i]} := ${vals[$i]}"
	done
} | write_if_changed "$out"
{
	echo "# Generated by scripts/fetch-kernel.sh; do not edit."
	for i in "${!names[@]}"; do
		printf '%s=%q\n' "${names[$i]}" "${vals[$i]}"
	done
} | write_if_changed "$env_out"
