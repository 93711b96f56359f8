// SPDX-License-Identifier: GPL-2.0
/* The global last_error line: "<patch>\t<errno>\t<reason>". */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "libhotpatch.h"

struct hp_last_error {
	char *patch;
	int err;
	char *reason;
};

static int parse_errno(const char *s, size_t len)
{
	char buf[32];
	int v;

	if (!len || len >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	if (buf[0] == 'E')
		return hp_errno_from_name(buf);
	if (hp_parse_int(buf, &v) || v == 0 || v == INT_MIN)
		return -EINVAL;
	return v < 0 ? -v : v;
}

int hp_last_error_parse(const char *line, struct hp_last_error **out)
{
	const char *tab1, *tab2, *end;
	struct hp_last_error *le;
	size_t len;
	int err;

	if (!line)
		return -EINVAL;
	len = strlen(line);
	if (len && line[len - 1] == '\n')
		len--;
	if (!len)
		return -ENODATA;
	end = line + len;
	if (memchr(line, '\n', len))
		return -EINVAL;		/* one line only */

	tab1 = memchr(line, '\t', len);
	if (!tab1 || tab1 == line)
		return -EINVAL;
	tab2 = memchr(tab1 + 1, '\t', end - tab1 - 1);
	err = parse_errno(tab1 + 1, (tab2 ? tab2 : end) - tab1 - 1);
	if (err < 0)
		return err;

	le = calloc(1, sizeof(*le));
	if (!le)
		return -ENOMEM;
	le->err = err;
	le->patch = strndup(line, tab1 - line);
	le->reason = tab2 ? strndup(tab2 + 1, end - tab2 - 1) : strdup("");
	if (!le->patch || !le->reason) {
		hp_last_error_free(le);
		return -ENOMEM;
	}
	*out = le;
	return 0;
}

void hp_last_error_free(struct hp_last_error *le)
{
	if (!le)
		return;
	free(le->patch);
	free(le->reason);
	free(le);
}

const char *hp_last_error_patch(const struct hp_last_error *le)
{
	return le->patch;
}

int hp_last_error_errno(const struct hp_last_error *le)
{
	return le->err;
}

const char *hp_last_error_reason(const struct hp_last_error *le)
{
	return le->reason;
}

bool hp_last_error_matches(const struct hp_last_error *le, const char *name)
{
	char a[256], b[256];

	if (!le || !name)
		return false;
	if (hp_name_normalize(le->patch, a, sizeof(a)) ||
	    hp_name_normalize(name, b, sizeof(b)))
		return false;
	return !strcmp(a, b);
}
