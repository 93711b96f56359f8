// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
/* NL_SET_ERR_MSG()'s per-call-site string */
#define SET_MSG(ext, m) do { static const char __msg[] = m; *(ext) = __msg; } while (0)

int check_a(int x, const char **ext)
{
	if (x == -1) {
		SET_MSG(ext, "minus one");
		return -1;
	}
	if (x < 0) {
		SET_MSG(ext, "negative value");
		return -1;
	}
	return 0;
}

int check_b(int x, const char **ext)
{
	if (x > 100) {
		SET_MSG(ext, "value too large for this attribute");
		return -1;
	}
	return 0;
}
