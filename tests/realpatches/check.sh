#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The refusals and failure paths of `hotpatch-build build`, on the real
# Debian tree (the one tests/realpatches/build.sh prepared; cached): every
# refusal is exit 2 with its rule in the JSON report (read with jsonq, a
# real parser), errors are exit 1 with a message, an interrupted or killed
# build leaves the prepared tree as it was. Prints TAP; `make check` runs it.
set -uo pipefail

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${HP_BUILD:-$top/build}
hb=$build/bin/hotpatch-build
jq=$build/test-bin/jsonq
facts=$build/facts/target
# shellcheck source=/dev/null
. "$build/kernel.env"
K=(--src "$HP_KSRC_TAR" --kdir "$HP_KDIR" --facts "$facts")
work=$(mktemp -d "${TMPDIR:-/tmp}/hp-build-check.XXXXXX")
trap '[ -n "${KEEP:-}" ] || rm -rf "$work"' EXIT

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() {
	n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"
	shift
	for l in "$@"; do printf '%s\n' "$l" | sed 's/^/# /'; done
}
check() {
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d" "failed: $*"; fi
}
check_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "expected: '$2'" "actual:   '$3'"; fi; }

# build NAME DIFF [OPTIONS]: runs hotpatch-build build --json; sets rc,
# leaves the report in $work/NAME.json and progress in $work/NAME.err
build() {
	local name=$1 diff=$2
	shift 2
	rc=0
	"$hb" build --json "${K[@]}" --name "$name" -o "$work/$name.ko" \
		"$@" "$diff" >"$work/$name.json" 2>"$work/$name.err" || rc=$?
}
j() { "$jq" "$2" <"$work/$1.json" 2>/dev/null; }

# A diff of FILE (relative to the tree) from the pristine tarball's text:
# mkdiff FILE SED-EXPRESSION OUT
mkdiff() {
	local f=$1 expr=$2 o=$3
	mkdir -p "$work/a/$(dirname "$f")" "$work/b/$(dirname "$f")"
	tar -xOf "$HP_KSRC_TAR" "linux-source-6.1/$f" >"$work/a/$f"
	sed "$expr" "$work/a/$f" >"$work/b/$f"
	(cd "$work" && diff -u "a/$f" "b/$f") >"$o" || true
}
pristine() { tar -xOf "$HP_KSRC_TAR" "linux-source-6.1/$1"; }

# --- refused before anything is compiled --------------------------------------
# A header included by thousands of files: refused with the count, from the
# include graph alone (nothing compiled: three steps).
printf -- '--- a/include/linux/sched.h\n+++ b/include/linux/sched.h\n@@ -1 +1 @@\n-a\n+b\n' \
	>"$work/header.patch"
build header "$work/header.patch"
check_eq "a header included by too many files is refused (exit 2)" 2 "$rc"
check_eq "rule: header" header "$(j header .refusals.0.rule)"
case $(j header .refusals.0.reason) in
[0-9]*" .c files include include/linux/sched.h (at most 64 built ones are rebuilt)"*)
	ok "it says how many files include it" ;;
*) not_ok "it says how many files include it" "$(j header .refusals.0.reason)" ;;
esac
check_eq "nothing compiled" 3 "$(j header .steps.length)"
printf -- '--- a/Makefile\n+++ b/Makefile\n@@ -1 +1 @@\n-a\n+b\n' >"$work/mk.patch"
build mk "$work/mk.patch"
check_eq "a Makefile change is refused: rule not-c" "2 not-c" "$rc $(j mk .refusals.0.rule)"
printf -- '--- /dev/null\n+++ b/kernel/new.c\n@@ -0,0 +1 @@\n+int x;\n' >"$work/new.patch"
build new "$work/new.patch"
check_eq "a new file is refused: rule new-file" "2 new-file" "$rc $(j new .refusals.0.rule)"
printf 'not a diff\n' >"$work/garbage.patch"
build garbage "$work/garbage.patch"
check_eq "a file that is not a diff is an error (exit 1)" 1 "$rc"
check_eq "the error says why" "no file changes in the diff (expected '--- a/FILE' / '+++ b/FILE' headers)" \
	"$(j garbage .error)"
rc=0
"$hb" build --kdir "$HP_KDIR" --facts "$facts" "$here/sethostname.patch" \
	>/dev/null 2>"$work/nosrc.err" || rc=$?
check_eq "without --src: exit 1" 1 "$rc"
check_eq "and says what is missing" \
	"hotpatch-build: build needs --src, --kdir and a diff (see --help)" \
	"$(cat "$work/nosrc.err")"
