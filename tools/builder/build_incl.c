// SPDX-License-Identifier: GPL-2.0
/*
 * The include graph of a kernel tree: which .c files include a file,
 * directly or through other files. One pass over the `#include` lines of
 * every .c and .h file (the other architectures, tools/ and Documentation/
 * left out: an x86 build does not compile them). A quoted include is looked
 * up relative to the including file's directory first, then like an angle
 * include in the include path of an x86 build.
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "build.h"
#include "internal.h"

static const char *const incpath[] = {
	"include", "arch/x86/include", "include/uapi", "arch/x86/include/uapi",
	"arch/x86/include/generated", "arch/x86/include/generated/uapi",
	"include/generated",
};

struct node {
	char *path;
	size_t *by, nr_by, alloc_by;	/* the files that include it */
	bool seen;
};

struct graph {
	struct node *n;
	size_t nr, alloc;
	size_t *tab, cap;		/* open addressing: index + 1 */
};

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static ssize_t lookup(const struct graph *g, const char *p)
{
	size_t i;

	if (!g->cap)
		return -1;
	for (i = hash(p) & (g->cap - 1); g->tab[i]; i = (i + 1) & (g->cap - 1))
		if (!strcmp(g->n[g->tab[i] - 1].path, p))
			return g->tab[i] - 1;
	return -1;
}

static int add(struct graph *g, char *p)
{
	struct node *n;
	size_t i;

	if (2 * (g->nr + 1) > g->cap) {
		size_t cap = g->cap ? 2 * g->cap : 1 << 16, k;
		size_t *tab = calloc(cap, sizeof(*tab));

		if (!tab)
			return -ENOMEM;
		for (k = 0; k < g->nr; k++) {
			for (i = hash(g->n[k].path) & (cap - 1); tab[i]; i = (i + 1) & (cap - 1))
				;
			tab[i] = k + 1;
		}
		free(g->tab);
		g->tab = tab;
		g->cap = cap;
	}
	n = hp_array_push((void **)&g->n, &g->nr, &g->alloc, sizeof(*n));
	if (!n)
		return -ENOMEM;
	memset(n, 0, sizeof(*n));
	n->path = p;
	for (i = hash(p) & (g->cap - 1); g->tab[i]; i = (i + 1) & (g->cap - 1))
		;
	g->tab[i] = g->nr;
	return 0;
}

static bool skipped(const char *rel)
{
	static const char *const top[] = { "tools", "Documentation", "scripts", "usr" };
	size_t i;

	for (i = 0; i < sizeof(top) / sizeof(top[0]); i++)
		if (!strcmp(rel, top[i]))
			return true;
	return hp_str_starts(rel, "arch/") && strcmp(rel, "arch/x86") &&
		strchr(rel + 5, '/') == NULL;
}

/* Every .c and .h file under ROOT/REL ("" the top). */
static int walk(struct graph *g, const char *root, const char *rel)
{
	char *dir = *rel ? hp_asprintf("%s/%s", root, rel) : strdup(root);
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	int rc = 0;

	if (!d) {
		rc = dir ? -errno : -ENOMEM;
		free(dir);
		return rc;
	}
	while (!rc && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char *sub;

		if (e->d_name[0] == '.')
			continue;
		sub = *rel ? hp_asprintf("%s/%s", rel, e->d_name) : strdup(e->d_name);
		if (!sub) {
			rc = -ENOMEM;
			break;
		}
		if (e->d_type == DT_DIR) {
			if (!skipped(sub))
				rc = walk(g, root, sub);
			free(sub);
		} else if ((e->d_type == DT_REG || e->d_type == DT_UNKNOWN) && l > 2 &&
			   e->d_name[l - 2] == '.' &&
			   (e->d_name[l - 1] == 'c' || e->d_name[l - 1] == 'h')) {
			rc = add(g, sub);
			if (rc)
				free(sub);
		} else {
			free(sub);
		}
	}
	closedir(d);
	free(dir);
	return rc;
}

/* DIR/NAME with "." and ".." folded (NULL: above the top). */
static char *join(const char *dir, size_t dlen, const char *name, size_t nlen)
{
	char *s = hp_asprintf("%.*s%s%.*s", (int)dlen, dir, dlen ? "/" : "",
			      (int)nlen, name);
	char *out, *o, *p, *q;

	if (!s)
		return NULL;
	out = calloc(1, strlen(s) + 1);
	if (!out) {
		free(s);
		return NULL;
	}
	o = out;
	for (p = s; *p; p = *q ? q + 1 : q) {
		q = strchr(p, '/');
		if (!q)
			q = p + strlen(p);
		if (q - p == 0 || (q - p == 1 && *p == '.'))
			continue;
		if (q - p == 2 && p[0] == '.' && p[1] == '.') {
			char *up = strrchr(out, '/');

			if (o == out) {
				free(out);
				free(s);
				return NULL;
			}
			o = up ? up : out;
			*o = '\0';
			continue;
		}
		if (o != out)
			*o++ = '/';
		memcpy(o, p, q - p);
		o += q - p;
		*o = '\0';
	}
	free(s);
	return out;
}

