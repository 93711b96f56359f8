#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Helpers and the report of the corpus benchmark (tests/corpus/run.sh).

  report.py --rules REPORT.json      the refusal rules of a build, "a,b"
  report.py --objects REPORT.json    the objects a built patch patches
  report.py --closure MODDIR MOD...  the .ko paths (relative to MODDIR) of
                                     MOD and everything it needs (modinfo)
  report.py --write FILE --work DIR ...   docs/corpus.md from the results
"""

import argparse
import datetime
import json
import os
import re
import subprocess
import sys

# Classes. "Valid" = the target config builds the file and the fix has code
# that runs after boot.
NOT_BUILT = "not valid: not built by the target's config"
NO_APPLY = "not valid: does not apply to this kernel"
NO_COMPILE = "not valid: does not compile alone"
NOTHING = "not valid: nothing to patch"
OK = "built and loaded/applied/reverted (VM ok)"
VM_FAIL = "built, VM failed"
VM_ERROR = "built, VM error (target module would not load)"
VM_NONE = "built, not run in the VM"
REFUSED = "refused"
ERROR = "error (exit 1)"
ORDER = [OK, VM_FAIL, VM_ERROR, VM_NONE, REFUSED, ERROR,
         NOT_BUILT, NO_APPLY, NO_COMPILE, NOTHING]
VALID = {OK, VM_FAIL, VM_ERROR, VM_NONE, REFUSED, ERROR}
SHORT = {OK: "**ok**", VM_FAIL: "VM failed", VM_ERROR: "VM error",
         VM_NONE: "not run in VM", REFUSED: "refused", ERROR: "error",
         NOT_BUILT: "not valid (not built)", NO_APPLY: "not valid (does not apply)",
         NO_COMPILE: "not valid (does not compile)", NOTHING: "not valid (nothing)"}


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def refusals(rep):
    return (rep or {}).get("refusals") or []


def rules(rep):
    out = []
    for r in refusals(rep):
        if r.get("rule") and r["rule"] not in out:
            out.append(r["rule"])
    return out


def objects(rep):
    out = []
    for f in (rep or {}).get("files") or []:
        o = f.get("object")
        if o and f.get("patch_object") and o not in out:
            out.append(o)
    return out


def norm(m):
    return m.replace("-", "_")


def closure(moddir, mods):
    """Image packages ship no modules.dep: the modules' own "depends"."""
    paths = {}
    for d, _, files in os.walk(moddir):
        for f in files:
            if f.endswith(".ko"):
                paths[norm(f[:-3])] = os.path.relpath(os.path.join(d, f), moddir)
    out, todo = [], [norm(m) for m in mods]
    while todo:
        m = todo.pop()
        if m not in paths:
            print(f"report.py: no {m}.ko in {moddir}", file=sys.stderr)
            continue
        if paths[m] in out:
            continue
        out.append(paths[m])
        dep = subprocess.run(["modinfo", "-F", "depends", os.path.join(moddir, paths[m])],
                             capture_output=True, text=True).stdout.strip()
        todo += [norm(x) for x in dep.split(",") if x]
    return out


def only_init(rep):
    """Every refusal is changed-init and no other function changed."""
    if set(rules(rep)) != {"changed-init"}:
        return False
    for f in rep.get("files") or []:
        v = f.get("verdict") or {}
        refused = {r.get("symbol") for r in v.get("refusals") or []}
        for fn in v.get("functions") or []:
            if fn.get("status") == "changed" and fn.get("name") not in refused:
                return False
    return True


def classify(rc, rep, vm):
    if rc == 0:
        if vm is None:
            return VM_NONE
        if vm.startswith("ok"):
            return OK
        # the patch could not load because a module it targets (or one that
        # module needs) does not load in the test VM (no such hardware)
        if vm.startswith("error") or (vm.startswith("fail load")
                                      and "; target module " in vm):
            return VM_ERROR
        return VM_FAIL
    if rc == 3:
        return NOTHING
    if rc == 2:
        rs = set(rules(rep))
        if rs and rs <= {"not-built", "module-unknown"}:
            return NOT_BUILT
        if rs == {"does-not-apply"}:
            return NO_APPLY
        if rs == {"does-not-compile"}:
            return NO_COMPILE
        if rs == {"no-functions"}:
            return NOTHING
        if only_init(rep):
            return NOTHING
        return REFUSED
    if rc == 1 and "found nothing to redirect" in (rep or {}).get("error", ""):
        # Only new functions that nothing calls: nothing to patch (the
        # builder says so with exit 1, not 3).
        return NOTHING
    if rc == 1 and "does not compile in the prepared tree" in (rep or {}).get("error", ""):
        # The original fails with the target's config: Debian built its
        # kernel with that config, so the config builds the file nowhere.
        return NOT_BUILT
    return ERROR


def md(s):
    return str(s).replace("|", "\\|").replace("\n", " ")


