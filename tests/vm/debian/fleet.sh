#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-system: the ring rollout playbook (packaging/ansible/rollout.yml)
# run from the host against two Debian bookworm guests that boot systemd in
# QEMU, over SSH on loopback port forwards
# (hostfwd=tcp:127.0.0.1:PORT-:22) with a throwaway key:
#
#   1. the rollout of a patch: ring 1 is guest A, ring 2 guest B; the patch
#      is applied on both and `hotpatch check` exits 0 on both
#   2. the same rollout again: nothing changes (changed=0 on both)
#   3. hotpatch_state=absent: reverted and uninstalled on both
#   4. a failing ring: guest B has a kprobe on the function the patch
#      replaces (tests/fixtures/hp_kprobe.ko), so the core refuses the patch
#      there (EBUSY); ring 1 (A) is applied, ring 2 (B) fails, is reverted
#      (the patch neither loaded nor installed on B) and the play stops
#      with the CLI's reason
#
#   tests/vm/debian/fleet.sh DEBDIR     (DEBDIR: the .debs of make deb)
#
# The guests are made as in tests/vm/debian/run.sh (make debian-check): a
# bookworm rootfs from mmdebstrap, with openssh-server and python3 for
# Ansible here (cached in ~/.cache/hotpatch/debian/bookworm-fleet.tar), the
# hotpatch package installed with dpkg, the test kernel's modules and the
# core of the tree (kernel/hotpatch.ko, where DKMS would install it: make
# debian-check covers the DKMS build), the test certificate in
# /etc/hotpatch/keys.d/. One disk image per guest, from the same root.
# The guests boot one after the other (-smp 1 each: the TCG host has two
# cores) and both run while the playbook does. Each phase's time is
# printed; docs/install.md has the figures.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
# shellcheck source=../host.sh
. "$here/../host.sh"
# shellcheck source=lib.sh
. "$here/lib.sh"

debdir=$(cd "${1:?usage: fleet.sh DEBDIR}" && pwd -P)
cache=${HOTPATCH_CACHE:-$HOME/.cache/hotpatch}/debian
out=$hp_top/build/fleet-vm
patch=hp_patch_cmdline
playbook=$hp_top/packaging/ansible/rollout.yml
# how long a guest may take to answer on SSH (TCG, a loaded host)
boot_timeout=${HP_FLEET_BOOT_TIMEOUT:-900}
t_start=$SECONDS

hp_kernel_env
hp_qemu_check
for f in "$hp_top/kernel/hotpatch.ko" "$hp_top/tests/fixtures/$patch.ko" \
	"$hp_top/tests/fixtures/hp_kprobe.ko" "$hp_top/build/keys/signing_cert.der"; do
	[ -f "$f" ] || hp_die "$f missing: run make all first"
done
debs=("$debdir"/hotpatch_*_amd64.deb)
deb=${debs[0]}
[ -f "$deb" ] || hp_die "no hotpatch_*.deb in $debdir: run make deb"
for c in mmdebstrap mke2fs ansible-playbook ssh ssh-keygen python3; do
	command -v "$c" >/dev/null ||
		hp_die "$c missing: make deps DEPS_ARGS=--packaging (scripts/deps.sh --packaging)"
done

