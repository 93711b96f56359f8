// SPDX-License-Identifier: GPL-2.0
/*
 * What a unified diff touches: the files of its ---/+++ headers, -p1, with
 * hunks counted so that a removed line starting with "-- " is never taken
 * for a header.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "build.h"
#include "internal.h"

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && !strcmp(s + n - m, suffix);
}

static enum hp_patch_file_kind kind_of(const char *path)
{
	if (ends_with(path, ".c"))
		return HP_PF_C;
	if (ends_with(path, ".h"))
		return HP_PF_HEADER;
	if (hp_str_starts(path, "Documentation/") || ends_with(path, ".rst") ||
	    ends_with(path, ".txt") || !strcmp(path, "MAINTAINERS"))
		return HP_PF_IGNORED;
	return HP_PF_OTHER;
}

/*
 * The path of a "--- x" / "+++ x" line: up to a tab (diff -u puts a date
 * there), one leading component dropped (-p1). NULL for /dev/null.
 */
static char *header_path(const char *line, size_t len, struct hp_error *err,
			 int *rc)
{
	const char *p = line + 4, *end = line + len, *slash;
	char *path;

	*rc = 0;
	for (const char *t = p; t < end; t++)
		if (*t == '\t') {
			end = t;
			break;
		}
	while (end > p && (end[-1] == ' ' || end[-1] == '\r'))
		end--;
	if (end - p == 9 && !strncmp(p, "/dev/null", 9))
		return NULL;
	slash = memchr(p, '/', end - p);
	if (!slash || slash + 1 >= end) {
		*rc = hp_error_set(err, -EINVAL,
				   "diff header '%.*s' has no directory component to strip: make the diff with 'git diff' or 'diff -u a/ b/' (-p1)",
				   (int)len, line);
		return NULL;
	}
	path = strndup(slash + 1, end - slash - 1);
	if (!path)
		*rc = hp_error_set(err, -ENOMEM, "out of memory");
	else if (path[0] == '/' || strstr(path, "../") || !strcmp(path, "..")) {
		*rc = hp_error_set(err, -EINVAL,
				   "diff names '%s', outside the tree", path);
		free(path);
		path = NULL;
	}
	return path;
}

static int add_file(struct hp_patch_files *pf, char *path, bool created,
		    bool deleted, struct hp_error *err)
{
	struct hp_patch_file *f;
	size_t i;

	for (i = 0; i < pf->nr; i++)
		if (!strcmp(pf->files[i].path, path)) {
			free(path);
			return 0;
		}
	f = hp_array_push((void **)&pf->files, &pf->nr, &pf->alloc, sizeof(*f));
	if (!f) {
		free(path);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	f->path = path;
	f->kind = kind_of(path);
	f->created = created;
	f->deleted = deleted;
	return 0;
}

/* "@@ -a[,b] +c[,d] @@": the line counts b and d (1 when omitted). */
static bool hunk_counts(const char *line, long *old_n, long *new_n)
{
	const char *p = line + 3;
	char *e;

	if (*p++ != '-')
		return false;
	strtol(p, &e, 10);
	*old_n = 1;
	if (*e == ',')
		*old_n = strtol(e + 1, &e, 10);
	if (*e++ != ' ' || *e++ != '+')
		return false;
	strtol(e, &e, 10);
	*new_n = 1;
	if (*e == ',')
		*new_n = strtol(e + 1, &e, 10);
	return *e == ' ' && *old_n >= 0 && *new_n >= 0;
}

int hp_patch_files_parse(const char *text, struct hp_patch_files *out,
			 struct hp_error *err)
{
	const char *line = text;
	char *old_path = NULL;
	bool have_old = false;
	long old_left = 0, new_left = 0;
	unsigned int lineno = 0;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	while (*line) {
		const char *nl = strchr(line, '\n');
		size_t len = nl ? (size_t)(nl - line) : strlen(line);

		lineno++;
		if (old_left > 0 || new_left > 0) {
			/* inside a hunk */
			if (len && line[0] == '\\') {
				/* "\ No newline at end of file" */
			} else if (!len || line[0] == ' ') {
				old_left--;
				new_left--;
			} else if (line[0] == '-') {
				old_left--;
			} else if (line[0] == '+') {
				new_left--;
			} else {
				rc = hp_error_set(err, -EINVAL,
						  "diff line %u: the hunk ends early (a truncated or hand-edited diff?)",
						  lineno);
				goto out;
			}
			if (old_left < 0 || new_left < 0) {
				rc = hp_error_set(err, -EINVAL,
						  "diff line %u: more lines than the hunk header says",
						  lineno);
				goto out;
			}
		} else if (len >= 4 && !strncmp(line, "--- ", 4)) {
			free(old_path);
			old_path = header_path(line, len, err, &rc);
			if (rc)
				goto out;
			have_old = true;
		} else if (len >= 4 && !strncmp(line, "+++ ", 4)) {
			char *new_path;

			if (!have_old) {
				rc = hp_error_set(err, -EINVAL,
						  "diff line %u: '+++' without '---'",
						  lineno);
				goto out;
			}
			new_path = header_path(line, len, err, &rc);
			if (rc)
				goto out;
			if (!new_path && !old_path) {
				rc = hp_error_set(err, -EINVAL,
						  "diff line %u: /dev/null on both sides",
						  lineno);
				goto out;
			}
			if (new_path) {
				rc = add_file(out, new_path, !old_path, false, err);
			} else {
				rc = add_file(out, old_path, false, true, err);
				old_path = NULL;
			}
			if (rc)
				goto out;
			free(old_path);
			old_path = NULL;
			have_old = false;
		} else if (len >= 3 && !strncmp(line, "@@ ", 3)) {
			if (!out->nr || have_old) {
				rc = hp_error_set(err, -EINVAL,
						  "diff line %u: a hunk before any file header",
						  lineno);
				goto out;
			}
			if (!hunk_counts(line, &old_left, &new_left)) {
				rc = hp_error_set(err, -EINVAL,
						  "diff line %u: malformed hunk header '%.*s'",
						  lineno, (int)(len > 60 ? 60 : len), line);
				goto out;
			}
		} else if (len >= 16 && !strncmp(line, "GIT binary patch", 16)) {
			rc = hp_error_set(err, -EINVAL,
					  "diff line %u: binary patches cannot be built",
					  lineno);
			goto out;
		}
		if (!nl)
			break;
		line = nl + 1;
	}
	if (old_left > 0 || new_left > 0) {
		rc = hp_error_set(err, -EINVAL,
				  "the diff ends inside a hunk (truncated?)");
		goto out;
	}
	if (have_old) {
		rc = hp_error_set(err, -EINVAL,
				  "the diff ends after a '---' header");
		goto out;
	}
	if (!out->nr)
		rc = hp_error_set(err, -ENODATA,
				  "no file changes in the diff (expected '--- a/FILE' / '+++ b/FILE' headers)");
out:
	free(old_path);
	if (rc)
		hp_patch_files_free(out);
	return rc;
}

void hp_patch_files_free(struct hp_patch_files *pf)
{
	size_t i;

	for (i = 0; i < pf->nr; i++)
		free(pf->files[i].path);
	free(pf->files);
	memset(pf, 0, sizeof(*pf));
}
