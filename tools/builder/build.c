// SPDX-License-Identifier: GPL-2.0
/*
 * `hotpatch-build build`: the source pipeline (see build.h for the steps).
 * The differ + resolve and the module generation run as `hotpatch-build
 * diff` and `hotpatch-build module` (OPTS->self), so each stage keeps its
 * own exit codes and JSON, and the report embeds them.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "build.h"
#include "internal.h"

struct cfile {
	const char *path;	/* relative to the tree */
	char *obj;		/* path/file.o */
	char *cmdline;		/* kbuild's command for it, when reusable */
	bool kbuild_builds;	/* kbuild's Makefiles said the config builds it */
	char *orig_o, *patched_o, *patch_o;
	char *plain_o;		/* diff without resolve (for --with) */
	char *object;		/* "vmlinux" or a module name */
	char *module_ko;	/* the target module's .ko, when known */
	struct json_object *j;	/* its entry in report.files */
	bool nothing;		/* the differ found nothing to patch */
	char *own_path;		/* a dependent's path (path points here) */
	const char *via;	/* a dependent: the changed file it includes */
};

struct ctx {
	const struct hp_build_opts *o;
	FILE *prog;
	struct json_object *report, *steps, *files, *refusals, *notes;
	char *work, *logdir;
	bool own_work;
	char *config, *symvers, *release, *build_id, *symbols;
	char *output;
	char *name;		/* the module's name (--name or from the diff) */
	bool keep_logs;		/* the work directory survives: name logs */
	struct hp_patch_files pf;
	struct cfile *c;
	size_t nr_c;
	const char **headers;	/* the diff's headers, rebuilt through their includers */
	size_t nr_headers;
	char *via;		/* the changed files the dependents include */
	struct hp_tree *tree;
	struct hp_symset *syms;
	int step;
	double t0;
};

#define NR_STEPS 7

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void progress(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->prog)
		return;
	fprintf(c->prog, "hotpatch-build: ");
	va_start(ap, fmt);
	vfprintf(c->prog, fmt, ap);
	va_end(ap);
	fputc('\n', c->prog);
	fflush(c->prog);
}

