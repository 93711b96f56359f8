// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
int limit = 1;
int __init setup_thing(int x)
{
	return x + 1;
}

notrace int fast_path(int x)
{
	return x + limit;
}
