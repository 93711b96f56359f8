// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
struct static_key __SCK__do_thing;

int foo(int x)
{
	static_call_site(do_thing);
	return x + 1;
}

int bar(int x)
{
	static_call_site(do_thing);
	return x + 2;
}
