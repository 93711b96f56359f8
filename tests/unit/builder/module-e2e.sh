#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# module-e2e.sh KDIR HOTPATCH-BUILD HOTPATCH-SIGN OUTDIR
#
# `hotpatch-build module` end to end against the target kernel's headers
# (no VM): the test target module (tests/fixtures/hp_target*) is built
# twice with kbuild, original and patched (-ffunction-sections
# -fdata-sections), both changed files are diffed, and one patch module is
# made from the two patch objects plus a vmlinux stand-in, signed with a
# throwaway key. Checked: the JSON summary (with a JSON parser), modinfo,
# the manifest and both signatures (hotpatch-sign inspect --json / verify
# against the key), the aliases and trampolines in the symbol table; then
# a patch that modpost refuses: exit 4, kbuild's output shown, nothing at
# OUT. Prints TAP.
set -uo pipefail

[ $# -eq 4 ] || { echo "usage: $0 KDIR HOTPATCH-BUILD HOTPATCH-SIGN OUTDIR" >&2; exit 2; }
kdir=$1 hb=$(realpath "$2") hs=$(realpath "$3") out=$(realpath -m "$4")
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../.." && pwd)
fx=$top/tests/fixtures

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else not_ok "$what"; fi; }
# jq-like: python3 -c 'expr over j' < file
jget() { python3 -c "import json,sys; j=json.load(sys.stdin); print($1)"; }

if [ ! -f "$kdir/Makefile" ]; then
	echo "1..0 # SKIP no kernel headers at '$kdir'"
	exit 0
fi
rm -rf "$out" && mkdir -p "$out"
cd "$out" || exit 1

# original and patched builds of the target module
for side in orig patched; do
	mkdir -p "$side"
	cp "$fx/hp_target_main.c" "$fx/hp_target_dup.c" "$fx/hp_target.h" "$side/"
	printf 'obj-m += hp_target.o\nhp_target-y := hp_target_main.o hp_target_dup.o\n%s\n' \
		'ccflags-y += -ffunction-sections -fdata-sections' >"$side/Kbuild"
done
sed -i 's/return "original";/return "generated";/; s/return 42;/return 43;/' \
	patched/hp_target_main.c
sed -i 's/return "second";/return "second-gen";/' patched/hp_target_dup.c
# a vmlinux stand-in: the same function, changed (see tests/fixtures/gen)
mkdir -p vorig vpatched
cp "$fx/gen/cmdline.c" vorig/hp_cmdline.c
cp "$fx/gen/cmdline.c" vpatched/hp_cmdline.c
patch -s -p1 -d vpatched <"$fx/gen/cmdline.diff"
for d in vorig vpatched; do
	printf 'obj-m += hp_cmdline.o\nccflags-y += -ffunction-sections -fdata-sections\n' \
		>"$d/Kbuild"
