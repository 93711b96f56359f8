// SPDX-License-Identifier: GPL-2.0
/*
 * gcc keeps a label like .LC6 in the symbol table when code loads a merged
 * constant through it (store merging: *dp++ = 'F'; *dp++ = '\n' becomes
 * movzwl .LC6(%rip)). The numbers follow the order the constants were
 * emitted in, so a change elsewhere in the file renumbers them.
 */
#include "kernelish.h"
asm(".section .rodata.cst2,\"aM\",@progbits,2\n"
    ".LC7: .short 0x0a46\n"
    ".LC6: .short 0x000a\n"
    ".text\n");

unsigned short flags_nl(void)
{
	unsigned short v;

	asm("movzwl .LC7(%%rip), %%eax" : "=a"(v));
	return v;
}

unsigned short nl(void)
{
	unsigned short v;

	asm("movzwl .LC6(%%rip), %%eax" : "=a"(v));
	return v;
}
