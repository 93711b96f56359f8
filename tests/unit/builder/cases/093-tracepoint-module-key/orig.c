// SPDX-License-Identifier: GPL-2.0
/* module code with a tracepoint of that module (defined in another file of it) */
#include "tracepoint.h"
DECLARE_TP(mod_event)

int foo(int x)
{
	trace_mod_event(x);
	return x + 1;
}
