#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# resolve-cli.sh HOTPATCH-BUILD FIXTURES OUTDIR: the resolve options of
# hotpatch-build - `resolve` and `diff -o` with them: exit codes, text and
# --json output (read back with a real JSON parser), the object written or
# not. FIXTURES is the resolve test build (a.o, vmlinux.map, special-*.o).
# Needs no kernel. Prints TAP.
set -euo pipefail

hb=${1:?usage: resolve-cli.sh HOTPATCH-BUILD FIXTURES OUTDIR}
fx=${2:?fixtures}
out=${3:?outdir}

rm -rf "$out"
mkdir -p "$out"
cd "$out"

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }
check() { if "${@:2}"; then ok "$1"; else not_ok "$1"; fi; }
# expect_rc RC WHAT CMD...: CMD exits with RC (stdout in $n.out, stderr $n.err)
expect_rc() {
	local want=$1 what=$2 rc=0
	shift 2
	"$@" >"$((n + 1)).out" 2>"$((n + 1)).err" || rc=$?
	if [ "$rc" -eq "$want" ]; then ok "$what"; else not_ok "$what (exit $rc, expected $want)"; fi
}
json_check() {
	python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); sys.exit(0 if eval(sys.argv[2]) else 1)' "$1" "$2"
}
records() {	# number of .hotpatch.klp_relocs records in an object
	python3 - "$1" <<'PY'
import sys
from subprocess import check_output
out = check_output(["readelf", "-SW", sys.argv[1]], text=True)
for line in out.splitlines():
    f = line.replace("[ ", "[").split()
    if len(f) > 6 and f[1] == ".hotpatch.klp_relocs":
        print(int(f[5], 16) // 32)
        break
else:
    print(0)
PY
}

printf '0x1\tprintk\tvmlinux\tEXPORT_SYMBOL\t\n0x2\t__fentry__\tvmlinux\tEXPORT_SYMBOL\t\n0x3\texported_fn\tvmlinux\tEXPORT_SYMBOL_GPL\tFOO_NS\n' >Module.symvers
syms=(--symbols "$fx/vmlinux.map" --symvers Module.symvers)

echo "1..27"
expect_rc 0 "resolve --help" "$hb" resolve --help
expect_rc 1 "resolve without -o is a usage error" "$hb" resolve "$fx/a.o" "${syms[@]}"
expect_rc 1 "resolve without --orig says so" "$hb" resolve "$fx/a.o" -o x.o "${syms[@]}"
check "  ... naming --orig" grep -q -- "--orig" "$n.err"
expect_rc 1 "diff with resolve options but no -o" "$hb" diff "${syms[@]}" "$fx/a.o" "$fx/a.patched.o"

# one call: diff and resolve
expect_rc 0 "diff -o with the resolve options resolves" \
	"$hb" diff -o one.o "${syms[@]}" "$fx/a.o" "$fx/a.patched.o"
check "  ... the verdict shows each external's resolution" \
	grep -q "extern   helper (local): deferred to vmlinux:helper,1" "$n.out"
check "  ... and the records are in the object" [ "$(records one.o)" -ge 5 ]
expect_rc 0 "diff -o ... --json" "$hb" diff --json -o one.o "${syms[@]}" "$fx/a.o" "$fx/a.patched.o"
check "  ... externals carry resolution, obj, ksym, sympos; import_ns" json_check "$n.out" \
	'[e for e in j["externals"] if e["name"] == "helper"][0]["sympos"] == 1 and [e for e in j["externals"] if e["name"] == "exported_fn"][0]["resolution"] == "exported" and j["import_ns"] == ["FOO_NS"]'

# two steps: the same records
"$hb" diff -o plain.o "$fx/a.o" "$fx/a.patched.o" >/dev/null
expect_rc 0 "resolve of diff's object" "$hb" resolve plain.o -o two.o --orig "$fx/a.o" "${syms[@]}"
check "  ... gives the same records as the one-call form" \
	cmp -s <(readelf -x .hotpatch.klp_relocs two.o) <(readelf -x .hotpatch.klp_relocs one.o)

# refusals: exit 2, nothing written
expect_rc 2 "an impossible --sympos is refused" \
	"$hb" resolve plain.o -o bad.o --orig "$fx/a.o" "${syms[@]}" --sympos helper=3
check "  ... naming the rule and the symbol, nothing written" \
	bash -c "grep -q \"refused  unknown-symbol 'helper'\" $n.out && [ ! -e bad.o ]"
expect_rc 2 "a deferred reference in .orc_unwind_ip is refused (--json)" \
	"$hb" resolve "$fx/special-orc.o" -o bad.o --orig "$fx/special-orc.o" "${syms[@]}" --json
check "  ... as load-time-reference" json_check "$n.out" \
	'j["resolved"] is False and j["refusals"][0]["rule"] == "load-time-reference"'
expect_rc 0 "a non-exported vmlinux static key in __jump_table is deferred (--json)" \
	"$hb" resolve "$fx/special-jump_table.o" -o jl.o --orig "$fx/special-jump_table.o" "${syms[@]}" --json
check "  ... to vmlinux" json_check "$n.out" \
	'j["resolved"] is True and [x["resolution"] for x in j["externals"] if x["name"] == "hidden_key"] == ["deferred"]'

# errors: exit 1 with the file and line
printf 'ffffffff81000000 T a\nnonsense\n' >bad-kallsyms
expect_rc 1 "a malformed symbol file is an error" \
	"$hb" resolve plain.o -o bad.o --orig "$fx/a.o" --symbols bad-kallsyms --symvers Module.symvers --json
check "  ... naming the file and line" json_check "$n.out" \
	'"bad-kallsyms:2:" in j["error"] and j["errno"] == 22'

# --vmlinux (diff and resolve): the FILE symbols tell elf.c's two copies
# apart; before 'diff' took the option, it printed its usage (exit 1)
isyms=(--symbols "$fx/vmlinux-incl.map" --symvers Module.symvers)
expect_rc 0 "diff -o --vmlinux: compat_elf.c's copy told apart" \
	"$hb" diff --json -o incl.o "${isyms[@]}" --vmlinux "$fx/vmlinux-incl" \
	"$fx/compat_elf.o" "$fx/compat_elf.patched.o"
check "  ... its statics are the second copy's" json_check "$n.out" \
	'[e["sympos"] for e in j["externals"] if e["name"] == "elf_note"] == [2]'
"$hb" diff -o incl-plain.o "$fx/compat_elf.o" "$fx/compat_elf.patched.o" >/dev/null
expect_rc 0 "resolve --vmlinux: the same" \
	"$hb" resolve incl-plain.o -o incl2.o --orig "$fx/compat_elf.o" "${isyms[@]}" \
	--vmlinux "$fx/vmlinux-incl" --json
check "  ... sympos 2" json_check "$n.out" \
	'[e["sympos"] for e in j["externals"] if e["name"] == "elf_note"] == [2]'
expect_rc 2 "diff -o without --vmlinux: ambiguous, refused" \
	"$hb" diff --json -o incl3.o "${isyms[@]}" "$fx/compat_elf.o" "$fx/compat_elf.patched.o"
expect_rc 1 "a stripped --vmlinux is an error" \
	"$hb" diff --json -o incl4.o "${isyms[@]}" --vmlinux "$fx/vmlinux-incl.stripped" \
	"$fx/compat_elf.o" "$fx/compat_elf.patched.o"
check "  ... saying so" json_check "$n.out" '"no symbol table" in j["error"]'

echo "# $failed of $n failed"
[ "$failed" -eq 0 ]