rc=0
"$hb" build "${K[@]}" --name x -o /nonexistent/dir/x.ko "$here/sethostname.patch" \
	>/dev/null 2>"$work/outdir.err" || rc=$?
check_eq "an output directory that is not there: exit 1, at once" \
	"1 hotpatch-build: cannot write the module '/nonexistent/dir/x.ko': its directory '/nonexistent/dir' does not exist or is not writable" \
	"$rc $(cat "$work/outdir.err")"
cat >"$work/fakecc" <<'EOF'
#!/bin/sh
echo "gcc-99 (Other 99.1) 99.1"
EOF
chmod +x "$work/fakecc"
build cc "$here/sethostname.patch" --cc "$work/fakecc"
check_eq "another compiler than the target's is an error" 1 "$rc"
case $(j cc .error) in
"the target was built with 'gcc-12 "*"but '$work/fakecc' is 'gcc-99 (Other 99.1) 99.1'"*) ok "which names both compilers" ;;
*) not_ok "which names both compilers" "$(j cc .error)" ;;
esac

# --- sources that are not a kernel tree (a cache of their own) -----------------
C=(--kdir "$HP_KDIR" --facts "$facts" --cache "$work/cache" --name src -o "$work/src.ko")
rc=0
"$hb" build "${C[@]}" --src "$here/modules" "$here/sethostname.patch" \
	>/dev/null 2>"$work/src1.err" || rc=$?
case "$rc $(tail -n1 "$work/src1.err")" in
"1 hotpatch-build: cannot unpack '$here/modules' (not a tarball?): "*) ok "a source that is not a tarball: exit 1, says so" ;;
*) not_ok "a source that is not a tarball: exit 1, says so" "$rc $(cat "$work/src1.err")" ;;
esac
mkdir -p "$work/notkernel/top"
echo hello >"$work/notkernel/top/README"
tar -cf "$work/notkernel.tar" -C "$work/notkernel" top
rc=0
"$hb" build "${C[@]}" --src "$work/notkernel.tar" "$here/sethostname.patch" \
	>/dev/null 2>"$work/src2.err" || rc=$?
check_eq "a tarball without a kernel: exit 1, says so" \
	"1 hotpatch-build: '$work/notkernel.tar' is not a kernel source tree (no Makefile and Kconfig at its top)" \
	"$rc $(tail -n1 "$work/src2.err")"
printf 'all:\n' >"$work/notkernel/top/Makefile"
: >"$work/notkernel/top/Kconfig"
rc=0
"$hb" build "${C[@]}" --src "$work/notkernel/top" "$here/sethostname.patch" \
	>/dev/null 2>"$work/src3.err" || rc=$?
case "$rc $(tail -n1 "$work/src3.err")" in
"1 hotpatch-build: make olddefconfig failed in "*"No rule to make target 'olddefconfig'"*) ok "a tree whose make fails: exit 1 with make's words" ;;
*) not_ok "a tree whose make fails: exit 1 with make's words" "$rc $(cat "$work/src3.err")" ;;
esac
check "and the source directory was not touched" test ! -e "$work/notkernel/top/.config"

# --- refused once the tree is there ----------------------------------------------
sed 's|^ \tif (!copy_from_user(tmp, name, len)) {$| \tif (!copy_from_user(tmp, name, len)) { /* stale */|' \
	"$here/sethostname.patch" >"$work/stale.patch"
grep -q stale "$work/stale.patch" || not_ok "the stale diff is made"
build stale "$work/stale.patch"
check_eq "a diff that does not apply is refused" "2 does-not-apply" \
	"$rc $(j stale .refusals.0.rule)"
tree=$(j stale .tree)
check "the report names the prepared tree" test -d "$tree"

mkdiff kernel/sys.c 's/^\tif (len < 0 || len > __NEW_UTS_LEN)$/\tif (len < 0 || len > __NEW_UTS_LEN) oops/' \
	"$work/broken.patch"
build broken "$work/broken.patch"
check_eq "a diff that does not compile is refused" "2 does-not-compile" \
	"$rc $(j broken .refusals.0.rule)"