/* Start step NAME: a progress line and an entry in report.steps. */
static void step_begin(struct ctx *c, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void step_begin(struct ctx *c, const char *name, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	c->step++;
	progress(c, "[%d/%d] %-8s %s", c->step, NR_STEPS, name, what);
	c->t0 = now();
	{
		struct json_object *s = json_object_new_object();

		json_object_object_add(s, "step", json_object_new_string(name));
		json_object_array_add(c->steps, s);
	}
}

static void step_end(struct ctx *c)
{
	size_t n = json_object_array_length(c->steps);
	struct json_object *s = json_object_array_get_idx(c->steps, n - 1);

	json_object_object_add(s, "seconds",
			       json_object_new_double((double)(long)((now() - c->t0) * 10) / 10));
}

static struct json_object *jstr(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

static void note(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void note(struct ctx *c, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	progress(c, "  note: %s", buf);
	json_object_array_add(c->notes, json_object_new_string(buf));
}

/* A reason the diff cannot become a patch. */
static void refuse(struct ctx *c, const char *stage, const char *file,
		   const char *rule, const char *workaround, const char *fmt, ...)
	__attribute__((format(printf, 6, 7)));
static void refuse(struct ctx *c, const char *stage, const char *file,
		   const char *rule, const char *workaround, const char *fmt, ...)
{
	struct json_object *r = json_object_new_object();
	char buf[4096];
	va_list ap;

	va_start(ap, fmt);
	if (vsnprintf(buf, sizeof(buf), fmt, ap) >= (int)sizeof(buf))
		buf[hp_utf8_cut(buf, sizeof(buf) - 1)] = '\0';	/* not inside a character */
	va_end(ap);
	json_object_object_add(r, "stage", jstr(stage));
	json_object_object_add(r, "file", jstr(file));
	json_object_object_add(r, "rule", jstr(rule));
	json_object_object_add(r, "reason", jstr(buf));
	json_object_object_add(r, "workaround", jstr(workaround));
	json_object_array_add(c->refusals, r);
	progress(c, "  refused: %s%s%s", file ? file : "", file ? ": " : "", buf);
}

static size_t nr_refusals(struct ctx *c)
{
	return json_object_array_length(c->refusals);
}

/* ---- inputs ---- */

static char *first_line(const char *path, struct hp_error *err)
{
	char *s = hp_read_text(path, 4096, err);

	if (s)
		s[strcspn(s, "\r\n")] = '\0';
	return s;
}

static bool is_hex(const char *s)
{
	return *s && strspn(s, "0123456789abcdefABCDEF") == strlen(s);
}

/* The GNU build-id in a run of ELF notes (/sys/kernel/notes, PT_NOTE). */
static char *notes_build_id(const unsigned char *p, size_t len)
{
	size_t off = 0;

	while (off + 12 <= len) {
		uint32_t namesz, descsz, type;
		size_t name_off, desc_off;

		memcpy(&namesz, p + off, 4);
		memcpy(&descsz, p + off + 4, 4);
		memcpy(&type, p + off + 8, 4);
		name_off = off + 12;
		desc_off = name_off + ((namesz + 3ul) & ~3ul);
		if (desc_off > len || descsz > len - desc_off)
			return NULL;
		if (type == 3 && namesz == 4 && !memcmp(p + name_off, "GNU", 4) &&
		    descsz && descsz <= 64) {
			char *hex = malloc(descsz * 2 + 1);
			uint32_t i;

			if (!hex)
				return NULL;
			for (i = 0; i < descsz; i++)
				sprintf(hex + 2 * i, "%02x", p[desc_off + i]);
			return hex;
		}
		off = desc_off + ((descsz + 3ul) & ~3ul);
	}
	return NULL;
}

/* --build-id: hex, a copy of /sys/kernel/notes, or a vmlinux. */
static char *resolve_build_id(const char *arg, struct hp_error *err)
{
	unsigned char *buf = NULL, magic[SELFMAG];
	char *id = NULL;
	struct stat st;
	int fd;

	if (is_hex(arg) && access(arg, F_OK)) {
		if (strlen(arg) % 2 || strlen(arg) < 8 || strlen(arg) > 128) {
			hp_error_set(err, -EINVAL,
				     "--build-id '%s' is not a GNU build-id (an even number of hex digits, usually 40)",
				     arg);
			return NULL;
		}
		id = strdup(arg);
		for (char *p = id; p && *p; p++)
			if (*p >= 'A' && *p <= 'F')
				*p += 'a' - 'A';
		return id;
	}
	fd = open(arg, O_RDONLY);
	if (fd < 0) {
		hp_error_set(err, -errno,
			     "--build-id '%s' is neither hex nor a readable file: %s",
			     arg, strerror(errno));
		return NULL;
	}
	if (pread(fd, magic, SELFMAG, 0) == SELFMAG && !memcmp(magic, ELFMAG, SELFMAG)) {
		/* a vmlinux, stripped or not (a -dbg one is far larger than notes) */
		Elf *e;
		Elf_Scn *scn = NULL;

		elf_version(EV_CURRENT);
		e = elf_begin(fd, ELF_C_READ_MMAP, NULL);
		while (e && !id && (scn = elf_nextscn(e, scn))) {
			GElf_Shdr sh;
			Elf_Data *d;

			if (!gelf_getshdr(scn, &sh) || sh.sh_type != SHT_NOTE)
				continue;
			d = elf_getdata(scn, NULL);
			if (d && d->d_buf)
				id = notes_build_id(d->d_buf, d->d_size);
		}
		if (e)
			elf_end(e);
	} else if (fstat(fd, &st) == 0 && st.st_size >= 4 && st.st_size < (64 << 20) &&
		   (buf = malloc(st.st_size)) && read(fd, buf, st.st_size) == st.st_size) {
		id = notes_build_id(buf, st.st_size);
	}
	close(fd);
	free(buf);
	if (!id)
		hp_error_set(err, -EINVAL,
			     "no GNU build-id note in '%s' (give the hex, a copy of /sys/kernel/notes, or the vmlinux)",
			     arg);
	return id;
}

/* UTS_RELEASE of the headers: what `uname -r` says on the target. */
static char *kdir_release(const char *kdir)
{
	char *path = hp_asprintf("%s/include/generated/utsrelease.h", kdir);
	char *text = path ? hp_read_text(path, 4096, NULL) : NULL;
	char *p, *q, *rel = NULL;

	if (text && (p = strstr(text, "UTS_RELEASE \"")) &&
	    (q = strchr(p += 13, '"')))
		rel = strndup(p, q - p);
	free(path);
	free(text);
	return rel;
}

static int resolve_inputs(struct ctx *c, struct hp_error *err)
{
	const struct hp_build_opts *o = c->o;
	size_t i;
	char *f;

	if (!o->src || !o->kdir || !o->nr_diffs)
		return hp_error_set(err, -EINVAL,
				    "build needs --src, --kdir and a diff (see --help)");
	if (access(o->kdir, R_OK) || access(o->src, R_OK))
		return hp_error_set(err, -ENOENT, "cannot read '%s'",
				    access(o->kdir, R_OK) ? o->kdir : o->src);
	for (i = 0; i < o->nr_diffs; i++)
		if (access(o->diffs[i], R_OK))
			return hp_error_set(err, -ENOENT, "cannot read the diff '%s': %s",
					    o->diffs[i], strerror(errno));
	c->name = o->name ? strdup(o->name) : hp_build_default_name(o->diffs[0]);
	if (!c->name)
		return hp_error_set(err, -ENOMEM, "out of memory");
	if (!o->name && c->prog)
		progress(c, "module name %s (from %s; --name to choose another)",
			 c->name, o->diffs[0]);
	c->config = o->config ? strdup(o->config) : hp_asprintf("%s/.config", o->kdir);
	c->symvers = o->symvers ? strdup(o->symvers) :
		hp_asprintf("%s/Module.symvers", o->kdir);
	if (access(c->config, R_OK))
		return hp_error_set(err, -ENOENT,
				    "no config '%s' (the target's .config: the headers package has it, or /boot/config-RELEASE)",
				    c->config);
	if (access(c->symvers, R_OK))
		return hp_error_set(err, -ENOENT,
				    "no Module.symvers '%s' (the headers package has it)",
				    c->symvers);
	if (o->release) {
		c->release = strdup(o->release);
	} else if (o->facts) {
		f = hp_asprintf("%s/release", o->facts);
		c->release = first_line(f, err);
		free(f);
		if (!c->release)
			return err->code;
	} else {
		c->release = kdir_release(o->kdir);
	}
	if (!c->release || !*c->release)
		return hp_error_set(err, -EINVAL,
				    "no target release: give --release (uname -r of the target) or --facts");
	if (o->build_id) {
		c->build_id = resolve_build_id(o->build_id, err);
	} else if (o->facts) {
		f = hp_asprintf("%s/build-id", o->facts);
		c->build_id = first_line(f, err);
		free(f);
		if (c->build_id && !is_hex(c->build_id)) {
			free(c->build_id);
			c->build_id = NULL;
			hp_error_set(err, -EINVAL, "%s/build-id is not hex", o->facts);
		}
	} else {
		hp_error_set(err, -EINVAL,
			     "no vmlinux build-id: give --build-id (hex, /sys/kernel/notes or the vmlinux) or --facts");
	}
	if (!c->build_id)
		return err->code;
	c->symbols = o->symbols ? strdup(o->symbols) :
		o->facts ? hp_asprintf("%s/kallsyms", o->facts) : NULL;
	if (!c->symbols)
		return hp_error_set(err, -EINVAL,
				    "no symbol table: give --symbols (a /proc/kallsyms dump or System.map) or --facts");
	if (o->vmlinux && access(o->vmlinux, R_OK))
		return hp_error_set(err, -errno, "--vmlinux %s: %s", o->vmlinux, strerror(errno));
	c->output = o->output ? strdup(o->output) : hp_asprintf("%s.ko", c->name);
	if (!c->config || !c->symvers || !c->symbols || !c->output)
		return hp_error_set(err, -ENOMEM, "out of memory");
	/* before minutes of compiling: can the module be written at all? */
	{
		char *dir = strdup(c->output), *slash;
		bool ok;

		if (!dir)
			return hp_error_set(err, -ENOMEM, "out of memory");
		slash = strrchr(dir, '/');
		if (slash)
			*slash = '\0';
		ok = !access(slash ? (*dir ? dir : "/") : ".", W_OK);
		if (!ok)
			hp_error_set(err, -ENOENT,
				     "cannot write the module '%s': its directory '%s' does not exist or is not writable",
				     c->output, slash ? dir : ".");
		free(dir);
		if (!ok)
			return err->code;
	}
	return 0;
}

/* ---- steps ---- */

static char *obj_of(const char *path);
static char *reusable_cmd(struct ctx *c, struct cfile *f);
static void orig_store(struct ctx *c, struct cfile *f, const char *obj);

/* The files of every diff, each once, in the order they first appear. */
static int parse_diffs(struct ctx *c, struct hp_error *err)
{
	size_t k, i, j;

	for (k = 0; k < c->o->nr_diffs; k++) {
		struct hp_patch_files one;
		char *text = hp_read_text(c->o->diffs[k], 64 << 20, err);
		int rc;

		if (!text)
			return err->code;
		rc = hp_patch_files_parse(text, &one, err);
		free(text);
		if (rc) {
			/* say which diff when there are several */
			if (c->o->nr_diffs > 1) {
				char msg[sizeof(err->msg)];

				snprintf(msg, sizeof(msg), "%s", err->msg);
				err->code = 0;
				hp_error_set(err, rc, "%s: %s", c->o->diffs[k], msg);
			}
			return rc;
		}
		for (i = 0; i < one.nr; i++) {
			struct hp_patch_file *f = NULL;

			for (j = 0; j < c->pf.nr; j++)
				if (!strcmp(c->pf.files[j].path, one.files[i].path))
					f = &c->pf.files[j];
			if (f) {
				/* a later diff may create or delete it too */
				f->created |= one.files[i].created;
				f->deleted |= one.files[i].deleted;
				continue;
			}
			f = hp_array_push((void **)&c->pf.files, &c->pf.nr,
					  &c->pf.alloc, sizeof(*f));
			if (!f) {
				hp_patch_files_free(&one);
				return hp_error_set(err, -ENOMEM, "out of memory");
			}
			*f = one.files[i];
			one.files[i].path = NULL;
		}
		hp_patch_files_free(&one);
	}
	return 0;
}

static int step_files(struct ctx *c, struct hp_error *err)
{
	size_t i;
	int rc;

	if (c->o->nr_diffs == 1)
		step_begin(c, "files", "%s", c->o->diffs[0]);
	else
		step_begin(c, "files", "%zu diffs, applied in order: %s …",
			   c->o->nr_diffs, c->o->diffs[0]);
	rc = parse_diffs(c, err);
	if (rc)
		return rc;
	c->c = calloc(c->pf.nr, sizeof(*c->c));
	c->headers = calloc(c->pf.nr, sizeof(*c->headers));
	if (!c->c || !c->headers)
		return hp_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < c->pf.nr; i++) {
		const struct hp_patch_file *f = &c->pf.files[i];

		if (f->created || f->deleted) {
			refuse(c, "files", f->path, f->created ? "new-file" : "deleted-file",
			       "put new code into an existing file the config builds",
			       "the diff %s the file; this pipeline only rebuilds existing files",
			       f->created ? "creates" : "deletes");
			continue;
		}
		switch (f->kind) {
		case HP_PF_C:
			c->c[c->nr_c].path = f->path;
			c->c[c->nr_c].obj = obj_of(f->path);
			if (!c->c[c->nr_c++].obj)
				return hp_error_set(err, -ENOMEM, "out of memory");
			break;
		case HP_PF_IGNORED:
			note(c, "%s: documentation, nothing to build", f->path);
			break;
		case HP_PF_HEADER:
			/* its includers: found in the kbuild step */
			c->headers[c->nr_headers++] = f->path;
			break;
		case HP_PF_OTHER:
			refuse(c, "files", f->path, "not-c",
			       "live patches change C functions: express the fix in a .c file",
			       "only .c files can be rebuilt into a patch (not Makefiles, Kconfig, assembly or other files)");
			break;
		}
	}
	if (!c->nr_c && !c->nr_headers && !nr_refusals(c))
		refuse(c, "files", NULL, "no-c-file", "the diff must change a .c file",
		       "the diff changes no .c file");
	for (i = 0; i < c->nr_c; i++)
		progress(c, "  %s", c->c[i].path);
	for (i = 0; i < c->nr_headers; i++)
		progress(c, "  %s (header: the built files that include it are rebuilt)",
			 c->headers[i]);
	step_end(c);
	return 0;
}

static int step_prepare(struct ctx *c, struct hp_error *err)
{
	int rc;

	struct hp_build_opts o = *c->o;

	const char **objs = calloc(c->nr_c + 1, sizeof(*objs));
	size_t i;

	if (!objs)
		return hp_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < c->nr_c; i++)
		objs[i] = c->c[i].obj;
	o.config = c->config;
	o.progress = c->prog;
	o.prepare_objs = objs;
	o.nr_prepare_objs = c->nr_c;
	step_begin(c, "prepare", "%s with %s", c->o->src, c->config);
	rc = hp_tree_open(&o, c->logdir, &c->tree, err);
	free(objs);
	if (rc)
		return rc;
	/* a new tree: prepare compiled the originals too; into the cache */
	for (i = 0; !c->tree->cached && i < c->nr_c; i++) {
		struct cfile *f = &c->c[i];
		char *obj = hp_asprintf("%s/%s", c->tree->dir, f->obj);

		if (obj && !access(obj, R_OK)) {
			f->cmdline = reusable_cmd(c, f);
			if (f->cmdline)
				orig_store(c, f, obj);
			unlink(obj);
		}
		free(obj);
	}
	progress(c, "  %s (%s)", c->tree->dir,
		 c->tree->cached ? "cached" : "new: olddefconfig + prepare done");
	json_object_object_add(c->report, "tree", jstr(c->tree->dir));
	json_object_object_add(c->report, "tree_cached",
			       json_object_new_boolean(c->tree->cached));
	step_end(c);
	return 0;
}

/* The user's copy of a file the diff touches may be newer than ours. */
static int refresh_from_user_tree(struct ctx *c, struct hp_error *err)
{
	struct stat st;
	size_t i;

	if (stat(c->o->src, &st) || !S_ISDIR(st.st_mode))
		return 0;
	for (i = 0; i < c->nr_c; i++) {
		char *theirs = hp_asprintf("%s/%s", c->o->src, c->c[i].path);
		char *ours = hp_asprintf("%s/%s", c->tree->dir, c->c[i].path);
		char *a = theirs ? hp_read_text(theirs, 64 << 20, NULL) : NULL;
		char *b = ours ? hp_read_text(ours, 64 << 20, NULL) : NULL;
		int rc = 0;

		if (a && (!b || strcmp(a, b))) {
			note(c, "%s differs from the prepared copy: taking the source tree's",
			     c->c[i].path);
			rc = hp_copy_file(theirs, ours, err);
		}
		free(theirs);
		free(ours);
		free(a);
		free(b);
		if (rc)
			return rc;
	}
	return 0;
}

static char *obj_of(const char *path)
{
	char *o = strdup(path);

	if (o)
		o[strlen(o) - 1] = 'o';
	return o;
}

static char *flat(const char *path)
{
	char *s = strdup(path), *p;

	for (p = s; p && *p; p++)
		if (*p == '/')
			*p = '_';
	return s;
}

/* Where the full log is, for a message: only when it will still be there. */
static char *logref(struct ctx *c, const char *log)
{
	return c->keep_logs ? hp_asprintf("(full log: %s)", log) :
		strdup("(--keep keeps the full log)");
}

/* tree/dir/.file.o.cmd of REL (dir/file.o) */
static char *dot_file(struct ctx *c, const char *rel, const char *suffix)
{
	const char *slash = strrchr(rel, '/');

	return slash ? hp_asprintf("%s/%.*s/.%s%s", c->tree->dir,
				   (int)(slash - rel), rel, slash + 1, suffix) :
		hp_asprintf("%s/.%s%s", c->tree->dir, rel, suffix);
}

/*
 * kbuild's command for F's object, recorded in its .cmd file the last time
 * make built it, when it can be run again as is (NULL: make it).
 */
static char *reusable_cmd(struct ctx *c, struct cfile *f)
{
	char *cmdp = dot_file(c, f->obj, ".cmd"), *cmd = NULL;
	char *conf = hp_asprintf("%s/include/config/auto.conf", c->tree->dir);
	struct hp_kbuild_cmd kc;
	struct stat cs, as;

	/* only what this tree's config compiled (a copied tree may hold older
	 * records): written after prepare's syncconfig */
	if (cmdp && conf && !stat(cmdp, &cs) && !stat(conf, &as) &&
	    (cs.st_mtim.tv_sec > as.st_mtim.tv_sec ||
	     (cs.st_mtim.tv_sec == as.st_mtim.tv_sec &&
	      cs.st_mtim.tv_nsec >= as.st_mtim.tv_nsec)) &&
	    !hp_kbuild_cmd_read(cmdp, &kc, NULL)) {
		if (kc.cmdline && hp_kbuild_cmd_reusable(kc.cmdline, f->obj, f->path))
			cmd = hp_asprintf("set -e; %s", kc.cmdline);
		hp_kbuild_cmd_free(&kc);
	}
	free(cmdp);
	free(conf);
	return cmd;
}

/* The cache of original objects: <cache entry>/objs/<flat>.o, valid while
 * <flat>.key matches the source text, the command and the compiler. */
static char *orig_key(struct ctx *c, struct cfile *f)
{
	char *src = hp_asprintf("%s/%s", c->tree->dir, f->path);
	char *text = src ? hp_read_text(src, 64 << 20, NULL) : NULL;
	uint64_t h = 1469598103934665603ull;
	const char *parts[3] = { text, f->cmdline, c->tree->cc };
	size_t i;

	free(src);
	if (!text || !f->cmdline)
		goto out;
	for (i = 0; i < 3; i++)
		for (const char *p = parts[i]; ; p++) {
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
			if (!*p)
				break;
		}
out:
	free(text);
	return text && f->cmdline ? hp_asprintf("%016llx\n", (unsigned long long)h) : NULL;
}

static char *cache_path(struct ctx *c, struct cfile *f, const char *suffix)
{
	char *fl = flat(f->path);
	char *p = fl ? hp_asprintf("%s/objs/%s%s", c->tree->root, fl, suffix) : NULL;

	free(fl);
	return p;
}

static bool orig_cached(struct ctx *c, struct cfile *f, const char *dst)
{
	char *key = orig_key(c, f), *kp = cache_path(c, f, ".key");
	char *op = cache_path(c, f, ".o");
	char *have = kp ? hp_read_text(kp, 64, NULL) : NULL;
	bool hit = key && have && !strcmp(key, have) && op && !access(op, R_OK) &&
		!hp_copy_file(op, dst, NULL);

	free(key);
	free(kp);
	free(op);
	free(have);
	return hit;
}

static void orig_store(struct ctx *c, struct cfile *f, const char *obj)
{
	char *key = orig_key(c, f), *kp = cache_path(c, f, ".key");
	char *op = cache_path(c, f, ".o");
	char *dir = hp_asprintf("%s/objs", c->tree->root);
	FILE *o;

	if (key && kp && op && dir && !hp_mkdir_p(dir, NULL)) {
		unlink(kp);
		if (!hp_copy_file(obj, op, NULL) && (o = fopen(kp, "w"))) {
			fputs(key, o);
			fclose(o);
		}
	}
	free(key);
	free(kp);
	free(op);
	free(dir);
}

/*
 * Compile every file as the tree has it now into work/SIDE/ ("orig" or
 * "patched"): with kbuild's recorded command when there is one (no make
 * walk over the tree: the same command make would run), else `make
 * path/file.o` once, which records it. Several files compile at once.
 */
static int compile_side(struct ctx *c, const char *side, bool *failed,
			struct hp_error *err)
{
	bool orig = !strcmp(side, "orig");
	size_t n = c->nr_c, i, nq = 0;
	char ***argvs = calloc(n, sizeof(*argvs));
	char **logs = calloc(n, sizeof(*logs));
	char **qlogs = calloc(n, sizeof(*qlogs));
	size_t *qidx = calloc(n, sizeof(*qidx));
	int *status = calloc(n, sizeof(*status));
	int *qstatus = calloc(n, sizeof(*qstatus));
	bool *done = calloc(n, sizeof(*done));
	int rc = 0;

	*failed = false;
	if (!argvs || !logs || !qlogs || !qidx || !status || !qstatus || !done) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < n && !rc; i++) {
		struct cfile *f = &c->c[i];
		char *fl = flat(f->path);
		char *dst = hp_asprintf("%s/%s/%s", c->work, side, f->obj);
		char *dir = dst ? strdup(dst) : NULL;

		logs[i] = fl ? hp_asprintf("%s/compile-%s-%s.log", c->logdir, side, fl) : NULL;
		free(fl);
		if (!logs[i] || !dst || !dir) {
			free(dst);
			free(dir);
			rc = hp_error_set(err, -ENOMEM, "out of memory");
			break;
		}
		unlink(logs[i]);
		*strrchr(dir, '/') = '\0';
		rc = hp_mkdir_p(dir, err);
		free(dir);
		if (!rc && !f->cmdline)
			f->cmdline = reusable_cmd(c, f);
		if (!rc && orig && orig_cached(c, f, dst)) {
			progress(c, "  %s: original from the cache", f->path);
			f->orig_o = dst;
			done[i] = true;
			continue;
		}
		free(dst);
		if (rc)
			break;
		if (!f->cmdline) {
			/* no record yet: make, once (it records the command) */
			progress(c, "  %s: make %s (kbuild has no command recorded for it yet)",
				 f->path, f->obj);
			rc = hp_tree_make(c->tree, c->o->jobs, f->obj, logs[i],
					  &status[i], err);
			if (!rc && !status[i]) {
				f->cmdline = reusable_cmd(c, f);
				if (!f->cmdline)
					note(c, "%s: kbuild's record of %s cannot be run again as is: make builds it each time",
					     f->path, f->obj);
			}
			continue;
		}
		{
			char *obj = hp_asprintf("%s/%s", c->tree->dir, f->obj);

			if (obj)
				unlink(obj);
			free(obj);
		}
		argvs[nq] = calloc(4, sizeof(char *));
		if (!argvs[nq]) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
			break;
		}
		argvs[nq][0] = "sh";
		argvs[nq][1] = "-c";
		argvs[nq][2] = f->cmdline;
		qlogs[nq] = logs[i];
		qidx[nq++] = i;
	}
	if (!rc && nq)
		rc = hp_spawn_many(argvs, nq, c->o->jobs, c->tree->dir, qlogs,
				   qstatus, err);
	for (i = 0; !rc && i < nq; i++) {
		char *d = dot_file(c, c->c[qidx[i]].obj, ".d");

		status[qidx[i]] = qstatus[i];
		if (d)
			unlink(d);	/* what make's fixdep would have removed */
		free(d);
	}
	for (i = 0; i < n && !rc; i++) {
		struct cfile *f = &c->c[i];
		char *src, *dst;

		if (done[i])
			continue;
		src = hp_asprintf("%s/%s", c->tree->dir, f->obj);
		dst = hp_asprintf("%s/%s/%s", c->work, side, f->obj);
		if (!src || !dst) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
		} else if (status[i] || access(src, R_OK)) {
			char *tail = hp_file_tail(logs[i], 15);
			char *ref = logref(c, logs[i]);

			*failed = true;
			if (orig)
				rc = hp_error_set(err, -EIO,
						  "the original %s does not compile in the prepared tree, %s:\n%s\n%s",
						  f->path, f->kbuild_builds ?
						  "although kbuild builds it with this config (is the tree the target's?)" :
						  "and kbuild's Makefiles could not say whether the config builds it (see the notes)",
						  tail, ref ? ref : "");
			else
				refuse(c, "compile", f->path, "does-not-compile",
				       "fix the diff so that the file compiles",
				       "the patched file does not compile:\n%s\n%s",
				       tail, ref ? ref : "");
			free(tail);
			free(ref);
		} else {
			rc = hp_copy_file(src, dst, err);
			if (!rc && orig) {
				orig_store(c, f, dst);
				f->orig_o = dst;
				dst = NULL;
			} else if (!rc) {
				f->patched_o = dst;
				dst = NULL;
			}
		}
		free(src);
		free(dst);
	}
