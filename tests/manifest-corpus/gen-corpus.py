#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Write a corpus of hotpatch manifests (valid and malformed) into a directory.

usage: gen-corpus.py OUTDIR

Writes OUTDIR/good-*.bin (must parse), OUTDIR/bad-*.bin (must be refused)
and OUTDIR/INDEX, one line per file:

    <file> <OK|ENOEXEC|EINVAL> <what it tests>

The expected errno is the one kernel/manifest.c returns (hotpatch_manifest_parse),
in userspace (tests/unit/sign) and in the kernel (the core's staging, in the
VM). The layout is written here independently of include/hotpatch/manifest.h,
on purpose: the good-* files check that the two agree.
Standalone: needs only python3.
"""

import os
import struct
import sys

MAGIC = b"HPMANIF\0"
VERSION = 1
HDR = 96
HDR2 = 112  # version 2: the header, then the metadata block (4 x u32)
OBJ = 56
FUNC = 24
BUILD_ID = bytes(range(0x10, 0x10 + 20))


class Manifest:
    """A manifest model; pack() writes it, in the given region order."""

    def __init__(self, version=VERSION):
        self.version = version
        self.hdr_size = HDR if version == 1 else HDR2
        self.flags = 0
        self.mode = 0
        self.name = "hp_test"
        self.release = "6.1.0-56-cloud-amd64"
        self.build_id = BUILD_ID
        self.build_id_len = None  # default len(build_id)
        # objects: dict(name, srcversion, build_id, funcs=[...])
        self.objs = [
            dict(name="vmlinux", srcversion=None, build_id=b"", funcs=[
                dict(old="cmdline_proc_show", pos=0, size=64,
                     new="livepatch_cmdline_proc_show",
                     tramp="hp_tramp_cmdline_proc_show", flags=0),
                dict(old="meminfo_proc_show", pos=0, size=1200,
                     new="livepatch_meminfo_proc_show",
                     tramp="hp_tramp_meminfo_proc_show", flags=0),
                dict(old="show_val_kb", pos=2, size=96,
                     new="livepatch_show_val_kb",
                     tramp="hp_tramp_show_val_kb", flags=0),
            ]),
            dict(name="xfs", srcversion="0123456789ABCDEF01234567",
                 build_id=bytes(range(0xa0, 0xa0 + 20)), funcs=[
                     dict(old="xfs_file_read_iter", pos=0, size=300,
                          new="livepatch_xfs_file_read_iter",
                          tramp="hp_tramp_xfs_file_read_iter", flags=0),
                 ]),
        ]
        # version 2 metadata: dict(description, series, patch_version, cves)
        self.meta = None if version == 1 else {}
        self.order = ["obj", "func", "str"]
        # raw overrides applied to header fields after layout
        self.hdr_over = {}

    def pack(self):
        strtab = bytearray(b"\0")
        offs = {}

        def s(x):
            if x is None:
                return 0
            if isinstance(x, int):  # a raw offset, for malformed cases
                return x
            if x in offs:
                return offs[x]
            offs[x] = len(strtab)
            strtab.extend(x.encode("latin-1") + b"\0")
            return offs[x]

        name, release = s(self.name), s(self.release)
        hdr_len = HDR if self.meta is None else HDR2
        meta = b""
        if self.meta is not None:
            mt = self.meta
            meta = struct.pack("<IIII", s(mt.get("description")), s(mt.get("series")),
                               mt.get("patch_version", 0), s(mt.get("cves")))
        objs, funcs = bytearray(), bytearray()
        fi = 0
        for o in self.objs:
            bid = o["build_id"]
            objs += struct.pack("<IIIII B3x", s(o["name"]), s(o["srcversion"]),
                                o.get("func_index", fi),
                                o.get("func_count", len(o["funcs"])),
                                o.get("flags", 0), o.get("build_id_len", len(bid)))
            objs += bid.ljust(32, b"\0")[:32] if len(bid) <= 32 else bid[:32]
            if "reserved" in o:
                objs[-35:-32] = o["reserved"]
            for f in o["funcs"]:
                funcs += struct.pack("<IIIIII", s(f["old"]), f["pos"], f["size"],
                                     s(f["new"]), s(f["tramp"]), f["flags"])
            fi += len(o["funcs"])
        regions = {"obj": bytes(objs), "func": bytes(funcs), "str": bytes(strtab)}
        off, at = hdr_len, {}
        body = b""
        for r in self.order:
            at[r] = off
            body += regions[r]
            off += len(regions[r])
        bid = self.build_id
        h = dict(version=self.version, hdr_size=self.hdr_size,
                 total_size=hdr_len + len(body), flags=self.flags, mode=self.mode,
                 name=name, release=release,
                 obj_off=at["obj"], obj_count=len(self.objs),
                 func_off=at["func"], func_count=fi,
                 strtab_off=at["str"], strtab_size=len(strtab),
                 build_id_len=len(bid) if self.build_id_len is None
                 else self.build_id_len, reserved1=0)
        h.update(self.hdr_over)
        hdr = MAGIC + struct.pack(
            "<HHIIIIIIIIIIIB3x", h["version"], h["hdr_size"], h["total_size"],
            h["flags"], h["mode"], h["name"], h["release"], h["obj_off"],
            h["obj_count"], h["func_off"], h["func_count"], h["strtab_off"],
            h["strtab_size"], h["build_id_len"])
        hdr += bid.ljust(32, b"\0")[:32] + struct.pack("<I", h["reserved1"])
        assert len(hdr) == HDR
        self.layout = at
        return bytearray(hdr + meta + body)


def base():
    return Manifest()


def set_u32(b, off, v):
    b[off:off + 4] = struct.pack("<I", v)


def set_u16(b, off, v):
    b[off:off + 2] = struct.pack("<H", v)


def mutate(fn):
    """A case that patches the packed bytes of the baseline"""
    m = base()
    b = m.pack()
    fn(m, b)
    return b


def model(fn):
    """A case that changes the model before packing"""
    m = base()
    fn(m)
    return m.pack()


def f0(m):
    return m.objs[0]["funcs"][0]


CASES = []


def case(name, expect, why):
    def reg(gen):
        CASES.append((name, expect, why, gen))
        return gen
    return reg


# ---- good ---------------------------------------------------------------
case("good-baseline", "OK", "two objects, four functions, canonical layout")(
    lambda: base().pack())
case("good-replace-ops", "OK", "cumulative patch, ops mode, no trampolines")(
    lambda: model(lambda m: (setattr(m, "flags", 1), setattr(m, "mode", 2),
                             [f.update(tramp=None) for o in m.objs for f in o["funcs"]])))
case("good-regions-reordered", "OK", "string table first, then functions, then objects")(
    lambda: model(lambda m: setattr(m, "order", ["str", "func", "obj"])))
case("good-vmlinux-only", "OK", "a single vmlinux object, direct mode")(
    lambda: model(lambda m: (setattr(m, "mode", 1), m.objs.pop())))
case("good-module-no-identity", "OK", "a module object without srcversion or build-id")(
    lambda: model(lambda m: (m.objs[1].update(srcversion=None, build_id=b""))))
case("good-long-names", "OK", "names at their maximum lengths")(
    lambda: model(lambda m: (setattr(m, "name", "p" * 55),
                             setattr(m, "release", "r" * 64),
                             f0(m).update(old="a" * 511, new="b" * 511))))

# ---- truncated / sizes ----------------------------------------------------
case("bad-empty", "ENOEXEC", "zero bytes")(lambda: b"")
case("bad-magic-only", "ENOEXEC", "8 bytes: magic only")(lambda: base().pack()[:8])
case("bad-truncated-header", "ENOEXEC", "cut inside the header")(
    lambda: base().pack()[:50])
case("bad-truncated-tail", "ENOEXEC", "last byte missing")(lambda: base().pack()[:-1])
case("bad-trailing-garbage", "ENOEXEC", "one byte after total_size")(
    lambda: base().pack() + b"\0")
case("bad-magic", "ENOEXEC", "wrong magic")(
    lambda: mutate(lambda m, b: b.__setitem__(slice(0, 8), b"HPMANIX\0")))
case("bad-total-size", "ENOEXEC", "total_size larger than the data")(
    lambda: mutate(lambda m, b: set_u32(b, 12, len(b) + 4)))
case("bad-hdr-size", "ENOEXEC", "hdr_size 64")(
    lambda: mutate(lambda m, b: set_u16(b, 10, 64)))
# ---- version / flags / mode --------------------------------------------------
case("bad-version-0", "EINVAL", "version 0")(
    lambda: mutate(lambda m, b: set_u16(b, 8, 0)))
case("bad-version-3", "EINVAL", "version 3 (a future format)")(
    lambda: mutate(lambda m, b: set_u16(b, 8, 3)))
case("bad-version-ffff", "EINVAL", "version 0xffff, truncated too")(
    lambda: mutate(lambda m, b: set_u16(b, 8, 0xffff))[:40])
case("bad-flags-unknown", "EINVAL", "unknown header flag bit 31")(
    lambda: model(lambda m: setattr(m, "flags", 1 << 31)))
case("bad-mode-unknown", "EINVAL", "redirect mode 3")(
    lambda: model(lambda m: setattr(m, "mode", 3)))
case("bad-func-flags", "EINVAL", "unknown function flag")(
    lambda: model(lambda m: f0(m).update(flags=4)))
case("bad-reserved-header", "ENOEXEC", "reserved1 set")(
    lambda: model(lambda m: m.hdr_over.update(reserved1=1)))
case("bad-reserved-obj", "ENOEXEC", "object reserved bytes set")(
    lambda: model(lambda m: m.objs[0].update(reserved=b"\1\0\0")))
# ---- counts and offsets ------------------------------------------------------
case("bad-obj-count-zero", "ENOEXEC", "no objects")(
    lambda: model(lambda m: m.hdr_over.update(obj_count=0)))
case("bad-obj-count-huge", "ENOEXEC", "obj_count 0xffffffff")(
    lambda: model(lambda m: m.hdr_over.update(obj_count=0xffffffff)))
case("bad-func-count-huge", "ENOEXEC", "func_count 0x10000000")(
    lambda: model(lambda m: m.hdr_over.update(func_count=0x10000000)))
case("bad-func-count-plus-one", "ENOEXEC", "function table one entry too long: overlaps the strings")(
    lambda: model(lambda m: m.hdr_over.update(func_count=5)))
case("bad-obj-overlaps-header", "ENOEXEC", "obj_off inside the header")(
    lambda: model(lambda m: m.hdr_over.update(obj_off=48)))
case("bad-func-overlaps-obj", "ENOEXEC", "func_off == obj_off")(
    lambda: model(lambda m: m.hdr_over.update(func_off=HDR)))
case("bad-strtab-past-end", "ENOEXEC", "strtab_off beyond the end")(
    lambda: model(lambda m: m.hdr_over.update(strtab_off=0x7fff0000)))
case("bad-strtab-size-wrap", "ENOEXEC", "strtab_size 0xffffffff (offset + size wraps 32 bits)")(
    lambda: model(lambda m: m.hdr_over.update(strtab_size=0xffffffff)))
case("bad-strtab-short", "ENOEXEC", "strtab_size one short: a gap at the end")(
    lambda: mutate(lambda m, b: set_u32(b, 52, len(b) - m.layout["str"] - 1)))
def misaligned():
    """string table first, sized so that the object table is not aligned"""
    m = base()
    m.order = ["str", "obj", "func"]
    for n in ("hp_test", "hp_test1", "hp_test12", "hp_test123"):
        m.name = n
        b = m.pack()
        if m.layout["obj"] % 4:
            return b
    raise AssertionError("no misaligned layout found")


case("bad-obj-misaligned", "ENOEXEC", "object table at an offset that is not 4-byte aligned")(
    misaligned)
# ---- string table ---------------------------------------------------------
case("bad-strtab-unterminated", "ENOEXEC", "last string table byte is not NUL")(
    lambda: mutate(lambda m, b: b.__setitem__(len(b) - 1, ord("x"))))
case("bad-strtab-first-byte", "ENOEXEC", "string table does not start with NUL")(
    lambda: mutate(lambda m, b: b.__setitem__(m.layout["str"], ord("x"))))
case("bad-name-offset-out", "ENOEXEC", "patch name offset outside the string table")(
    lambda: model(lambda m: m.hdr_over.update(name=0x10000)))
case("bad-name-offset-end", "ENOEXEC", "patch name offset == strtab_size")(
    lambda: mutate(lambda m, b: set_u32(b, 24, len(b) - m.layout["str"])))
case("bad-name-empty", "ENOEXEC", "patch name offset 0 (empty)")(
    lambda: model(lambda m: m.hdr_over.update(name=0)))
case("bad-name-slash", "ENOEXEC", "'/' in the patch name")(
    lambda: model(lambda m: setattr(m, "name", "hp/test")))
case("bad-name-too-long", "ENOEXEC", "patch name of 56 bytes")(
    lambda: model(lambda m: setattr(m, "name", "p" * 56)))
case("bad-release-too-long", "ENOEXEC", "release of 65 bytes")(
    lambda: model(lambda m: setattr(m, "release", "6" * 65)))
case("bad-release-space", "ENOEXEC", "space in the release")(
    lambda: model(lambda m: setattr(m, "release", "6.1.0 56")))
case("bad-symbol-too-long", "ENOEXEC", "symbol of 512 bytes (longer than KSYM_NAME_LEN - 1)")(
    lambda: model(lambda m: f0(m).update(old="s" * 512)))
case("bad-symbol-comma", "ENOEXEC", "',' in a symbol name")(
    lambda: model(lambda m: f0(m).update(old="cmdline,proc_show")))
case("bad-symbol-control", "ENOEXEC", "control byte in a symbol name")(
    lambda: model(lambda m: f0(m).update(new="livepatch\x01x")))
case("bad-new-name-missing", "ENOEXEC", "new_name offset 0")(
    lambda: model(lambda m: f0(m).update(new=0)))
case("bad-srcversion-chars", "ENOEXEC", "'-' in a srcversion")(
    lambda: model(lambda m: m.objs[1].update(srcversion="0123-4567")))
# ---- build-ids ------------------------------------------------------------
case("bad-build-id-len-zero", "ENOEXEC", "kernel build-id length 0")(
    lambda: model(lambda m: setattr(m, "build_id_len", 0)))
case("bad-build-id-len-33", "ENOEXEC", "kernel build-id length 33")(
    lambda: model(lambda m: setattr(m, "build_id_len", 33)))
case("bad-build-id-tail", "ENOEXEC", "bytes after the kernel build-id not zero")(
    lambda: model(lambda m: (setattr(m, "build_id", BUILD_ID + b"\1"),
                             setattr(m, "build_id_len", 20))))
case("bad-vmlinux-build-id", "ENOEXEC", "the vmlinux object carries its own build-id")(
    lambda: model(lambda m: m.objs[0].update(build_id=b"\1" * 20)))
case("bad-vmlinux-srcversion", "ENOEXEC", "the vmlinux object carries a srcversion")(
    lambda: model(lambda m: m.objs[0].update(srcversion="ABCDEF")))
# ---- objects and functions ------------------------------------------------
case("bad-objs-unsorted", "ENOEXEC", "objects out of order")(
    lambda: model(lambda m: m.objs.reverse()))
case("bad-objs-duplicate", "ENOEXEC", "the same object twice")(
    lambda: model(lambda m: m.objs[1].update(name="vmlinux", srcversion=None,
                                             build_id=b"")))
case("bad-obj-func-gap", "ENOEXEC", "second object starts one function late")(
    lambda: model(lambda m: (m.objs[0].update(func_count=2),
                             m.objs[1].update(func_index=3))))
case("bad-obj-func-overlap", "ENOEXEC", "second object's functions overlap the first's")(
    lambda: model(lambda m: m.objs[1].update(func_index=2, func_count=2)))
case("bad-obj-func-count-zero", "ENOEXEC", "an object with no functions")(
    lambda: model(lambda m: m.objs[1].update(func_count=0)))
case("bad-obj-func-uncovered", "ENOEXEC", "last function belongs to no object")(
    lambda: model(lambda m: m.objs[0]["funcs"].append(dict(m.objs[0]["funcs"][2], pos=3))
                  or (m.objs[0].update(func_count=3), m.objs[1].update(func_index=3))))
case("bad-func-size-zero", "ENOEXEC", "old_size 0")(
    lambda: model(lambda m: f0(m).update(size=0)))
case("bad-func-duplicate", "ENOEXEC", "the same function and sympos twice")(
    lambda: model(lambda m: m.objs[0]["funcs"].insert(1, dict(f0(m)))))
case("bad-funcs-unsorted", "ENOEXEC", "functions out of order within an object")(
    lambda: model(lambda m: m.objs[0]["funcs"].reverse()))
case("bad-direct-no-tramp", "ENOEXEC", "direct mode, a function without trampoline")(
    lambda: model(lambda m: (setattr(m, "mode", 1), f0(m).update(tramp=None))))


# ---- version 2: metadata ------------------------------------------------------
META = dict(description="Fix the nf_tables verdict use-after-free",
            series="deb12-cloud", patch_version=3,
            cves="CVE-2024-1086 CVE-2023-0179")


def v2(fn=None, **meta):
    m = Manifest(2)
    m.meta = dict(META, **meta)
    for k in [k for k, v in m.meta.items() if v is None]:
        del m.meta[k]
    if fn:
        fn(m)
    return m.pack()


case("good-v2-metadata", "OK", "version 2 with description, series, version and CVEs")(
    lambda: v2())
case("good-v2-no-metadata", "OK", "version 2 with every metadata field empty")(
    lambda: Manifest(2).pack())
case("good-v2-long-metadata", "OK", "metadata strings at their maximum lengths")(
    lambda: v2(description="d" * 255, series="s" * 63,
               cves=" ".join("CVE-2024-%06d" % i for i in range(63)) + " CVE-2024-123456"))
case("bad-v2-hdr-size-96", "ENOEXEC", "version 2 with the version-1 header size")(
    lambda: mutate(lambda m, b: set_u16(b, 8, 2)))
case("bad-v1-hdr-size-112", "ENOEXEC", "version 1 with the version-2 header size")(
    lambda: v2(lambda m: setattr(m, "version", 1)))
case("bad-v2-truncated-meta", "ENOEXEC", "version 2 cut inside the metadata block")(
    lambda: v2()[:104])
case("bad-v2-series-no-version", "ENOEXEC", "a series without a patch version")(
    lambda: v2(patch_version=0))
case("bad-v2-version-no-series", "ENOEXEC", "a patch version without a series")(
    lambda: v2(series=None))
case("bad-v2-series-slash", "ENOEXEC", "'/' in the series")(
    lambda: v2(series="deb12/cloud"))
case("bad-v2-series-too-long", "ENOEXEC", "a series of 64 bytes")(
    lambda: v2(series="s" * 64))
case("bad-v2-description-control", "ENOEXEC", "a newline in the description")(
    lambda: v2(description="two\nlines"))
case("bad-v2-description-too-long", "ENOEXEC", "a description of 256 bytes")(
    lambda: v2(description="d" * 256))
case("bad-v2-description-offset-out", "ENOEXEC", "description offset outside the string table")(
    lambda: v2(description=0x10000))
case("bad-v2-cves-too-long", "ENOEXEC", "a CVE list of 1024 bytes")(
    lambda: v2(cves=" ".join("CVE-2024-%06d" % i for i in range(63)) + " CVE-2024-1234567"))
case("bad-v2-cve-short", "ENOEXEC", "a CVE id with 3 digits")(
    lambda: v2(cves="CVE-2024-108"))
case("bad-v2-cve-separator", "ENOEXEC", "CVE ids separated by a comma")(
    lambda: v2(cves="CVE-2024-1086,CVE-2023-0179"))
case("bad-v2-cve-double-space", "ENOEXEC", "CVE ids separated by two spaces")(
    lambda: v2(cves="CVE-2024-1086  CVE-2023-0179"))
case("bad-v2-cve-trailing-space", "ENOEXEC", "a space after the last CVE id")(
    lambda: v2(cves="CVE-2024-1086 "))
case("bad-v2-cve-duplicate", "ENOEXEC", "the same CVE id twice")(
    lambda: v2(cves="CVE-2024-1086 CVE-2023-0179 CVE-2024-1086"))
case("bad-v2-cve-lowercase", "ENOEXEC", "a CVE id in lower case")(
    lambda: v2(cves="cve-2024-1086"))


def main():
    if len(sys.argv) != 2:
        sys.stderr.write(__doc__)
        return 2
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    names = set()
    with open(os.path.join(out, "INDEX"), "w") as idx:
        for name, expect, why, gen in CASES:
            assert name not in names, name
            names.add(name)
            data = bytes(gen())
            with open(os.path.join(out, name + ".bin"), "wb") as f:
                f.write(data)
            idx.write("%s.bin %s %s\n" % (name, expect, why))
    bad = sum(1 for c in CASES if c[1] != "OK")
    print("%s: %d good, %d bad manifests" % (out, len(CASES) - bad, bad))
    return 0


if __name__ == "__main__":
    sys.exit(main())
