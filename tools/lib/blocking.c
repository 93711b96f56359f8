// SPDX-License-Identifier: GPL-2.0
/*
 * The blocking report of a timed-out transition: one task per line,
 * "<pid> <comm> <function+off/size [module]>" (docs/sysfs-abi.md).
 *
 * comm may itself contain spaces (prctl(PR_SET_NAME)), so the function is
 * found from the end of the line: the last word, with the " [module]" that
 * follows it, or the core's "(stack not reliably walkable)". A line that
 * does not parse is kept verbatim, so nothing the kernel said is lost.
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libhotpatch.h"

struct hp_blocking {
	struct hp_blocker *v;
	size_t n;
	size_t nbad;
};

static void blocker_free(struct hp_blocker *b)
{
	free((char *)b->comm);
	free((char *)b->function);
	free((char *)b->line);
}

/* Start of the function part of s[0..len), or NULL. */
static const char *function_start(const char *s, size_t len)
{
	const char *end = s + len, *p;

	if (s[len - 1] == ')') {	/* "(stack not reliably walkable)" */
		for (p = end - 1; p > s; p--)
			if (*p == '(' && p[-1] == ' ')
				return p;
		return NULL;
	}
	p = end;
	if (s[len - 1] == ']') {	/* " [module]" belongs to the symbol */
		while (p > s && p[-1] != '[')
			p--;
		if (p - 1 <= s || p[-2] != ' ')
			return NULL;
		p -= 2;
		while (p > s && p[-1] == ' ')
			p--;
	}
	while (p > s && p[-1] != ' ')
		p--;
	return p > s && p < end ? p : NULL;
}

/* Fill b from one line (no newline); false when it does not parse. */
static bool parse_line(const char *s, size_t len, struct hp_blocker *b)
{
	const char *p = s, *end = s + len, *fn, *comm, *comm_end;
	long pid = 0;

	if (!len || !isdigit((unsigned char)*p))
		return false;
	for (; p < end && isdigit((unsigned char)*p); p++) {
		pid = pid * 10 + (*p - '0');
		if (pid > INT_MAX)
			return false;
	}
	if (p == end || *p != ' ')
		return false;
	while (p < end && *p == ' ')
		p++;
	comm = p;
	fn = function_start(comm, end - comm);
	if (!fn)
		return false;
	comm_end = fn;
	while (comm_end > comm && comm_end[-1] == ' ')
		comm_end--;
	if (comm_end == comm)
		return false;
	b->pid = pid;
	b->comm = strndup(comm, comm_end - comm);
	b->function = strndup(fn, end - fn);
	return true;
}

int hp_blocking_parse(const char *text, struct hp_blocking **out)
{
	struct hp_blocking *bl;
	struct hp_blocker *v, b;
	const char *line, *nl;
	size_t len;

	bl = calloc(1, sizeof(*bl));
	if (!bl)
		return -ENOMEM;
	for (line = text ? text : ""; *line; line = nl ? nl + 1 : line + len) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		while (len && isspace((unsigned char)line[len - 1]))
			len--;
		if (!len)
			continue;
		memset(&b, 0, sizeof(b));
		b.line = strndup(line, len);
		if (!parse_line(line, len, &b)) {
			free((char *)b.comm);
			free((char *)b.function);
			b.comm = b.function = NULL;
			b.pid = -1;
			bl->nbad++;
		}
		v = realloc(bl->v, (bl->n + 1) * sizeof(*v));
		if (!v || !b.line || (b.pid >= 0 && (!b.comm || !b.function))) {
			blocker_free(&b);
			bl->v = v ? v : bl->v;
			hp_blocking_free(bl);
			return -ENOMEM;
		}
		bl->v = v;
		bl->v[bl->n++] = b;
	}
	*out = bl;
	return 0;
}

void hp_blocking_free(struct hp_blocking *bl)
{
	size_t i;

	if (!bl)
		return;
	for (i = 0; i < bl->n; i++)
		blocker_free(&bl->v[i]);
	free(bl->v);
	free(bl);
}

size_t hp_blocking_count(const struct hp_blocking *bl)
{
	return bl ? bl->n : 0;
}

size_t hp_blocking_bad_lines(const struct hp_blocking *bl)
{
	return bl ? bl->nbad : 0;
}

const struct hp_blocker *hp_blocking_get(const struct hp_blocking *bl,
					 size_t i)
{
	return bl && i < bl->n ? &bl->v[i] : NULL;
}