done
# (the stand-in is only compiled: it uses what a module cannot link to)
for d in orig:modules patched:modules vorig:hp_cmdline.o vpatched:hp_cmdline.o; do
	t=${d#*:} d=${d%%:*}
	if ! make -C "$kdir" M="$out/$d" "$t" >"$d.log" 2>&1; then
		cat "$d.log"
		echo "Bail out! kbuild of $d failed"
		exit 1
	fi
done

"$hb" diff --target hp_target -o main.patch.o orig/hp_target_main.o \
	patched/hp_target_main.o >/dev/null
check "diff of hp_target_main.c writes a patch object" test -f main.patch.o
"$hb" diff --target hp_target -o dup.patch.o orig/hp_target_dup.o \
	patched/hp_target_dup.o >/dev/null
check "diff of hp_target_dup.c writes a patch object" test -f dup.patch.o
"$hb" diff -o vmlinux.patch.o vorig/hp_cmdline.o vpatched/hp_cmdline.o >/dev/null
check "diff of the vmlinux stand-in writes a patch object" test -f vmlinux.patch.o

# a kallsyms dump for the stand-in: cmdline_proc_show, 48 bytes
printf '%s\n' 'ffffffff81400000 T version_proc_show' \
	'ffffffff81400040 t cmdline_proc_show' 'ffffffff81400070 T meminfo_proc_show' \
	>kallsyms
"$hs" keygen --out keys --bits 2048 --cn "module-e2e key" >/dev/null
# the core's Module.symvers (hotpatch_register's symbol version); before the
# core is built, a stand-in: the module is built here, never loaded
symvers=$top/kernel/Module.symvers
if [ ! -f "$symvers" ]; then
	symvers=$out/core.symvers
	printf '0x00000000\t%s\t%s\tEXPORT_SYMBOL_GPL\t\n' \
		hotpatch_register hotpatch hotpatch_unregister hotpatch >"$symvers"
fi
rel=6.1.0-e2e bid=00112233445566778899aabbccddeeff00112233

"$hb" module -o hp_gen_e2e.ko --name hp_gen_e2e --kdir "$kdir" --release $rel \
	--build-id $bid --symbols kallsyms \
	--module-object hp_target=orig/hp_target.ko \
	--key keys/signing_key.pem --cert keys/signing_cert.pem --mode direct --json \
	--workdir "$out/work" --core-symvers "$symvers" \
	--description "e2e: the target's answer and messages" --series e2e-series \
	--patch-version 7 --cve CVE-2024-1086 --cve "CVE-2023-0179,CVE-2024-1086" \
	hp_target=main.patch.o hp_target=dup.patch.o vmlinux=vmlinux.patch.o \
	>summary.json 2>progress.log
rc=$?
check "module exits 0" test $rc -eq 0
[ $rc -eq 0 ] || cat progress.log
check "module writes OUT" test -f hp_gen_e2e.ko
check "progress lines name each step" grep -q '^  KBUILD ' progress.log
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1 (want '$2', got '$3')"; fi; }
check_eq "summary: signed" True "$(jget "j['signed']" <summary.json)"
check_eq "summary: mode" direct "$(jget "j['mode']" <summary.json)"
check_eq "summary: objects" "hp_target vmlinux" \
	"$(jget "' '.join(sorted(o['name'] for o in j['objects']))" <summary.json)"
check_eq "summary: hp_target functions" \
	"hp_dup_name,2 hp_target_answer,0 hp_target_message,0" \
	"$(jget "' '.join('%s,%d' % (f['old_name'], f['old_sympos']) for o in j['objects'] if o['name'] == 'hp_target' for f in o['functions'])" <summary.json)"
check_eq "summary: cmdline_proc_show is 48 bytes" 48 \
	"$(jget "[f['old_size'] for o in j['objects'] for f in o['functions'] if f['old_name'] == 'cmdline_proc_show'][0]" <summary.json)"
check_eq "summary: hp_target's build-id is the module's" \
	"$(readelf -n orig/hp_target.ko | awk '/Build ID/ { print $3 }')" \
	"$(jget "[o['build_id'] for o in j['objects'] if o['name'] == 'hp_target'][0]" <summary.json)"

mi() { modinfo -F "$1" ./hp_gen_e2e.ko; }
check_eq "modinfo: hotpatch=Y" Y "$(mi hotpatch)"
check_eq "modinfo: license GPL" GPL "$(mi license)"
check_eq "modinfo: name" hp_gen_e2e "$(mi name)"
krel=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h")
check_eq "modinfo: vermagic of the headers" "$krel" "$(mi vermagic | cut -d' ' -f1)"
check "modinfo: description names the patch" sh -c "modinfo -F description ./hp_gen_e2e.ko | grep -q \"'hp_gen_e2e'\""
check_eq "modinfo: no livepatch flag (no klp relocations)" "" "$(mi livepatch)"
check_eq "modinfo: the module is signed by the key" "module-e2e key" "$(mi signer)"

"$hs" verify --cert keys/signing_cert.pem --kernel-release $rel --build-id $bid \
	hp_gen_e2e.ko >verify.log 2>&1
rc=$?
check "hotpatch-sign verify passes against the build key" test $rc -eq 0
[ $rc -eq 0 ] || cat verify.log
"$hs" inspect --json --cert keys/signing_cert.pem hp_gen_e2e.ko >inspect.json
check_eq "manifest: name" hp_gen_e2e "$(jget "j['manifest']['name']" <inspect.json 2>/dev/null ||
	jget "j['name']" <inspect.json)"