out:
	for (i = 0; argvs && i < nq; i++)
		free(argvs[i]);
	for (i = 0; logs && i < n; i++)
		free(logs[i]);
	free(argvs);
	free(logs);
	free(qlogs);
	free(qidx);
	free(status);
	free(qstatus);
	free(done);
	return rc;
}

/* The file the failing hunk of a `patch` run was for (its last "patching
 * file X" line before the failure), or NULL. */
static char *failed_file(const char *log)
{
	char *text = hp_read_text(log, 1 << 20, NULL), *line, *save = NULL;
	char *cur = NULL;

	for (line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (hp_str_starts(line, "patching file ")) {
			free(cur);
			cur = strdup(line + strlen("patching file "));
		} else if (strstr(line, "FAILED") || strstr(line, "Skipping patch") ||
			   strstr(line, "can't find file") ||
			   strstr(line, "No file to patch")) {
			break;
		}
	}
	free(text);
	return cur;
}

static const char *base_name(const char *p)
{
	const char *s = strrchr(p, '/');

	return s ? s + 1 : p;
}

/*
 * Apply the diffs, in order, to copies of the files they touch
 * (work/src/): the patched text, before the tree is touched. A diff that
 * does not apply after the ones before it is refused, naming the file.
 */
static int apply_diffs(struct ctx *c, struct hp_error *err)
{
	char *scratch = hp_asprintf("%s/src", c->work);
	size_t i, k;
	int rc = 0;

	if (!scratch)
		return hp_error_set(err, -ENOMEM, "out of memory");
	rc = hp_mkdir_p(scratch, err);
	for (i = 0; i < c->pf.nr && !rc; i++) {
		char *from = hp_asprintf("%s/%s", c->tree->dir, c->pf.files[i].path);
		char *to = hp_asprintf("%s/%s", scratch, c->pf.files[i].path);
		char *dir = to ? strdup(to) : NULL;

		if (!from || !to || !dir) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
		} else if (!access(from, F_OK)) {
			*strrchr(dir, '/') = '\0';
			rc = hp_mkdir_p(dir, err) ?: hp_copy_file(from, to, err);
		}
		free(from);
		free(to);
		free(dir);
	}
	for (k = 0; k < c->o->nr_diffs && !rc; k++) {
		char real[PATH_MAX];
		char *log = hp_asprintf("%s/patch-%zu.log", c->logdir, k + 1);
		/* --fuzz=0: every context line must match the target's source */
		char *argv[] = { "patch", "-p1", "--batch", "--forward", "--fuzz=0",
				 "--no-backup-if-mismatch", "-r", "-", "-d", scratch,
				 "-i", real, NULL };
		int status;

		if (!log) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
			break;
		}
		if (!realpath(c->o->diffs[k], real)) {
			rc = hp_error_set(err, -errno, "%s: %s", c->o->diffs[k],
					  strerror(errno));
		} else {
			unlink(log);
			rc = hp_spawn(argv, NULL, log, NULL, &status, err);
		}
		if (!rc && status) {
			char *tail = hp_file_tail(log, 8);
			char *file = failed_file(log);

			if (!k)
				refuse(c, "compile", file, "does-not-apply",
				       "make the diff against the target's source (Debian: linux-source of the same version), -p1",
				       "the diff %s does not apply to %s:\n%s",
				       base_name(c->o->diffs[k]), c->o->src, tail);
			else
				refuse(c, "compile", file, "does-not-apply",
				       "make each diff against the source with the diffs before it applied, and give them in that order",
				       "the diff %s does not apply after the %zu diff(s) before it (%s%s):\n%s",
				       base_name(c->o->diffs[k]), k,
				       base_name(c->o->diffs[0]), k > 1 ? ", …" : "",
				       tail);
			free(tail);
			free(file);
			free(log);
			break;
		}
		free(log);
	}
	free(scratch);
	return rc;
}

