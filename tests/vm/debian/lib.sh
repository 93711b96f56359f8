# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
# shellcheck disable=SC2154 # hp_top, HP_KROOT, HP_KVER: tests/vm/host.sh
#
# What the Debian guests of make debian-check (run.sh) and make
# check-system (fleet.sh) share: the cached bookworm rootfs, the guest's
# root with the hotpatch package, the test kernel's modules and a core,
# and the busybox initramfs that mounts the disk and switch_roots to it.
# Sourced after tests/vm/host.sh (hp_die, HP_KROOT, HP_KVER, hp_top).

# hp_debian_base CACHE NAME PKGS: CACHE/bookworm-NAME.tar, a minbase
# bookworm rootfs with PKGS (comma-separated), built once with mmdebstrap
# and rebuilt when PKGS change; its path in $base.
hp_debian_base() {
	local cache=$1 name=$2 pkgs=$3 stamp
	base=$cache/bookworm-$name.tar
	stamp="bookworm $pkgs"
	if [ -f "$base" ] && [ "$(cat "$base.stamp" 2>/dev/null)" = "$stamp" ]; then
		return 0
	fi
	echo "# building the bookworm rootfs $name (cached in $cache)"
	rm -rf "$base.tmp"
	# --format: the name "$base.tmp" does not end in .tar, from which
	# mmdebstrap would guess it (it made a directory)
	mmdebstrap --variant=minbase --format=tar --include="$pkgs" bookworm \
		"$base.tmp" http://deb.debian.org/debian \
		>"$cache/mmdebstrap-$name.log" 2>&1 ||
		{ tail -20 "$cache/mmdebstrap-$name.log" >&2; hp_die "mmdebstrap failed"; }
	mv "$base.tmp" "$base"
	echo "$stamp" >"$base.stamp"
}

# hp_debian_root BASE ROOT DEB CORE LOGDIR: ROOT made from BASE with the
# package DEB installed (dpkg, log in LOGDIR), the test kernel's modules,
# CORE where DKMS installs it, the test certificate as a vendor key, an
# empty machine id and the disk in fstab.
hp_debian_root() {
	local base=$1 root=$2 deb=$3 core=$4 logdir=$5 mods
	mkdir -p "$root"
	tar -C "$root" -xf "$base"
	cp "$deb" "$root/tmp/"
	chroot "$root" dpkg -i "/tmp/${deb##*/}" >"$logdir/dpkg.log" 2>&1 ||
		{ cat "$logdir/dpkg.log" >&2; hp_die "dpkg -i ${deb##*/} failed in the rootfs"; }
	rm -f "$root/tmp/${deb##*/}"
	mods=$root/lib/modules/$HP_KVER
	mkdir -p "$root/lib/modules"
	cp -a "$HP_KROOT/lib/modules/$HP_KVER" "$root/lib/modules/"
	rm -f "$mods/build" "$mods/source"
	mkdir -p "$mods/updates/dkms"
	cp "$core" "$mods/updates/dkms/"
	depmod -b "$root" "$HP_KVER"
	cp "$hp_top/build/keys/signing_cert.der" "$root/etc/hotpatch/keys.d/vendor.der"
	: >"$root/etc/machine-id"
	echo "/dev/vda / ext4 rw 0 1" >"$root/etc/fstab"
}

# hp_debian_initrd OUT: OUT/initrd.cpio.gz, a busybox initramfs that loads
# the test kernel's virtio modules, mounts /dev/vda and switch_roots to it.
hp_debian_initrd() {
	local ird=$1/initrd m f
	mkdir -p "$ird"/{bin,dev,proc,sys,newroot,mods}
	cp "$(command -v busybox)" "$ird/bin/busybox"
	for m in virtio virtio_ring virtio_pci_legacy_dev virtio_pci_modern_dev \
		virtio_pci virtio_blk; do
		f=$(find "$HP_KROOT/lib/modules/$HP_KVER/kernel/drivers" -name "$m.ko" -print -quit)
		[ -n "$f" ] || hp_die "no $m.ko in the test kernel"
		cp "$f" "$ird/mods/"
	done
	cat >"$ird/init" <<'EOI'
#!/bin/busybox sh
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sys /sys
/bin/busybox mount -t devtmpfs dev /dev
# in dependency order, whatever it is: three passes
for pass in 1 2 3; do
	for m in virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk; do
		/bin/busybox grep -q "^$m " /proc/modules ||
			/bin/busybox insmod /mods/$m.ko 2>/dev/null
	done
done
i=0
while [ ! -b /dev/vda ] && [ $i -lt 100 ]; do /bin/busybox sleep 0.1; i=$((i + 1)); done
/bin/busybox mount -t ext4 -o rw /dev/vda /newroot || {
	echo "initrd: cannot mount /dev/vda"; /bin/busybox poweroff -f; }
/bin/busybox umount /proc /sys /dev
exec /bin/busybox switch_root /newroot /sbin/init
EOI
	chmod 755 "$ird/init"
	(cd "$ird" && find . -print0 | LC_ALL=C sort -z |
		cpio --null -o -H newc --quiet -R 0:0) | gzip -1 >"$1/initrd.cpio.gz"
}