def reason(rep, rc, log):
    if rc == 2:
        rs = refusals(rep)
        if rs:
            r = rs[0]
            more = f" (+{len(rs) - 1} more)" if len(rs) > 1 else ""
            text = r.get("reason", "")
            if r.get("rule") == "does-not-compile":
                # The compiler's first error, not make's chatter.
                errs = [ln.strip() for ln in text.splitlines() if "error:" in ln]
                if errs:
                    text = errs[0]
            return f"{text}{more}"
    if rc not in (0, 2, 3):
        if rep and rep.get("error"):
            lines = rep["error"].splitlines()
            errs = [ln.strip() for ln in lines[1:] if "error:" in ln]
            return lines[0] + (" " + errs[0] if errs else "")
        try:
            with open(log) as f:
                lines = [ln.strip() for ln in f if ln.strip()]
            return lines[-1] if lines else ""
        except OSError:
            return ""
    return ""


def load_justified(path):
    """Lines "PATH RULE justification": refusals a kernel engineer would
    agree with."""
    out = {}
    try:
        with open(path) as f:
            for line in f:
                line = line.strip()
                if not line or line.startswith("#"):
                    continue
                p, r, j = line.split(None, 2)
                out[(p, r)] = j
    except OSError:
        pass
    return out


def write(a):
    work = a.work
    cand = os.path.join(work, "cand")
    res = os.path.join(work, "results")
    vmd = os.path.join(work, "vm")
    just = load_justified(a.justify)
    rows = []
    with open(os.path.join(cand, "INDEX")) as f:
        index = [ln.split() for ln in f if ln.strip()]
    try:
        with open(os.path.join(cand, "TOTAL")) as f:
            total_cands = int(f.read().strip())
    except (OSError, ValueError):
        total_cands = len(index)
    for fid, path, hunks, lines, vold, vnew in index:
        meta = {}
        try:
            with open(os.path.join(res, fid + ".meta")) as f:
                for ln in f:
                    k, _, v = ln.strip().partition("=")
                    meta[k] = v
        except OSError:
            continue        # not run
        rc = int(meta.get("rc", "1"))
        rep = load(os.path.join(res, fid + ".json"))
        vm = None
        try:
            with open(os.path.join(vmd, fid + ".vm")) as f:
                vm = f.read().strip()
        except OSError:
            pass
        cls = classify(rc, rep, vm)
        rl = rules(rep) if rc == 2 else []
        objs = []
        for fe in (rep or {}).get("files") or []:
            if fe.get("object") and fe["object"] not in objs:
                objs.append(fe["object"])
        j = ""
        if cls == REFUSED:
            j = "; ".join(just[(path, r)] for r in rl if (path, r) in just)
        rows.append(dict(id=fid, path=path, hunks=hunks, lines=lines,
                         pair=f"{vold} → {vnew}", rc=rc, cls=cls, rules=rl,
                         obj=",".join(objs), secs=meta.get("seconds", ""),
                         vm=vm, reason=reason(rep, rc, os.path.join(res, fid + ".log")),
                         just=j, justified=bool(j) and all((path, r) in just for r in rl)))

    count = {c: 0 for c in ORDER}
    for r in rows:
        count[r["cls"]] += 1
    valid = sum(count[c] for c in VALID)
    ok = count[OK]
    justified = sum(1 for r in rows if r["cls"] == REFUSED and r["justified"])
    rule_rows = {}
    for r in rows:
        if r["cls"] == REFUSED:
            for rule in r["rules"]:
                rule_rows.setdefault(rule, []).append(r)
    secs = [float(r["secs"]) for r in rows if r["secs"]]

    try:
        commit = subprocess.run(["git", "-C", a.top, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", a.top, "status", "--porcelain", "--",
                                "tools"], capture_output=True, text=True).stdout.strip()
        if dirty:
            commit += " (tools/ modified)"
    except OSError:
        commit = "?"

    def pct(n, d):
        return f"{100.0 * n / d:.1f} %" if d else "n/a"

    o = []
    w = o.append
    w("# The real-fix corpus")
    w("")
    w("What the builder does with real fixes, measured by `make corpus`")
    w("(`tests/corpus/run.sh`): every small single-file change of a `.c` file")
    w("between two Debian `linux-source-6.1` versions is built with `hotpatch-build")
    w("build` for the kernel of the older version, and every module built is")
    w("loaded, checked, disabled, enabled and unloaded in the VM booting that")
    w("kernel. A benchmark, not part of `make check`; rerun it on every builder")
    w("change. This file is generated: do not edit it by hand.")
    w("")
    w(f"**Built and loaded/applied/reverted: {ok} of {valid} valid fixes "
      f"({pct(ok, valid)}).**")
    if justified:
        w(f"Without the {justified} refusals justified below: {ok} of "
          f"{valid - justified} ({pct(ok, valid - justified)}).")
    w("")
    w("| | |")
    w("| --- | --- |")
    w(f"| command | `{a.command}` |")
    w(f"| date | {datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')} |")
    w(f"| builder commit | {commit} |")
    w(f"| target | `linux-source-6.1` {a.old}, kernel {a.kver} (package {a.kversion}) |")
    w(f"| fixes from | {a.old} → {' → '.join(a.new.split())} |")
    w(f"| candidates | {len(index)} kept of {total_cands} ({len(rows)} run) |")
    if secs:
        w(f"| build time | {sum(secs):.0f} s in all, {sum(secs) / len(secs):.1f} s per fix |")
    w("")
    w("## What counts")
    w("")
    w("A **candidate** is a `.c` file of `kernel/ mm/ fs/ net/ ipc/ security/")
    w("block/ crypto/ lib/` or `drivers/{net,block,scsi,md,char,virtio,nvme,tty}/`")
    w("present in both versions whose diff has at most 40 changed lines in at most")
    w("3 hunks (`tests/corpus/candidates.sh`); when there are more than")
    w("`CORPUS_MAX` (150), an even spread over the sorted list is kept.")
    w("")
    w("A fix is **valid** when the target's config builds the file and the fix")
    w("has code that runs after boot. Not valid: the builder's `not-built` or")
    w("`module-unknown` (the config builds the file nowhere, or into a module the")
    w("image does not ship), the builder's error \"the original does not compile")
    w("in the prepared tree\" (exit 1: Debian built its kernel with that config,")
    w("so a file the config builds compiles with it), `does-not-apply` (a fix of a later pair that does not")
    w("apply to the target's source), `does-not-compile` (the fix needs another")
    w("change, e.g. to a header), and nothing to patch (exit 3: comments, code the")
    w("compiler drops; a `changed-init` refusal that is all the change: only")
    w("`__init` code changed; the builder's error \"found nothing to redirect\"")
    w("(exit 1): only new functions that nothing calls). Every other outcome of a valid fix is ours:")
    w("a refusal counts as **not built**, justified or not; the justification")
    w("column says which refusals a kernel engineer would agree with")
    w("(`tests/corpus/justified`). Built means exit 0 and a signed module; it")
    w("counts as a success only when the VM loaded it (applied, every object")
    w("patched), disabled it (reverted), enabled it (applied), unloaded it, and")
    w("the kernel logged no `WARNING:`, `BUG:`, `Oops`, `Call Trace`, general")
    w("protection fault or panic meanwhile. The modules a patch targets are")
    w("loaded first (`modprobe`, with their dependencies from the image).")
    w("")
    w("## Counts")
    w("")
    w("| class | fixes |")
    w("| --- | ---: |")
    for c in ORDER:
        w(f"| {c} | {count[c]} |")
    w(f"| **valid** | **{valid}** |")
    w(f"| all run | {len(rows)} |")
    w("")
    if rule_rows:
        w("Refusals of valid fixes, per rule (a fix can have several):")
        w("")
        w("| rule | fixes | justified | files |")
        w("| --- | ---: | ---: | --- |")
        for rule in sorted(rule_rows, key=lambda k: (-len(rule_rows[k]), k)):
            rr = rule_rows[rule]
            nj = sum(1 for r in rr if (r["path"], rule) in just)
            w(f"| `{rule}` | {len(rr)} | {nj} | "
              f"{', '.join('`' + r['path'] + '`' for r in rr[:4])}"
              f"{' …' if len(rr) > 4 else ''} |")
        w("")
    w("## Every fix")
    w("")
    w("Columns: lines changed (`+`/`-`), the object kbuild builds the file into,")
    w("the builder's exit (0 built, 2 refused, 3 nothing to patch, 1 error), its")
    w("refusal rules, build seconds, the VM's result, the class, and the first")
    w("refusal's reason (or the justification of a refusal a kernel engineer")
    w("would agree with).")
    w("")
    w("| # | file | lines | object | exit | rule | s | VM | class | reason / justification |")
    w("| --- | --- | ---: | --- | ---: | --- | ---: | --- | --- | --- |")
    for r in rows:
        text = r["just"] and f"justified: {r['just']}" or r["reason"]
        vm = r["vm"] or ""
        w(f"| {r['id']} | `{md(r['path'])}` | {r['lines']} | {md(r['obj'])} | {r['rc']} "
          f"| {md(', '.join(r['rules']))} | {r['secs']} | {md(vm[:160])} "
          f"| {SHORT[r['cls']]} | {md(text[:200])} |")
    w("")
    with open(a.write, "w") as f:
        f.write("\n".join(o))
    print(f"report.py: {ok} of {valid} valid fixes built and loaded ({pct(ok, valid)}); "
          + ", ".join(f"{c}: {count[c]}" for c in ORDER), file=sys.stderr)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--rules")
    p.add_argument("--objects")
    p.add_argument("--closure", nargs="+")
    p.add_argument("--write")
    p.add_argument("--work")
    p.add_argument("--old")
    p.add_argument("--new")
    p.add_argument("--kver")
    p.add_argument("--kversion")
    p.add_argument("--top")
    p.add_argument("--justify", default="")
    p.add_argument("--command", default="make corpus")
    a = p.parse_args()
    if a.rules:
        print(",".join(rules(load(a.rules))) or "?")
    elif a.objects:
        print(" ".join(objects(load(a.objects))))
    elif a.closure:
        for k in closure(a.closure[0], a.closure[1:]):
            print(k)
    elif a.write:
        write(a)
    else:
        p.error("nothing to do")


if __name__ == "__main__":
    main()
