// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int foo(int x)
{
	paravirt_site(3);
	return x + 1;
}

int bar(int x)
{
	paravirt_site(4);
	return x + 2;
}
