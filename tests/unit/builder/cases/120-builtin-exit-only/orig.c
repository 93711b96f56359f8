// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
void unregister_thing(int id);

int work(int x)
{
	return printk("work %d", x) + 1;
}

static void __exit thing_exit(void)
{
	unregister_thing(1);
}
module_exit(thing_exit);