case $(j broken .refusals.0.reason) in
*"error: "*) ok "with the compiler's error" ;;
*) not_ok "with the compiler's error" "$(j broken .refusals.0.reason)" ;;
esac
case $(j broken .refusals.0.reason) in
*"(--keep keeps the full log)") ok "naming no log that is gone" ;;
*) not_ok "naming no log that is gone" "$(j broken .refusals.0.reason)" ;;
esac
build broken-keep "$work/broken.patch" --keep
log=$(j broken-keep .refusals.0.reason | sed -n 's/.*(full log: \(.*\))$/\1/p')
check "with --keep the log it names is there" test -s "$log"
check "with --keep the work directory is kept" test -d "$(j broken-keep .workdir)"
rm -rf "$(j broken-keep .workdir)"
check "and the tree is restored" cmp -s "$tree/kernel/sys.c" <(pristine kernel/sys.c)

mkdiff fs/jfs/jfs_unicode.c 's/^\treturn outlen;$/\treturn outlen + 0 * __LINE__;/' \
	"$work/jfs.patch"
build jfs "$work/jfs.patch"
check_eq "a file the config does not build is refused" "2 not-built" \
	"$rc $(j jfs .refusals.0.rule)"

# Not built, and it does not even compile alone in this config (its
# CONFIG_KCSAN_* values are not there): still a refusal, decided from
# kbuild's Makefiles before anything is compiled. The compiler's messages
# quote with UTF-8 characters: the report must stay valid JSON.
mkdiff kernel/kcsan/core.c 's/^\treturn true;$/\treturn 1;/' "$work/kcsan.patch"
build kcsan "$work/kcsan.patch"
check_eq "a file the config does not build and that does not compile is refused" \
	"2 not-built" "$rc $(j kcsan .refusals.0.rule)"
case $(j kcsan .refusals.0.reason) in
*"kernel/Makefile does not descend into kcsan/"*) ok "kbuild's Makefile says why" ;;
*) not_ok "kbuild's Makefile says why" "$(j kcsan .refusals.0.reason)" ;;
esac
check_eq "the jfs refusal came before compiling" "" "$(grep ' compile ' "$work/jfs.err")"

build nomod "$here/binfmt_misc.patch"
check_eq "a module's file without the module's .ko is refused" "2 module-unknown" \
	"$rc $(j nomod .refusals.0.rule)"
check_eq "naming the module" "the file is part of module 'binfmt_misc', whose .ko was not given (the patch must name the module's build)" \
	"$(j nomod .refusals.0.reason)"

build override "$here/proc_version.patch" --object fs/proc/version.c=nosuchmod
check_eq "--object naming a module that is not there is refused" \
	"2 module-unknown" "$rc $(j override .refusals.0.rule)"

# Only a comment: every __LINE__ below it moves, nothing changes.
mkdiff fs/proc/version.c 's|^#include "internal.h"$|/* a comment */\n&|' "$work/comment.patch"
build comment "$work/comment.patch"
check_eq "a comment only: nothing to patch (exit 3)" 3 "$rc"
check_eq "no module written" "" "$(j comment .output)"
rc=0
"$hb" build "${K[@]}" --name comment2 -o "$work/comment2.ko" "$work/comment.patch" \
	>"$work/comment2.out" 2>/dev/null || rc=$?
check_eq "and says so" "3 nothing to patch: no function changed" \
	"$rc $(cat "$work/comment2.out")"

# Only a new function, called by nothing: nothing to redirect (exit 3), not
# an error.
mkdiff kernel/sys.c 's/^SYSCALL_DEFINE2(sethostname, char __user \*, name, int, len)$/int hp_check_unused(void)\n{\n\treturn 42;\n}\n\n&/' \
	"$work/newonly.patch"
build newonly "$work/newonly.patch"
check_eq "only a new function: nothing to patch (exit 3)" 3 "$rc"
case $(j newonly .nothing) in
*"only adds new code (hp_check_unused)"*) ok "which says so" ;;
*) not_ok "which says so" "$(j newonly .nothing) $(j newonly .error)" ;;
esac
check_eq "no module written" "" "$(j newonly .output)"

# Work directories go, whatever the outcome.
mkdir -p "$work/tmp"
TMPDIR=$work/tmp build tmp-refused "$work/stale.patch"
r1=$rc
TMPDIR=$work/tmp build tmp-error "$work/garbage.patch"
r2=$rc
TMPDIR=$work/tmp build tmp-nothing "$work/comment.patch"
check_eq "refused, error, nothing to patch" "2 1 3" "$r1 $r2 $rc"
check_eq "and no work directory left behind" "" "$(ls -A "$work/tmp")"

