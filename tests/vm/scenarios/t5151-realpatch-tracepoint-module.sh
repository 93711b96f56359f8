#!/bin/sh
# t5151: a patch that hotpatch-build built from a source fix of Debian's
# drivers/watchdog/watchdog_dev.c (tests/realpatches/watchdog_stop.patch:
# watchdog_stop() says so in the kernel log) changes a function of the
# module watchdog.ko with a tracepoint of that module (watchdog_stop,
# defined in watchdog_core.c). The core relocates the patch's references to
# the module only after the loader has set up the patch's jump labels and
# static calls, so hotpatch-build made the tracepoint's jump label an
# unconditional jump to its body and dropped the static call site (the
# call goes through the module's trampoline). The event fires from the new
# code when it is on, not while it is off; with the patch loaded first the
# module is patched as it loads, with the same result.
# requires: build/realpatches/hp_real_watchdog_stop.ko /usr/bin/hotpatch /usr/bin/jsonq
# shellcheck source=../lib/functions.sh
. /lib/hotpatch/tests/lib/functions.sh
# shellcheck source=../lib/hotpatch.sh
. /lib/hotpatch/tests/lib/hotpatch.sh

plan 28
P=hp_real_watchdog_stop
TP=/sys/kernel/tracing
EV=$TP/events/watchdog/watchdog_stop/enable
MSG='watchdog: watchdog0: stopped'

# Open the softdog, say the magic 'V' and close: started, then stopped.
magic_close() {
	printf V >/dev/watchdog0
}
stopped_events() {
	grep -c 'watchdog_stop: watchdog0 err=0' $TP/trace
}
logged() {
	sleep 0.1
	dmesg_since | grep -c "^$MSG\$"
}

# shellcheck disable=SC2119 # load_core takes optional core parameters
load_core
check "Debian's watchdog.ko loads" load_mod watchdog
check "Debian's softdog.ko loads" load_mod softdog
check "the watchdog_stop event exists" test -w $EV
echo 1 >$EV

: >$TP/trace
dmesg_mark
check "before: the softdog starts and stops" magic_close
check_eq "before: the event fires" 1 "$(stopped_events)"
check_eq "before: nothing logged" 0 "$(logged)"

check "the built patch loads" hotpatch load "$(mod_path $P)"
hotpatch status --json $P >/tmp/st.json
check_eq "status: applied" applied "$(jsonq .state </tmp/st.json)"
check_eq "status: it patches watchdog" watchdog "$(jsonq .objects.0.name </tmp/st.json)"

: >$TP/trace
dmesg_mark
check "patched: the softdog starts and stops" magic_close
check_eq "patched: logged by the new code" 1 "$(logged)"
check_eq "patched: the event fires from the new code" 1 "$(stopped_events)"

echo 0 >$EV
: >$TP/trace
dmesg_mark
magic_close
check_eq "event off: logged" 1 "$(logged)"
check_eq "event off: it does not fire" 0 "$(stopped_events)"

echo 1 >$EV
: >$TP/trace
dmesg_mark
magic_close
check_eq "event on again: logged" 1 "$(logged)"
check_eq "event on again: it fires" 1 "$(stopped_events)"

check "disable reverts it" hotpatch disable $P
: >$TP/trace
dmesg_mark
magic_close
check_eq "disabled: nothing logged" 0 "$(logged)"
check_eq "disabled: the old code's event" 1 "$(stopped_events)"
check "enable applies it again" hotpatch enable $P

# The module goes and comes back: patched as it loads.
check "softdog and watchdog unload under the patch" \
	sh -c 'rmmod softdog && rmmod watchdog'
check "watchdog loads again" load_mod watchdog
check "softdog loads again" load_mod softdog
echo 1 >$EV
: >$TP/trace
dmesg_mark
magic_close
check_eq "reloaded: logged by the new code" 1 "$(logged)"
check_eq "reloaded: the event fires" 1 "$(stopped_events)"

echo 0 >$EV
check "unload" hotpatch unload $P
dmesg_mark
magic_close
check_eq "unloaded: nothing logged" 0 "$(logged)"
check "the modules unload" sh -c 'rmmod softdog && rmmod watchdog'
