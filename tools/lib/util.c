// SPDX-License-Identifier: GPL-2.0
/* Strict parsers for sysfs values and command-line arguments. */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libhotpatch.h"

/* True when end is the end of the value: "" or "\n". */
static bool at_end(const char *end)
{
	return end[0] == '\0' || (end[0] == '\n' && end[1] == '\0');
}

int hp_parse_bool(const char *s, bool *out)
{
	if (!s || (s[0] != '0' && s[0] != '1') || !at_end(s + 1))
		return -EINVAL;
	*out = s[0] == '1';
	return 0;
}

int hp_parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || !isdigit((unsigned char)s[0]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (!at_end(end))
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

int hp_parse_int(const char *s, int *out)
{
	const char *digits = s;
	long v;
	char *end;

	if (!s)
		return -EINVAL;
	if (*digits == '-' || *digits == '+')
		digits++;
	if (!isdigit((unsigned char)*digits))
		return -EINVAL;
	errno = 0;
	v = strtol(s, &end, 10);
	if (!at_end(end))
		return -EINVAL;
	if (errno == ERANGE || v < INT_MIN || v > INT_MAX)
		return -ERANGE;
	*out = (int)v;
	return 0;
}

int hp_parse_addr(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!s || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') ||
	    !isxdigit((unsigned char)s[2]))
		return -EINVAL;
	errno = 0;
	v = strtoull(s + 2, &end, 16);
	if (!at_end(end))
		return -EINVAL;
	if (errno == ERANGE)
		return -ERANGE;
	*out = v;
	return 0;
}

int hp_parse_duration(const char *s, unsigned int *out_ms)
{
	double v, scale = 1000.0;
	size_t digits;
	char *end;

	/* plain decimal only: no sign, exponent, hex, "inf" */
	if (!s)
		return -EINVAL;
	digits = strspn(s, "0123456789.");
	if (!digits || strchr(s, '.') != strrchr(s, '.'))
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end != s + digits)
		return -EINVAL;
	if (!strcmp(end, "ms"))
		scale = 1.0;
	else if (!strcmp(end, "s") || !*end)
		scale = 1000.0;
	else if (!strcmp(end, "m"))
		scale = 60000.0;
	else
		return -EINVAL;
	v *= scale;
	if (v > (double)UINT_MAX)
		return -ERANGE;
	*out_ms = (unsigned int)(v + 0.5);
	return 0;
}

int hp_name_normalize(const char *name, char *buf, size_t size)
{
	size_t i, n;

	if (!name || !name[0] || strchr(name, '/') || !strcmp(name, ".") ||
	    !strcmp(name, ".."))
		return -EINVAL;
	n = strlen(name);
	if (n + 1 > size)
		return -ENAMETOOLONG;
	for (i = 0; i <= n; i++)
		buf[i] = name[i] == '-' ? '_' : name[i];
	return 0;
}