check_eq "manifest: version 2 with metadata" \
	"2|e2e: the target's answer and messages|e2e-series|7|CVE-2024-1086 CVE-2023-0179" \
	"$(jget "'|'.join(str(x) for x in (j['manifest']['version'], j['manifest']['description'], j['manifest']['series'], j['manifest']['patch_version'], ' '.join(j['manifest']['cves'])))" <inspect.json)"
check "verify shows the metadata" grep -q \
	"metadata.*series 'e2e-series' version 7; fixes CVE-2024-1086 CVE-2023-0179; e2e: the target's answer" \
	verify.log
check "manifest lists every function with its trampoline" python3 - inspect.json <<'EOF'
import json, sys
j = json.load(open(sys.argv[1]))
def walk(x):
    if isinstance(x, dict):
        yield x
        for v in x.values():
            yield from walk(v)
    elif isinstance(x, list):
        for v in x:
            yield from walk(v)
funcs = {}
for d in walk(j):
    if 'old_name' in d:
        funcs[d['old_name']] = d
want = {'hp_dup_name', 'hp_target_answer', 'hp_target_message', 'cmdline_proc_show'}
assert set(funcs) == want, funcs
for name, f in funcs.items():
    tramp = f.get('tramp_name') or f.get('tramp')
    assert tramp == '__hotpatch_tramp___hpnew_' + name, f
EOF

syms=$(nm hp_gen_e2e.ko)
for f in hp_dup_name hp_target_answer hp_target_message cmdline_proc_show; do
	check "$f: alias and trampolines defined" sh -c "
		echo \"\$1\" | grep -q ' T __hpnew_$f\$' &&
		echo \"\$1\" | grep -q ' __hotpatch_tramp___hpnew_$f\$' &&
		echo \"\$1\" | grep -q ' t __hotpatch_steady___hpnew_$f\$\\| T __hotpatch_steady___hpnew_$f\$' &&
		echo \"\$1\" | grep -q ' __hotpatch_gate___hpnew_$f\$'" _ "$syms"
done
check ".hotpatch.funcs does not reach the module" sh -c \
	"readelf -SW hp_gen_e2e.ko | grep -q hotpatch.manifest &&
	 ! readelf -SW hp_gen_e2e.ko | grep -q hotpatch.funcs"
check "the work dir is removed" test ! -e work

# a patch modpost refuses: a call to a function the kernel does not have
sed 's/seq_puts(m, "hotpatch-build was here\\n");/hp_no_such_function(); seq_puts(m, "x\\n");/' \
	vpatched/hp_cmdline.c >vpatched/bad.c
if grep -q hp_no_such_function vpatched/bad.c; then
	sed -i '1a void hp_no_such_function(void);' vpatched/bad.c
	cp vpatched/bad.c vpatched/hp_cmdline.c
	make -C "$kdir" M="$out/vpatched" hp_cmdline.o >bad.log 2>&1
	"$hb" diff -o bad.patch.o vorig/hp_cmdline.o vpatched/hp_cmdline.o >/dev/null
	"$hb" module -o bad.ko --name hp_gen_bad --kdir "$kdir" --release $rel \
		--build-id $bid --symbols kallsyms --core-symvers "$symvers" \
		vmlinux=bad.patch.o >bad.out 2>&1
	rc=$?
	check_eq "an unresolvable reference: exit 4 (kbuild failed)" 4 $rc
	check "kbuild's output is shown" grep -q 'hp_no_such_function' bad.out
	check "nothing at OUT" test ! -e bad.ko
	check "no temporary file beside OUT" sh -c "! ls -a | grep -q '^\.bad\.ko\.'"
else
	not_ok "the stand-in has the line this test changes"
fi

