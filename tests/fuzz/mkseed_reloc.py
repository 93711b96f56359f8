#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
#
# mkseed_reloc.py DIR: seeds for fuzz_reloc, small ELF64 files laid out as
# a livepatch patch module: .text, .data, .gnu.linkonce.this_module, a
# .klp.rela section per case, a symbol table with .klp.sym symbols. One
# file per case, named for what the core must say: accepted (vmlinux and
# module relocations of text and data) or refused (a relocation of
# struct module, of a note, of the manifest even if flagged as code, of
# the per-CPU template, of an unknown type, past the section, with a
# symbol of another object).
import struct
import sys

SHT_PROGBITS, SHT_SYMTAB, SHT_STRTAB, SHT_RELA, SHT_NOTE = 1, 2, 3, 4, 7
SHF_WRITE, SHF_ALLOC, SHF_EXECINSTR = 1, 2, 4
SHF_RELA_LIVEPATCH = 0x00100000
SHN_LIVEPATCH = 0xff20
R_64, R_PC32, R_PLT32 = 1, 2, 4


def elf(sections, symbols, relas):
    """sections: [(name, type, flags, data, link, info)]; relas for each
    'RELA' placeholder are filled in by name."""
    shstr = b"\0"
    names = []
    for s in sections:
        names.append(len(shstr))
        shstr += s[0].encode() + b"\0"
    strtab = b"\0"
    syms = b"\0" * 24
    for name, shndx in symbols:
        syms += struct.pack("<IBBHQQ", len(strtab), 0x10, 0, shndx, 0, 0)
        strtab += name.encode() + b"\0"
    body = []
    nsec = len(sections) + 4  # null + sections + symtab, strtab, shstrtab
    symndx = len(sections) + 1
    for s in sections:
        data = s[3]
        if s[1] == SHT_RELA:
            data = b"".join(struct.pack("<QQq", off, (si << 32) | t, add)
                            for off, si, t, add in relas[s[0]])
        body.append(data)
    body += [syms, strtab, shstr + b".symtab\0.strtab\0.shstrtab\0"]
    off = 64
    offs = []
    blob = b""
    for d in body:
        while (off + len(blob)) % 8:
            blob += b"\0"
        offs.append(off + len(blob))
        blob += d
    while (off + len(blob)) % 8:
        blob += b"\0"
    shoff = off + len(blob)
    sh = b"\0" * 64
    for k, s in enumerate(sections):
        link = symndx if s[1] == SHT_RELA else s[4]
        sh += struct.pack("<IIQQQQIIQQ", names[k], s[1], s[2], 0, offs[k],
                          len(body[k]), link, s[5], 8,
                          24 if s[1] == SHT_RELA else 0)
    base = len(shstr)
    extra = [(base, SHT_SYMTAB, syms, symndx + 1, 1, 24),
             (base + 8, SHT_STRTAB, strtab, 0, 0, 0),
             (base + 16, SHT_STRTAB, body[-1], 0, 0, 0)]
    for k, (nm, t, d, link, info, ent) in enumerate(extra):
        sh += struct.pack("<IIQQQQIIQQ", nm, t, 0, 0,
                          offs[len(sections) + k], len(d), link, info, 8, ent)
    ehdr = b"\x7fELF" + bytes([2, 1, 1, 0]) + b"\0" * 8
    ehdr += struct.pack("<HHIQQQIHHHHHH", 1, 62, 1, 0, 0, shoff, 0, 64, 0, 0,
                        64, nsec, nsec - 1)
    return ehdr + blob + sh


TEXT = (".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, b"\0" * 64, 0, 0)
DATA = (".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, b"\0" * 32, 0, 0)
THIS = (".gnu.linkonce.this_module", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE,
        b"\0" * 64, 0, 0)
NOTE = (".note.gnu.build-id", SHT_NOTE, SHF_ALLOC, b"\0" * 36, 0, 0)
XMF = (".hotpatch.manifest", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
       b"\0" * 64, 0, 0)
PCPU = (".data..percpu", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, b"\0" * 32, 0, 0)
# flags the loader does not go by: it places these by name (found by
# fuzz_reloc: a .data..percpu marked as code was accepted)
PCPUX = (".data..percpu", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR,
         b"\0" * 32, 0, 0)
INIT = (".init.text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, b"\0" * 32, 0, 0)
SYMS = [(".klp.sym.vmlinux.kallsyms_lookup_name,0", SHN_LIVEPATCH),
        (".klp.sym.hp_target.hp_dup_name,2", SHN_LIVEPATCH)]


def rela(name, target_index):
    return (name, SHT_RELA, SHF_ALLOC | SHF_RELA_LIVEPATCH, b"", 0,
            target_index)


def case(extra, relas):
    secs = [TEXT, DATA, THIS, NOTE, XMF, PCPU] + extra
    return elf(secs, SYMS, relas)


CASES = {
    "accepted-text-data": case(
        [rela(".klp.rela.vmlinux..text", 1),
         rela(".klp.rela.hp_target..data", 2)],
        {".klp.rela.vmlinux..text": [(1, 1, R_PLT32, -4)],
         ".klp.rela.hp_target..data": [(0, 2, R_64, 0), (8, 2, R_64, 0)]}),
    "refused-this-module": case(
        [rela(".klp.rela.hp_target..gnu.linkonce.this_module", 3)],
        {".klp.rela.hp_target..gnu.linkonce.this_module":
         [(24, 2, R_64, 0)]}),
    "refused-note": case(
        [rela(".klp.rela.vmlinux..note.gnu.build-id", 4)],
        {".klp.rela.vmlinux..note.gnu.build-id": [(16, 1, R_64, 0)]}),
    "refused-manifest-marked-code": case(
        [rela(".klp.rela.hp_target..hotpatch.manifest", 5)],
        {".klp.rela.hp_target..hotpatch.manifest": [(8, 2, R_64, 0)]}),
    "refused-percpu": case(
        [rela(".klp.rela.hp_target..data..percpu", 6)],
        {".klp.rela.hp_target..data..percpu": [(8, 2, R_64, 0)]}),
    "refused-percpu-marked-code": case(
        [PCPUX, rela(".klp.rela.hp_target..data..percpu", 7)],
        {".klp.rela.hp_target..data..percpu": [(8, 2, R_64, 0)]}),
    "refused-init-text": case(
        [INIT, rela(".klp.rela.vmlinux..init.text", 7)],
        {".klp.rela.vmlinux..init.text": [(1, 1, R_PLT32, -4)]}),
    "refused-type": case(
        [rela(".klp.rela.hp_target..text", 1)],
        {".klp.rela.hp_target..text": [(0, 2, 42, 0)]}),
    "refused-offset": case(
        [rela(".klp.rela.hp_target..text", 1)],
        {".klp.rela.hp_target..text": [(62, 2, R_PC32, -4)]}),
    "refused-other-object": case(
        [rela(".klp.rela.hp_target..text", 1)],
        {".klp.rela.hp_target..text": [(0, 1, R_PC32, -4)]}),
}

for name, data in CASES.items():
    with open(f"{sys.argv[1]}/{name}", "wb") as f:
        f.write(data)
