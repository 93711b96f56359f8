// SPDX-License-Identifier: GPL-2.0
/* 093 with the 2-byte NOP objtool leaves when the jump to the body is short */
#include "tracepoint.h"
DECLARE_TP_NOP(mod_event, TP_NOP2)

int foo(int x)
{
	trace_mod_event(x);
	return x + 5;
}
