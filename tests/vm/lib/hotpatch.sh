# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
# hotpatch-specific guest helpers for scenarios; source after functions.sh.
#
#   HP_SYSFS, FIXTURES, CORE      where things are in the guest
#   load_core [param=value...]    insmod the core (fails the scenario if it
#                                 cannot)
#   unload_core                   rmmod the core
#   not CMD...                    succeed when CMD fails
#   not_loaded NAME               the module NAME is not in /proc/modules
#   check_grep DESC NEEDLE TEXT   a TAP point: TEXT contains NEEDLE (fixed
#                                 string)

HP_SYSFS=/sys/kernel/hotpatch
FIXTURES=$HP_FIXTURES
CORE=/lib/hotpatch/hotpatch.ko
export HP_SYSFS FIXTURES CORE

# shellcheck disable=SC2120 # parameters are optional
load_core() {
	insmod "$CORE" "$@" || bail_out "cannot load the core ($CORE $*)"
}

unload_core() {
	rmmod hotpatch || bail_out "cannot unload the core"
}

not() {
	! "$@"
}

not_loaded() {
	! grep -q "^$1 " /proc/modules
}

check_grep() {
	case "$3" in
	*"$2"*) ok "$1" ;;
	*) fail "$1"; diag "expected to find: $2"; diag "in: $3" ;;
	esac
}
