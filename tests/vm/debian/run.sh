#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make debian-check: a Debian bookworm guest that boots systemd in QEMU with
# the hotpatch package of `make deb` installed and a patch installed with
# `hotpatch install`, booted four times on the same disk:
#
#   1. plain boot: hotpatch.service loads the core and applies the patch
#   2. hotpatch.enable=0 on the command line: nothing is loaded, and the
#      journal says why
#   3. the guest writes the in-flight marker of the patch (as a load that
#      never finished would) and crashes (sysrq b: no clean shutdown); boot
#      2 asks for it with a file, as /proc/cmdline is what the patch under
#      test replaces
#   4. plain boot again: the service skips the patch and says so;
#      `hotpatch check` exits 8
#
# Each boot runs hp-report.service after hotpatch.service (the state, the
# unit's journal, `hotpatch check`, `status --json`), which prints to the
# serial console and powers off; the host reads the console log.
#
#   tests/vm/debian/run.sh DEBDIR     (DEBDIR: the .debs of make deb)
#
# The base rootfs (mmdebstrap: systemd, udev, kmod and the tools' libraries)
# is cached in ~/.cache/hotpatch/debian/ (HOTPATCH_CACHE); the disk image is
# made afresh from it each run. The core is built by DKMS on the host (a
# private DKMS tree) from the hotpatch-dkms package's source, trusting the
# test certificate, and put where DKMS installs it
# (/lib/modules/KVER/updates/dkms); the package itself is not installed in
# the guest (DKMS there would need the kernel headers and a compiler, and
# the build under TCG). The guest boots the test kernel through a busybox initramfs that
# loads the virtio modules and switch_roots to /dev/vda.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../host.sh
. "$here/../host.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

debdir=$(cd "${1:?usage: run.sh DEBDIR}" && pwd -P)
cache=${HOTPATCH_CACHE:-$HOME/.cache/hotpatch}/debian
out=$hp_top/build/debian-vm
patch=hp_patch_cmdline
t_start=$SECONDS

hp_kernel_env
hp_qemu_check
for f in "$hp_top/kernel/hotpatch.ko" "$hp_top/tests/fixtures/$patch.ko" \
	"$hp_top/build/keys/signing_cert.der"; do
	[ -f "$f" ] || hp_die "$f missing: run make first"
done
debs=("$debdir"/hotpatch_*_amd64.deb)
deb=${debs[0]}
[ -f "$deb" ] || hp_die "no hotpatch_*.deb in $debdir: run make deb"
command -v mmdebstrap >/dev/null || hp_die "mmdebstrap missing: scripts/deps.sh --packaging"
command -v mke2fs >/dev/null || hp_die "mke2fs missing (e2fsprogs)"
command -v promtool >/dev/null || hp_die "promtool missing (prometheus): scripts/deps.sh"

mkdir -p "$cache" "$out"
rm -rf "${out:?}"/*

# ---- the base rootfs, cached ----
hp_debian_base "$cache" base \
	systemd,systemd-sysv,udev,kmod,procps,openssl,libjson-c5,libkmod2,libelf1,libssl3

# ---- the guest's root: base + the package + the core + an installed patch
# the core as the hotpatch-dkms package builds it: DKMS (a private tree,
# nothing of the host's) on the package's source, trusting the vendor
# certificate through HOTPATCH_KEYS_DIR (on a machine: /etc/hotpatch/keys.d)
core=$hp_top/kernel/hotpatch.ko
dkms_debs=("$debdir"/hotpatch-dkms_*_all.deb)
if command -v dkms >/dev/null && [ -f "${dkms_debs[0]}" ]; then
	mkdir -p "$out/dkms-pkg" "$out/dkms-tree" "$out/keys"
	dpkg -x "${dkms_debs[0]}" "$out/dkms-pkg"
	cp "$hp_top/build/keys/signing_cert.der" "$out/keys/"
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' "$out"/dkms-pkg/usr/src/hotpatch-*/dkms.conf)
	t0=$SECONDS
	if HOTPATCH_KEYS_DIR=$out/keys dkms --dkmstree "$out/dkms-tree" \
		--sourcetree "$out/dkms-pkg/usr/src" add -m hotpatch -v "$ver" \
		>"$out/dkms.log" 2>&1 &&
		HOTPATCH_KEYS_DIR=$out/keys dkms --dkmstree "$out/dkms-tree" \
		--sourcetree "$out/dkms-pkg/usr/src" build -m hotpatch -v "$ver" \
		-k "$HP_KVER" --kernelsourcedir "$HP_KDIR" >>"$out/dkms.log" 2>&1; then
		core=$(find "$out/dkms-tree/hotpatch/$ver/$HP_KVER" -name 'hotpatch.ko*' -print -quit)
		echo "# the core: built by DKMS from ${dkms_debs[0]##*/} in $((SECONDS - t0)) s"
	else
		tail -20 "$out/dkms.log" >&2
		hp_die "dkms build of hotpatch-dkms failed (log: $out/dkms.log)"
	fi
