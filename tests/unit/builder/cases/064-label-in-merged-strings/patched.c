// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
asm(".pushsection .rodata.labels,\"aMS\",@progbits,1\n"
    "other_label: .asciz \"moved\"\n"
    ".globl greeting_label\n"
    "greeting_label: .asciz \"hello %d\\n\"\n"
    ".popsection");
extern const char greeting_label[];

void foo(int x)
{
	printk(greeting_label, x);
}

void bar(int x)
{
	printk("baz %d\n", x);
}