/* Put the patched copies (work/src/) into the tree, the originals saved. */
static int tree_apply(struct ctx *c, struct hp_error *err)
{
	size_t i;
	int rc = hp_tree_backup(c->tree, &c->pf, err);

	for (i = 0; i < c->pf.nr && !rc; i++) {
		char *from = hp_asprintf("%s/src/%s", c->work, c->pf.files[i].path);
		char *to = hp_asprintf("%s/%s", c->tree->dir, c->pf.files[i].path);

		if (!from || !to) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
		} else if (!access(from, F_OK)) {
			unlink(to);	/* a fresh file: the saved copy stays intact */
			rc = hp_copy_file(from, to, err);
		}
		free(from);
		free(to);
	}
	return rc;
}

/*
 * The built .c files that include a changed header, or a changed .c file
 * (fs/compat_binfmt_elf.c includes binfmt_elf.c), directly or through other
 * headers: compiled and diffed with the diff's own files. Too many: refused.
 */
/* Does a .c file next to PATH name it in quotes (an include, likely)?
 * Cheap: the whole include graph takes seconds. */
static bool sibling_includes(struct ctx *c, const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash ? hp_asprintf("%s/%.*s", c->tree->dir, (int)(slash - path), path) : NULL;
	char *needle = slash ? hp_asprintf("\"%s\"", slash + 1) : NULL;
	DIR *d = dir ? opendir(dir) : NULL;
	struct dirent *e;
	bool hit = false;

	while (d && needle && !hit && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char *p, *text;

		if (l < 3 || strcmp(e->d_name + l - 2, ".c") || !strcmp(e->d_name, slash + 1))
			continue;
		p = hp_asprintf("%s/%s", dir, e->d_name);
		text = p ? hp_read_text(p, 64 << 20, NULL) : NULL;
		hit = text && strstr(text, needle);
		free(p);
		free(text);
	}
	if (d)
		closedir(d);
	free(dir);
	free(needle);
	return hit;
}

static int dependents(struct ctx *c, struct hp_error *err)
{
	const char **changed = calloc(c->nr_c + c->nr_headers + 1, sizeof(*changed));
	char **inc = NULL, **built = NULL;
	size_t nr_inc = 0, nr_built = 0, n = 0, i, k;
	double t = now();
	int rc = 0;

	if (!changed)
		return hp_error_set(err, -ENOMEM, "out of memory");
	for (i = 0, k = c->nr_headers; !k && i < c->nr_c; i++)
		k = sibling_includes(c, c->c[i].path);
	if (!k) {
		free(changed);
		return 0;
	}
	for (i = 0; i < c->nr_headers; i++)
		changed[n++] = c->headers[i];
	for (i = 0; i < c->nr_c; i++)
		changed[n++] = c->c[i].path;
	rc = hp_includers(c->tree->dir, changed, n, &inc, &nr_inc, err);
	if (rc)
		goto out;
	/* the diff's own files are there already */
	for (i = k = 0; i < nr_inc; i++) {
		bool own = false;
		size_t j;

		for (j = 0; j < c->nr_c; j++)
			own |= !strcmp(c->c[j].path, inc[i]);
		if (own)
			free(inc[i]);
		else
			inc[k++] = inc[i];
	}
	nr_inc = k;
	if (c->nr_headers || nr_inc)
		progress(c, "  include graph: %zu file(s) include the changed file(s) (%.1f s)",
			 nr_inc, now() - t);
	c->via = calloc(1, 1);
	for (i = 0; c->via && i < n; i++) {
		char *v = hp_asprintf("%s%s%s", c->via, i ? ", " : "", changed[i]);

		free(c->via);
		c->via = v;
	}
	if (!c->via) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	if (hp_dependents_bound(nr_inc, 0) == HP_DEP_INCLUDERS) {
		/* no kbuild query for each: far too many anyway */
		refuse(c, "kbuild", c->nr_headers ? c->headers[0] : changed[0], "header",
		       "move the change into the .c files that need it (a static inline changed there is patched with its callers)",
		       "%zu .c files include %s (at most %d built ones are rebuilt), e.g. %s, %s, %s, …",
		       nr_inc, c->via, HP_MAX_DEPENDENTS, inc[0], inc[1], inc[2]);
		goto out;
	}
	built = calloc(nr_inc + 1, sizeof(*built));
	if (!built) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < nr_inc; i++) {
		struct hp_error qerr = { 0 };
		char *why = NULL;
		int in = hp_tree_kbuild_object(c->tree, inc[i], c->logdir, &why, &qerr);

		free(why);
		if (in == -EINTR || hp_build_interrupted) {
			rc = hp_error_set(err, -EINTR, "interrupted");
			goto out;
		}
		if (in == HP_KB_BUILTIN || in == HP_KB_MODULE) {
			built[nr_built++] = inc[i];
			progress(c, "  %s: includes it, %s", inc[i],
				 in == HP_KB_MODULE ? "built into a module" : "built in");
		}
	}
	if (hp_dependents_bound(nr_inc, nr_built) == HP_DEP_BUILT) {
		char list[1024] = "";

		for (i = 0; i < nr_built && i < 10; i++)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s",
				 i ? ", " : "", built[i]);
		refuse(c, "kbuild", c->nr_headers ? c->headers[0] : changed[0], "header",
		       "move the change into the .c files that need it (a static inline changed there is patched with its callers)",
		       "%zu built .c files include %s (at most %d are rebuilt): %s%s",
		       nr_built, c->via, HP_MAX_DEPENDENTS, list, nr_built > 10 ? ", …" : "");
		goto out;
	}
	if (c->nr_headers && !nr_built) {
		note(c, "no file the config builds includes %s", c->via);
		goto out;
	}
	if (nr_built) {
		struct cfile *nc = realloc(c->c, (c->nr_c + nr_built) * sizeof(*nc));

		if (!nc) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		c->c = nc;
		for (i = 0; i < nr_built; i++) {
			struct cfile *f = &c->c[c->nr_c];

			memset(f, 0, sizeof(*f));
			f->own_path = strdup(built[i]);
			f->path = f->own_path;
			f->obj = f->path ? obj_of(f->path) : NULL;
			f->via = c->via;
			f->kbuild_builds = true;
			f->j = json_object_new_object();
			c->nr_c++;
			if (!f->obj || !f->j) {
				rc = hp_error_set(err, -ENOMEM, "out of memory");
				goto out;
			}
			json_object_object_add(f->j, "file", jstr(f->path));
			json_object_object_add(f->j, "includes", jstr(f->via));
			json_object_array_add(c->files, f->j);
		}
	}
