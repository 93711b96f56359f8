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
		err->code = code;
		va_start(ap, fmt);
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
		va_end(ap);
	}
	return code;
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