else
	echo "# the core: kernel/hotpatch.ko of the tree (no dkms, or no hotpatch-dkms .deb)"
fi
[ -f "$core" ] || hp_die "no hotpatch.ko"
# the package, the kernel's modules and the core where DKMS installs it
root=$out/root
hp_debian_root "$base" "$root" "$deb" "$core" "$out"
# the patch installed as an admin would
cp "$hp_top/tests/fixtures/$patch.ko" "$root/tmp/"
chroot "$root" env HOTPATCH_LOG=/dev/null hotpatch install "/tmp/$patch.ko" \
	>"$out/install.log" 2>&1 ||
	{ cat "$out/install.log" >&2; hp_die "hotpatch install failed in the rootfs"; }
rm -f "$root/tmp/$patch.ko"
[ -f "$root/var/lib/hotpatch/$HP_KVER/$patch.ko" ] ||
	hp_die "hotpatch install did not install $patch for $HP_KVER"
systemctl --root="$root" is-enabled hotpatch.service >/dev/null ||
	hp_die "hotpatch.service is not enabled by the package"
systemctl --root="$root" is-enabled hotpatch-metrics.timer >/dev/null ||
	hp_die "hotpatch-metrics.timer is not enabled by the package"

echo "hp-debian" >"$root/etc/hostname"
# no getty: the console is the report's
systemctl --root="$root" mask serial-getty@ttyS0.service getty@tty1.service \
	>/dev/null 2>&1 || true
cat >"$root/usr/local/sbin/hp-report" <<'EOF'
#!/bin/sh
# what the host checks, on the console, then power off (or crash)
rel=$(uname -r)
patch=hp_patch_cmdline
echo "@@HP-REPORT-BEGIN@@"
echo "@@HP cmdline: $(cat /proc/cmdline)"
echo "@@HP unit: $(systemctl is-active hotpatch.service) $(systemctl show -p Result --value hotpatch.service)"
if [ -d /sys/kernel/hotpatch ]; then
	echo "@@HP core: $(cat /sys/kernel/hotpatch/version)"
else
	echo "@@HP core: none"
fi
if [ -f /sys/kernel/hotpatch/patches/$patch/state ]; then
	echo "@@HP patch: $(cat /sys/kernel/hotpatch/patches/$patch/state)"
else
	echo "@@HP patch: none"
fi
hotpatch check >/tmp/check 2>&1
echo "@@HP check: $?"
sed 's/^/@@HP check-out: /' /tmp/check
echo "@@HP status: $(hotpatch status --json 2>/dev/null | tr -d '\n')"
echo "@@HP marker: $(cat /var/lib/hotpatch/$rel/$patch.state 2>/dev/null | tr '\t' ' ')"
journalctl -b -u hotpatch.service --no-pager -o cat | sed 's/^/@@HP journal: /'
journalctl -b -t hotpatch --no-pager -o cat | sed 's/^/@@HP syslog: /'
# the metrics textfile, once node_exporter's directory exists
echo "@@HP timer: $(systemctl is-enabled hotpatch-metrics.timer) $(systemctl is-active hotpatch-metrics.timer)"
mkdir -p /var/lib/prometheus/node-exporter
systemctl start hotpatch-metrics.service
sed 's/^/@@HP metrics: /' /var/lib/prometheus/node-exporter/hotpatch.prom
echo "@@HP-REPORT-END@@"
if [ -f /etc/hp-crash-next ]; then
	rm -f /etc/hp-crash-next
	# a load that never finished: the marker hotpatch writes before it
	printf 'in-flight\t%s\t%s\n' "$(date +%s)" \
		"$(cat /proc/sys/kernel/random/boot_id)" \
		>/var/lib/hotpatch/$rel/$patch.state
	sync
	echo "@@HP crashing"
	echo b >/proc/sysrq-trigger
fi
# boot 2 (hotpatch.enable=0) asks boot 3 to crash: not on boot 3's command
# line, which the patch under test (it replaces /proc/cmdline) hides
case " $(cat /proc/cmdline) " in
*" hotpatch.enable=0 "*) touch /etc/hp-crash-next; sync ;;
esac
systemctl poweroff --no-block
EOF
chmod 755 "$root/usr/local/sbin/hp-report"
cat >"$root/etc/systemd/system/hp-report.service" <<'EOF'
[Unit]
Description=hotpatch debian-check report
After=hotpatch.service multi-user.target
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/hp-report
StandardOutput=tty
StandardError=tty
TTYPath=/dev/ttyS0
[Install]
WantedBy=multi-user.target
EOF
systemctl --root="$root" enable hp-report.service >/dev/null 2>&1

# ---- disk image and the initramfs that mounts it ----
img=$out/disk.img
mke2fs -q -t ext4 -L hp-root -d "$root" "$img" 1G
hp_debian_initrd "$out"
t_image=$((SECONDS - t_start))