# a reference the module loader cannot resolve (saved_command_line is not
# exported): resolved into a record, post-linked into a livepatch relocation
mkdir -p vklp
cp vorig/hp_cmdline.c vklp/hp_cmdline.c
patch -s -p1 -d vklp <"$fx/gen/cmdline-klp.diff"
printf 'obj-m += hp_cmdline.o\nccflags-y += -ffunction-sections -fdata-sections\n' >vklp/Kbuild
make -C "$kdir" M="$out/vklp" hp_cmdline.o >vklp.log 2>&1
printf '%s\n' 'ffffffff82000000 D saved_command_line' 'ffffffff82000008 D _edata' >>kallsyms
"$hb" diff -o klp.patch.o --symbols kallsyms --symvers "$kdir/Module.symvers" \
	vorig/hp_cmdline.o vklp/hp_cmdline.o >klp.verdict
check "diff -o with resolve options defers saved_command_line" \
	grep -q 'saved_command_line (global): deferred to vmlinux:saved_command_line,0' klp.verdict
"$hb" module -o hp_gen_klp.ko --name hp_gen_klp --kdir "$kdir" --release $rel \
	--build-id $bid --symbols kallsyms --core-symvers "$symvers" \
	--key keys/signing_key.pem --cert keys/signing_cert.pem --json \
	vmlinux=klp.patch.o >klp.json 2>klp.log
rc=$?
check_eq "module with a klp relocation exits 0" 0 $rc
[ $rc -eq 0 ] || cat klp.log
check_eq "modinfo: livepatch=Y" Y "$(modinfo -F livepatch ./hp_gen_klp.ko)"
check_eq "summary: one klp relocation" 1 "$(jget "j['klp_relocations']" <klp.json)"
check "a .klp.rela section for the function" sh -c \
	"readelf -SW hp_gen_klp.ko | grep -q '\.klp\.rela\.vmlinux\.\.text\.cmdline_proc_show '"
check "a .klp.sym symbol for saved_command_line" sh -c \
	"readelf -sW hp_gen_klp.ko | grep -q '\.klp\.sym\.vmlinux\.saved_command_line,0\$'"
check "no record sections left" sh -c "! readelf -SW hp_gen_klp.ko | grep -q 'hotpatch\.klp_'"
check "the post-linked module verifies" sh -c "\"\$1\" verify --cert keys/signing_cert.pem hp_gen_klp.ko >/dev/null" _ "$hs"

# only a new function: nothing to redirect (exit 3, a JSON error)
mkdir -p vnew
cp vorig/hp_cmdline.c vnew/hp_cmdline.c
printf 'int hp_cmdline_new_helper(int x);\nint hp_cmdline_new_helper(int x)\n{\n\treturn x + 1;\n}\n' \
	>>vnew/hp_cmdline.c
printf 'obj-m += hp_cmdline.o\nccflags-y += -ffunction-sections -fdata-sections\n' >vnew/Kbuild
make -C "$kdir" M="$out/vnew" hp_cmdline.o >vnew.log 2>&1
"$hb" diff -o new.patch.o vorig/hp_cmdline.o vnew/hp_cmdline.o >/dev/null
"$hb" module -o new.ko --name hp_gen_new --kdir "$kdir" --release $rel \
	--build-id $bid --symbols kallsyms --core-symvers "$symvers" --json \
	vmlinux=new.patch.o >new.json 2>/dev/null
rc=$?
check_eq "only new functions: exit 3" 3 $rc
check "only new functions: a JSON error that says so" python3 -c "
import json, sys
j = json.load(open('new.json'))
assert j['errno'] == 61 and 'replace no function' in j['error'], j"
check "only new functions: nothing at OUT" test ! -e new.ko
# usage errors: exit 1
"$hb" module -o x.ko --name hp_gen_x --kdir "$kdir" --release $rel \
	--build-id $bid --symbols kallsyms not-an-assignment >usage.out 2>&1
check_eq "OBJECT=PATCH.o missing its '=': exit 1" 1 $?
check "the error says what to give" grep -q 'give OBJECT=PATCH.o' usage.out
"$hb" module -o x.ko --name hp_gen_x --kdir "$kdir" --release $rel \
	--build-id $bid --symbols kallsyms --mode fast vmlinux=vmlinux.patch.o \
	>usage.out 2>&1
check_eq "an unknown --mode: exit 1" 1 $?

echo "1..$n"
[ $failed -eq 0 ]
