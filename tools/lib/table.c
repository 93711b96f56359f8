// SPDX-License-Identifier: GPL-2.0
/* Plain-text tables: left-aligned columns two spaces apart. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libhotpatch.h"

struct hp_table {
	size_t ncols;
	size_t nrows;		/* rows[0] holds the headers */
	char **cells;		/* (nrows + 1) * ncols */
};

static int add_row(struct hp_table *t, const char *const *cells)
{
	char **v;
	size_t i, base = (t->nrows + 1) * t->ncols;

	v = realloc(t->cells, (base + t->ncols) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	t->cells = v;
	for (i = 0; i < t->ncols; i++) {
		v[base + i] = strdup(cells[i] ? cells[i] : "-");
		if (!v[base + i]) {
			while (i)
				free(v[base + --i]);
			return -ENOMEM;
		}
	}
	return 0;
}

int hp_table_new(size_t ncols, const char *const *headers,
		 struct hp_table **out)
{
	struct hp_table *t;
	size_t i;

	if (!ncols || !headers)
		return -EINVAL;
	for (i = 0; i < ncols; i++)
		if (!headers[i])
			return -EINVAL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->ncols = ncols;
	/* the header row is row "-1": add_row() writes after nrows + 1 rows */
	t->cells = calloc(ncols, sizeof(*t->cells));
	if (!t->cells) {
		free(t);
		return -ENOMEM;
	}
	for (i = 0; i < ncols; i++) {
		t->cells[i] = strdup(headers[i]);
		if (!t->cells[i]) {
			hp_table_free(t);
			return -ENOMEM;
		}
	}
	*out = t;
	return 0;
}

void hp_table_free(struct hp_table *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < (t->nrows + 1) * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	free(t);
}

int hp_table_add_row(struct hp_table *t, const char *const *cells)
{
	int ret;

	if (!cells)
		return -EINVAL;
	ret = add_row(t, cells);
	if (!ret)
		t->nrows++;
	return ret;
}

size_t hp_table_rows(const struct hp_table *t)
{
	return t->nrows;
}

int hp_table_print(const struct hp_table *t, FILE *f)
{
	size_t *width, r, c, len;

	width = calloc(t->ncols, sizeof(*width));
	if (!width)
		return -ENOMEM;
	for (r = 0; r <= t->nrows; r++)
		for (c = 0; c < t->ncols; c++) {
			len = strlen(t->cells[r * t->ncols + c]);
			if (len > width[c])
				width[c] = len;
		}
	for (r = 0; r <= t->nrows; r++) {
		for (c = 0; c < t->ncols; c++) {
			const char *s = t->cells[r * t->ncols + c];

			if (c + 1 < t->ncols)
				fprintf(f, "%-*s  ", (int)width[c], s);
			else
				fprintf(f, "%s", s);
		}
		fputc('\n', f);
	}
	free(width);
	return ferror(f) ? -EIO : 0;
}