static ssize_t resolve(const struct graph *g, const char *from, const char *name,
		       size_t nlen, bool quoted)
{
	const char *slash = strrchr(from, '/');
	ssize_t k = -1;
	size_t i;
	char *p;

	if (quoted) {
		p = join(from, slash ? (size_t)(slash - from) : 0, name, nlen);
		k = p ? lookup(g, p) : -1;
		free(p);
	}
	for (i = 0; k < 0 && i < sizeof(incpath) / sizeof(incpath[0]); i++) {
		p = join(incpath[i], strlen(incpath[i]), name, nlen);
		k = p ? lookup(g, p) : -1;
		free(p);
	}
	return k;
}

static int scan(struct graph *g, const char *root, size_t k)
{
	char *path = hp_asprintf("%s/%s", root, g->n[k].path);
	char *text = path ? hp_read_text(path, 64 << 20, NULL) : NULL;
	const char *p;
	int rc = 0;

	free(path);
	for (p = text; p && *p && !rc; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		const char *s = p, *e;
		ssize_t t;
		char close;

		while (*s == ' ' || *s == '\t')
			s++;
		if (*s++ != '#')
			continue;
		while (*s == ' ' || *s == '\t')
			s++;
		if (strncmp(s, "include", 7))
			continue;
		s += 7;
		while (*s == ' ' || *s == '\t')
			s++;
		if (*s != '"' && *s != '<')
			continue;
		close = *s == '"' ? '"' : '>';
		for (e = ++s; *e && *e != close && *e != '\n'; e++)
			;
		if (*e != close)
			continue;
		t = resolve(g, g->n[k].path, s, e - s, close == '"');
		if (t >= 0 && (size_t)t != k &&
		    !hp_array_push((void **)&g->n[t].by, &g->n[t].nr_by,
				   &g->n[t].alloc_by, sizeof(size_t)))
			rc = -ENOMEM;
		else if (t >= 0 && (size_t)t != k)
			g->n[t].by[g->n[t].nr_by - 1] = k;
	}
	free(text);
	return rc;
}

static int by_path(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hp_includers(const char *root, const char *const *files, size_t nr_files,
		 char ***out, size_t *nr_out, struct hp_error *err)
{
	struct graph g = { 0 };
	size_t *queue = NULL, nq = 0, head = 0, i, alloc = 0, aq = 0;
	char **res = NULL;
	int rc = walk(&g, root, "");

	*out = NULL;
	*nr_out = 0;
	for (i = 0; !rc && i < g.nr; i++)
		rc = scan(&g, root, i);
	for (i = 0; !rc && i < nr_files; i++) {
		ssize_t k = lookup(&g, files[i]);

		if (k < 0 || g.n[k].seen)
			continue;
		g.n[k].seen = true;
		if (!hp_array_push((void **)&queue, &nq, &aq, sizeof(*queue)))
			rc = -ENOMEM;
		else
			queue[nq - 1] = k;
	}
	/* breadth first over "is included by"; a cycle stops at a seen file */
	while (!rc && head < nq) {
		struct node *n = &g.n[queue[head++]];

		for (i = 0; !rc && i < n->nr_by; i++) {
			struct node *b = &g.n[n->by[i]];
			size_t l = strlen(b->path);

			if (b->seen)
				continue;
			b->seen = true;
			if (!hp_array_push((void **)&queue, &nq, &aq, sizeof(*queue))) {
				rc = -ENOMEM;
				break;
			}
			queue[nq - 1] = n->by[i];
			if (b->path[l - 1] == 'c') {
				if (!hp_array_push((void **)&res, nr_out, &alloc, sizeof(*res)))
					rc = -ENOMEM;
				else if (!(res[*nr_out - 1] = strdup(b->path)))
					rc = -ENOMEM;
			}
		}
	}
	if (!rc && *nr_out)
		qsort(res, *nr_out, sizeof(*res), by_path);
	if (rc) {
		for (i = 0; i < *nr_out; i++)
			free(res[i]);
		free(res);
		res = NULL;
		*nr_out = 0;
		hp_error_set(err, rc, "%s: the include graph: %s", root, strerror(-rc));
	}
	*out = res;
	for (i = 0; i < g.nr; i++) {
		free(g.n[i].path);
		free(g.n[i].by);
	}
	free(g.n);
	free(g.tab);
	free(queue);
	return rc;
}

enum hp_dep_bound hp_dependents_bound(size_t nr_includers, size_t nr_built)
{
	if (nr_includers > HP_MAX_INCLUDERS)
		return HP_DEP_INCLUDERS;
	if (nr_built > HP_MAX_DEPENDENTS)
		return HP_DEP_BUILT;
	return HP_DEP_OK;
}
