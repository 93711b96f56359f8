// SPDX-License-Identifier: GPL-2.0
/*
 * The prepared kernel tree of the source pipeline, and running the tools
 * that work on it (make, patch, tar, cp).
 *
 * Cache layout (default $HOTPATCH_CACHE/trees, else ~/.cache/hotpatch/trees):
 *   <key>/tree/<top>   the private copy (a tarball's top directory, or a
 *                      copy of the user's tree), `make olddefconfig
 *                      prepare` done with the target's config
 *   <key>/prepared     written last: the tree is complete
 *   <key>/info         what the key was made of
 *   <key>/backup/…     originals of the files a diff touches, while it is
 *                      applied; <key>/dirty lists them, so a run killed
 *                      with the diff applied is repaired by the next one
 *   <key>.lock         flock: one build at a time per tree
 * <key> is a hash of the source (path, size and mtime of a tarball; path
 * and top Makefile of a directory), the config's content and the compiler.
 * The user's tree is only ever read.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build.h"
#include "internal.h"

volatile int hp_build_interrupted;

/* every object of the tree is built with them (the differ needs a section
 * per function and per datum) */
#define HP_TREE_KCFLAGS "KCFLAGS=-ffunction-sections -fdata-sections"

/* A child's own process group, default signals, LOG opened for its output. */
static int child_start(const char *log)
{
	int fd;

	setpgid(0, 0);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0644);
	if (fd < 0)
		_exit(126);
	return fd;
}

/*
 * The child's side of both spawners: stderr to FD (stdout already set),
 * stdin from /dev/null, into CWD, exec ARGV; never returns.
 */
static void __attribute__((noreturn)) child_exec(int fd, char *const argv[],
						 const char *cwd)
{
	dup2(fd, 2);
	close(fd);
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0) {
		dup2(fd, 0);
		close(fd);
	}
	if (cwd && chdir(cwd)) {
		dprintf(2, "hotpatch-build: cannot enter %s: %s\n", cwd,
			strerror(errno));
		_exit(126);
	}
	execvp(argv[0], argv);
	dprintf(2, "hotpatch-build: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

int hp_spawn(char *const argv[], const char *cwd, const char *log,
	     char **capture, int *status, struct hp_error *err)
{
	int pipefd[2] = { -1, -1 };
	char *buf = NULL;
	size_t len = 0, cap = 0;
	pid_t pid;
	int wst;

	if (capture && pipe(pipefd))
		return hp_error_set(err, -errno, "pipe: %s", strerror(errno));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		int e = errno;

		if (capture) {
			close(pipefd[0]);
			close(pipefd[1]);
		}
		return hp_error_set(err, -e, "fork: %s", strerror(e));
	}
	if (!pid) {
		int fd = child_start(log);

		if (capture) {
			close(pipefd[0]);
			dup2(pipefd[1], 1);
			close(pipefd[1]);
		} else {
			dup2(fd, 1);
		}
		child_exec(fd, argv, cwd);
	}
	setpgid(pid, pid);
	if (capture) {
		close(pipefd[1]);
		for (;;) {
			ssize_t n;

			if (len + 4096 + 1 > cap) {
				char *nb = realloc(buf, cap = cap ? cap * 2 : 65536);

				if (!nb) {
					kill(-pid, SIGKILL);
					break;
				}
				buf = nb;
			}
			n = read(pipefd[0], buf + len, cap - len - 1);
			if (n > 0) {
				len += n;
				continue;
			}
			if (n < 0 && errno == EINTR) {
				if (hp_build_interrupted)
					kill(-pid, SIGTERM);
				continue;
			}
			break;
		}
		close(pipefd[0]);
	}
	while (waitpid(pid, &wst, 0) < 0) {
		if (errno != EINTR) {
			free(buf);
			return hp_error_set(err, -errno, "waitpid: %s",
					    strerror(errno));
		}
		if (hp_build_interrupted)
			kill(-pid, SIGTERM);
	}
	if (hp_build_interrupted) {
		free(buf);
		return hp_error_set(err, -EINTR, "interrupted");
	}
	*status = WIFEXITED(wst) ? WEXITSTATUS(wst) : 128 + WTERMSIG(wst);
	if (capture) {
		if (!buf)
			buf = calloc(1, 1);
		else
			buf[len] = '\0';
		if (!buf)
			return hp_error_set(err, -ENOMEM, "out of memory");
		*capture = buf;
	}
	return 0;
}

/* fork + exec ARGV in CWD, its own process group, output to LOG. */
static pid_t spawn_bg(char *const argv[], const char *cwd, const char *log)
{
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (!pid) {
		int fd = child_start(log);

		dup2(fd, 1);
		child_exec(fd, argv, cwd);
	}
	if (pid > 0)
		setpgid(pid, pid);
	return pid;
}

