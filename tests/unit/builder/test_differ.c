// SPDX-License-Identifier: GPL-2.0
/*
 * The differ, case by case: every directory cases/<NNN-name>/ holds
 * orig.c, patched.c and expect; the Makefile compiled them into
 * <case>.orig.o / <case>.patched.o. One CUnit test per case, named after the
 * first comment line of its expect file.
 *
 * expect format, one rule per line ('#' lines are comments):
 *   changed: f g          exact set of changed functions (default: none)
 *   new: h                exact set of new functions (default: none)
 *   data: x               exact set of included data objects (default: none)
 *   child: f.cold         exact set of included .cold/.part children
 *   carried: f            exact set of functions carried, not redirected
 *   refuse: RULE SYMBOL [@ FILE:LINE]   exact set of refusals (default: none)
 *   special: SECTION KEPT/TOTAL
 *   section: NAME         this section is included in the patch
 *   note: TEXT            some note contains TEXT
 *   reason: TEXT          some refusal's reason contains TEXT
 *   target: MODULE        diff as part of MODULE instead of vmlinux
 * Names compare with compiler numbers dropped (calls.3 == calls).
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "testlib.h"

struct expect {
	char *changed, *new_, *data, *child, *carried;
	char **refuse;
	size_t nr_refuse;
	char **special;
	size_t nr_special;
	char **sections;
	size_t nr_sections;
	char **notes;
	size_t nr_notes;
	char **reasons;
	size_t nr_reasons;
	char *target;
};

static char **case_names;
static size_t nr_case_names;

static void push(char ***arr, size_t *n, const char *s)
{
	*arr = realloc(*arr, (*n + 1) * sizeof(**arr));
	(*arr)[(*n)++] = strdup(s);
}

static char *append(char *list, const char *more)
{
	char *s;

	if (!list)
		return strdup(more);
	if (asprintf(&s, "%s %s", list, more) < 0)
		s = NULL;
	free(list);
	return s;
}

static void free_list(char **a, size_t n)
{
	while (n)
		free(a[--n]);
	free(a);
}

static void expect_free(struct expect *e)
{
	free(e->changed);
	free(e->new_);
	free(e->data);
	free(e->child);
	free(e->carried);
	free(e->target);
	free_list(e->refuse, e->nr_refuse);
	free_list(e->special, e->nr_special);
	free_list(e->sections, e->nr_sections);
	free_list(e->notes, e->nr_notes);
	free_list(e->reasons, e->nr_reasons);
}

static char *trim(char *s)
{
	char *end;

	while (*s == ' ' || *s == '\t')
		s++;
	end = s + strlen(s);
	while (end > s && (end[-1] == ' ' || end[-1] == '\n' || end[-1] == '\t'))
		*--end = '\0';
	return s;
}

static int expect_parse(const char *path, struct expect *e, char *desc, size_t dlen)
{
	char line[1024];
	FILE *f = fopen(path, "r");

	memset(e, 0, sizeof(*e));
	if (desc)
		desc[0] = '\0';
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		char *colon, *key, *val;

		if (line[0] == '#') {
			if (desc && !desc[0])
				snprintf(desc, dlen, "%s", trim(line + 1));
			continue;
		}
		colon = strchr(line, ':');
		if (!colon)
			continue;
		*colon = '\0';
		key = trim(line);
		val = trim(colon + 1);
		if (!strcmp(key, "changed"))
			e->changed = append(e->changed, val);
		else if (!strcmp(key, "new"))
			e->new_ = append(e->new_, val);
		else if (!strcmp(key, "data"))
			e->data = append(e->data, val);
		else if (!strcmp(key, "child"))
			e->child = append(e->child, val);
		else if (!strcmp(key, "carried"))
			e->carried = append(e->carried, val);
		else if (!strcmp(key, "refuse"))
			push(&e->refuse, &e->nr_refuse, val);
		else if (!strcmp(key, "special"))
			push(&e->special, &e->nr_special, val);
		else if (!strcmp(key, "section"))
			push(&e->sections, &e->nr_sections, val);
		else if (!strcmp(key, "note"))
			push(&e->notes, &e->nr_notes, val);
		else if (!strcmp(key, "reason"))
			push(&e->reasons, &e->nr_reasons, val);
		else if (!strcmp(key, "target"))
			e->target = strdup(val);
	}
	fclose(f);
	return 0;
}

/* "a b c" as a sorted, normalised, space-joined set. */
static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *set_of_words(const char *list)
{
	char *copy = strdup(list ? list : ""), *tok, *save = NULL, *out;
	char **w = NULL;
	size_t n = 0, i, len = 1;

	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
		push(&w, &n, tok);
	for (i = 0; i < n; i++) {
		char *norm = hp_name_normalize(w[i]);

		free(w[i]);
		w[i] = norm;
		len += strlen(norm) + 1;
	}
	if (n)
		qsort(w, n, sizeof(*w), cmp_str);
	out = calloc(1, len);
	for (i = 0; i < n; i++) {
		if (i)
			strcat(out, " ");
		strcat(out, w[i]);
	}
	free_list(w, n);
	free(copy);
	return out;
}