out:
	for (i = 0; i < nr_inc; i++)
		free(inc[i]);
	free(inc);
	free(built);
	free(changed);
	return rc;
}

/* kbuild's Makefiles, before anything is compiled: does the config build
 * each file at all? (`make path/file.o` compiles a file even when not.) */
static int step_kbuild(struct ctx *c, struct hp_error *err)
{
	size_t i, k;
	int rc;

	step_begin(c, "kbuild", "does the config build each file?");
	for (i = 0; i < c->nr_c; i++) {
		struct cfile *f = &c->c[i];
		struct hp_error qerr = { 0 };
		char *why = NULL;
		bool overridden = false;
		int in;

		for (k = 0; k < c->o->nr_object_overrides; k++) {
			const char *ov = c->o->object_overrides[k];

			overridden |= strlen(ov) > strlen(f->path) &&
				!strncmp(ov, f->path, strlen(f->path)) &&
				ov[strlen(f->path)] == '=';
		}
		if (overridden) {
			progress(c, "  %s: --object says where it goes", f->path);
			continue;
		}
		in = hp_tree_kbuild_object(c->tree, f->path, c->logdir, &why, &qerr);
		if (in == -EINTR || hp_build_interrupted) {
			free(why);
			return hp_error_set(err, -EINTR, "interrupted");
		}
		if (in < 0) {
			note(c, "%s: kbuild's Makefiles could not be read (%s): the target's symbols decide after compiling",
			     f->path, qerr.msg);
		} else if (in == HP_KB_NO) {
			refuse(c, "kbuild", f->path, "not-built",
			       "check the config (is the option that builds it on?), or give --object FILE=OBJECT",
			       "the config does not build it: %s", why);
		} else {
			f->kbuild_builds = true;
			progress(c, "  %s: %s", f->path,
				 in == HP_KB_MODULE ? "built into a module" : "built in");
		}
		free(why);
	}
	rc = dependents(c, err);
	step_end(c);
	return rc;
}

static int step_compile(struct ctx *c, struct hp_error *err)
{
	bool failed;
	size_t i;
	int rc, rrc;

	step_begin(c, "compile", "%zu file(s), original and patched", c->nr_c);
	rc = refresh_from_user_tree(c, err);
	if (rc)
		goto out;
	rc = apply_diffs(c, err);
	if (rc || nr_refusals(c))
		goto out;
	rc = compile_side(c, "orig", &failed, err);
	if (rc || failed)
		goto out;
	progress(c, "  original: done");
	rc = tree_apply(c, err);
	if (!rc)
		rc = compile_side(c, "patched", &failed, err);
	if (!rc && !failed)
		progress(c, "  patched: done");
	rrc = hp_tree_restore(c->tree, rc ? NULL : err);
	if (!rc)
		rc = rrc;
	else if (rrc)
		progress(c, "  could not restore the tree: %s", c->tree->root);
	if (!rrc) {
		/* the patched objects must not survive in the tree */
		for (i = 0; i < c->nr_c; i++) {
			char *p = hp_asprintf("%s/%s", c->tree->dir, c->c[i].obj);

			if (p)
				unlink(p);
			free(p);
		}
		progress(c, "  tree restored");
	}
out:
	step_end(c);
	return rc;
}

/* Find MOD.ko (dashes and underscores alike) under DIR. */
static char *find_ko(const char *dir, const char *mod)
{
	char *cmd_out = NULL, *name = hp_asprintf("%s.ko", mod), *alt, *p;
	char *argv[] = { "find", (char *)dir, "(", "-name", name, "-o", "-name",
			 NULL, ")", "-print", "-quit", NULL };
	int status;

	if (!name)
		return NULL;
	alt = strdup(name);
	for (p = alt; p && *p; p++)
		if (*p == '_')
			*p = '-';
	argv[7] = alt;
	if (alt && !hp_spawn(argv, NULL, NULL, &cmd_out, &status, NULL) &&
	    !status && cmd_out && *cmd_out) {
		cmd_out[strcspn(cmd_out, "\n")] = '\0';
	} else {
		free(cmd_out);
		cmd_out = NULL;
	}
	free(name);
	free(alt);
	return cmd_out;
}

static bool same_modname(const char *a, const char *b)
{
	for (; *a && *b; a++, b++)
		if (*a != *b && !((*a == '-' || *a == '_') && (*b == '-' || *b == '_')))
			return false;
	return *a == *b;
}

/* The .ko of module MOD: --module-object MOD=PATH, or --modules DIR. */
static char *module_ko(struct ctx *c, const char *mod)
{
	size_t i;

	for (i = 0; i < c->o->nr_module_objects; i++) {
		const char *eq = strchr(c->o->module_objects[i], '=');

		if (eq && (size_t)(eq - c->o->module_objects[i]) == strlen(mod) &&
		    !strncmp(c->o->module_objects[i], mod, strlen(mod)))
			return strdup(eq + 1);
		/* a bare path: its file name says the module */
		if (!eq) {
			const char *b = strrchr(c->o->module_objects[i], '/');
			char *n = strdup(b ? b + 1 : c->o->module_objects[i]);
			bool same;

			if (!n)
				return NULL;
			if (strlen(n) > 3 && !strcmp(n + strlen(n) - 3, ".ko"))
				n[strlen(n) - 3] = '\0';
			same = same_modname(n, mod);
			free(n);
			if (same)
				return strdup(c->o->module_objects[i]);
		}
	}
	return c->o->modules_dir ? find_ko(c->o->modules_dir, mod) : NULL;
}

static int object_of(struct ctx *c, struct cfile *f, struct hp_error *err)
{
	char *obj = obj_of(f->path), *slash, *cmdp;
	struct hp_kbuild_cmd kc;
	size_t matched, total, i;
	const char *how;
	int rc;

	if (!obj)
		return hp_error_set(err, -ENOMEM, "out of memory");
	for (i = 0; i < c->o->nr_object_overrides; i++) {
		const char *ov = c->o->object_overrides[i], *eq = strchr(ov, '=');

		if (eq && (size_t)(eq - ov) == strlen(f->path) &&
		    !strncmp(ov, f->path, eq - ov)) {
			f->object = strdup(eq + 1);
			how = "--object";
			goto found;
		}
	}
	slash = strrchr(obj, '/');
	cmdp = slash ? hp_asprintf("%s/%.*s/.%s.cmd", c->tree->dir,
				   (int)(slash - obj), obj, slash + 1) :
		hp_asprintf("%s/.%s.cmd", c->tree->dir, obj);
	rc = hp_kbuild_cmd_read(cmdp, &kc, err);
	free(cmdp);
	hp_kbuild_cmd_free(&kc);
	if (rc)
		goto out;
	if (kc.module) {
		f->object = strdup(kc.modname);
		how = "kbuild: part of a module";
	} else {
		rc = hp_symset_match(c->syms, "vmlinux", f->orig_o, &matched,
				     &total, err);
		if (rc)
			goto out;
		if (!total) {
			refuse(c, "objects", f->path, "no-functions",
			       "patch a file that defines functions",
			       "the file defines no functions");
			goto out;
		}
		if (!matched || matched * 2 < total) {
			refuse(c, "objects", f->path, "not-built",
			       "check the config (is the option that builds it on?), or give --object FILE=OBJECT",
			       "the config does not build it: kbuild does not make it part of a module, and only %zu of its %zu functions are in vmlinux's symbol table (%s)",
			       matched, total, c->symbols);
			goto out;
		}
		f->object = strdup("vmlinux");
		how = "kbuild: built in";
	}
found:
	if (!f->object) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	if (strcmp(f->object, "vmlinux")) {
		f->module_ko = module_ko(c, f->object);
		if (f->module_ko) {
			rc = hp_symset_add_module(c->syms, f->object, f->module_ko, err);
			if (rc)
				goto out;
		}
		if (!f->module_ko) {
			refuse(c, "objects", f->path, "module-unknown",
			       "give --module-object MOD=PATH.ko or --modules DIR (Debian: /lib/modules/RELEASE of the image package)",
			       "the file is part of module '%s', whose .ko was not given (the patch must name the module's build)",
			       f->object);
			goto out;
		}
	}
	rc = hp_symset_match(c->syms, f->object, f->orig_o, &matched, &total, err);
	if (rc)
		goto out;
	if (total && !matched) {
		refuse(c, "objects", f->path, "not-in-target",
		       "build from the target kernel's own source and config",
		       "none of its %zu functions are in %s of the target: the tree or the config is not the target's",
		       total, f->object);
		goto out;
	}
	progress(c, "  %s -> %s (%s; %zu of %zu functions found in the target)",
		 f->path, f->object, how, matched, total);
	json_object_object_add(f->j, "object", jstr(f->object));
	json_object_object_add(f->j, "object_how", jstr(how));
	if (f->module_ko)
		json_object_object_add(f->j, "module_object", jstr(f->module_ko));
out:
	free(obj);
	return rc;
}

