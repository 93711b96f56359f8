#!/bin/sh
# old_addr and new_addr follow the kernel's rule for kernel addresses
# (kallsyms_show_value(), as /proc/kallsyms): an unprivileged reader sees
# zeros where kptr_restrict or perf_event_paranoid say so, root sees them
# unless kptr_restrict=2; the CLI shows "hidden" and still works for a
# user. Failed before the fix of commit "sysfs: old_addr and new_addr read
# as zero to whom kallsyms_show_value() hides addresses" (uid 65534 with
# kptr_restrict=1 read the real address while /proc/kallsyms showed zeros).
# requires: /usr/bin/hotpatch /usr/bin/hp-runas /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 14

zero=0x0000000000000000
load_core
hotpatch load "$FIXTURES/hp_patch_cmdline.ko" >/dev/null
f="$HP_SYSFS/patches/hp_patch_cmdline/vmlinux/cmdline_proc_show,0"
nobody() { hp-runas 65534 "$@"; }
ksym() { awk '$3 == "cmdline_proc_show" { print $1; exit }' /proc/kallsyms; }

echo 1 > /proc/sys/kernel/kptr_restrict
old=$(cat "$f"/old_addr)
check "kptr_restrict=1: root reads a real old_addr" test "$old" != "$zero"
check_eq "... the address kallsyms gives" "0x$(ksym)" "$old"
check "... and a real new_addr" test "$(cat "$f"/new_addr)" != "$zero"
check_eq "uid 65534 reads old_addr as zero" "$zero" "$(nobody cat "$f"/old_addr)"
check_eq "... and new_addr" "$zero" "$(nobody cat "$f"/new_addr)"
check_eq "... as /proc/kallsyms shows it zeros" 0000000000000000 "$(nobody sh -c "awk '\$3 == \"cmdline_proc_show\" { print \$1; exit }' /proc/kallsyms")"
# shellcheck disable=SC2012 # ls -l: the mode, as t1080 reads it
check_eq "the files stay readable by all" "-r--r--r--" "$(ls -l "$f"/old_addr | cut -c1-10)"

out=$(nobody hotpatch status hp_patch_cmdline 2>&1)
check "hotpatch status works for uid 65534" test $? -eq 0
check_grep "... and says the addresses are hidden" "hidden" "$out"
check_eq "list --json gives zeros" "$zero" \
	"$(nobody hotpatch list --json | jsonq .0.objects.0.functions.0.old_addr)"

echo 2 > /proc/sys/kernel/kptr_restrict
check_eq "kptr_restrict=2: root reads zero too" "$zero" "$(cat "$f"/old_addr)"

echo 0 > /proc/sys/kernel/kptr_restrict
echo 2 > /proc/sys/kernel/perf_event_paranoid
check_eq "kptr_restrict=0, perf_event_paranoid=2: uid 65534 reads zero" "$zero" "$(nobody cat "$f"/old_addr)"
echo 1 > /proc/sys/kernel/perf_event_paranoid
check_eq "perf_event_paranoid=1: uid 65534 reads it" "$old" "$(nobody cat "$f"/old_addr)"
check_eq "root always reads it then" "$old" "$(cat "$f"/old_addr)"

hotpatch unload hp_patch_cmdline >/dev/null
unload_core