mkdir -p "$cache" "$out"
rm -rf "${out:?}"/*

# ---- the base rootfs, cached ----
hp_debian_base "$cache" fleet \
	systemd,systemd-sysv,udev,kmod,procps,openssl,libjson-c5,libkmod2,libelf1,libssl3,openssh-server,python3

# ---- the guests' root ----
root=$out/root
hp_debian_root "$base" "$root" "$deb" "$hp_top/kernel/hotpatch.ko" "$out"
cp "$hp_top/tests/fixtures/hp_kprobe.ko" "$root/root/"
systemctl --root="$root" mask serial-getty@ttyS0.service getty@tty1.service \
	>/dev/null 2>&1 || true
# the network: DHCP from QEMU's user network; SSH for root with the key
cat >"$root/etc/systemd/network/80-hp.network" <<'EOF'
[Match]
Name=en* eth*
[Network]
DHCP=ipv4
EOF
systemctl --root="$root" enable systemd-networkd.service >/dev/null 2>&1
ssh-keygen -q -t ed25519 -N '' -C hp-fleet-test -f "$out/id"
install -d -m 700 "$root/root/.ssh"
install -m 600 "$out/id.pub" "$root/root/.ssh/authorized_keys"
systemctl --root="$root" is-enabled ssh.service >/dev/null ||
	hp_die "ssh.service is not enabled in the rootfs"
# the console says when the guest is up (the host waits for SSH anyway)
cat >"$root/etc/systemd/system/hp-up.service" <<'EOF'
[Unit]
Description=hotpatch check-system: the guest is up
After=ssh.service hotpatch.service multi-user.target
[Service]
Type=oneshot
ExecStart=/bin/sh -c 'echo "@@HP up $(hostname) $(systemctl is-active ssh.service)"'
StandardOutput=tty
TTYPath=/dev/ttyS0
[Install]
WantedBy=multi-user.target
EOF
systemctl --root="$root" enable hp-up.service >/dev/null 2>&1

# ---- one disk per guest, and the initramfs that mounts it ----
guests=(hp-a hp-b)
for g in "${guests[@]}"; do
	echo "$g" >"$root/etc/hostname"
	mke2fs -q -t ext4 -L hp-root -d "$root" "$out/$g.img" 1G >/dev/null
done
hp_debian_initrd "$out"
rm -rf "$root"
t_image=$((SECONDS - t_start))

# ---- the guests ----
tests=0 failed=0
ok() { tests=$((tests + 1)); echo "ok $tests - $1"; }
fail() { tests=$((tests + 1)); failed=$((failed + 1)); echo "not ok $tests - $1"; shift; for l in "$@"; do echo "# $l"; done; }
check() {	# DESC COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else fail "$d"; fi
}

free_port() {
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

declare -A port pid
cleanup() {
	local g
	for g in "${guests[@]}"; do
		[ -n "${pid[$g]:-}" ] || continue
		kill "${pid[$g]}" 2>/dev/null || true
	done
}
trap cleanup EXIT

ssh_opts=(-i "$out/id" -o BatchMode=yes -o StrictHostKeyChecking=no
	-o UserKnownHostsFile=/dev/null -o LogLevel=ERROR -o ConnectTimeout=20)
gssh() {	# GUEST COMMAND
	local g=$1
	shift
	timeout 300 ssh "${ssh_opts[@]}" -p "${port[$g]}" root@127.0.0.1 "$@"
}

boot() {	# GUEST
	local g=$1 t0=$SECONDS
	local -a cmd
	port[$g]=$(free_port)
	hp_qemu_cmd cmd "$out/initrd.cpio.gz" "$out/$g.log" "root=/dev/vda rw" \
		-smp 1 -drive "file=$out/$g.img,if=virtio,format=raw" \
		-netdev "user,id=n0,hostfwd=tcp:127.0.0.1:${port[$g]}-:22" \
		-device virtio-net-pci,netdev=n0
	"${cmd[@]}" </dev/null >"$out/$g.qemu" 2>&1 &
	pid[$g]=$!
	while ! gssh "$g" true 2>/dev/null; do
		if ! kill -0 "${pid[$g]}" 2>/dev/null; then
			fail "$g answers on SSH" "QEMU exited; log: $out/$g.log" \
				"$(tail -20 "$out/$g.log")"
			return 1
		fi
		if [ $((SECONDS - t0)) -gt "$boot_timeout" ]; then
			fail "$g answers on SSH" "not within $boot_timeout s; log: $out/$g.log"
			return 1
		fi
		sleep 5
	done
	ok "$g answers on SSH (port ${port[$g]}, $((SECONDS - t0)) s)"
	echo "# boot $g: $((SECONDS - t0)) s"
}

echo "1..21"
for g in "${guests[@]}"; do
	boot "$g" || { echo "$((tests - failed)) passed, $((failed + 1)) failed"; exit 1; }
done
t_boot=$((SECONDS - t_start - t_image))

inv=$out/inventory.ini
{
	echo "[hotpatch]"
	for g in "${guests[@]}"; do
		echo "$g ansible_host=127.0.0.1 ansible_port=${port[$g]}"
	done
	echo "[hotpatch:vars]"
	echo "ansible_user=root"
	echo "ansible_become=false"
	echo "ansible_python_interpreter=/usr/bin/python3"
	echo "ansible_ssh_private_key_file=$out/id"
	echo "ansible_ssh_common_args='-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null'"
} >"$inv"

play() {	# N EXTRA-ARGS...: rc in $play_rc, the JSON in $out/playN.json
	local n=$1 t0=$SECONDS
	shift
	play_rc=0
	ANSIBLE_STDOUT_CALLBACK=hp_json \
	ANSIBLE_CALLBACK_PLUGINS=$hp_top/tests/ansible/callback_plugins \
	ANSIBLE_HOST_KEY_CHECKING=False ANSIBLE_RETRY_FILES_ENABLED=False \
	ANSIBLE_TIMEOUT=120 ANSIBLE_LOCAL_TEMP=$out/ansible-tmp \
		ansible-playbook -i "$inv" "$playbook" \
		-e "hotpatch_file=$hp_top/tests/fixtures/$patch.ko" "$@" \
		>"$out/play$n.json" 2>"$out/play$n.err" || play_rc=$?
	echo "# playbook run $n: $((SECONDS - t0)) s (exit $play_rc)"
}

# jq-like: a Python expression over the JSON document of FILE (as d)
jget() { python3 -c 'import json, sys; d = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"; }

# the patch on a guest: STATE INSTALLED from status --json
patch_on() {	# GUEST
	gssh "$1" hotpatch --json status >"$out/status.json" || true
	jget "$out/status.json" "next(((p['state'], p.get('installed')) for p in d['patches'] if p['name'] == '$patch'), ('none', False))"
}

# 1. the rollout
t0=$SECONDS
play 1
check "rollout: the playbook succeeds" test "$play_rc" -eq 0
[ "$play_rc" -eq 0 ] || sed 's/^/# /' "$out/play1.err" | tail -20
check "rollout: ring 1 is hp-a alone, ring 2 hp-b" \
	test "$(jget "$out/play1.json" "[p['hosts'] for p in d['plays']]")" = "[['hp-a'], ['hp-b']]"
for g in "${guests[@]}"; do
	check "rollout: $g: the patch is applied and installed" \
		test "$(patch_on "$g")" = "('applied', True)"
	check "rollout: $g: hotpatch check exits 0" gssh "$g" 'hotpatch check >/dev/null'
done
t_play1=$((SECONDS - t0))

# 2. again: nothing changes
t0=$SECONDS
play 2
check "again: the playbook succeeds" test "$play_rc" -eq 0
check "again: nothing changed on either guest" \
	test "$(jget "$out/play2.json" "[d['stats'][h]['changed'] for h in ('hp-a', 'hp-b')]")" = "[0, 0]"
t_play2=$((SECONDS - t0))

# 3. reverted fleet-wide
t0=$SECONDS
play 3 -e hotpatch_state=absent
check "absent: the playbook succeeds" test "$play_rc" -eq 0
for g in "${guests[@]}"; do
	check "absent: $g: neither loaded nor installed" \
		test "$(patch_on "$g")" = "('none', False)"
done
t_play3=$((SECONDS - t0))

# 4. a failing ring: a kprobe holds the function on hp-b
check "failing ring: a kprobe holds cmdline_proc_show on hp-b" \
	gssh hp-b insmod /root/hp_kprobe.ko
t0=$SECONDS
play 4
check "failing ring: the playbook fails" test "$play_rc" -ne 0
check "failing ring: hp-a (ring 1) has the patch applied" \
	test "$(patch_on hp-a)" = "('applied', True)"
check "failing ring: hp-b (ring 2) reverted: neither loaded nor installed" \
	test "$(patch_on hp-b)" = "('none', False)"
msg=$(jget "$out/play4.json" "[r['msg'] for p in d['plays'] for t in p['tasks'] for h, r in t['hosts'].items() if t['task']['name'] == 'stop the rollout at this ring' and r.get('failed')]")
echo "# $msg"
check "failing ring: the play stops with the ring and the core's reason" \
	grep -q "ring of hp-b reverted: hp-b: installed and applied: hotpatch load failed (exit 2): .*(EBUSY)" <<<"$msg"
check "failing ring: the revert ran on hp-b (and changed it), not on hp-a" \
	test "$(jget "$out/play4.json" "[(h, r.get('skipped', False), r.get('changed')) for p in d['plays'] for t in p['tasks'] for h, r in t['hosts'].items() if t['task']['name'] == 'revert the ring when a host of it failed']")" = "[('hp-a', True, False), ('hp-b', False, True)]"
t_play4=$((SECONDS - t0))

for g in "${guests[@]}"; do
	gssh "$g" systemctl poweroff --no-block >/dev/null 2>&1 || true
done
for g in "${guests[@]}"; do
	for _ in $(seq 120); do kill -0 "${pid[$g]}" 2>/dev/null || break; sleep 1; done
	kill "${pid[$g]}" 2>/dev/null || true
	wait "${pid[$g]}" 2>/dev/null || true
	pid[$g]=
	sed -i 's/\r$//' "$out/$g.log"
	if hp_log_problems "$out/$g.log" | grep -q .; then
		fail "$g: the kernel log is clean" "$(hp_log_problems "$out/$g.log" | head -5)"
	else
		ok "$g: the kernel log is clean"
	fi
done
echo "# image ${t_image} s, boots ${t_boot} s, playbook runs ${t_play1}/${t_play2}/${t_play3}/${t_play4} s (with the checks), total $((SECONDS - t_start)) s"
echo "$((tests - failed)) passed, $failed failed"
[ "$tests" -eq 21 ] || { echo "# planned 21, ran $tests"; exit 1; }
[ "$failed" -eq 0 ]
