#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The real-fix corpus (`make corpus`): small single-file fixes between two
# Debian linux-source-6.1 versions, each built with `hotpatch-build build`
# for the kernel of the older version, every built module loaded, checked,
# disabled, enabled and unloaded in the VM booting that kernel, and the
# figures written to docs/corpus.md. A benchmark, not part of `make check`.
#
# usage: tests/corpus/run.sh [--build-only | --vm-only | --report-only]
#                            [--only PATTERN] [--report FILE]
#
#   --build-only      candidates and builds, no VM, no report
#   --vm-only         the VM part on the modules already built, then the report
#   --report-only     only the report, from the results already there
#   --only PATTERN    only the candidates whose path matches the extended
#                     regular expression PATTERN (builds and VM); the report
#                     still covers every result present
#   --report FILE     where the report goes (default docs/corpus.md)
#
# Environment:
#   CORPUS_OLD=6.1.170-3   the target's source version (its kernel is built
#                          for and booted)
#   CORPUS_NEW=6.1.176-1   the version the fixes come from; a list of
#                          versions ("6.1.176-1 6.1.187-1") chains the pairs
#                          OLD->V1, V1->V2... until CORPUS_MAX candidates
#                          (fixes of later pairs are still built against OLD)
#   CORPUS_KVER            the kernel ABI of CORPUS_OLD (default: the
#                          linux-image-6.1.0-N-cloud-amd64 of that version)
#   CORPUS_MAX=150         candidates kept (spread evenly over the sorted
#                          list when there are more); 0 keeps them all
#   CORPUS_WORK            the work directory (default build/corpus/<kver>)
#   CORPUS_COMMAND         how the report names the command that made it
#                          (default "make corpus")
#
# Work directory build/corpus/<kver>/ (the default build/ is not touched):
#   kernel.mk/.env, core/ (hotpatch.ko for that kernel), keys/, facts/,
#   cand/ (NNNN.patch, INDEX), results/ (per fix: NNNN.json the builder's
#   report, NNNN.log its stderr, NNNN.meta rc and seconds, NNNN.ko; work/:
#   the work directories the builder keeps on an error),
#   vm/ (per fix NNNN.vm: the VM result; the boots' logs)
# Nothing is cached across runs except the downloads and the prepared tree
# (hotpatch-build's own cache): every run rebuilds every fix.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
prog=${0##*/}
die() { echo "$prog: error: $*" >&2; exit 1; }
info() { echo "$prog: $*" >&2; }

do_build=1 do_vm=1 do_report=1 only="" report=$top/docs/corpus.md
while [ $# -gt 0 ]; do
	case $1 in
	--build-only) do_vm="" do_report="" ;;
	--vm-only) do_build="" ;;
	--report-only) do_build="" do_vm="" ;;
	--only) [ $# -ge 2 ] || die "--only wants a pattern"; only=$2; shift ;;
	--report) [ $# -ge 2 ] || die "--report wants a file"; report=$2; shift ;;
	-h|--help) sed -n '4,41s/^# \{0,1\}//p' "$0"; exit 0 ;;
	*) die "unknown argument '$1' (see --help)" ;;
	esac
	shift
done

old=${CORPUS_OLD:-6.1.170-3}
news=${CORPUS_NEW:-6.1.176-1}
max=${CORPUS_MAX:-150}
t_start=$SECONDS

# The kernel ABI whose image package has version $old.
kver=${CORPUS_KVER:-}
if [ -z "$kver" ]; then
	for k in $(apt-cache search --names-only '^linux-image-6\.1\.0-[0-9]+-cloud-amd64$' |
		awk '{print $1}' | sed 's/^linux-image-//' | sort -V); do
		v=$(apt-cache show --no-all-versions "linux-image-$k" 2>/dev/null |
			sed -n 's/^Version: //p' | head -n1)
		if [ "$v" = "$old" ]; then kver=$k; break; fi
	done
	[ -n "$kver" ] || die "no linux-image-6.1.0-*-cloud-amd64 of version $old in the archive; set CORPUS_KVER"
