// SPDX-License-Identifier: GPL-2.0
/* resolve tests: the start of the "vmlinux" with included copies */
#include "kernelish.h"

void _text(void);

void _text(void)
{
}