int hp_spawn_many(char **const argvs[], size_t n, int jobs, const char *cwd,
		  char *const logs[], int status[], struct hp_error *err)
{
	pid_t *pids = calloc(n ? n : 1, sizeof(*pids));
	size_t next = 0, running = 0, i;
	int rc = 0;

	if (!pids)
		return hp_error_set(err, -ENOMEM, "out of memory");
	if (jobs < 1)
		jobs = 1;
	while (next < n || running) {
		int wst;
		pid_t pid;

		while (!rc && !hp_build_interrupted && next < n &&
		       running < (size_t)jobs) {
			pids[next] = spawn_bg(argvs[next], cwd, logs[next]);
			if (pids[next] < 0) {
				rc = hp_error_set(err, -errno, "fork: %s", strerror(errno));
				break;
			}
			next++;
			running++;
		}
		if (!running)
			break;
		pid = waitpid(-1, &wst, 0);
		if (pid < 0) {
			if (errno != EINTR) {
				rc = hp_error_set(err, -errno, "waitpid: %s",
						  strerror(errno));
				break;
			}
			if (hp_build_interrupted)
				for (i = 0; i < next; i++)
					if (pids[i] > 0)
						kill(-pids[i], SIGTERM);
			continue;
		}
		for (i = 0; i < next; i++)
			if (pids[i] == pid) {
				status[i] = WIFEXITED(wst) ? WEXITSTATUS(wst) :
					128 + WTERMSIG(wst);
				pids[i] = 0;
				running--;
			}
		if (rc || hp_build_interrupted)
			for (i = 0; i < next; i++)
				if (pids[i] > 0)
					kill(-pids[i], SIGTERM);
		if (rc && next < n)
			n = next;	/* start no more */
	}
	/* an error above: reap what still runs */
	for (i = 0; i < next; i++)
		if (pids[i] > 0) {
			kill(-pids[i], SIGTERM);
			waitpid(pids[i], NULL, 0);
		}
	free(pids);
	if (!rc && hp_build_interrupted)
		rc = hp_error_set(err, -EINTR, "interrupted");
	return rc;
}

char *hp_read_text(const char *path, size_t max, struct hp_error *err)
{
	FILE *f = fopen(path, "r");
	char *buf;
	size_t n;

	if (!f) {
		hp_error_set(err, -errno, "cannot read '%s': %s", path,
			     strerror(errno));
		return NULL;
	}
	buf = malloc(max + 1);
	if (!buf) {
		fclose(f);
		hp_error_set(err, -ENOMEM, "out of memory");
		return NULL;
	}
	n = fread(buf, 1, max, f);
	if (ferror(f)) {
		hp_error_set(err, -EIO, "cannot read '%s'", path);
		free(buf);
		fclose(f);
		return NULL;
	}
	if (n == max && fgetc(f) != EOF) {
		hp_error_set(err, -EFBIG, "'%s' is larger than %zu bytes", path, max);
		free(buf);
		fclose(f);
		return NULL;
	}
	buf[n] = '\0';
	fclose(f);
	return buf;
}

char *hp_file_tail(const char *path, int lines)
{
	char *text = hp_read_text(path, 64 << 20, NULL);
	size_t n;
	char *p;

	if (!text)
		return calloc(1, 1);
	n = strlen(text);
	while (n && text[n - 1] == '\n')
		text[--n] = '\0';
	p = text + n;
	while (p > text && lines > 0) {
		p--;
		if (*p == '\n')
			lines--;
	}
	if (*p == '\n')
		p++;
	memmove(text, p, strlen(p) + 1);
	return text;
}

int hp_mkdir_p(const char *path, struct hp_error *err)
{
	char buf[PATH_MAX];
	char *p;

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return hp_error_set(err, -ENAMETOOLONG, "path too long: %s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			return hp_error_set(err, -errno, "cannot create '%s': %s",
					    buf, strerror(errno));
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		return hp_error_set(err, -errno, "cannot create '%s': %s", buf,
				    strerror(errno));
	return 0;
}

