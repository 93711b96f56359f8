// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
/*
 * A comment that moves everything below by a few lines.
 */
void foo(int x)
{
	if (x)
		pr_line("odd");
}