fi
work=${CORPUS_WORK:-$top/build/corpus/$kver}
mkdir -p "$work"
hb=$top/build/bin/hotpatch-build
[ -x "$hb" ] || die "$hb missing (make tools)"

# --- the kernel, its source, the core and the key -------------------------

# The -dbg vmlinux too: its FILE symbols tell same-named statics apart
# (the two copies of fs/binfmt_elf.c), passed to every build (--vmlinux).
KVER=$kver "$top/scripts/fetch-kernel.sh" --dbg "$work/kernel.mk"
# shellcheck source=/dev/null
. "$work/kernel.env"
[ -f "${HP_KDBG_VMLINUX:-}" ] || die "no -dbg vmlinux of $kver after fetch-kernel.sh --dbg"
[ "$HP_KVERSION" = "$old" ] ||
	info "note: $HP_KVER is version $HP_KVERSION, the source is $old"
src_tar=$("$here/fetch-source.sh" "$old")

keys=$work/keys
if [ ! -f "$keys/signing_cert.der" ]; then
	"$top/build/bin/hotpatch-sign" keygen --out "$keys" --bits 2048 \
		--cn "hotpatch corpus test key" >/dev/null
fi
core=$work/core
if [ -n "$do_build$do_vm" ]; then
	# A copy of the core's sources, built against this kernel's headers.
	mkdir -p "$core/kernel" "$core/include"
	cp -a "$top/kernel/Kbuild" "$top"/kernel/*.[chS] "$core/kernel/"
	cp -a "$top/include/." "$core/include/"
	info "building the core for $HP_KVER"
	make -s -C "$HP_KDIR" M="$core/kernel" \
		HOTPATCH_CERTS="$keys/signing_cert.der" modules >"$work/core.log" 2>&1 ||
		{ tail -20 "$work/core.log" >&2; die "the core does not build for $HP_KVER"; }
fi

# --- candidates ------------------------------------------------------------

cand=$work/cand
if [ -n "$do_build" ]; then
	rm -rf "$cand.tmp"
	mkdir -p "$cand.tmp"
	: >"$cand.tmp/ALL"
	prev=$old
	for v in $news; do
		"$here/candidates.sh" "$prev" "$v" "$cand.tmp/$prev-$v"
		# Later pairs only fill up what the earlier ones lack.
		sed "s|^\([0-9]*\) |$prev-$v/\1 |" "$cand.tmp/$prev-$v/INDEX" >>"$cand.tmp/ALL"
		prev=$v
		[ "$max" -eq 0 ] || [ "$(wc -l <"$cand.tmp/ALL")" -lt "$max" ] || break
	done
	total=$(wc -l <"$cand.tmp/ALL")
	first=$(head -n1 "$cand.tmp/ALL" | cut -d/ -f1)
	nfirst=$(grep -c "^$first/" "$cand.tmp/ALL" || true)
	# Keep max: when the first pair alone has enough, an even spread over
	# its sorted list; else all of the earlier pairs and an even spread
	# over the last one.
	awk -v max="$max" -v total="$total" -v nfirst="$nfirst" -v first="$first/" '
	{ line[NR] = $0 }
	END {
		if (max == 0 || total <= max) { for (i = 1; i <= total; i++) keep[i] = 1 }
		else if (nfirst >= max) {
			for (k = 0; k < max; k++) keep[int(k * nfirst / max) + 1] = 1
		} else {
			last = line[total]; sub(/\/.*/, "", last)
			nb = 0
			for (i = 1; i <= total; i++) { if (index(line[i], last "/") == 1) { if (!s) s = i; nb++ } else keep[i] = 1 }
			want = max - (s - 1)
			for (k = 0; k < want; k++) keep[s + int(k * nb / want)] = 1
		}
		for (i = 1; i <= total; i++) if (keep[i]) print line[i]
	}' "$cand.tmp/ALL" >"$cand.tmp/KEPT"
	n=0
	while read -r ref path hunks lines from to; do
		n=$((n + 1))
		id=$(printf '%04d' "$n")
		cp "$cand.tmp/$ref.patch" "$cand.tmp/$id.patch"
		echo "$id $path $hunks $lines $from $to"
	done <"$cand.tmp/KEPT" >"$cand.tmp/INDEX"
	echo "$total" >"$cand.tmp/TOTAL"
	rm -rf "$cand"
	mkdir -p "$cand"
	cp "$cand.tmp"/*.patch "$cand.tmp/INDEX" "$cand.tmp/TOTAL" "$cand/"
	rm -rf "$cand.tmp"
	info "$(wc -l <"$cand/INDEX") candidates kept of $total ($old -> ${news// / -> })"
fi
[ -f "$cand/INDEX" ] || die "no candidates in $cand (run without --vm-only/--report-only first)"

selected() {
	if [ -n "$only" ]; then
		awk -v re="$only" '$2 ~ re' "$cand/INDEX"
	else
		cat "$cand/INDEX"
	fi
}

# --- facts: one boot of the target kernel -----------------------------------

facts=$work/facts
if [ -n "$do_build" ] && [ ! -f "$facts/target/kallsyms" ]; then
	info "booting $HP_KVER once for its release, build-id and kallsyms"
	mkdir -p "$facts"
	: >"$facts/wanted"
	HP_KERNEL_ENV=$work/kernel.env "$top/tests/fixtures/kernel-facts.sh" \
		--target-dir "$facts/target" "$facts/facts" "$facts/wanted"
fi

# --- builds ------------------------------------------------------------------

res=$work/results
if [ -n "$do_build" ]; then
	# The work directories the builder keeps on an error go here, not
	# to /tmp (TMPDIR), and go with the next run.
	rm -rf "$res/work"
	mkdir -p "$res/work"
	N=$(selected | wc -l)
	i=0
	t_b=$SECONDS
	while read -r id path _; do
		i=$((i + 1))
		rm -f "$res/$id".* "$work/vm/$id.vm"
		t0=$(date +%s.%N)
		rc=0
		# Linked against the core built for this kernel (its symbol CRCs).
		HOTPATCH_CORE_SYMVERS=$core/kernel/Module.symvers TMPDIR=$res/work \
		"$hb" build --json --src "$src_tar" --kdir "$HP_KDIR" \
			--facts "$facts/target" --modules "$HP_KROOT/lib/modules/$HP_KVER" \
			--vmlinux "$HP_KDBG_VMLINUX" \
			--name "hp_corpus_$id" -o "$res/$id.ko" \
			--key "$keys/signing_key.pem" --cert "$keys/signing_cert.pem" \
			"$cand/$id.patch" >"$res/$id.json" 2>"$res/$id.log" </dev/null || rc=$?
		t1=$(date +%s.%N)
		secs=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
		printf 'rc=%s\nseconds=%s\nfile=%s\n' "$rc" "$secs" "$path" >"$res/$id.meta"
		case $rc in
		0) verdict=built ;;
		2) verdict="refused ($(python3 "$here/report.py" --rules "$res/$id.json"))" ;;
		3) verdict="nothing to patch" ;;
		130) die "interrupted" ;;
		*) verdict="error (exit $rc)" ;;
		esac
		info "$i/$N $path: $verdict, $secs s"
	done < <(selected)
	info "builds: $N in $((SECONDS - t_b)) s"
fi

# --- VM: load, check, disable, enable, unload every built module -------------

vmdir=$work/vm
if [ -n "$do_vm" ]; then
	mkdir -p "$vmdir"
	# shellcheck source=/dev/null
	. "$top/tests/vm/host.sh"
	hp_qemu_check
	HP_KERNEL_ENV=$work/kernel.env hp_kernel_env
	todo=()
	while read -r id path _; do
		rm -f "$vmdir/$id.vm"
		[ -f "$res/$id.meta" ] && [ "$(sed -n 's/^rc=//p' "$res/$id.meta")" = 0 ] &&
			[ -f "$res/$id.ko" ] && todo+=("$id")
	done < <(selected)
	info "VM: ${#todo[@]} modules to load in $HP_KVER"
	moddir=$HP_KROOT/lib/modules/$HP_KVER
	boot=0
	while [ ${#todo[@]} -gt 0 ]; do
		boot=$((boot + 1))
		b=$vmdir/boot$boot
		rm -rf "$b"
		mkdir -p "$b/mods"
		# The patch modules, the objects they patch, and every Debian
		# module those need (their modinfo depends), at their paths for
		# modprobe (the initramfs' depmod writes modules.dep).
		: >"$b/list"
		need=()
		for id in "${todo[@]}"; do
			cp "$res/$id.ko" "$b/mods/hp_corpus_$id.ko"
			objs=$(python3 "$here/report.py" --objects "$res/$id.json")
			echo "$id hp_corpus_$id $objs" >>"$b/list"
			for o in $objs; do [ "$o" = vmlinux ] || need+=("$o"); done
		done
		specs=()
		if [ ${#need[@]} -gt 0 ]; then
			while read -r rel; do
				specs+=("$moddir/$rel:/lib/modules/$HP_KVER/$rel")
			done < <(python3 "$here/report.py" --closure "$moddir" "${need[@]}")
		fi
		cp "$here/guest.sh" "$b/guest.sh"
		hp_build_initramfs "$b" "$core/kernel/hotpatch.ko:/lib/corpus/hotpatch.ko" \
			"$b/mods:/lib/corpus/mods" "$b/list:/lib/corpus/list" \
			"$b/guest.sh:/lib/corpus/guest.sh" ${specs[@]+"${specs[@]}"} >/dev/null
		rm -rf "$b/root"
		cmd=()
		hp_qemu_cmd cmd "$b/initrd.cpio.gz" "$b/console.log" \
			"hp.script=/lib/corpus/guest.sh hp.name=corpus hp.chan=ttyS1" \
			-serial "file:$b/chan.log"
		info "VM boot $boot: ${#todo[@]} modules"
		timeout $((300 + 90 * ${#todo[@]})) "${cmd[@]}" </dev/null >"$b/qemu.log" 2>&1 || true
		sed -i 's/\r$//' "$b/chan.log"
		# "@@CORPUS id RESULT text": the guest's verdict per module.
		sed -n 's/^@@CORPUS \([0-9]*\) \(.*\)$/\1 \2/p' "$b/chan.log" |
		while read -r id r; do
			echo "$r" >"$vmdir/$id.vm"
		done
		left=()
		crashed=""
		for id in "${todo[@]}"; do
			[ -f "$vmdir/$id.vm" ] && continue
			if [ -z "$crashed" ] && grep -q "^@@CORPUS-START $id\$" "$b/chan.log"; then
				# The one the guest was at when it died.
				crashed=$id
				echo "fail the guest died or hung (boot $boot: $(hp_log_problems "$b/console.log" | head -n1 | cut -c1-120))" \
					>"$vmdir/$id.vm"
				continue
			fi
			left+=("$id")
		done
		if [ -z "$crashed" ] && [ ${#left[@]} -gt 0 ]; then
			# Nothing started: the boot itself failed.
			for id in "${left[@]}"; do
				echo "fail no result (boot $boot did not get to it; see $b/console.log)" >"$vmdir/$id.vm"
			done
			left=()
		fi
		todo=(${left[@]+"${left[@]}"})
		rm -f "$b/initrd.cpio.gz"
	done
	info "VM: $boot boot(s)"
fi

# --- report -----------------------------------------------------------------

if [ -n "$do_report" ]; then
	python3 "$here/report.py" --write "$report" --work "$work" --old "$old" \
		--new "$news" --kver "$HP_KVER" --kversion "$HP_KVERSION" \
		--top "$top" --justify "$here/justified" \
		--command "${CORPUS_COMMAND:-make corpus}"
	info "report: $report"
fi
info "total: $((SECONDS - t_start)) s"
