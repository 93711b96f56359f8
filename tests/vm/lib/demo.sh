# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=sh
#
# Guest-side helpers for the narrated demo (tests/vm/demo.sh, run by
# `make demo` through tests/vm/demo). Source it first.
#
#   title TEXT          a banner
#   say TEXT...         narration, one line
#   run CMD [ARG...]    show "# CMD ARG..." like a root prompt, pause, run it;
#                       a failing command ends the demo with its status
#   run_fails CMD...    the same for a command that must fail (a refusal):
#                       its failure is shown, success ends the demo
#   kmsg                show the kernel-log lines logged since the previous
#                       kmsg (or since the demo began), prefixed "kernel: "
#   pause [SECONDS]     wait (default: the pace, hp.pace= on the kernel
#                       command line, set by tests/vm/demo; 0 in CI)

_demo_pace=1
# shellcheck disable=SC2013 # words, not lines
for _w in $(cat /proc/cmdline); do
	case $_w in
	hp.pace=*) _demo_pace=${_w#hp.pace=} ;;
	esac
done
_demo_kmsg_seen=$(dmesg | wc -l)

pause() {
	[ "${1:-$_demo_pace}" = 0 ] || sleep "${1:-$_demo_pace}"
}

title() {
	echo
	echo "=== $* ==="
	echo
}

say() {
	echo
	echo ">>> $*"
}

# _demo_show CMD [ARG...]: print the command as one would type it.
_demo_show() {
	_line="#"
	for _a in "$@"; do
		case $_a in
		''|*[!A-Za-z0-9_./=:,+@%-]*)
			_a="'$(printf '%s' "$_a" | sed "s/'/'\\\\''/g")'" ;;
		esac
		_line="$_line $_a"
	done
	printf '%s\n' "$_line"
}

run() {
	_demo_show "$@"
	pause "$_demo_pace"
	"$@"
	_rc=$?
	if [ $_rc -ne 0 ]; then
		echo "demo: '$*' failed with status $_rc"
		exit $_rc
	fi
}

run_fails() {
	_demo_show "$@"
	pause "$_demo_pace"
	if "$@"; then
		echo "demo: '$*' should have failed"
		exit 1
	fi
	echo "(refused, as expected)"
}

kmsg() {
	_n=$(dmesg | wc -l)
	dmesg | sed 's/^\[[ 0-9.]*\] //' | tail -n +$((_demo_kmsg_seen + 1)) | sed 's/^/kernel: /'
	_demo_kmsg_seen=$_n
}