# A fix in two files of vmlinux: a new function of one used by the other
# (resolve must know what the other patch object defines: --with).
mkdiff kernel/sys.c 's/^SYSCALL_DEFINE2(sethostname, char __user \*, name, int, len)$/int hp_check_helper(void)\n{\n\treturn 42;\n}\n\n&/' \
	"$work/multi1.patch"
mkdiff fs/proc/version.c 's/^\t\tutsname()->version);$/&\n\tseq_printf(m, "helper %d\\n", hp_check_helper());/; s/^#include "internal.h"$/&\n\nint hp_check_helper(void);/' \
	"$work/multi2.patch"
cat "$work/multi1.patch" "$work/multi2.patch" >"$work/multi.patch"
build multi "$work/multi.patch"
check_eq "a fix in two files builds" 0 "$rc"
check_eq "two files: nothing refused" 0 "$(j multi .refusals.length)"
check_eq "the new function in one" hp_check_helper "$(j multi .files.0.verdict.functions.0.name)"
check_eq "its caller in the other" version_proc_show "$(j multi .files.1.verdict.functions.0.name)"
check "both resolved into patch objects" test -n "$(j multi .files.1.patch_object)"

# Exit code only (notrace; it never runs again, or only at unload): the
# differ leaves it out with a note, and the build has nothing to patch.
mkdiff fs/binfmt_script.c 's/^\tunregister_binfmt(&script_format);$/&\n\tpr_info("gone\\n");/' \
	"$work/exitb.patch"
build exitb "$work/exitb.patch"
check_eq "__exit code of built-in code only: nothing to patch (exit 3)" 3 "$rc"
case $(j exitb .files.0.verdict.notes.0) in
"'exit_script_binfmt' is __exit code of built-in code"*"left out") ok "the verdict says it is left out" ;;
*) not_ok "the verdict says it is left out" "$(j exitb .files.0.verdict.notes.0)" ;;
esac
check "the progress lines say it too" \
	grep -q "fs/binfmt_script.c: note: 'exit_script_binfmt' is __exit code" "$work/exitb.err"
mkdiff fs/binfmt_misc.c 's/^\tunregister_filesystem(&bm_fs_type);$/&\n\tpr_info("gone\\n");/' \
	"$work/exitm.patch"
build exitm "$work/exitm.patch" --modules "$HP_KROOT/lib/modules/$HP_KVER"
check_eq "module_exit code only: nothing to patch (exit 3)" 3 "$rc"
case $(j exitm .files.0.verdict.notes.0) in
"'exit_misc_binfmt' is exit code of module binfmt_misc"*"left out") ok "the verdict says it is left out" ;;
*) not_ok "the verdict says it is left out" "$(j exitm .files.0.verdict.notes.0)" ;;
esac

# --- several diffs ----------------------------------------------------------------
# buildn NAME DIFF...: like build, with every diff in order
buildn() {
	local name=$1
	shift
	rc=0
	"$hb" build --json "${K[@]}" --name "$name" -o "$work/$name.ko" \
		"$@" >"$work/$name.json" 2>"$work/$name.err" || rc=$?
}
# A vmlinux file and a module's: one module; no --name: from the first diff.
rc=0
"$hb" build --json "${K[@]}" --modules "$HP_KROOT/lib/modules/$HP_KVER" \
	-o "$work/series.ko" "$here/sethostname.patch" "$here/binfmt_misc.patch" \
	>"$work/series.json" 2>"$work/series.err" || rc=$?
check_eq "two diffs, of vmlinux and of a module: built" 0 "$rc"
check_eq "the module's name comes from the first diff" hp_sethostname "$(j series .name)"
check_eq "its vmlinux file" "kernel/sys.c vmlinux" \
	"$(j series .files.0.file) $(j series .files.0.object)"
check_eq "and its module's" "fs/binfmt_misc.c binfmt_misc" \
	"$(j series .files.1.file) $(j series .files.1.object)"
check "one module written" test -s "$work/series.ko"

# A file two diffs touch: applied in order.
mkdir -p "$work/p2/a/kernel" "$work/p2/b/kernel"
pristine kernel/sys.c >"$work/p2/a/kernel/sys.c"
patch -s -p1 -d "$work/p2/a" <"$here/sethostname.patch"
sed "s/^\t\tif (memchr(tmp, '\/', len))\$/\t\tif (memchr(tmp, '\/', len) || !len)/" \
	"$work/p2/a/kernel/sys.c" >"$work/p2/b/kernel/sys.c"
