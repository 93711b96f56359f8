// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
void foo(int x)
{
	if (x)
		pr_line("odd");
}