static int step_objects(struct ctx *c, struct hp_error *err)
{
	size_t i;
	int rc;

	step_begin(c, "objects", "vmlinux or which module, from kbuild and %s",
		   c->symbols);
	rc = hp_kallsyms_load(c->symbols, &c->syms, err);
	for (i = 0; !rc && i < c->nr_c; i++)
		rc = object_of(c, &c->c[i], err);
	step_end(c);
	return rc;
}

static void print_names(struct ctx *c, struct json_object *v, const char *key,
			const char *title)
{
	struct json_object *a;
	char buf[1024] = "";
	size_t i, n;

	if (!json_object_object_get_ex(v, key, &a) ||
	    !json_object_is_type(a, json_type_array) ||
	    !(n = json_object_array_length(a)))
		return;
	for (i = 0; i < n; i++) {
		struct json_object *s = json_object_array_get_idx(a, i), *nm;

		if (json_object_object_get_ex(s, "name", &nm) &&
		    strlen(buf) + 64 < sizeof(buf))
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%s",
				 i ? ", " : "", json_object_get_string(nm));
	}
	progress(c, "  %s: %s", title, buf);
}

/* The differ's notes of one file (callers redirected, code left out, …). */
static void print_notes(struct ctx *c, struct json_object *v, const char *path)
{
	struct json_object *a;
	size_t i, n;

	if (!json_object_object_get_ex(v, "notes", &a) ||
	    !json_object_is_type(a, json_type_array))
		return;
	n = json_object_array_length(a);
	for (i = 0; i < n; i++)
		progress(c, "  %s: note: %s", path,
			 json_object_get_string(json_object_array_get_idx(a, i)));
}

static bool has_sibling(struct ctx *c, size_t i)
{
	size_t k;

	for (k = 0; k < c->nr_c; k++)
		if (k != i && !strcmp(c->c[k].object, c->c[i].object))
			return true;
	return false;
}

/*
 * Files of one object may use each other's new globals (a new function of
 * one file called from another): resolve must know them (--with). A plain
 * diff of each such file first gives what it defines.
 */
static int plain_diffs(struct ctx *c, struct hp_error *err)
{
	size_t i;
	int rc = 0;

	for (i = 0; i < c->nr_c && !rc; i++) {
		struct cfile *f = &c->c[i];
		char *fl, *log, *out, *dir;
		int status = 1;

		if (!has_sibling(c, i))
			continue;
		fl = flat(f->path);
		log = fl ? hp_asprintf("%s/plain-%s.log", c->logdir, fl) : NULL;
		out = fl ? hp_asprintf("%s/plain/%s.o", c->work, fl) : NULL;
		dir = hp_asprintf("%s/plain", c->work);
		if (!fl || !log || !out || !dir) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
		} else {
			char *argv[] = { (char *)c->o->self, "diff", "--target",
					 f->object, "-o", out, f->orig_o,
					 f->patched_o, NULL };

			rc = hp_mkdir_p(dir, err) ?:
				hp_spawn(argv, NULL, log, NULL, &status, err);
		}
		/* refusals and errors show in the real run */
		if (!rc && !status && !access(out, R_OK)) {
			f->plain_o = out;
			out = NULL;
		}
		free(fl);
		free(log);
		free(out);
		free(dir);
	}
	return rc;
}

/* A verdict of status 0 that lists no function: nothing to patch. */
static bool empty_verdict(struct json_object *v)
{
	struct json_object *fn;

	return json_object_object_get_ex(v, "functions", &fn) &&
		json_object_is_type(fn, json_type_array) &&
		!json_object_array_length(fn);
}

static int step_diff(struct ctx *c, struct hp_error *err)
{
	size_t i, j, nothing = 0;
	int rc = 0;

	step_begin(c, "diff", "differ and resolve, per file");
	rc = plain_diffs(c, err);
	for (i = 0; i < c->nr_c && !rc; i++) {
		struct cfile *f = &c->c[i];
		char *fl = flat(f->path);
		char *log = fl ? hp_asprintf("%s/diff-%s.log", c->logdir, fl) : NULL;
		char *out = fl ? hp_asprintf("%s/patch/%s.o", c->work, fl) : NULL;
		char *dir = hp_asprintf("%s/patch", c->work);
		char **argv = calloc(24 + 2 * c->o->nr_sympos + 2 * c->nr_c,
				     sizeof(*argv));
		char *json = NULL;
		struct json_object *v = NULL, *e;
		int n = 0, status;

		if (!fl || !log || !out || !dir || !argv) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
			goto next;
		}
		rc = hp_mkdir_p(dir, err);
		if (rc)
			goto next;
		argv[n++] = (char *)c->o->self;
		argv[n++] = "diff";
		for (j = 0; j < c->nr_c; j++)
			if (j != i && c->c[j].plain_o &&
			    !strcmp(c->c[j].object, f->object)) {
				argv[n++] = "--with";
				argv[n++] = c->c[j].plain_o;
			}
		argv[n++] = "--json";
		argv[n++] = "-o";
		argv[n++] = out;
		argv[n++] = "--target";
		argv[n++] = f->object;
		argv[n++] = "--symbols";
		argv[n++] = c->symbols;
		if (c->o->vmlinux && !strcmp(f->object, "vmlinux")) {
			argv[n++] = "--vmlinux";
			argv[n++] = (char *)c->o->vmlinux;
		}
		argv[n++] = "--symvers";
		argv[n++] = c->symvers;
		if (f->module_ko) {
			argv[n++] = "--module-object";
			argv[n++] = f->module_ko;
		}
		for (j = 0; j < c->o->nr_sympos; j++) {
			argv[n++] = "--sympos";
			argv[n++] = c->o->sympos[j];
		}
		argv[n++] = f->orig_o;
		argv[n++] = f->patched_o;
		argv[n] = NULL;
		unlink(log);
		rc = hp_spawn(argv, NULL, log, &json, &status, err);
		if (rc)
			goto next;
		v = json_tokener_parse(json);
		if (status == 1 || !v || !json_object_is_type(v, json_type_object)) {
			/* the first lines say what went wrong (usage follows) */
			char *tail = hp_read_text(log, 1 << 20, NULL);
			const char *msg;

			if (tail && strstr(tail, "\nusage:"))
				*strstr(tail, "\nusage:") = '\0';
			msg = v && json_object_object_get_ex(v, "error", &e) ?
				json_object_get_string(e) : tail ? tail : "";

			rc = hp_error_set(err, -EIO, "%s: hotpatch-build diff failed (status %d): %s",
					  f->path, status, msg);
			free(tail);
			goto next;
		}
		json_object_object_add(f->j, "verdict", json_object_get(v));
		if (status == 3) {
			f->nothing = true;
			nothing++;
			if (f->via)
				note(c, "%s: unchanged by the change to %s", f->path, f->via);
			else
				note(c, "%s: nothing to patch (no function changed)", f->path);
			print_notes(c, v, f->path);
		} else if (status == 2) {
			struct json_object *rs;

			if (json_object_object_get_ex(v, "refusals", &rs))
				for (j = 0; j < json_object_array_length(rs); j++) {
					struct json_object *r = json_object_array_get_idx(rs, j);
					struct json_object *rule, *sym, *reason, *wa;

					json_object_object_get_ex(r, "rule", &rule);
					json_object_object_get_ex(r, "symbol", &sym);
					json_object_object_get_ex(r, "reason", &reason);
					json_object_object_get_ex(r, "workaround", &wa);
					refuse(c, "diff", f->path, json_object_get_string(rule),
					       json_object_get_string(wa), "%s: %s%s%s%s",
					       json_object_get_string(sym),
					       json_object_get_string(reason),
					       f->via ? " (it includes " : "",
					       f->via ? f->via : "", f->via ? ")" : "");
				}
			if (!json_object_object_get_ex(v, "refusals", &rs) ||
			    !json_object_array_length(rs))
				refuse(c, "diff", f->path, "refused", NULL,
				       "the differ refused the change (see its verdict)");
		} else if (status == 0 && empty_verdict(v)) {
			f->nothing = true;
			nothing++;
			note(c, "%s: nothing to patch (the differ left every change out; see its notes)",
			     f->path);
			print_notes(c, v, f->path);
		} else if (status == 0) {
			f->patch_o = out;
			out = NULL;
			json_object_object_add(f->j, "patch_object", jstr(f->patch_o));
			print_names(c, v, "functions", f->path);
			print_notes(c, v, f->path);
		} else {
			rc = hp_error_set(err, -EIO, "%s: hotpatch-build diff exited with %d",
					  f->path, status);
		}
next:
		json_object_put(v);
		free(json);
		free(argv);
		free(fl);
		free(log);
		free(out);
		free(dir);
	}
	if (!rc && nothing == c->nr_c && c->nr_c)
		progress(c, "  nothing to patch in any file");
	step_end(c);
	return rc;
}