# ---- boots ----
tests=0 failed=0
ok() { tests=$((tests + 1)); echo "ok $tests - $1"; }
fail() { tests=$((tests + 1)); failed=$((failed + 1)); echo "not ok $tests - $1"; shift; for l in "$@"; do echo "# $l"; done; }
field() { sed -n "s/^@@HP $2: //p" "$1" | head -n1; }
expect() {	# DESC LOG FIELD VALUE
	local v
	v=$(field "$2" "$3")
	if [ "$v" = "$4" ]; then ok "$1"; else fail "$1" "$3: expected '$4'" "$3: got '$v'"; fi
}
expect_grep() {	# DESC LOG ERE
	if grep -Eq "$3" "$2"; then ok "$1"; else fail "$1" "no line matching: $3"; fi
}

boot() {	# N EXTRA-APPEND
	local n=$1 log=$out/boot$1.log t0=$SECONDS rc=0
	local -a cmd
	hp_qemu_cmd cmd "$out/initrd.cpio.gz" "$log" "root=/dev/vda rw $2" \
		-drive "file=$img,if=virtio,format=raw"
	# quiet: systemd's own messages stay off the console except errors
	timeout -k 5 300 "${cmd[@]}" </dev/null >"$out/boot$n.qemu" 2>&1 || rc=$?
	sed -i 's/\r$//' "$log"
	echo "# boot $n: $((SECONDS - t0)) s (qemu exit $rc)"
	if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
		fail "boot $n finished" "timed out; log: $log"
		return 1
	fi
	if ! grep -q "@@HP-REPORT-END@@" "$log"; then
		fail "boot $n reported" "no report; log: $log" "$(tail -20 "$log")"
		return 1
	fi
	ok "boot $n reported"
	if hp_log_problems "$log" | grep -q .; then
		fail "boot $n: the kernel log is clean" "$(hp_log_problems "$log" | head -5)"
	fi
}

echo "1..21"
if boot 1 ""; then
	expect "boot 1: hotpatch.service is active" "$out/boot1.log" unit "active success"
	expect "boot 1: the core is loaded" "$out/boot1.log" core "0.1.0"
	expect "boot 1: the installed patch is applied" "$out/boot1.log" patch applied
	expect "boot 1: hotpatch check exits 0" "$out/boot1.log" check 0
	expect_grep "boot 1: status --json summary: 1 applied, 1 installed" "$out/boot1.log" \
		'^@@HP status: .*"summary":\{[^}]*"applied":1,[^}]*"installed":1,'
	expect "boot 1: hotpatch-metrics.timer is enabled and active" "$out/boot1.log" \
		timer "enabled active"
	sed -n 's/^@@HP metrics: //p' "$out/boot1.log" >"$out/hotpatch.prom"
	expect_grep "boot 1: the metrics textfile: the patch is applied" "$out/hotpatch.prom" \
		"^hotpatch_patch_applied\\{patch=\"$patch\",state=\"applied\"\\} 1$"
	if promtool check metrics <"$out/hotpatch.prom" >"$out/promtool.log" 2>&1; then
		ok "boot 1: promtool check metrics accepts the textfile"
	else
		fail "boot 1: promtool check metrics accepts the textfile" "$(cat "$out/promtool.log")"
	fi
fi
if boot 2 "hotpatch.enable=0"; then
	expect "boot 2 (hotpatch.enable=0): no core" "$out/boot2.log" core none
	expect "boot 2: hotpatch check exits 8" "$out/boot2.log" check 8
	expect_grep "boot 2: the journal says why" "$out/boot2.log" \
		'^@@HP (journal|syslog): .*hotpatch.enable=0 on the kernel command line'
fi
if boot 3 ""; then
	expect "boot 3: the patch was applied before the crash" "$out/boot3.log" patch applied
	if grep -q "reboot: Power down" "$out/boot3.log"; then
		fail "boot 3: the guest was reset, not shut down" "it powered down cleanly"
	else
		ok "boot 3: the guest was reset, not shut down"
	fi
fi
if boot 4 ""; then
	expect "boot 4: the patch was not applied again" "$out/boot4.log" patch none
	expect "boot 4: hotpatch check exits 8" "$out/boot4.log" check 8
	expect_grep "boot 4: the journal says why, and what to do" "$out/boot4.log" \
		"^@@HP (journal|syslog): .*patch '$patch' not loaded: it was being applied when the machine stopped.*'hotpatch load $patch' tries it again"
	expect "boot 4: the unit shows the skip (exit 8)" "$out/boot4.log" unit "failed exit-code"
fi
echo "# image ${t_image} s, total $((SECONDS - t_start)) s"
echo "$((tests - failed)) passed, $failed failed"
[ "$tests" -eq 21 ] || { echo "# planned 21, ran $tests"; exit 1; }
[ "$failed" -eq 0 ]