(cd "$work/p2" && diff -u a/kernel/sys.c b/kernel/sys.c) >"$work/second.patch" || true
grep -q '|| !len' "$work/second.patch" || not_ok "the second diff is made"
buildn inorder "$here/sethostname.patch" "$work/second.patch"
check_eq "a file two diffs change, in order: built" "0 __ia32_sys_sethostname" \
	"$rc $(j inorder .files.0.verdict.functions.0.name)"
check_eq "one file, once" 1 "$(j inorder .files.length)"
buildn twice "$here/sethostname.patch" "$work/second.patch" "$work/second.patch"
check_eq "a diff that does not apply after the ones before it is refused" \
	"2 does-not-apply kernel/sys.c" \
	"$rc $(j twice .refusals.0.rule) $(j twice .refusals.0.file)"
case $(j twice .refusals.0.reason) in
"the diff second.patch does not apply after the 2 diff(s) before it (sethostname.patch, …)"*) ok "naming the diff" ;;
*) not_ok "naming the diff" "$(j twice .refusals.0.reason)" ;;
esac
buildn reversed "$work/second.patch" "$here/sethostname.patch"
check_eq "the same two the other way round: the first does not apply" \
	"2 does-not-apply kernel/sys.c" \
	"$rc $(j reversed .refusals.0.rule) $(j reversed .refusals.0.file)"

# --- compiled without make -------------------------------------------------------
# kbuild recorded the command of kernel/sys.o: the pipeline runs it itself,
# and the object is the one make builds.
entry=$(dirname "$(dirname "$tree")")
flock "$entry.lock" rm -f "$entry/objs/kernel_sys.c.o" "$entry/objs/kernel_sys.c.key"
build direct "$here/sethostname.patch" --keep
wd=$(j direct .workdir)
check_eq "a recorded command: no make" "0 " "$rc $(grep 'make kernel/sys.o' "$work/direct.err")"
cc=$(sed -n 's/^cc //p' "$entry/info")
# (the tree is shared with other builds: under its lock, and left as it was)
# shellcheck disable=SC2016 # expanded by that sh
flock "$entry.lock" sh -c 'make -s -C "$1" CC="$2" KCFLAGS="-ffunction-sections -fdata-sections" \
	kernel/sys.o && cp "$1/kernel/sys.o" "$3"; rm -f "$1/kernel/sys.o"' \
	- "$tree" "$cc" "$work/make-sys.o" >"$work/make-sys.log" 2>&1
check "the object is the one make builds" cmp "$work/make-sys.o" "$wd/orig/kernel/sys.o"
rm -rf "$wd"
build cached "$here/sethostname.patch"
check "the next build takes the original from the cache" \
	grep -q "kernel/sys.c: original from the cache" "$work/cached.err"

# --- interrupted, killed ---------------------------------------------------------
# SIGTERM while the patched file compiles: exit 130, the tree restored.
"$hb" build "${K[@]}" --name term -o "$work/term.ko" "$here/sethostname.patch" \
	>/dev/null 2>"$work/term.err" &
pid=$!
for _ in $(seq 600); do
	grep -q "original: done" "$work/term.err" 2>/dev/null && break
	sleep 0.1
done
sleep 1
kill -TERM $pid
rc=0
wait $pid || rc=$?
check_eq "SIGTERM during the build: exit 130" 130 "$rc"
check "the patched file is gone from the tree" cmp -s "$tree/kernel/sys.c" \
	<(pristine kernel/sys.c)
check "no dirty marker left" test ! -e "$(dirname "$(dirname "$tree")")/dirty"

# SIGKILL with the diff applied: the next build repairs the tree first.
"$hb" build "${K[@]}" --name kill -o "$work/kill.ko" "$here/sethostname.patch" \
	>/dev/null 2>"$work/kill.err" &
pid=$!
for _ in $(seq 600); do
	grep -q "original: done" "$work/kill.err" 2>/dev/null && break
	sleep 0.1
done
sleep 0.3	# the patched compile takes a few seconds: the diff is applied
kill -KILL $pid
wait $pid 2>/dev/null
# make runs on in its own process group: let it finish
sleep 5
check "killed: the dirty marker says the tree is patched" \
	test -e "$(dirname "$(dirname "$tree")")/dirty"
check "killed: the tree is patched" grep -q "A '/' in the host name" "$tree/kernel/sys.c"
build header2 "$work/header.patch"
check_eq "a build refused before the tree is used leaves it alone" 2 "$rc"
build stale2 "$work/stale.patch"
check "the next build that opens the tree repairs it" cmp -s "$tree/kernel/sys.c" \
	<(pristine kernel/sys.c)

