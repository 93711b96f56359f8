// SPDX-License-Identifier: GPL-2.0
/*
 * Reader for /sys/kernel/hotpatch (docs/sysfs-abi.md) into
 * patch -> objects -> functions, plus the two writes the tools need.
 *
 * Reading is tolerant by attribute and strict by value: a missing or
 * garbled file makes that one value unknown and adds a problem line, so a
 * status report still shows everything else; a value is never guessed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "libhotpatch.h"

#define ATTR_MAX 4096	/* one sysfs page */
#define REPORT_MAX 65536	/* multi-line files, with room for fakes */

struct problems {
	char **v;
	size_t n;
	int err;	/* first allocation failure, reported by the reader */
};

struct hp_sysfs {
	char *root;
	bool is_default;
};

struct hp_core {
	char *version;
	enum hp_mode default_mode;
	long count;
	struct hp_last_error *last_error;
	int64_t keyring;
	int keys_locked, require_signature, require_module_sig;
	struct hp_blocking *blocking;
	struct problems problems;
};

struct hp_func {
	char *name;
	unsigned long sympos;
	bool has_old, has_new;
	uint64_t old_addr, new_addr;
	enum hp_mode mode;
	int patched;
};

struct hp_object {
	char *name;
	int patched;
	struct hp_func *funcs;
	size_t nfuncs;
};

struct hp_patch {
	char *name;
	enum hp_state state;
	int enabled;
	int transition;
	enum hp_mode mode;
	char *target;
	int64_t applied_at;
	char *last_error;
	long stack_order;
	int64_t last_stop_ns, last_walked;
	int force;
	char *signer, *key_id;
	int module_sig_ok;
	char *description, *series, *cves;
	int64_t patch_version;
	struct hp_blocking *blocking;
	struct hp_object *objs;
	size_t nobjs;
	struct problems problems;
};

struct hp_patch_list {
	struct hp_patch **v;
	size_t n;
};

/* ---- small helpers ------------------------------------------------------ */