/*
 * A .c file included by another (fs/compat_binfmt_elf.c includes
 * binfmt_elf.c): both copies of a changed static function have the same
 * name and the same neighbours in kallsyms. The vmlinux's FILE symbols
 * (--vmlinux) tell them apart in the resolve stage; without them the
 * change is refused, naming the function and the option.
 */
static void included_copies(struct ctx *c)
{
	size_t i, j, a, b;

	if (c->nr_headers || c->o->vmlinux)
		return;
	for (i = 0; i < c->nr_c; i++)
		for (j = i + 1; j < c->nr_c; j++) {
			struct json_object *vi, *vj, *fi, *fj;

			if (!c->c[i].patch_o || !c->c[j].patch_o || !c->c[j].via ||
			    strcmp(c->c[i].object, c->c[j].object) ||
			    !json_object_object_get_ex(c->c[i].j, "verdict", &vi) ||
			    !json_object_object_get_ex(c->c[j].j, "verdict", &vj) ||
			    !json_object_object_get_ex(vi, "functions", &fi) ||
			    !json_object_object_get_ex(vj, "functions", &fj))
				continue;
			for (a = 0; a < json_object_array_length(fi); a++)
				for (b = 0; b < json_object_array_length(fj); b++) {
					struct json_object *na, *nb;
					const char *x, *y;

					json_object_object_get_ex(json_object_array_get_idx(fi, a),
								  "name", &na);
					json_object_object_get_ex(json_object_array_get_idx(fj, b),
								  "name", &nb);
					x = json_object_get_string(na);
					y = json_object_get_string(nb);
					if (x && y && !strcmp(x, y))
						refuse(c, "diff", c->c[j].path, "included-c",
						       "give the target's unstripped vmlinux (--vmlinux, from linux-image-RELEASE-dbg): its FILE symbols tell the copies apart",
						       "%s: %s includes %s, and both copies of it changed: the target's two '%s' have the same name and neighbours in %s, which has no file names",
						       x, c->c[j].path, c->c[j].via, x, c->symbols);
				}
		}
}

static int step_module(struct ctx *c, bool *nothing, struct hp_error *err)
{
	char **argv = calloc(40 + 2 * c->nr_c + 2 * c->o->nr_module_objects, sizeof(*argv));
	char **own = calloc(2 * c->nr_c + 2, sizeof(*own));
	char *log = hp_asprintf("%s/module.log", c->logdir);
	char *wd = hp_asprintf("%s/module", c->work);
	char *json = NULL;
	struct json_object *v = NULL, *e;
	size_t i, nown = 0;
	int n = 0, status, rc;

	step_begin(c, "module", "%s", c->output);
	if (!argv || !own || !log || !wd) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	argv[n++] = (char *)c->o->self;
	argv[n++] = "module";
	argv[n++] = "--json";
	argv[n++] = "-o";
	argv[n++] = c->output;
	argv[n++] = "--name";
	argv[n++] = c->name;
	argv[n++] = "--kdir";
	argv[n++] = (char *)c->o->kdir;
	argv[n++] = "--release";
	argv[n++] = c->release;
	argv[n++] = "--build-id";
	argv[n++] = c->build_id;
	argv[n++] = "--symbols";
	argv[n++] = c->symbols;
	argv[n++] = "--workdir";
	argv[n++] = wd;
	if (c->o->keep)
		argv[n++] = "--keep";
	if (c->o->key) {
		argv[n++] = "--key";
		argv[n++] = (char *)c->o->key;
	}
	if (c->o->cert) {
		argv[n++] = "--cert";
		argv[n++] = (char *)c->o->cert;
	}
	if (c->o->replace)
		argv[n++] = "--replace";
	if (c->o->description) {
		argv[n++] = "--description";
		argv[n++] = (char *)c->o->description;
	}
	if (c->o->cves) {
		argv[n++] = "--cve";
		argv[n++] = (char *)c->o->cves;
	}
	if (c->o->series) {
		argv[n++] = "--series";
		argv[n++] = (char *)c->o->series;
	}
	if (c->o->patch_version) {
		argv[n++] = "--patch-version";
		argv[n++] = (char *)c->o->patch_version;
	}
	if (c->o->mode) {
		argv[n++] = "--mode";
		argv[n++] = (char *)c->o->mode;
	}
	for (i = 0; i < c->nr_c; i++) {
		struct cfile *f = &c->c[i];
		size_t k;
		bool dup = false;

		if (!f->module_ko)
			continue;
		for (k = 0; k < i; k++)
			dup |= c->c[k].module_ko && !strcmp(c->c[k].object, f->object);
		if (dup)
			continue;
		own[nown] = hp_asprintf("%s=%s", f->object, f->module_ko);
		argv[n++] = "--module-object";
		argv[n++] = own[nown++];
	}
	for (i = 0; i < c->nr_c; i++) {
		if (!c->c[i].patch_o)
			continue;
		own[nown] = hp_asprintf("%s=%s", c->c[i].object, c->c[i].patch_o);
		argv[n++] = own[nown++];
	}
	argv[n] = NULL;
	for (i = 0; i < nown; i++)
		if (!own[i]) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
	unlink(log);
	rc = hp_spawn(argv, NULL, log, &json, &status, err);
	if (rc)
		goto out;
	v = json_tokener_parse(json);
	if (v)
		json_object_object_add(c->report, "module", json_object_get(v));
	if (status == 3) {
		/* nothing to redirect: the patch objects hold only new code */
		*nothing = true;
		goto out;
	}
	if (status) {
		char *tail = hp_file_tail(log, 15);
		char *ref = logref(c, log);
		const char *msg = v && json_object_object_get_ex(v, "error", &e) ?
			json_object_get_string(e) : tail;

		/* module: 1 error, 4 kbuild failed */
		rc = hp_error_set(err, -EIO,
				  "hotpatch-build module %s (status %d): %s %s",
				  status == 4 ? "could not link the module" : "failed",
				  status, msg, ref ? ref : "");
		free(tail);
		free(ref);
		goto out;
	}
	if (access(c->output, R_OK)) {
		rc = hp_error_set(err, -EIO, "hotpatch-build module wrote no '%s'",
				  c->output);
		goto out;
	}
	progress(c, "  wrote %s", c->output);
out:
	json_object_put(v);
	free(json);
	for (i = 0; own && i < nown; i++)
		free(own[i]);
	free(own);
	free(argv);
	free(log);
	free(wd);
	step_end(c);
	return rc;
}

/* Why the module step found nothing to redirect, from the verdicts. */
static char *only_new_functions(struct ctx *c)
{
	char buf[1024] = "";
	size_t i, k;

	for (i = 0; i < c->nr_c; i++) {
		struct json_object *v, *fn;

		if (!json_object_object_get_ex(c->c[i].j, "verdict", &v) ||
		    !json_object_object_get_ex(v, "functions", &fn))
			continue;
		for (k = 0; k < json_object_array_length(fn); k++) {
			struct json_object *e = json_object_array_get_idx(fn, k), *nm;

			if (json_object_object_get_ex(e, "name", &nm) &&
			    strlen(buf) + 80 < sizeof(buf))
				snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
					 "%s%s", *buf ? ", " : "",
					 json_object_get_string(nm));
		}
	}
	return *buf ? hp_asprintf("no existing function changed, the fix only adds new code (%s): nothing would call it", buf) :
		strdup("no existing function changed");
}

/* ---- the run ---- */

static void on_signal(int sig)
{
	(void)sig;
	hp_build_interrupted = 1;
}

static int setup_work(struct ctx *c, struct hp_error *err)
{
	if (c->o->workdir) {
		c->work = strdup(c->o->workdir);
		if (!c->work || hp_mkdir_p(c->work, err))
			return err && err->code ? err->code : -ENOMEM;
	} else {
		const char *tmp = getenv("TMPDIR");
		char *t = hp_asprintf("%s/hotpatch-build.XXXXXX",
				      tmp && *tmp ? tmp : "/tmp");

		if (!t || !mkdtemp(t)) {
			free(t);
			return hp_error_set(err, -errno, "cannot create a work directory: %s",
					    strerror(errno));
		}
		c->work = t;
		c->own_work = !c->o->keep;
	}
	c->keep_logs = !c->own_work;
	c->logdir = hp_asprintf("%s/logs", c->work);
	if (!c->logdir)
		return hp_error_set(err, -ENOMEM, "out of memory");
	return hp_mkdir_p(c->logdir, err);
}

int hp_build_run(const struct hp_build_opts *opts, struct json_object **report,
		 struct hp_error *err)
{
	struct sigaction sa = { .sa_handler = on_signal }, old[3];
	static const int sigs[3] = { SIGINT, SIGTERM, SIGHUP };
	struct ctx c = { .o = opts };
	double start = now();
	size_t i;
	int rc, code = HP_BUILD_OK;

