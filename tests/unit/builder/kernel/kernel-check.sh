#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The differ on real kernel objects: build a small module twice (original,
# patched) against the target kernel's headers with -ffunction-sections
# -fdata-sections, so gcc, objtool and the kernel's own macros produce the
# special sections, then check the verdict (JSON, read with python3) and that
# the written patch object links (ld -r).
#
# usage: kernel-check.sh KDIR HOTPATCH_BUILD OUTDIR
set -euo pipefail

kdir=$1 tool=$2 out=$3
here=$(cd "$(dirname "$0")" && pwd)

if [ ! -f "$kdir/Makefile" ]; then
	echo "kernel-check: SKIP (no kernel tree at '$kdir')"
	exit 0
fi
for side in orig patched; do
	mkdir -p "$out/$side"
	cp "$here/hpk.$side.c" "$out/$side/hpk.c"
	printf 'obj-m := hpk.o\nccflags-y += -ffunction-sections -fdata-sections\n' \
		>"$out/$side/Makefile"
	make -s -C "$kdir" M="$out/$side" hpk.o >"$out/$side.log" 2>&1 ||
		{ cat "$out/$side.log"; exit 1; }
done

rc=0
"$tool" diff --json -o "$out/patch.o" "$out/orig/hpk.o" "$out/patched/hpk.o" \
	>"$out/verdict.json" || rc=$?
[ "$rc" -eq 0 ] || { echo "kernel-check: exit $rc, want 0"; cat "$out/verdict.json"; exit 1; }
python3 - "$out/verdict.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
fail = []
def want(cond, what):
    if not cond:
        fail.append(what)
want(v["eligible"], "eligible")
want([f["name"] for f in v["functions"]] == ["hpk_read"], "only hpk_read changed")
kept = {s["section"]: (s["kept"], s["total"]) for s in v["special_sections"]}
# every kind the 6.1 x86 kernel emits for this module, each filtered
for sec in ("__mcount_loc", ".altinstructions", "__ex_table", "__jump_table",
            ".smp_locks", ".parainstructions", "__bug_table",
            ".retpoline_sites", ".return_sites", ".orc_unwind_ip"):
    want(sec in kept, sec + " seen")
    if sec in kept:
        want(0 < kept[sec][0] <= kept[sec][1], sec + " has kept entries")
want(kept.get("__bug_table") == (1, 3), "one of three bug entries kept")
want(kept.get(".static_call_sites", (0, 1))[0] == 0, "no static call of hpk_other kept")
if fail:
    print("kernel-check: FAIL: " + ", ".join(fail))
    print(json.dumps(v, indent=1))
    sys.exit(1)
PY
ld -r -o "$out/patch-linked.o" "$out/patch.o"

# the same change, built as part of module 'hpk': its own static key refuses
rc=0
"$tool" diff --json --target hpk "$out/orig/hpk.o" "$out/patched/hpk.o" \
	>"$out/verdict-module.json" || rc=$?
[ "$rc" -eq 2 ] || { echo "kernel-check: exit $rc, want 2 (refused)"; exit 1; }
python3 - "$out/verdict-module.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
r = [(x["rule"], x["symbol"]) for x in v["refusals"]]
if r != [("module-jump-label", "hpk_key")]:
    print("kernel-check: FAIL: refusals", r)
    sys.exit(1)
PY
echo "kernel-check: OK (real kbuild objects, every special section kind filtered)"