# A static inline in a header with four built includers: each compiled and
# diffed, the ones whose code changes patched, in one module.
mkdiff fs/ext4/truncate.h \
	's/return EXT4_DATA_TRANS_BLOCKS(inode->i_sb) + needed;/return EXT4_DATA_TRANS_BLOCKS(inode->i_sb) + needed + 1;/' \
	"$work/trunc.patch"
build trunc "$work/trunc.patch"
check_eq "a static inline in a header: built (exit 0)" 0 "$rc"
check_eq "its four built includers are listed" \
	"4 fs/ext4/file.c fs/ext4/indirect.c fs/ext4/inline.c fs/ext4/inode.c" \
	"$(j trunc .files.length) $(j trunc .files.0.file) $(j trunc .files.1.file) $(j trunc .files.2.file) $(j trunc .files.3.file)"
check_eq "each names the header" fs/ext4/truncate.h "$(j trunc .files.3.includes)"
check_eq "the callers' objects are patched, the others unchanged" \
	"vmlinux vmlinux true false" \
	"$(j trunc .files.1.object) $(j trunc .files.3.object) $(j trunc .files.3.patch_object | grep -q . && echo true) $(j trunc .files.0.patch_object | grep -q . && echo true || echo false)"
check_eq "an unchanged includer is a note" \
	"fs/ext4/file.c: unchanged by the change to fs/ext4/truncate.h" "$(j trunc .notes.0)"
check "one module" test -s "$work/trunc.ko"

# A struct's layout changed in a header: refused by each includer's diff,
# naming the struct, the file and the header.
mkdiff fs/ext4/fsmap.h \
	's|^\tuint64_t\tfmr_length;\t/\* length of segment, blocks \*/$|&\n\tuint64_t\tfmr_extra;|' \
	"$work/fsmap.patch"
build fsmap "$work/fsmap.patch"
check_eq "a struct layout change in a header is refused" "2 struct-layout fs/ext4/fsmap.c" \
	"$rc $(j fsmap .refusals.0.rule) $(j fsmap .refusals.0.file)"
case $(j fsmap .refusals.0.reason) in
"struct ext4_fsmap: layout of struct ext4_fsmap changed"*"(it includes fs/ext4/fsmap.h)")
	ok "naming the struct and the header" ;;
*) not_ok "naming the struct and the header" "$(j fsmap .refusals.0.reason)" ;;
esac

# A .c file another .c file includes: fs/compat_binfmt_elf.c is compiled
# and diffed with fs/binfmt_elf.c.
mkdiff fs/binfmt_elf.c '125s/-EFAULT/-EIO/' "$work/elf.patch"
build elf "$work/elf.patch"
check_eq "a .c file another includes: both compiled and diffed" \
	"2 fs/binfmt_elf.c fs/compat_binfmt_elf.c fs/binfmt_elf.c" \
	"$(j elf .files.length) $(j elf .files.0.file) $(j elf .files.1.file) $(j elf .files.1.includes)"
check_eq "the two copies of padzero are refused without --vmlinux, not an error" \
	"2 included-c fs/compat_binfmt_elf.c" \
	"$rc $(j elf .refusals.0.rule) $(j elf .refusals.0.file)"
case $(j elf .refusals.0.workaround) in
*--vmlinux*) ok "  ... saying to give --vmlinux" ;;
*) not_ok "  ... saying to give --vmlinux" "$(j elf .refusals.0.workaround)" ;;
esac
# With the -dbg vmlinux's FILE symbols: both copies patched, each its own.
build elf2 "$work/elf.patch" --vmlinux "$HP_KDBG_VMLINUX"
check_eq "with --vmlinux both copies of padzero are built (exit 0)" 0 "$rc"
check_eq "  ... padzero sympos 1 (binfmt_elf.c) and 2 (compat_binfmt_elf.c)" \
	"padzero 1 padzero 2" \
	"$(j elf2 .module.objects.0.functions.0.old_name) $(j elf2 .module.objects.0.functions.0.old_sympos) $(j elf2 .module.objects.0.functions.1.old_name) $(j elf2 .module.objects.0.functions.1.old_sympos)"
build elf3 "$work/elf.patch" --vmlinux "$work/elf.patch"
check_eq "a --vmlinux that is not an ELF file is an error (exit 1)" 1 "$rc"

echo "1..$n"
echo "# $n checks, $failed failed"
[ "$failed" -eq 0 ]