int hp_copy_file(const char *from, const char *to, struct hp_error *err)
{
	char buf[65536];
	int in, out, rc = 0;
	ssize_t n;

	in = open(from, O_RDONLY);
	if (in < 0)
		return hp_error_set(err, -errno, "cannot open '%s': %s", from,
				    strerror(errno));
	out = open(to, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (out < 0) {
		rc = hp_error_set(err, -errno, "cannot create '%s': %s", to,
				  strerror(errno));
		close(in);
		return rc;
	}
	while ((n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			rc = hp_error_set(err, -errno, "cannot read '%s': %s",
					  from, strerror(errno));
			break;
		}
		if (write(out, buf, n) != n) {
			rc = hp_error_set(err, -EIO, "cannot write '%s'", to);
			break;
		}
	}
	close(in);
	if (close(out) && !rc)
		rc = hp_error_set(err, -errno, "cannot write '%s': %s", to,
				  strerror(errno));
	return rc;
}

int hp_rm_rf(const char *path, struct hp_error *err)
{
	char *argv[] = { "rm", "-rf", "--", (char *)path, NULL };
	int st, rc = hp_spawn(argv, NULL, NULL, NULL, &st, err);

	if (!rc && st)
		rc = hp_error_set(err, -EIO, "cannot remove '%s'", path);
	return rc;
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
	const unsigned char *c = p;

	while (n--)
		h = (h ^ *c++) * 1099511628211ull;
	return h;
}

/* The compiler the target was built with: the first word of the config's
 * CONFIG_CC_VERSION_TEXT when it is on PATH, else gcc. */
static char *pick_cc(const char *config_text, const char *want)
{
	const char *p = strstr(config_text, "\nCONFIG_CC_VERSION_TEXT=\"");
	char name[64];
	size_t i = 0;
	char *path, *dir, *save = NULL;

	if (want)
		return strdup(want);
	if (!p)
		return strdup("gcc");
	p += strlen("\nCONFIG_CC_VERSION_TEXT=\"");
	while (p[i] && p[i] != ' ' && p[i] != '"' && i + 1 < sizeof(name)) {
		name[i] = p[i];
		i++;
	}
	name[i] = '\0';
	if (!i || strchr(name, '/'))
		return strdup("gcc");
	path = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin");
	for (dir = strtok_r(path, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char *f = hp_asprintf("%s/%s", dir, name);
		bool ok = f && !access(f, X_OK);

		free(f);
		if (ok) {
			free(path);
			return strdup(name);
		}
	}
	free(path);
	return strdup("gcc");
}

/* "gcc-12 (Debian 12.2.0-14) 12.2.0" -> "(Debian 12.2.0-14) 12.2.0" */
static const char *cc_version_part(const char *text)
{
	const char *p = strchr(text, ' ');

	return p ? p + 1 : text;
}

static int check_compiler(struct hp_tree *t, const char *config_text,
			  const char *logdir, bool skip, struct hp_error *err)
{
	const char *p = strstr(config_text, "\nCONFIG_CC_VERSION_TEXT=\"");
	char want[256], *have = NULL, *nl;
	char *argv[] = { t->cc, "--version", NULL };
	char *log = hp_asprintf("%s/cc-version.log", logdir);
	size_t i = 0;
	int st, rc;

	if (!p || skip) {
		free(log);
		return 0;
	}
	p += strlen("\nCONFIG_CC_VERSION_TEXT=\"");
	while (p[i] && p[i] != '"' && i + 1 < sizeof(want)) {
		want[i] = p[i];
		i++;
	}
	want[i] = '\0';
	rc = hp_spawn(argv, NULL, log, &have, &st, err);
	free(log);
	if (rc)
		return rc;
	if (st) {
		free(have);
		return hp_error_set(err, -ENOENT,
				    "cannot run the compiler '%s' (install it, or name another with --cc)",
				    t->cc);
	}
	nl = strchr(have, '\n');
	if (nl)
		*nl = '\0';
	if (strcmp(cc_version_part(have), cc_version_part(want))) {
		rc = hp_error_set(err, -EINVAL,
				  "the target was built with '%s' but '%s' is '%s': code from another compiler differs everywhere; install that compiler (or --cc), or --skip-compiler-check",
				  want, t->cc, have);
	}
	free(have);
	return rc;
}

/* -EIO with WHAT, the last LINES of LOG and where the log is (when the
 * work directory is kept: --keep or --workdir). */
static int fail_tail(struct hp_error *err, const struct hp_build_opts *opts,
		     const char *log, int lines, const char *fmt, const char *arg)
{
	char *tail = hp_file_tail(log, lines);
	char what[1024];

	snprintf(what, sizeof(what), fmt, arg);
	if (opts->keep || opts->workdir)
		hp_error_set(err, -EIO, "%s: %s (full log: %s)", what,
			     tail ? tail : "", log);
	else
		hp_error_set(err, -EIO, "%s: %s (--keep keeps the full log)", what,
			     tail ? tail : "");
	free(tail);
	return -EIO;
}

static int make_tree(struct hp_tree *t, const struct hp_build_opts *opts,
		     const char *logdir, struct hp_error *err)
{
	struct stat st;
	char *tmp = hp_asprintf("%s/tree.tmp", t->root);
	char *treeroot = hp_asprintf("%s/tree", t->root);
	char *log = hp_asprintf("%s/prepare.log", logdir);
	char *cfg = NULL, *ccvar = NULL, *jobs = NULL;
	DIR *d = NULL;
	struct dirent *de;
	char *top = NULL;
	int status, rc;

	if (!tmp || !treeroot || !log) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	rc = hp_rm_rf(tmp, err) ?: hp_rm_rf(treeroot, err) ?: hp_mkdir_p(tmp, err);
	if (rc)
		goto out;
	if (stat(opts->src, &st)) {
		rc = hp_error_set(err, -errno, "cannot read the source '%s': %s",
				  opts->src, strerror(errno));
		goto out;
	}
	if (S_ISDIR(st.st_mode)) {
		char *src = hp_asprintf("%s/.", opts->src);
		char *dst = hp_asprintf("%s/linux", tmp);
		char *argv[] = { "cp", "-a", src, dst, NULL };

		rc = hp_mkdir_p(dst, err);
		if (!rc)
			rc = hp_spawn(argv, NULL, log, NULL, &status, err);
		free(src);
		free(dst);
		if (!rc && status)
			rc = fail_tail(err, opts, log, 2, "copying '%s' failed",
				       opts->src);
	} else {
		/* xz is the slow part: multi-block tarballs unpack on every CPU */
		size_t n = strlen(opts->src);
		bool xz = n > 3 && (!strcmp(opts->src + n - 3, ".xz") ||
				    (n > 4 && !strcmp(opts->src + n - 4, ".txz")));
		char *argv[] = { "tar", "-xf", (char *)opts->src, "-C", tmp, NULL };
		char *argv_xz[] = { "tar", "--use-compress-program=xz -T0", "-xf",
				    (char *)opts->src, "-C", tmp, NULL };

		rc = hp_spawn(xz ? argv_xz : argv, NULL, log, NULL, &status, err);
		if (!rc && status)
			rc = fail_tail(err, opts, log, 1, "cannot unpack '%s' (not a tarball?)",
				       opts->src);
	}
	if (rc)
		goto out;
	/* exactly one top directory */
	d = opendir(tmp);
	while (d && (de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (top) {
			rc = hp_error_set(err, -EINVAL,
					  "'%s' holds more than one directory ('%s', '%s'): give the kernel tree itself",
					  opts->src, top, de->d_name);
			goto out;
		}
		top = strdup(de->d_name);
	}
	if (!top) {
		rc = hp_error_set(err, -EINVAL, "'%s' is empty", opts->src);
		goto out;
	}
	rc = rename(tmp, treeroot) ? hp_error_set(err, -errno, "rename: %s",
						  strerror(errno)) : 0;
	if (rc)
		goto out;
	t->dir = hp_asprintf("%s/%s", treeroot, top);
	{
		char *mk = hp_asprintf("%s/Makefile", t->dir);
		char *kc = hp_asprintf("%s/Kconfig", t->dir);
		bool ok = mk && kc && !access(mk, R_OK) && !access(kc, R_OK);

		free(mk);
		free(kc);
		if (!ok) {
			rc = hp_error_set(err, -EINVAL,
					  "'%s' is not a kernel source tree (no Makefile and Kconfig at its top)",
					  opts->src);
			goto out;
		}
	}
	cfg = hp_asprintf("%s/.config", t->dir);
	rc = hp_copy_file(opts->config, cfg, err);
	if (rc)
		goto out;
	ccvar = hp_asprintf("CC=%s", t->cc);
	jobs = hp_asprintf("-j%d", opts->jobs);
	{
		char *argv[] = { "make", "-s", ccvar, "olddefconfig", NULL };

		rc = hp_spawn(argv, t->dir, log, NULL, &status, err);
		if (!rc && status)
			rc = fail_tail(err, opts, log, 3, "make olddefconfig failed in %s",
				       t->dir);
	}
	if (!rc) {
		/* the diff's objects along with prepare: one walk over the tree,
		 * not two. -k: one that does not compile is for the compile step
		 * to say; prepare alone then says whether prepare failed. */
		size_t k, nobj = opts->nr_prepare_objs;
		char **argv = calloc(8 + nobj, sizeof(*argv));
		int n = 0;

		if (!argv) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		argv[n++] = "make";
		argv[n++] = jobs;
		argv[n++] = ccvar;
		argv[n++] = HP_TREE_KCFLAGS;
		if (nobj)
			argv[n++] = "-k";
		argv[n++] = "prepare";
		for (k = 0; k < nobj; k++)
			argv[n++] = (char *)opts->prepare_objs[k];
		argv[n] = NULL;
		rc = hp_spawn(argv, t->dir, log, NULL, &status, err);
		if (!rc && status && nobj) {
			char *again[] = { "make", jobs, ccvar, HP_TREE_KCFLAGS, "prepare", NULL };

			rc = hp_spawn(again, t->dir, log, NULL, &status, err);
		}
		free(argv);
		if (!rc && status)
			rc = fail_tail(err, opts, log, 5, "make prepare failed in %s", t->dir);
	}
	if (!rc) {
		char *stamp = hp_asprintf("%s/prepared", t->root);
		FILE *f = fopen(stamp, "w");

		if (!f || fprintf(f, "%s\n", t->dir) < 0 || fclose(f))
			rc = hp_error_set(err, -EIO, "cannot write '%s'", stamp);
		free(stamp);
	}
out:
	if (d)
		closedir(d);
	free(top);
	free(tmp);
	free(treeroot);
	free(log);
	free(cfg);
	free(ccvar);
	free(jobs);
	return rc;
}

/* A previous run was killed with the diff applied: put the files back. */
static int repair(struct hp_tree *t, struct hp_error *err)
{
	char *dirty = hp_asprintf("%s/dirty", t->root);
	char *text, *line, *save = NULL;
	int rc = 0;

	if (access(dirty, F_OK)) {
		free(dirty);
		return 0;
	}
	text = hp_read_text(dirty, 1 << 20, err);
	if (!text) {
		free(dirty);
		return err ? err->code : -EIO;
	}
	for (line = strtok_r(text, "\n", &save); line && !rc;
	     line = strtok_r(NULL, "\n", &save)) {
		char **p = hp_array_push((void **)&t->touched, &t->nr_touched,
					 &t->alloc_touched, sizeof(*p));

		if (!p || !(*p = strdup(line)))
			rc = hp_error_set(err, -ENOMEM, "out of memory");
	}
	free(text);
	free(dirty);
	if (!rc)
		rc = hp_tree_restore(t, err);
	return rc;
}

int hp_tree_open(const struct hp_build_opts *opts, const char *logdir,
		 struct hp_tree **out, struct hp_error *err)
{
	struct hp_tree *t = calloc(1, sizeof(*t));
	char *config_text = NULL, *base = NULL, *lock = NULL, *stamp = NULL;
	char real[PATH_MAX], key[17];
	struct stat st;
	uint64_t h = 1469598103934665603ull;
	int rc;

	if (!t)
		return hp_error_set(err, -ENOMEM, "out of memory");
	t->lock_fd = -1;
	config_text = hp_read_text(opts->config, 16 << 20, err);
	if (!config_text) {
		rc = err ? err->code : -EIO;
		goto fail;
	}
	if (!strstr(config_text, "\nCONFIG_") && strncmp(config_text, "CONFIG_", 7)) {
		rc = hp_error_set(err, -EINVAL,
				  "'%s' is not a kernel .config (no CONFIG_ lines)",
				  opts->config);
		goto fail;
	}
	t->cc = pick_cc(config_text, opts->cc);
	t->srcarch = strstr(config_text, "\nCONFIG_X86=y\n") ? strdup("x86") :
		strstr(config_text, "\nCONFIG_ARM64=y\n") ? strdup("arm64") : NULL;
	rc = check_compiler(t, config_text, logdir, opts->skip_compiler_check, err);
	if (rc)
		goto fail;
	if (!realpath(opts->src, real) || stat(real, &st)) {
		rc = hp_error_set(err, -errno, "cannot read the kernel source '%s': %s",
				  opts->src, strerror(errno));
		goto fail;
	}
	h = fnv(h, real, strlen(real) + 1);
	if (S_ISDIR(st.st_mode)) {
		char *mk = hp_asprintf("%s/Makefile", real);
		struct stat ms;

		if (!mk || stat(mk, &ms)) {
			rc = hp_error_set(err, -ENOENT,
					  "'%s' is not a kernel source tree (no Makefile)",
					  opts->src);
			free(mk);
			goto fail;
		}
		free(mk);
		h = fnv(h, &ms.st_size, sizeof(ms.st_size));
		h = fnv(h, &ms.st_mtime, sizeof(ms.st_mtime));
	} else {
		h = fnv(h, &st.st_size, sizeof(st.st_size));
		h = fnv(h, &st.st_mtime, sizeof(st.st_mtime));
	}
	h = fnv(h, config_text, strlen(config_text) + 1);
	h = fnv(h, t->cc, strlen(t->cc) + 1);
	snprintf(key, sizeof(key), "%016llx", (unsigned long long)h);

	if (opts->cache) {
		base = strdup(opts->cache);
	} else if (getenv("HOTPATCH_CACHE") && *getenv("HOTPATCH_CACHE")) {
		base = hp_asprintf("%s/trees", getenv("HOTPATCH_CACHE"));
	} else if (getenv("HOME")) {
		base = hp_asprintf("%s/.cache/hotpatch/trees", getenv("HOME"));
	} else {
		rc = hp_error_set(err, -EINVAL,
				  "no cache directory: set HOME or HOTPATCH_CACHE, or give --cache");
		goto fail;
	}
	t->root = hp_asprintf("%s/%s", base, key);
	lock = hp_asprintf("%s/%s.lock", base, key);
	stamp = hp_asprintf("%s/prepared", t->root);
	if (!t->root || !lock || !stamp) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto fail;
	}
	rc = hp_mkdir_p(t->root, err);
	if (rc)
		goto fail;
	t->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (t->lock_fd < 0) {
		rc = hp_error_set(err, -errno, "cannot open '%s': %s", lock,
				  strerror(errno));
		goto fail;
	}
	if (flock(t->lock_fd, LOCK_EX | LOCK_NB)) {
		if (opts->progress)
			fprintf(opts->progress,
				"hotpatch-build: waiting for another build using %s\n",
				t->root);
		while (flock(t->lock_fd, LOCK_EX)) {
			if (errno != EINTR || hp_build_interrupted) {
				rc = hp_error_set(err, -EINTR, "interrupted");
				goto fail;
			}
		}
	}
	{
		char *info = hp_asprintf("%s/info", t->root);
		FILE *f = info ? fopen(info, "w") : NULL;

		if (f) {
			fprintf(f, "source %s\nconfig %s\ncc %s\n", real,
				opts->config, t->cc);
			fclose(f);
		}
		free(info);
	}
	if (!access(stamp, F_OK)) {
		char *dir = hp_read_text(stamp, PATH_MAX, err);

		if (!dir) {
			rc = err ? err->code : -EIO;
			goto fail;
		}
		dir[strcspn(dir, "\n")] = '\0';
		t->dir = dir;
		t->cached = true;
		rc = repair(t, err);
	} else {
		rc = make_tree(t, opts, logdir, err);
	}
	if (rc)
		goto fail;
	free(config_text);
	free(base);
	free(lock);
	free(stamp);
	*out = t;
	return 0;
fail:
	free(config_text);
	free(base);
	free(lock);
	free(stamp);
	hp_tree_close(t);
	return rc;
}

void hp_tree_close(struct hp_tree *t)
{
	size_t i;

	if (!t)
		return;
	if (t->lock_fd >= 0)
		close(t->lock_fd);
	for (i = 0; i < t->nr_touched; i++)
		free(t->touched[i]);
	free(t->touched);
	free(t->dir);
	free(t->root);
	free(t->cc);
	free(t->srcarch);
	free(t);
}

static int write_dirty(struct hp_tree *t, struct hp_error *err)
{
	char *dirty = hp_asprintf("%s/dirty", t->root);
	char *tmp = hp_asprintf("%s/dirty.tmp", t->root);
	FILE *f = tmp ? fopen(tmp, "w") : NULL;
	size_t i;
	int rc = 0;

	if (!f) {
		rc = hp_error_set(err, -EIO, "cannot write '%s'", tmp);
		goto out;
	}
	for (i = 0; i < t->nr_touched; i++)
		fprintf(f, "%s\n", t->touched[i]);
	if (fclose(f) || rename(tmp, dirty))
		rc = hp_error_set(err, -EIO, "cannot write '%s'", dirty);
out:
	free(dirty);
	free(tmp);
	return rc;
}

/* backup/<path>: the original; backup/<path>.absent: it did not exist. */
int hp_tree_backup(struct hp_tree *t, const struct hp_patch_files *pf,
		   struct hp_error *err)
{
	size_t i;
	int rc;

	for (i = 0; i < pf->nr; i++) {
		const char *rel = pf->files[i].path;
		char *src = hp_asprintf("%s/%s", t->dir, rel);
		char *dst = hp_asprintf("%s/backup/%s", t->root, rel);
		char *dir = dst ? strdup(dst) : NULL;
		char **p;

		if (!src || !dst || !dir) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
		} else {
			*strrchr(dir, '/') = '\0';
			rc = hp_mkdir_p(dir, err);
		}
		if (!rc && !access(src, F_OK)) {
			rc = hp_copy_file(src, dst, err);
		} else if (!rc) {
			char *absent = hp_asprintf("%s.absent", dst);
			int fd = absent ? open(absent, O_WRONLY | O_CREAT, 0644) : -1;

			if (fd < 0)
				rc = hp_error_set(err, -EIO, "cannot write '%s'", absent);
			else
				close(fd);
			free(absent);
		}
		if (!rc) {
			p = hp_array_push((void **)&t->touched, &t->nr_touched,
					  &t->alloc_touched, sizeof(*p));
			if (!p || !(*p = strdup(rel)))
				rc = hp_error_set(err, -ENOMEM, "out of memory");
		}
		free(src);
		free(dst);
		free(dir);
		if (rc)
			return rc;
		/* on disk before the tree changes */
		rc = write_dirty(t, err);
		if (rc)
			return rc;
	}
	return 0;
}

int hp_tree_restore(struct hp_tree *t, struct hp_error *err)
{
	char *dirty = hp_asprintf("%s/dirty", t->root);
	char *backup = hp_asprintf("%s/backup", t->root);
	size_t i;
	int rc = 0;

	for (i = 0; i < t->nr_touched; i++) {
		const char *rel = t->touched[i];
		char *file = hp_asprintf("%s/%s", t->dir, rel);
		char *saved = hp_asprintf("%s/backup/%s", t->root, rel);
		char *absent = hp_asprintf("%s/backup/%s.absent", t->root, rel);
		int r = 0;

		if (!file || !saved || !absent) {
			r = -ENOMEM;
		} else if (!access(absent, F_OK)) {
			if (unlink(file) && errno != ENOENT)
				r = hp_error_set(err, -errno, "cannot remove '%s': %s",
						 file, strerror(errno));
		} else if (!access(saved, F_OK)) {
			/* a fresh copy: the file was replaced, not edited, by patch */
			unlink(file);
			r = hp_copy_file(saved, file, err);
		} else {
			r = hp_error_set(err, -ENOENT,
					 "no saved copy of '%s' in %s: the tree may be left patched; remove %s to prepare it again",
					 rel, backup, t->root);
		}
		if (r && !rc)
			rc = r;
		free(file);
		free(saved);
		free(absent);
	}
	if (!rc) {
		unlink(dirty);
		hp_rm_rf(backup, NULL);
		for (i = 0; i < t->nr_touched; i++)
			free(t->touched[i]);
		t->nr_touched = 0;
	}
	free(dirty);
	free(backup);
	return rc;
}

int hp_tree_make(struct hp_tree *t, int jobs, const char *target,
		 const char *log, int *status, struct hp_error *err)
{
	char *obj = hp_asprintf("%s/%s", t->dir, target);
	char *ccvar = hp_asprintf("CC=%s", t->cc);
	char *j = hp_asprintf("-j%d", jobs);
	char *argv[] = { "make", j, ccvar, HP_TREE_KCFLAGS, (char *)target, NULL };
	int rc;

	if (!obj || !ccvar || !j) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	if (unlink(obj) && errno != ENOENT) {
		rc = hp_error_set(err, -errno, "cannot remove '%s': %s", obj,
				  strerror(errno));
		goto out;
	}
	rc = hp_spawn(argv, t->dir, log, NULL, status, err);
	if (!rc && !*status && access(obj, R_OK))
		*status = 1;
out:
	free(obj);
	free(ccvar);
	free(j);
	return rc;
}

/*
 * kbuild's own answer: Makefile.build of a directory, evaluated with the
 * tree's config (include/config/auto.conf) and a goal of ours that prints
 * the lists it computed. Nothing is built.
 */
static int kbuild_query(struct hp_tree *t, const char *dir, const char *mk,
			const char *log, char **out, struct hp_error *err)
{
	char *objv = hp_asprintf("obj=%s", dir);
	char *ccvar = hp_asprintf("CC=%s", t->cc);
	char *arch = t->srcarch ? hp_asprintf("SRCARCH=%s", t->srcarch) : NULL;
	char *archv = t->srcarch ? hp_asprintf("ARCH=%s", t->srcarch) : NULL;
	char *argv[] = { "make", "-s", "--no-print-directory", "-f",
			 "scripts/Makefile.build", "-f", (char *)mk, objv,
			 "srctree=.", "objtree=.", ccvar, "hp-kbuild-query",
			 arch, archv, NULL };
	int status = 0, rc;

	if (!objv || !ccvar || (t->srcarch && (!arch || !archv))) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	*out = NULL;
	rc = hp_spawn(argv, t->dir, log, out, &status, err);
	if (!rc && status) {
		char *tail = hp_file_tail(log, 2);

		rc = hp_error_set(err, -EIO, "kbuild cannot read %s/Makefile: %s",
				  dir, tail);
		free(tail);
	}
	if (rc) {
		free(*out);
		*out = NULL;
	}
out:
	free(objv);
	free(ccvar);
	free(arch);
	free(archv);
	return rc;
}

static bool has_kbuild_file(struct hp_tree *t, const char *dir)
{
	char *a = hp_asprintf("%s/%s/Makefile", t->dir, dir);
	char *b = hp_asprintf("%s/%s/Kbuild", t->dir, dir);
	bool ok = (a && !access(a, R_OK)) || (b && !access(b, R_OK));

	free(a);
	free(b);
	return ok;
}

int hp_tree_kbuild_object(struct hp_tree *t, const char *rel, const char *logdir,
			  char **why, struct hp_error *err)
{
	char *mk = hp_asprintf("%s/kbuild-query.mk", logdir);
	char *log = hp_asprintf("%s/kbuild-query.log", logdir);
	char *obj = strdup(rel), *dir = NULL, *out = NULL, *slash;
	int rc = HP_KB_NO, in;
	FILE *f;

	*why = NULL;
	if (!mk || !log || !obj) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	obj[strlen(obj) - 1] = 'o';
	f = fopen(mk, "w");
	if (!f || fputs("hp-kbuild-query:\n"
			"\t@printf '%s\\n' 'y $(real-obj-y)' 'm $(real-obj-m) $(obj-m)' "
			"'lib $(lib-y)' 'sub $(subdir-ym)'\n", f) < 0 || fclose(f)) {
		rc = hp_error_set(err, -EIO, "cannot write '%s'", mk);
		goto out;
	}
	dir = strdup(obj);
	slash = dir ? strrchr(dir, '/') : NULL;
	if (!slash) {
		rc = hp_error_set(err, -EINVAL, "'%s' is at the top of the tree", rel);
		goto out;
	}
	*slash = '\0';
	/* arch/<other>: never the config's */
	if (t->srcarch && hp_str_starts(dir, "arch/")) {
		size_t n = strcspn(dir + 5, "/");

		if (n != strlen(t->srcarch) || strncmp(dir + 5, t->srcarch, n)) {
			*why = hp_asprintf("arch/%.*s is not the config's architecture (%s)",
					   (int)n, dir + 5, t->srcarch);
			goto out;
		}
	}
	/* the Makefile that lists the object: its directory's, or one above
	 * (a composite object may name parts in subdirectories) */
	for (;;) {
		char *ps;

		if (has_kbuild_file(t, dir)) {
			free(out);
			out = NULL;
			rc = kbuild_query(t, dir, mk, log, &out, err);
			if (rc)
				goto out;
			in = hp_kbuild_lists(out, obj);
			if (in != HP_KB_NO)
				break;
			if (!*why)
				*why = hp_asprintf("%s/Makefile lists %s in none of obj-y, obj-m, lib-y with this config",
						   dir, strrchr(obj, '/') + 1);
		}
		ps = strrchr(dir, '/');
		if (!ps) {
			rc = HP_KB_NO;	/* a top directory: no Makefile lists it */
			if (!*why)
				*why = hp_asprintf("no Makefile lists %s", obj);
			goto out;
		}
		*ps = '\0';
	}
	free(*why);
	*why = NULL;
	rc = in;
	/* and each directory above must be descended into */
	for (;;) {
		char *parent = strdup(dir), *ps;
		int sub;

		if (!parent) {
			rc = hp_error_set(err, -ENOMEM, "out of memory");
			goto out;
		}
		ps = strrchr(parent, '/');
		if (!ps || (*ps = '\0', !has_kbuild_file(t, parent))) {
			free(parent);
			break;	/* a top directory: the top Makefile's */
		}
		free(out);
		out = NULL;
		sub = kbuild_query(t, parent, mk, log, &out, err);
		if (sub) {
			free(parent);
			rc = sub;
			goto out;
		}
		if (hp_kbuild_lists(out, dir) == HP_KB_NO) {
			*why = hp_asprintf("%s/Makefile does not descend into %s/ with this config",
					   parent, ps + 1);
			free(parent);
			rc = HP_KB_NO;
			goto out;
		}
		free(dir);
		dir = parent;
	}
out:
	if (rc < 0) {
		free(*why);
		*why = NULL;
	} else if (rc == HP_KB_NO && !*why) {
		rc = hp_error_set(err, -ENOMEM, "out of memory");
	}
	free(mk);
	free(log);
	free(obj);
	free(dir);
	free(out);
	return rc;
}

/* ---- UTF-8 ---- */

/* The length of the valid UTF-8 sequence at S (at most N bytes), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
	size_t len, i;
	unsigned int cp;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		cp = s[0] & 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (len == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return len;
}

char *hp_utf8_clean(const char *str)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t n = strlen(str), i = 0;
	char *out = malloc(3 * n + 1), *o = out;

	if (!out)
		return NULL;
	while (i < n) {
		size_t l = utf8_seq(s + i, n - i);

		if (l) {
			memcpy(o, s + i, l);
			o += l;
			i += l;
		} else {
			memcpy(o, "\xef\xbf\xbd", 3);	/* U+FFFD */
			o += 3;
			i++;
		}
	}
	*o = '\0';
	return out;
}
