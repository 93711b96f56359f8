// SPDX-License-Identifier: GPL-2.0
/* Small helpers shared by the builder passes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hpbuild.h"
#include "internal.h"

int hp_error_set(struct hp_error *err, int code, const char *fmt, ...)
{
	va_list ap;

	if (err && !err->code) {
		char *full = NULL;
		int n;

		err->code = code;
		va_start(ap, fmt);
		n = vasprintf(&full, fmt, ap);
		va_end(ap);
		if (n < 0) {
			snprintf(err->msg, sizeof(err->msg), "%s", fmt);
		} else {
			/* cut on a character boundary: the message goes into JSON */
			size_t len = hp_utf8_cut(full, sizeof(err->msg) - 1);

			memcpy(err->msg, full, len);
			err->msg[len] = '\0';
			free(full);
		}
	}
	return code;
}

size_t hp_utf8_cut(const char *str, size_t max)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strnlen(str, max), i = n;

	if (n < max)
		return n;	/* it all fits */
	/* s[n] is the first byte left out: a continuation byte means the cut
	 * is inside a character, which goes too */
	while (i > 0 && n - i < 3 && (s[i] & 0xc0) == 0x80)
		i--;
	return (s[i] & 0xc0) == 0x80 ? n : i;
}

const char *hp_status_name(enum hp_status s)
{
	switch (s) {
	case HP_SAME:
		return "same";
	case HP_CHANGED:
		return "changed";
	case HP_NEW:
		return "new";
	}
	return "?";
}

char *hp_strdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

char *hp_asprintf(const char *fmt, ...)
{
	va_list ap;
	char *s;
	int n;

	va_start(ap, fmt);
	n = vasprintf(&s, fmt, ap);
	va_end(ap);
	return n < 0 ? NULL : s;
}

bool hp_str_starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* Append one element to a growable array; returns the new slot or NULL. */
void *hp_array_push(void **arr, size_t *nr, size_t *alloc, size_t elsize)
{
	void *n;

	if (*nr == *alloc) {
		size_t want = *alloc ? *alloc * 2 : 16;

		n = realloc(*arr, want * elsize);
		if (!n)
			return NULL;
		*arr = n;
		*alloc = want;
	}
	n = (char *)*arr + (*nr)++ * elsize;
	memset(n, 0, elsize);
	return n;
}