static void problem_add(struct problems *pr, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void problem_add(struct problems *pr, const char *fmt, ...)
{
	char **v;
	char *s;
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = vasprintf(&s, fmt, ap);
	va_end(ap);
	if (ret < 0)
		goto oom;
	v = realloc(pr->v, (pr->n + 1) * sizeof(*v));
	if (!v) {
		free(s);
		goto oom;
	}
	pr->v = v;
	pr->v[pr->n++] = s;
	return;
oom:
	pr->err = -ENOMEM;
}

static void problems_free(struct problems *pr)
{
	size_t i;

	for (i = 0; i < pr->n; i++)
		free(pr->v[i]);
	free(pr->v);
}

/* Read path into buf, without its trailing newline; returns the length. */
/*
 * Up to EOF: a binary attribute (keys) gives at most a page per read(2).
 */
static int read_file(const char *path, char *buf, size_t size)
{
	ssize_t n = 0, r, extra;
	char c;
	int fd, ret;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	while (n < (ssize_t)size - 1) {
		r = read(fd, buf + n, size - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			ret = -errno;
			goto out;
		}
		if (!r)
			break;
		n += r;
	}
	extra = n == (ssize_t)size - 1 ? read(fd, &c, 1) : 0;
	if (extra > 0) {
		ret = -EFBIG;
		goto out;
	}
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = '\0';
	ret = (int)n;
out:
	close(fd);
	return ret;
}

static int join(char *buf, size_t size, const char *a, const char *b)
{
	int n = snprintf(buf, size, "%s/%s", a, b);

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

/*
 * Read dir/attr as a string; on failure record "<where>attr: why" and
 * return the -errno. where is the directory relative to the patch ("" or
 * "vmlinux/foo,0/").
 */
static int read_attr_str(struct problems *pr, const char *dir,
			 const char *where, const char *attr, char *buf)
{
	char path[PATH_MAX];
	int ret;

	ret = join(path, sizeof(path), dir, attr);
	if (!ret)
		ret = read_file(path, buf, ATTR_MAX);
	if (ret == -ENOENT)
		problem_add(pr, "%s%s: missing", where, attr);
	else if (ret < 0)
		problem_add(pr, "%s%s: %s", where, attr, strerror(-ret));
	return ret < 0 ? ret : 0;
}

static void bad_value(struct problems *pr, const char *where,
		      const char *attr, const char *val)
{
	problem_add(pr, "%s%s: invalid value '%.40s%s'", where, attr, val,
		    strlen(val) > 40 ? "..." : "");
}

/* 0/1 attribute; -1 when unknown. */
static int read_attr_bool(struct problems *pr, const char *dir,
			  const char *where, const char *attr)
{
	char buf[ATTR_MAX];
	bool b;

	if (read_attr_str(pr, dir, where, attr, buf))
		return -1;
	if (hp_parse_bool(buf, &b)) {
		bad_value(pr, where, attr, buf);
		return -1;
	}
	return b;
}

static int64_t read_attr_u64(struct problems *pr, const char *dir,
			     const char *where, const char *attr,
			     uint64_t max)
{
	char buf[ATTR_MAX];
	uint64_t v;

	if (read_attr_str(pr, dir, where, attr, buf))
		return -1;
	if (hp_parse_u64(buf, &v) || v > max) {
		bad_value(pr, where, attr, buf);
		return -1;
	}
	return (int64_t)v;
}

static enum hp_mode read_attr_mode(struct problems *pr, const char *dir,
				   const char *where, const char *attr)
{
	char buf[ATTR_MAX];
	enum hp_mode m;

	if (read_attr_str(pr, dir, where, attr, buf))
		return HP_MODE_UNKNOWN;
	if (hp_mode_from_string(buf, &m)) {
		bad_value(pr, where, attr, buf);
		return HP_MODE_UNKNOWN;
	}
	return m;
}

static bool read_attr_addr(struct problems *pr, const char *dir,
			   const char *where, const char *attr, uint64_t *out)
{
	char buf[ATTR_MAX];

	if (read_attr_str(pr, dir, where, attr, buf))
		return false;
	if (hp_parse_addr(buf, out)) {
		bad_value(pr, where, attr, buf);
		return false;
	}
	return true;
}

static char *read_attr_dup(struct problems *pr, const char *dir,
			   const char *where, const char *attr)
{
	char buf[ATTR_MAX];
	char *s;

	if (read_attr_str(pr, dir, where, attr, buf))
		return NULL;
	s = strdup(buf);
	if (!s)
		pr->err = -ENOMEM;
	return s;
}

/* Attributes newer than the first core: missing is "unknown", quietly. */
static bool has_attr(const char *dir, const char *attr)
{
	char path[PATH_MAX];

	return !join(path, sizeof(path), dir, attr) && !access(path, F_OK);
}

static int opt_bool(struct problems *pr, const char *dir, const char *attr)
{
	return has_attr(dir, attr) ? read_attr_bool(pr, dir, "", attr) : -1;
}

static int64_t opt_u64(struct problems *pr, const char *dir, const char *attr,
		       uint64_t max)
{
	return has_attr(dir, attr) ? read_attr_u64(pr, dir, "", attr, max) : -1;
}

static char *opt_dup(struct problems *pr, const char *dir, const char *attr)
{
	return has_attr(dir, attr) ? read_attr_dup(pr, dir, "", attr) : NULL;
}

/* A multi-line file into a malloc'ed string; -ENOENT, -EFBIG, -errno. */
static int read_report(const char *path, char **out)
{
	char *buf = malloc(REPORT_MAX);
	int ret;

	if (!buf)
		return -ENOMEM;
	ret = read_file(path, buf, REPORT_MAX);
	if (ret < 0) {
		free(buf);
		return ret;
	}
	*out = buf;
	return 0;
}

static int read_blocking_file(const char *dir, struct hp_blocking **out)
{
	char path[PATH_MAX], *text;
	int ret;

	ret = join(path, sizeof(path), dir, "blocking");
	if (!ret)
		ret = read_report(path, &text);
	if (ret)
		return ret;
	ret = hp_blocking_parse(text, out);
	free(text);
	return ret;
}

/* Optional blocking file of dir: NULL when missing, a problem when bad. */
static struct hp_blocking *opt_blocking(struct problems *pr, const char *dir)
{
	struct hp_blocking *bl = NULL;
	int ret;

	if (!has_attr(dir, "blocking"))
		return NULL;
	ret = read_blocking_file(dir, &bl);
	if (ret == -ENOMEM)
		pr->err = ret;
	else if (ret)
		problem_add(pr, "blocking: %s", strerror(-ret));
	else if (hp_blocking_bad_lines(bl))
		problem_add(pr, "blocking: %zu line(s) not of the form "
			    "'<pid> <comm> <function>'",
			    hp_blocking_bad_lines(bl));
	return bl;
}

/* Sorted names of the subdirectories of dir (no dot entries). */
static int list_subdirs(const char *dir, char ***out, size_t *count)
{
	struct dirent *de;
	char **v = NULL, **nv;
	size_t n = 0;
	struct stat st;
	DIR *d;
	int ret = 0;

	d = opendir(dir);
	if (!d)
		return -errno;
	while ((errno = 0, de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (de->d_type != DT_DIR) {
			if (de->d_type != DT_UNKNOWN)
				continue;
			if (fstatat(dirfd(d), de->d_name, &st, 0) ||
			    !S_ISDIR(st.st_mode))
				continue;
		}
		nv = realloc(v, (n + 1) * sizeof(*v));
		if (!nv || !(nv[n] = strdup(de->d_name))) {
			v = nv ? nv : v;
			ret = -ENOMEM;
			break;
		}
		v = nv;
		n++;
	}
	if (!ret && errno)
		ret = -errno;
	closedir(d);
	if (ret) {
		while (n)
			free(v[--n]);
		free(v);
		return ret;
	}
	*out = v;
	*count = n;
	return 0;
}

static void free_names(char **v, size_t n)
{
	while (n)
		free(v[--n]);
	free(v);
}

/* ---- the handle ---------------------------------------------------------- */

int hp_sysfs_new(const char *root, struct hp_sysfs **out)
{
	struct hp_sysfs *sys;
	const char *env = getenv(HP_SYSFS_ENV);
	bool is_default = false;

	if (!root && env && env[0])
		root = env;
	if (!root) {
		root = HP_SYSFS_DEFAULT;
		is_default = true;
	}
	if (!root[0])
		return -EINVAL;
	sys = calloc(1, sizeof(*sys));
	if (!sys)
		return -ENOMEM;
	sys->root = strdup(root);
	if (!sys->root) {
		free(sys);
		return -ENOMEM;
	}
	sys->is_default = is_default || !strcmp(root, HP_SYSFS_DEFAULT);
	*out = sys;
	return 0;
}

void hp_sysfs_free(struct hp_sysfs *sys)
{
	if (!sys)
		return;
	free(sys->root);
	free(sys);
}

const char *hp_sysfs_root(const struct hp_sysfs *sys)
{
	return sys->root;
}

bool hp_sysfs_is_default(const struct hp_sysfs *sys)
{
	return sys->is_default;
}

int hp_sysfs_probe(const struct hp_sysfs *sys)
{
	struct stat st;

	if (stat(sys->root, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOTDIR;
}

/* root/patches/<normalised name> */
static int patch_dir(const struct hp_sysfs *sys, const char *name,
		     char *buf, size_t size)
{
	char norm[NAME_MAX + 1];
	int n, ret;

	ret = hp_name_normalize(name, norm, sizeof(norm));
	if (ret)
		return ret == -ENAMETOOLONG ? -EINVAL : ret;
	n = snprintf(buf, size, "%s/patches/%s", sys->root, norm);
	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int hp_sysfs_patch_exists(const struct hp_sysfs *sys, const char *name)
{
	char dir[PATH_MAX];
	struct stat st;
	int ret;

	ret = patch_dir(sys, name, dir, sizeof(dir));
	if (ret)
		return ret;
	if (stat(dir, &st))
		return -errno;
	return S_ISDIR(st.st_mode) ? 0 : -ENOENT;
}

int hp_sysfs_read_attr(const struct hp_sysfs *sys, const char *rel,
		       char *buf, size_t size)
{
	char path[PATH_MAX];
	int ret;

	if (!size)
		return -EINVAL;
	ret = join(path, sizeof(path), sys->root, rel);
	if (ret)
		return ret;
	return read_file(path, buf, size);
}

int hp_sysfs_read_last_error(const struct hp_sysfs *sys,
			     struct hp_last_error **out)
{
	char buf[ATTR_MAX];
	int ret;

	ret = hp_sysfs_read_attr(sys, "last_error", buf, sizeof(buf));
	if (ret < 0)
		return ret;
	return hp_last_error_parse(buf, out);
}

/* One write(2) of val + "\n": sysfs stores take the value whole. */
static int write_file(const char *path, const char *val)
{
	char buf[256];
	ssize_t n;
	int fd, len, ret;

	len = snprintf(buf, sizeof(buf), "%s\n", val);
	if (len < 0 || (size_t)len >= sizeof(buf))
		return -EINVAL;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do
		n = write(fd, buf, len);
	while (n < 0 && errno == EINTR);
	ret = n < 0 ? -errno : n != len ? -EIO : 0;
	if (close(fd) && !ret)
		ret = -errno;
	return ret;
}

static int write_patch_attr(const struct hp_sysfs *sys, const char *name,
			    const char *attr, const char *val)
{
	char dir[PATH_MAX], path[PATH_MAX];
	int ret;

	ret = patch_dir(sys, name, dir, sizeof(dir));
	if (!ret)
		ret = join(path, sizeof(path), dir, attr);
	if (ret)
		return ret;
	return write_file(path, val);
}

int hp_sysfs_set_enabled(const struct hp_sysfs *sys, const char *name,
			 bool enabled)
{
	return write_patch_attr(sys, name, "enabled", enabled ? "1" : "0");
}

int hp_sysfs_set_force(const struct hp_sysfs *sys, const char *name,
		       bool force)
{
	return write_patch_attr(sys, name, "force", force ? "1" : "0");
}

int hp_sysfs_write_attr(const struct hp_sysfs *sys, const char *rel,
			const char *val)
{
	char path[PATH_MAX];
	int ret;

	ret = join(path, sizeof(path), sys->root, rel);
	if (ret)
		return ret;
	return write_file(path, val);
}

int hp_sysfs_read_blocking(const struct hp_sysfs *sys, const char *name,
			   struct hp_blocking **out)
{
	char dir[PATH_MAX];
	int ret = 0;

	if (name)
		ret = patch_dir(sys, name, dir, sizeof(dir));
	else
		snprintf(dir, sizeof(dir), "%s", sys->root);
	if (ret)
		return ret;
	return read_blocking_file(dir, out);
}

int hp_sysfs_read_keys(const struct hp_sysfs *sys, struct hp_keys **out)
{
	char path[PATH_MAX], *text;
	int ret;

	ret = join(path, sizeof(path), sys->root, "keys");
	if (!ret)
		ret = read_report(path, &text);
	if (ret)
		return ret;
	ret = hp_keys_parse(text, out);
	free(text);
	return ret;
}

static int read_state(const char *dir, enum hp_state *st)
{
	char path[PATH_MAX], buf[64];
	int ret;

	ret = join(path, sizeof(path), dir, "state");
	if (!ret)
		ret = read_file(path, buf, sizeof(buf));
	if (ret < 0)
		return ret;
	if (hp_state_from_string(buf, st))
		*st = HP_STATE_UNKNOWN;
	return 0;
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int hp_sysfs_wait_state(const struct hp_sysfs *sys, const char *name,
			enum hp_state want, unsigned int timeout_ms,
			enum hp_state *seen)
{
	uint64_t deadline = now_ms() + timeout_ms;
	unsigned int delay_ms = 10;
	char dir[PATH_MAX];
	enum hp_state st = HP_STATE_UNKNOWN;
	int ret;

	ret = patch_dir(sys, name, dir, sizeof(dir));
	if (ret)
		return ret;
	for (;;) {
		ret = read_state(dir, &st);
		if (seen)
			*seen = st;
		if (ret == -ENOENT) {
			/* the state file or the whole patch went away */
			return -ENOENT;
		}
		if (ret)
			return ret;
		if (st == want)
			return 0;
		if (st == HP_STATE_FAILED || st == HP_STATE_REJECTED)
			return -ECANCELED;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		usleep(delay_ms * 1000);
		if (delay_ms < 200)
			delay_ms *= 2;
	}
}

/* ---- global files ---------------------------------------------------------- */

int hp_core_read(const struct hp_sysfs *sys, struct hp_core **out)
{
	struct hp_core *c;
	char buf[ATTR_MAX];
	int ret;

	ret = hp_sysfs_probe(sys);
	if (ret)
		return ret;
	c = calloc(1, sizeof(*c));
	if (!c)
		return -ENOMEM;
	c->version = read_attr_dup(&c->problems, sys->root, "", "version");
	c->default_mode = read_attr_mode(&c->problems, sys->root, "",
					 "default_mode");
	c->count = (long)read_attr_u64(&c->problems, sys->root, "", "count",
				       LONG_MAX);
	if (!read_attr_str(&c->problems, sys->root, "", "last_error", buf)) {
		ret = hp_last_error_parse(buf, &c->last_error);
		if (ret == -EINVAL)
			bad_value(&c->problems, "", "last_error", buf);
		else if (ret == -ENOMEM)
			c->problems.err = ret;
	}
	c->keyring = opt_u64(&c->problems, sys->root, "keyring", INT32_MAX);
	c->keys_locked = opt_bool(&c->problems, sys->root, "keys_locked");
	c->require_signature = opt_bool(&c->problems, sys->root,
					"require_signature");
	c->require_module_sig = opt_bool(&c->problems, sys->root,
					 "require_module_sig");
	c->blocking = opt_blocking(&c->problems, sys->root);
	if (c->problems.err) {
		ret = c->problems.err;
		hp_core_free(c);
		return ret;
	}
	*out = c;
	return 0;
}

void hp_core_free(struct hp_core *c)
{
	if (!c)
		return;
	free(c->version);
	hp_last_error_free(c->last_error);
	hp_blocking_free(c->blocking);
	problems_free(&c->problems);
	free(c);
}

const char *hp_core_version(const struct hp_core *c)
{
	return c->version;
}

enum hp_mode hp_core_default_mode(const struct hp_core *c)
{
	return c->default_mode;
}

long hp_core_count(const struct hp_core *c)
{
	return c->count;
}

const struct hp_last_error *hp_core_last_error(const struct hp_core *c)
{
	return c->last_error;
}

int64_t hp_core_keyring(const struct hp_core *c) { return c->keyring; }
int hp_core_keys_locked(const struct hp_core *c) { return c->keys_locked; }
int hp_core_require_signature(const struct hp_core *c)
{
	return c->require_signature;
}
int hp_core_require_module_sig(const struct hp_core *c)
{
	return c->require_module_sig;
}
const struct hp_blocking *hp_core_blocking(const struct hp_core *c)
{
	return c->blocking;
}

size_t hp_core_problem_count(const struct hp_core *c)
{
	return c->problems.n;
}

const char *hp_core_problem(const struct hp_core *c, size_t i)
{
	return i < c->problems.n ? c->problems.v[i] : NULL;
}

/* ---- one patch ------------------------------------------------------------- */

static int read_func(struct hp_patch *p, const char *objdir,
		     const char *objname, const char *dirname,
		     struct hp_func *f)
{
	struct problems *pr = &p->problems;
	char dir[PATH_MAX], where[PATH_MAX];
	const char *comma = strrchr(dirname, ',');
	uint64_t sympos = 0;
	int ret;

	ret = join(dir, sizeof(dir), objdir, dirname);
	if (ret)
		return ret;
	snprintf(where, sizeof(where), "%s/%s/", objname, dirname);
	f->name = strndup(dirname, comma ? (size_t)(comma - dirname)
					 : strlen(dirname));
	if (!f->name)
		return -ENOMEM;
	if (!comma)
		problem_add(pr, "%s/%s: no ',<sympos>' in the directory name",
			    objname, dirname);
	else if (hp_parse_u64(comma + 1, &sympos) || sympos > ULONG_MAX)
		problem_add(pr, "%s/%s: invalid sympos '%s'", objname,
			    dirname, comma + 1);
	f->sympos = (unsigned long)sympos;
	f->has_old = read_attr_addr(pr, dir, where, "old_addr", &f->old_addr);
	f->has_new = read_attr_addr(pr, dir, where, "new_addr", &f->new_addr);
	f->mode = read_attr_mode(pr, dir, where, "mode");
	f->patched = read_attr_bool(pr, dir, where, "patched");
	return 0;
}

static int cmp_func(const void *a, const void *b)
{
	const struct hp_func *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return (x->sympos > y->sympos) - (x->sympos < y->sympos);
}

static int read_object(struct hp_patch *p, const char *pdir,
		       const char *name, struct hp_object *o)
{
	char dir[PATH_MAX], where[NAME_MAX + 2];
	char **names;
	size_t n, i;
	int ret;

	ret = join(dir, sizeof(dir), pdir, name);
	if (ret)
		return ret;
	o->name = strdup(name);
	if (!o->name)
		return -ENOMEM;
	snprintf(where, sizeof(where), "%s/", name);
	o->patched = read_attr_bool(&p->problems, dir, where, "patched");
	ret = list_subdirs(dir, &names, &n);
	if (ret)
		return ret;
	o->funcs = calloc(n ? n : 1, sizeof(*o->funcs));
	if (!o->funcs) {
		free_names(names, n);
		return -ENOMEM;
	}
	for (i = 0; i < n && !ret; i++) {
		ret = read_func(p, dir, name, names[i], &o->funcs[i]);
		o->nfuncs++;
	}
	free_names(names, n);
	if (ret)
		return ret;
	qsort(o->funcs, o->nfuncs, sizeof(*o->funcs), cmp_func);
	return 0;
}

/* vmlinux first, then modules by name */
static int cmp_object(const void *a, const void *b)
{
	const struct hp_object *x = a, *y = b;
	bool xv = !strcmp(x->name, "vmlinux"), yv = !strcmp(y->name, "vmlinux");

	if (xv != yv)
		return xv ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Read the patch in directory dir, named by its last component. */
static int read_patch_dir(const char *dir, struct hp_patch **out)
{
	struct problems *pr;
	struct hp_patch *p;
	char buf[ATTR_MAX];
	char **names;
	size_t n, i;
	struct stat st;
	int ret;

	if (stat(dir, &st))
		return -errno;
	if (!S_ISDIR(st.st_mode))
		return -ENOENT;

	p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	pr = &p->problems;
	p->name = strdup(strrchr(dir, '/') + 1);
	if (!p->name) {
		ret = -ENOMEM;
		goto out_free;
	}
	p->state = HP_STATE_UNKNOWN;
	if (!read_attr_str(pr, dir, "", "state", buf) &&
	    hp_state_from_string(buf, &p->state))
		bad_value(pr, "", "state", buf);
	p->enabled = read_attr_bool(pr, dir, "", "enabled");
	p->transition = read_attr_bool(pr, dir, "", "transition");
	p->mode = read_attr_mode(pr, dir, "", "mode");
	p->target = read_attr_dup(pr, dir, "", "target");
	p->applied_at = read_attr_u64(pr, dir, "", "applied_at", INT64_MAX);
	p->last_error = read_attr_dup(pr, dir, "", "last_error");
	p->stack_order = (long)read_attr_u64(pr, dir, "", "stack_order",
					     LONG_MAX);
	if (p->stack_order == 0) {
		bad_value(pr, "", "stack_order", "0");
		p->stack_order = -1;
	}
	p->last_stop_ns = opt_u64(pr, dir, "last_stop_ns", INT64_MAX);
	p->last_walked = opt_u64(pr, dir, "last_walked", INT64_MAX);
	p->force = (int)opt_u64(pr, dir, "force", 2);
	p->signer = opt_dup(pr, dir, "signer");
	p->key_id = opt_dup(pr, dir, "key_id");
	p->module_sig_ok = opt_bool(pr, dir, "module_sig_ok");
	p->blocking = opt_blocking(pr, dir);
	p->description = opt_dup(pr, dir, "description");
	p->series = opt_dup(pr, dir, "series");
	p->patch_version = opt_u64(pr, dir, "patch_version", UINT32_MAX);
	p->cves = opt_dup(pr, dir, "cves");

	ret = list_subdirs(dir, &names, &n);
	if (ret)
		goto out_free;
	p->objs = calloc(n ? n : 1, sizeof(*p->objs));
	if (!p->objs) {
		free_names(names, n);
		ret = -ENOMEM;
		goto out_free;
	}
	for (i = 0; i < n && !ret; i++) {
		ret = read_object(p, dir, names[i], &p->objs[i]);
		p->nobjs++;
	}
	free_names(names, n);
	if (!ret)
		ret = pr->err;
	if (ret)
		goto out_free;
	qsort(p->objs, p->nobjs, sizeof(*p->objs), cmp_object);
	*out = p;
	return 0;

out_free:
	hp_patch_free(p);
	return ret;
}

int hp_patch_read(const struct hp_sysfs *sys, const char *name,
		  struct hp_patch **out)
{
	char dir[PATH_MAX];
	int ret;

	ret = patch_dir(sys, name, dir, sizeof(dir));
	if (ret)
		return ret;
	return read_patch_dir(dir, out);
}

void hp_patch_free(struct hp_patch *p)
{
	size_t i, j;

	if (!p)
		return;
	for (i = 0; i < p->nobjs; i++) {
		for (j = 0; j < p->objs[i].nfuncs; j++)
			free(p->objs[i].funcs[j].name);
		free(p->objs[i].funcs);
		free(p->objs[i].name);
	}
	free(p->objs);
	free(p->name);
	free(p->target);
	free(p->last_error);
	free(p->signer);
	free(p->key_id);
	free(p->description);
	free(p->series);
	free(p->cves);
	hp_blocking_free(p->blocking);
	problems_free(&p->problems);
	free(p);
}

const char *hp_patch_name(const struct hp_patch *p) { return p->name; }
enum hp_state hp_patch_state(const struct hp_patch *p) { return p->state; }
int hp_patch_enabled(const struct hp_patch *p) { return p->enabled; }
int hp_patch_transition(const struct hp_patch *p) { return p->transition; }
enum hp_mode hp_patch_mode(const struct hp_patch *p) { return p->mode; }
const char *hp_patch_target(const struct hp_patch *p) { return p->target; }
int64_t hp_patch_applied_at(const struct hp_patch *p) { return p->applied_at; }
const char *hp_patch_last_error(const struct hp_patch *p) { return p->last_error; }
long hp_patch_stack_order(const struct hp_patch *p) { return p->stack_order; }
size_t hp_patch_object_count(const struct hp_patch *p) { return p->nobjs; }
int64_t hp_patch_last_stop_ns(const struct hp_patch *p) { return p->last_stop_ns; }
int64_t hp_patch_last_walked(const struct hp_patch *p) { return p->last_walked; }
int hp_patch_force(const struct hp_patch *p) { return p->force; }
const char *hp_patch_signer(const struct hp_patch *p) { return p->signer; }
const char *hp_patch_key_id(const struct hp_patch *p) { return p->key_id; }
int hp_patch_module_sig_ok(const struct hp_patch *p) { return p->module_sig_ok; }
const char *hp_patch_description(const struct hp_patch *p) { return p->description; }
const char *hp_patch_series(const struct hp_patch *p) { return p->series; }
int64_t hp_patch_version(const struct hp_patch *p) { return p->patch_version; }
const char *hp_patch_cves(const struct hp_patch *p) { return p->cves; }

const struct hp_blocking *hp_patch_blocking(const struct hp_patch *p)
{
	return p->blocking;
}

const struct hp_object *hp_patch_object(const struct hp_patch *p, size_t i)
{
	return i < p->nobjs ? &p->objs[i] : NULL;
}

size_t hp_patch_func_count(const struct hp_patch *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nobjs; i++)
		n += p->objs[i].nfuncs;
	return n;
}

size_t hp_patch_problem_count(const struct hp_patch *p)
{
	return p->problems.n;
}

const char *hp_patch_problem(const struct hp_patch *p, size_t i)
{
	return i < p->problems.n ? p->problems.v[i] : NULL;
}

const char *hp_object_name(const struct hp_object *o) { return o->name; }
int hp_object_patched(const struct hp_object *o) { return o->patched; }
size_t hp_object_func_count(const struct hp_object *o) { return o->nfuncs; }

const struct hp_func *hp_object_func(const struct hp_object *o, size_t i)
{
	return i < o->nfuncs ? &o->funcs[i] : NULL;
}

const char *hp_func_name(const struct hp_func *f) { return f->name; }
unsigned long hp_func_sympos(const struct hp_func *f) { return f->sympos; }
enum hp_mode hp_func_mode(const struct hp_func *f) { return f->mode; }
int hp_func_patched(const struct hp_func *f) { return f->patched; }

bool hp_func_old_addr(const struct hp_func *f, uint64_t *addr)
{
	if (f->has_old)
		*addr = f->old_addr;
	return f->has_old;
}

bool hp_func_new_addr(const struct hp_func *f, uint64_t *addr)
{
	if (f->has_new)
		*addr = f->new_addr;
	return f->has_new;
}

/* ---- all patches ------------------------------------------------------------ */

static int cmp_patch(const void *a, const void *b)
{
	const struct hp_patch *x = *(struct hp_patch *const *)a;
	const struct hp_patch *y = *(struct hp_patch *const *)b;
	unsigned long xo = (unsigned long)x->stack_order; /* -1: last */
	unsigned long yo = (unsigned long)y->stack_order;

	if (xo != yo)
		return xo < yo ? -1 : 1;
	return strcmp(x->name, y->name);
}

int hp_patch_list_read(const struct hp_sysfs *sys, struct hp_patch_list **out)
{
	struct hp_patch_list *l;
	char dir[PATH_MAX];
	char **names = NULL;
	size_t n = 0, i;
	int ret;

	ret = hp_sysfs_probe(sys);
	if (ret)
		return ret;
	ret = join(dir, sizeof(dir), sys->root, "patches");
	if (ret)
		return ret;
	ret = list_subdirs(dir, &names, &n);
	if (ret == -ENOENT)	/* no patches/ yet: nothing loaded */
		ret = 0;
	if (ret)
		return ret;

	l = calloc(1, sizeof(*l));
	if (l)
		l->v = calloc(n ? n : 1, sizeof(*l->v));
	if (!l || !l->v) {
		ret = -ENOMEM;
		goto out;
	}
	for (i = 0; i < n; i++) {
		/* the names as they are: no normalising */
		char pdir[PATH_MAX];

		ret = join(pdir, sizeof(pdir), dir, names[i]);
		if (!ret)
			ret = read_patch_dir(pdir, &l->v[l->n]);
		if (ret == -ENOENT) {	/* unloaded while we looked */
			ret = 0;
			continue;
		}
		if (ret)
			goto out;
		l->n++;
	}
	qsort(l->v, l->n, sizeof(*l->v), cmp_patch);
	*out = l;
	l = NULL;
out:
	free_names(names, n);
	hp_patch_list_free(l);
	return ret;
}

void hp_patch_list_free(struct hp_patch_list *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		hp_patch_free(l->v[i]);
	free(l->v);
	free(l);
}

size_t hp_patch_list_count(const struct hp_patch_list *l)
{
	return l->n;
}

const struct hp_patch *hp_patch_list_get(const struct hp_patch_list *l,
					 size_t i)
{
	return i < l->n ? l->v[i] : NULL;
}
