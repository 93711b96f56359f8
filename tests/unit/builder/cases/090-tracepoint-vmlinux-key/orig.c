// SPDX-License-Identifier: GPL-2.0
/* vmlinux code with a tracepoint whose key vmlinux does not export */
#include "tracepoint.h"
DECLARE_TP(task_thing)

int foo(int x)
{
	trace_task_thing(x);
	return x + 1;
}

int bar(int x)
{
	trace_task_thing(x);
	return x - 1;
}
