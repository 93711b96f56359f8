// SPDX-License-Identifier: GPL-2.0
/* module code testing a static key the module defines in another file */
#include "tracepoint.h"
extern struct static_key mod_fast_key;

int foo(int x)
{
	if (module_branch(&mod_fast_key))
		return x * 4;
	return x;
}