	c.prog = opts->quiet ? NULL : opts->progress ? opts->progress : stderr;
	c.report = json_object_new_object();
	c.steps = json_object_new_array();
	c.files = json_object_new_array();
	c.refusals = json_object_new_array();
	c.notes = json_object_new_array();
	*report = c.report;
	if (!c.report || !c.steps || !c.files || !c.refusals || !c.notes) {
		json_object_put(c.steps);
		json_object_put(c.files);
		json_object_put(c.refusals);
		json_object_put(c.notes);
		hp_error_set(err, -ENOMEM, "out of memory");
		return HP_BUILD_ERROR;
	}

	json_object_object_add(c.report, "diffs", json_object_new_array());
	for (i = 0; i < opts->nr_diffs; i++)
		json_object_array_add(json_object_object_get(c.report, "diffs"),
				       jstr(opts->diffs[i]));
	json_object_object_add(c.report, "steps", c.steps);
	json_object_object_add(c.report, "files", c.files);
	json_object_object_add(c.report, "refusals", c.refusals);
	json_object_object_add(c.report, "notes", c.notes);

	hp_build_interrupted = 0;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &sa, &old[i]);

	rc = resolve_inputs(&c, err) ?: setup_work(&c, err);
	json_object_object_add(c.report, "name", jstr(c.name));
	if (rc)
		goto out;
	json_object_object_add(c.report, "release", jstr(c.release));
	json_object_object_add(c.report, "build_id", jstr(c.build_id));
	rc = step_files(&c, err);
	for (i = 0; !rc && i < c.nr_c; i++) {
		c.c[i].j = json_object_new_object();
		json_object_object_add(c.c[i].j, "file", jstr(c.c[i].path));
		json_object_array_add(c.files, c.c[i].j);
	}
	if (rc || nr_refusals(&c))
		goto out;
	rc = step_prepare(&c, err);
	if (rc)
		goto out;
	rc = step_kbuild(&c, err);
	if (rc || nr_refusals(&c))
		goto out;
	if (!c.nr_c) {
		code = HP_BUILD_NOTHING;
		json_object_object_add(c.report, "nothing",
				       jstr("no file the config builds includes the changed header(s)"));
		goto out;
	}
	rc = step_compile(&c, err);
	if (rc || nr_refusals(&c))
		goto out;
	rc = step_objects(&c, err);
	if (rc || nr_refusals(&c))
		goto out;
	rc = step_diff(&c, err);
	if (!rc)
		included_copies(&c);
	if (rc || nr_refusals(&c))
		goto out;
	for (i = 0; i < c.nr_c; i++)
		if (c.c[i].patch_o)
			break;
	if (i == c.nr_c) {
		code = HP_BUILD_NOTHING;
		json_object_object_add(c.report, "nothing",
				       jstr("no function changed"));
		goto out;
	}
	{
		bool nothing = false;

		rc = step_module(&c, &nothing, err);
		if (!rc && nothing) {
			char *why = only_new_functions(&c);

			code = HP_BUILD_NOTHING;
			progress(&c, "  nothing to redirect: %s", why ? why : "");
			json_object_object_add(c.report, "nothing", jstr(why));
			free(why);
			goto out;
		}
	}
	if (!rc && !nr_refusals(&c))
		json_object_object_add(c.report, "output", jstr(c.output));
out:
	if (rc == -EINTR || hp_build_interrupted) {
		code = HP_BUILD_INTERRUPTED;
		if (!rc)
			hp_error_set(err, -EINTR, "interrupted");
	} else if (rc) {
		code = HP_BUILD_ERROR;
	} else if (nr_refusals(&c)) {
		code = HP_BUILD_REFUSED;
	}
	/* removed whatever the outcome, unless --keep (or --workdir: the
	 * caller's) */
	if (c.work && c.own_work) {
		hp_rm_rf(c.work, NULL);
	} else if (c.work) {
		json_object_object_add(c.report, "workdir", jstr(c.work));
		progress(&c, "work directory kept: %s", c.work);
	}
	json_object_object_add(c.report, "seconds",
			       json_object_new_double((double)(long)((now() - start) * 10) / 10));
	for (i = 0; i < 3; i++)
		sigaction(sigs[i], &old[i], NULL);
	hp_tree_close(c.tree);
	hp_symset_free(c.syms);
	for (i = 0; c.c && i < c.nr_c; i++) {
		free(c.c[i].own_path);
		free(c.c[i].orig_o);
		free(c.c[i].patched_o);
		free(c.c[i].patch_o);
		free(c.c[i].plain_o);
		free(c.c[i].object);
		free(c.c[i].module_ko);
		free(c.c[i].obj);
		free(c.c[i].cmdline);
	}
	free(c.c);
	free(c.headers);
	free(c.via);
	hp_patch_files_free(&c.pf);
	free(c.work);
	free(c.logdir);
	free(c.config);
	free(c.symvers);
	free(c.release);
	free(c.build_id);
	free(c.symbols);
	free(c.output);
	free(c.name);
	return code;
}

void hp_build_report_print(struct json_object *report, FILE *f)
{
	struct json_object *a, *o;
	size_t i;

	if (json_object_object_get_ex(report, "output", &o)) {
		fprintf(f, "built %s", json_object_get_string(o));
		if (json_object_object_get_ex(report, "release", &o))
			fprintf(f, " for %s", json_object_get_string(o));
		fputc('\n', f);
		if (json_object_object_get_ex(report, "files", &a))
			for (i = 0; i < json_object_array_length(a); i++) {
				struct json_object *e = json_object_array_get_idx(a, i);
				struct json_object *file, *obj, *v, *fn;

				if (!json_object_object_get_ex(e, "file", &file) ||
				    !json_object_object_get_ex(e, "object", &obj))
					continue;
				fprintf(f, "  %s (%s):", json_object_get_string(file),
					json_object_get_string(obj));
				if (json_object_object_get_ex(e, "verdict", &v) &&
				    json_object_object_get_ex(v, "functions", &fn)) {
					size_t k, n = json_object_array_length(fn);

					for (k = 0; k < n; k++) {
						struct json_object *s = json_object_array_get_idx(fn, k);
						struct json_object *nm, *st;

						json_object_object_get_ex(s, "name", &nm);
						json_object_object_get_ex(s, "status", &st);
						fprintf(f, " %s (%s)", json_object_get_string(nm),
							json_object_get_string(st));
					}
					if (!n)
						fprintf(f, " nothing to patch");
				}
				fputc('\n', f);
			}
		return;
	}
	if (json_object_object_get_ex(report, "refusals", &a) &&
	    json_object_array_length(a)) {
		fprintf(f, "refused: the diff cannot be built into a live patch\n");
		for (i = 0; i < json_object_array_length(a); i++) {
			struct json_object *r = json_object_array_get_idx(a, i);
			struct json_object *file, *rule, *reason, *wa;

			json_object_object_get_ex(r, "rule", &rule);
			json_object_object_get_ex(r, "reason", &reason);
			fprintf(f, "  [%s] ", json_object_get_string(rule));
			if (json_object_object_get_ex(r, "file", &file) && file)
				fprintf(f, "%s: ", json_object_get_string(file));
			fprintf(f, "%s\n", json_object_get_string(reason));
			if (json_object_object_get_ex(r, "workaround", &wa) && wa)
				fprintf(f, "      workaround: %s\n", json_object_get_string(wa));
		}
		return;
	}
	if (json_object_object_get_ex(report, "nothing", &o) && o)
		fprintf(f, "nothing to patch: %s\n", json_object_get_string(o));
	else
		fprintf(f, "nothing to patch: no function changed\n");
}

char *hp_build_default_name(const char *diff_path)
{
	const char *b = base_name(diff_path);
	size_t n = strlen(b), i, o = 3;
	char *name;

	if (n > 6 && !strcmp(b + n - 6, ".patch"))
		n -= 6;
	else if (n > 5 && !strcmp(b + n - 5, ".diff"))
		n -= 5;
	name = malloc(3 + n + 2);
	if (!name)
		return NULL;
	memcpy(name, "hp_", 3);
	for (i = 0; i < n && o < 55; i++) {
		char ch = b[i];

		if (ch >= 'A' && ch <= 'Z')
			ch += 'a' - 'A';
		if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9')))
			ch = '_';
		/* one '_' for a run of them, none at the end */
		if (ch == '_' && name[o - 1] == '_')
			continue;
		name[o++] = ch;
	}
	while (o > 3 && name[o - 1] == '_')
		o--;
	if (o == 3)
		name[o++] = 'x';
	name[o] = '\0';
	return name;
}

void hp_json_utf8_clean(struct json_object *o)
{
	if (!o)
		return;
	switch (json_object_get_type(o)) {
	case json_type_string: {
		char *clean = hp_utf8_clean(json_object_get_string(o));

		if (clean && strcmp(clean, json_object_get_string(o)))
			json_object_set_string(o, clean);
		free(clean);
		break;
	}
	case json_type_array: {
		size_t i;

		for (i = 0; i < json_object_array_length(o); i++)
			hp_json_utf8_clean(json_object_array_get_idx(o, i));
		break;
	}
	case json_type_object: {
		json_object_object_foreach(o, key, val) {
			(void)key;
			hp_json_utf8_clean(val);
		}
		break;
	}
	default:
		break;
	}
}
