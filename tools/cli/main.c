// SPDX-License-Identifier: GPL-2.0
/* hotpatch: load, apply, revert and inspect live patches. See hotpatch(8). */
#include <stdio.h>

#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv, stdout, stderr);
}
