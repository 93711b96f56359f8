#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# The three tools print one version (--version). hotpatch-build and
# hotpatch-sign: their --help, bash completion and man page agree (the hotpatch CLI's are checked against its option table in
# tests/unit/cli/test_options.c). For every command the completion offers:
#   - the commands the completion offers are the ones the tool's --help lists
#   - every option of the command's --help option lines is completed for it
#     and named in its man page (hotpatch-build: in the command's
#     "SUBCOMMAND:" section)
#   - every option completed for it is one its --help names
# Prints TAP.
#
# usage: tests/unit/tools/options-agree.sh BINDIR
set -euo pipefail

top=$(cd "$(dirname "$0")/../../.." && pwd)
bindir=${1:?usage: $0 BINDIR}
n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $1"; }

# words of a "local NAME=\"...\"" line of a completion file
comp_words() { sed -n "s/^[[:space:]]*local $2=\"\(.*\)\"/\1/p" "$1"; }
# the long options of the option lines of a --help text (stdin): lines that
# start with spaces and a dash
help_opts() { grep -E '^[[:space:]]+-' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }
# every long option a --help text (stdin) names anywhere
help_all() { grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }
# the long options a man page text (stdin) names, its \- escapes undone
man_opts() { sed 's/\\-/-/g' | grep -oE -- '--[a-z][a-z0-9-]*' | sort -u; }

check_tool() {
	local tool=$1 comp=$top/tools/cli/bash-completion/$1 man=$2 sections=$3
	local cmds c var listed missing extra help
	cmds=$(comp_words "$comp" cmds)
	[ -n "$cmds" ] || { not_ok "$tool: the completion names its commands"; return; }
	# the commands --help lists: the first word of its indented lines
	# under "commands:"
	listed=$("$bindir/$tool" --help 2>&1 | sed -n '/^commands:/,/^$/p' |
		sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' | sort -u | tr '\n' ' ')
	if [ "$(tr ' ' '\n' <<<"$cmds" | sort -u | tr '\n' ' ')" = "$listed" ]; then
		ok "$tool: the completion's commands are the ones --help lists ($listed)"
	else
		not_ok "$tool: completion commands '$cmds', --help lists '$listed'"
	fi
	for c in $cmds; do
		var=opts_${c//-/_}
		local comp_opts man_text
		comp_opts=$(comp_words "$comp" "$var" | tr ' ' '\n' | grep -- '^--' | sort -u || true)
		help=$("$bindir/$tool" "$c" --help 2>&1 || true)
		if [ "$sections" = yes ]; then
			man_text=$(awk -v s=".SH SUBCOMMAND: $c" '$0 == s {on = 1; next} /^\.SH/ {on = 0} on' "$man")
		else
			man_text=$(cat "$man")
		fi
		missing=$(comm -23 <(help_opts <<<"$help") <(echo "$comp_opts") | tr '\n' ' ')
		if [ -z "$missing" ]; then
			ok "$tool $c: every option of --help is completed"
		else
			not_ok "$tool $c: not completed: $missing"
		fi
		missing=$(comm -23 <(help_opts <<<"$help") <(man_opts <<<"$man_text") | tr '\n' ' ')
		if [ -z "$missing" ]; then
			ok "$tool $c: every option of --help is in the man page"
		else
			not_ok "$tool $c: not in the man page: $missing"
		fi
		extra=$(comm -13 <(help_all <<<"$help") <(echo "$comp_opts") | grep . | tr '\n' ' ' || true)
		if [ -z "$extra" ]; then
			ok "$tool $c: every option completed is one --help names"
		else
			not_ok "$tool $c: completed but not in --help: $extra"
		fi
	done
}

# --version: all three tools print "TOOL VERSION", the one version of
# include/hotpatch/version.h, and exit 0
version=$(sed -n 's/^#define HOTPATCH_VERSION[[:space:]]*"\(.*\)"/\1/p' \
	"$top/include/hotpatch/version.h")
for tool in hotpatch hotpatch-build hotpatch-sign; do
	out=$("$bindir/$tool" --version 2>&1) && rc=0 || rc=$?
	if [ "$rc" -eq 0 ] && [ "$(head -1 <<<"$out")" = "$tool $version" ]; then
		ok "$tool --version: $tool $version"
	else
		not_ok "$tool --version: exit $rc, '$(head -1 <<<"$out")', want '$tool $version'"
	fi
done

check_tool hotpatch-build "$top/docs/man/hotpatch-build.1" yes
check_tool hotpatch-sign "$top/docs/man/hotpatch-sign.1" no
echo "1..$n"
[ "$failed" -eq 0 ]