static char *set_of_syms(const struct hp_verdict_sym *s, size_t n, int status)
{
	char *list = NULL, *out;
	size_t i;

	for (i = 0; i < n; i++)
		if (status < 0 || (int)s[i].status == status)
			list = append(list, s[i].name);
	out = set_of_words(list);
	free(list);
	return out;
}

static bool check_set(const char *what, const char *want_list, char *got)
{
	char *want = set_of_words(want_list);
	bool ok = !strcmp(want, got);

	if (!ok)
		fprintf(stderr, "\n    %s: want {%s}, got {%s}", what, want, got);
	free(want);
	free(got);
	return ok;
}

static bool check_refusals(const struct expect *e, const struct hp_verdict *v)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < e->nr_refuse; i++) {
		char rule[64] = "", sym[256] = "", loc[256] = "";
		const struct hp_refusal *r;
		char *at = strstr(e->refuse[i], " @ ");
		char *space;

		if (at)
			snprintf(loc, sizeof(loc), "%s", at + 3);
		space = strchr(e->refuse[i], ' ');
		if (!space)
			continue;
		snprintf(rule, sizeof(rule), "%.*s", (int)(space - e->refuse[i]), e->refuse[i]);
		snprintf(sym, sizeof(sym), "%.*s",
			 (int)((at ? at : e->refuse[i] + strlen(e->refuse[i])) - space - 1),
			 space + 1);
		r = NULL;
		for (size_t k = 0; k < v->nr_refusals; k++) {
			char *a = hp_name_normalize(v->refusals[k].symbol);
			char *b = hp_name_normalize(sym);

			if (!strcmp(hp_refusal_id(v->refusals[k].kind), rule) && !strcmp(a, b))
				r = &v->refusals[k];
			free(a);
			free(b);
		}
		if (!r) {
			fprintf(stderr, "\n    missing refusal: %s '%s'", rule, sym);
			ok = false;
			continue;
		}
		if (loc[0]) {
			char got[512];
			size_t gl, ll = strlen(loc);

			snprintf(got, sizeof(got), "%s:%u", r->file ? r->file : "?", r->line);
			gl = strlen(got);
			if (gl < ll || strcmp(got + gl - ll, loc)) {
				fprintf(stderr, "\n    refusal %s '%s' at %s, want %s", rule, sym,
					got, loc);
				ok = false;
			}
		}
	}
	if (v->nr_refusals != e->nr_refuse) {
		fprintf(stderr, "\n    %zu refusals, want %zu", v->nr_refusals, e->nr_refuse);
		ok = false;
	}
	return ok;
}

static bool check_special(const struct expect *e, const struct hp_verdict *v)
{
	bool ok = true;
	size_t i, k;

	for (i = 0; i < e->nr_special; i++) {
		char sec[128];
		size_t kept, total;
		bool found = false;

		if (sscanf(e->special[i], "%127s %zu/%zu", sec, &kept, &total) != 3)
			continue;
		for (k = 0; k < v->nr_special; k++)
			if (!strcmp(v->special[k].section, sec)) {
				found = true;
				if (v->special[k].kept != kept || v->special[k].total != total) {
					fprintf(stderr, "\n    %s: %zu/%zu, want %zu/%zu", sec,
						v->special[k].kept, v->special[k].total, kept, total);
					ok = false;
				}
			}
		if (!found) {
			fprintf(stderr, "\n    special section %s not seen", sec);
			ok = false;
		}
	}
	return ok;
}

static bool check_sections(const struct expect *e, struct hp_elf *pe)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < e->nr_sections; i++) {
		struct hp_section *s = hp_elf_find_section(pe, e->sections[i]);

		if (!s || !s->include) {
			fprintf(stderr, "\n    section %s not included", e->sections[i]);
			ok = false;
		}
	}
	return ok;
}

static bool check_notes(const struct expect *e, const struct hp_verdict *v)
{
	bool ok = true;
	size_t i, k;

	for (i = 0; i < e->nr_notes; i++) {
		bool found = false;

		for (k = 0; k < v->nr_notes; k++)
			if (strstr(v->notes[k], e->notes[i]))
				found = true;
		if (!found) {
			fprintf(stderr, "\n    no note mentions '%s'", e->notes[i]);
			ok = false;
		}
	}
	return ok;
}

static bool check_reasons(const struct expect *e, const struct hp_verdict *v)
{
	bool ok = true;
	size_t i, k;

	for (i = 0; i < e->nr_reasons; i++) {
		bool found = false;

		for (k = 0; k < v->nr_refusals; k++)
			if (v->refusals[k].reason && strstr(v->refusals[k].reason, e->reasons[i]))
				found = true;
		if (!found) {
			fprintf(stderr, "\n    no refusal's reason mentions '%s'", e->reasons[i]);
			ok = false;
		}
	}
	return ok;
}

static void run_case(void)
{
	const char *name = CU_get_current_test()->pName;
	char cname[256], path[1024], orig[1024], patched[1024];
	struct hp_diff_opts opts = { 0 };
	struct hp_error err = { 0 };
	const struct hp_verdict *v;
	struct hp_diff *d = NULL;
	struct expect e;
	bool ok = true;

	snprintf(cname, sizeof(cname), "%.*s", (int)strcspn(name, ":"), name);
	snprintf(path, sizeof(path), "%s/%s/expect", CASES_DIR, cname);
	snprintf(orig, sizeof(orig), "%s/%s.orig.o", CASES_OUT, cname);
	snprintf(patched, sizeof(patched), "%s/%s.patched.o", CASES_OUT, cname);
	CU_ASSERT_EQUAL_FATAL(expect_parse(path, &e, NULL, 0), 0);
	opts.target = e.target;
	CU_ASSERT_EQUAL_FATAL(hp_diff_new(&opts, &d, &err), 0);
	if (hp_diff_load(d, orig, patched, &err) || hp_diff_run(d, &err)) {
		fprintf(stderr, "\n    %s: %s", cname, err.msg);
		CU_FAIL("differ failed");
		goto out;
	}
	v = hp_diff_verdict(d);
	ok &= check_set("changed", e.changed, set_of_syms(v->funcs, v->nr_funcs, HP_CHANGED));
	ok &= check_set("new", e.new_, set_of_syms(v->funcs, v->nr_funcs, HP_NEW));
	ok &= check_set("data", e.data, set_of_syms(v->data, v->nr_data, -1));
	ok &= check_set("child", e.child, set_of_syms(v->children, v->nr_children, -1));
	ok &= check_set("carried", e.carried, set_of_syms(v->carried, v->nr_carried, -1));
	ok &= check_refusals(&e, v);
	ok &= check_special(&e, v);
	ok &= check_sections(&e, hp_diff_patched(d));
	ok &= check_notes(&e, v);
	ok &= check_reasons(&e, v);
	if (!ok) {
		fprintf(stderr, "\n    --- %s verdict ---\n", cname);
		hp_verdict_print(v, stderr);
	}
	CU_ASSERT_TRUE(ok);
out:
	hp_diff_free(d);
	expect_free(&e);
}

static int cleanup_names(void)
{
	free_list(case_names, nr_case_names);
	case_names = NULL;
	nr_case_names = 0;
	return 0;
}

static int cmp_dirent(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int register_differ_tests(void)
{
	CU_pSuite s = CU_add_suite("differ cases", NULL, cleanup_names);
	char **dirs = NULL;
	size_t nr_dirs = 0, i;
	struct dirent *de;
	DIR *dir;

	if (!s)
		return -1;
	dir = opendir(CASES_DIR);
	if (!dir)
		return -1;
	while ((de = readdir(dir)))
		if (de->d_name[0] != '.' && de->d_type == DT_DIR)
			push(&dirs, &nr_dirs, de->d_name);
	closedir(dir);
	qsort(dirs, nr_dirs, sizeof(*dirs), cmp_dirent);
	for (i = 0; i < nr_dirs; i++) {
		char path[1024], desc[512], *tname;
		struct expect e;

		snprintf(path, sizeof(path), "%s/%s/expect", CASES_DIR, dirs[i]);
		if (expect_parse(path, &e, desc, sizeof(desc)))
			continue;
		expect_free(&e);
		if (asprintf(&tname, "%s: %s", dirs[i], desc[0] ? desc : "(no description)") < 0)
			return -1;
		push(&case_names, &nr_case_names, tname);
		free(tname);
		if (!CU_add_test(s, case_names[nr_case_names - 1], run_case))
			return -1;
	}
	free_list(dirs, nr_dirs);
	return 0;
}
