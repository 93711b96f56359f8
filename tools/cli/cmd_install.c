// SPDX-License-Identifier: GPL-2.0
/*
 * Installed patches and boot: install, uninstall, load --all (and --boot,
 * what hotpatch.service runs), unload --all, check, the host part of
 * status --json, and the action log.
 *
 * Layout (docs/install.md): STATE_DIR/<release>/<name>.ko is a patch
 * installed for kernel <release>; STATE_DIR/<release>/<name>.state, when
 * present, says the patch is not to be loaded automatically:
 *   in-flight\t<unix time>\t<boot id>        written before a load,
 *                                            removed after its success
 *   failed\t<unix time>\t<boot id>\t<errno>\t<reason>
 * RUN_DIR/<name>.sha256 records which file was loaded as <name> (tmpfs:
 * it goes with the module at reboot), for "unchanged".
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "cli.h"
#include "hpsign.h"

static const char *env_or(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && v[0] ? v : def;
}

static const char *state_dir(void)
{
	return env_or("HOTPATCH_STATE_DIR", HP_STATE_DIR_DEFAULT);
}

static const char *run_dir(void)
{
	return env_or("HOTPATCH_RUN_DIR", HP_RUN_DIR_DEFAULT);
}

static const char *keys_dir(void)
{
	return env_or("HOTPATCH_KEYS_DIR", HP_KEYS_DIR_DEFAULT);
}

const char *cli_release(void)
{
	static struct utsname u;
	const char *r = getenv("HOTPATCH_KERNEL_RELEASE");

	if (r && r[0])
		return r;
	if (!u.release[0] && uname(&u))
		return "unknown";
	return u.release;
}

/* A patch or release name that is safe as one path component. */
static bool safe_name(const char *s)
{
	if (!s[0] || !strcmp(s, ".") || !strcmp(s, ".."))
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == '\n' || *s == '\t')
			return false;
	return true;
}

static void rel_dir(const char *release, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s", state_dir(), release);
}

static void patch_file(const char *release, const char *name,
		       const char *ext, char *buf, size_t size)
{
	snprintf(buf, size, "%s/%s/%s%s", state_dir(), release, name, ext);
}

int cli_installed_path(const char *name, char *buf, size_t size)
{
	struct stat st;

	if (!safe_name(name))
		return -EINVAL;
	patch_file(cli_release(), name, ".ko", buf, size);
	return stat(buf, &st) || !S_ISREG(st.st_mode) ? -ENOENT : 0;
}

bool cli_is_installed(const char *name)
{
	char path[1024];

	return !cli_installed_path(name, path, sizeof(path));
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

void cli_names_free(char **names, size_t n)
{
	while (n)
		free(names[--n]);
	free(names);
}

int cli_installed_list(char ***out, size_t *count)
{
	char dir[1024], **names = NULL, **nn;
	struct dirent *de;
	size_t n = 0, len;
	DIR *d;

	*out = NULL;
	*count = 0;
	rel_dir(cli_release(), dir, sizeof(dir));
	d = opendir(dir);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((de = readdir(d))) {
		len = strlen(de->d_name);
		if (len <= 3 || strcmp(de->d_name + len - 3, ".ko") ||
		    de->d_name[0] == '.')
			continue;
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn)
			goto nomem;
		names = nn;
		names[n] = strndup(de->d_name, len - 3);
		if (!names[n])
			goto nomem;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	*count = n;
	return 0;
nomem:
	closedir(d);
	cli_names_free(names, n);
	return -ENOMEM;
}

/* ---- the action log ---- */

static void who(char *buf, size_t size)
{
	const char *sudo = getenv("SUDO_USER");
	struct passwd *pw = getpwuid(getuid());

	if (sudo && sudo[0])
		snprintf(buf, size, "%s via sudo (uid %u)", sudo,
			 (unsigned int)getuid());
	else
		snprintf(buf, size, "%s (uid %u)", pw ? pw->pw_name : "?",
			 (unsigned int)getuid());
}

void cli_log(struct cli *cli, const char *action, const char *name,
	     const char *fmt, ...)
{
	const char *file = getenv("HOTPATCH_LOG");
	char msg[1024], by[160];
	va_list ap;
	FILE *f;

	(void)cli;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	who(by, sizeof(by));
	if (file && file[0]) {
		f = fopen(file, "a");
		if (f) {
			fprintf(f, "%s patch=%s result=%s by=%s\n", action,
				name && name[0] ? name : "-", msg, by);
			fclose(f);
		}
		return;
	}
	openlog("hotpatch", LOG_PID, LOG_DAEMON);
	syslog(LOG_NOTICE, "%s patch=%s result=%s by=%s", action,
	       name && name[0] ? name : "-", msg, by);
	closelog();
}

/* ---- files ---- */

int cli_file_sha256(const char *path, char *hex, size_t size)
{
	unsigned char buf[65536], md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	EVP_MD_CTX *ctx;
	ssize_t n;
	int fd, ret = 0;

	if (size < 65)
		return -EINVAL;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ctx = EVP_MD_CTX_new();
	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		ret = -ENOMEM;
	while (!ret && (n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0)
			ret = -errno;
		else if (!EVP_DigestUpdate(ctx, buf, (size_t)n))
			ret = -EIO;
	}
	if (!ret && !EVP_DigestFinal_ex(ctx, md, &mdlen))
		ret = -EIO;
	EVP_MD_CTX_free(ctx);
	close(fd);
	for (i = 0; !ret && i < mdlen && i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	return ret;
}

static int mkdir_p(const char *path, mode_t mode)
{
	char tmp[1024], *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, mode) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, mode) && errno != EEXIST)
		return -errno;
	return 0;
}

/* Write content to path through a temporary file and rename. */
static int write_atomic(const char *path, const void *buf, size_t len);

int cli_write_atomic(const char *path, const void *buf, size_t len)
{
	return write_atomic(path, buf, len);
}

static int write_atomic(const char *path, const void *buf, size_t len)
{
	char tmp[1100];
	int fd, ret = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp.%d", path, (int)getpid());
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != (ssize_t)len)
		ret = errno ? -errno : -EIO;
	if (!ret && fsync(fd))
		ret = -errno;
	if (close(fd) && !ret)
		ret = -errno;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret)
		unlink(tmp);
	return ret;
}

/* The whole file, NUL-terminated (read to the end: /proc files say size 0). */
static int read_file(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 4096, got;
	char *b, *nb;

	if (!f)
		return -errno;
	b = malloc(cap);
	while (b && (got = fread(b + n, 1, cap - n - 1, f)) > 0) {
		n += got;
		if (cap - n - 1 > 0)
			continue;
		nb = realloc(b, cap * 2);
		if (!nb) {
			free(b);
			b = NULL;
			break;
		}
		b = nb;
		cap *= 2;
	}
	if (b && ferror(f)) {
		free(b);
		fclose(f);
		return -EIO;
	}
	fclose(f);
	if (!b)
		return -ENOMEM;
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

void cli_record_loaded(const char *name, const char *path)
{
	char hex[65], rec[1024];

	if (cli_file_sha256(path, hex, sizeof(hex)) ||
	    mkdir_p(run_dir(), 0755))
		return;
	snprintf(rec, sizeof(rec), "%s/%s.sha256", run_dir(), name);
	hex[64] = '\n';
	write_atomic(rec, hex, 65);
}

bool cli_same_as_loaded(const char *name, const char *path)
{
	char hex[65], rec[1024], *buf = NULL;
	size_t len;
	bool same;

	snprintf(rec, sizeof(rec), "%s/%s.sha256", run_dir(), name);
	if (cli_file_sha256(path, hex, sizeof(hex)) ||
	    read_file(rec, &buf, &len))
		return false;
	same = len >= 64 && !memcmp(buf, hex, 64);
	free(buf);
	return same;
}

static void boot_id(char *buf, size_t size)
{
	char *b = NULL;
	size_t len;

	snprintf(buf, size, "-");
	if (read_file(env_or("HOTPATCH_BOOT_ID",
			     "/proc/sys/kernel/random/boot_id"), &b, &len))
		return;
	b[strcspn(b, "\n")] = '\0';
	snprintf(buf, size, "%s", b);
	free(b);
}

/* ---- the marker ---- */

struct marker {
	bool present;
	bool in_flight;		/* else: failed */
	long long when;
	char boot[64];
	int err;
	char reason[512];
};

static void marker_read(const char *release, const char *name,
			struct marker *m)
{
	char path[1024], *buf = NULL, *f[5], *s;
	size_t len;
	int i;

	memset(m, 0, sizeof(*m));
	patch_file(release, name, ".state", path, sizeof(path));
	if (read_file(path, &buf, &len))
		return;
	m->present = true;
	buf[strcspn(buf, "\n")] = '\0';
	for (i = 0, s = buf; i < 5; i++)
		f[i] = i < 4 ? strsep(&s, "\t") : s;	/* the reason: the rest */
	m->in_flight = f[0] && !strcmp(f[0], "in-flight");
	m->when = f[1] ? atoll(f[1]) : 0;
	snprintf(m->boot, sizeof(m->boot), "%s", f[2] ? f[2] : "-");
	m->err = f[3] ? atoi(f[3]) : 0;
	snprintf(m->reason, sizeof(m->reason), "%s", f[4] ? f[4] : "");
	free(buf);
}

static int marker_write(const char *name, bool in_flight, int err,
			const char *reason)
{
	char path[1024], line[1024], bid[64], *p;
	int tabs = 0;

	boot_id(bid, sizeof(bid));
	patch_file(cli_release(), name, ".state", path, sizeof(path));
	if (in_flight)
		snprintf(line, sizeof(line), "in-flight\t%lld\t%s\n",
			 (long long)time(NULL), bid);
	else
		snprintf(line, sizeof(line), "failed\t%lld\t%s\t%d\t%s\n",
			 (long long)time(NULL), bid, abs(err),
			 reason && reason[0] ? reason : "-");
	/* one line of 3 or 5 fields: the reason's own newlines and tabs
	 * become spaces (the last character is the line's newline) */
	for (p = line; *p && p[1]; p++) {
		if (*p == '\t' && tabs < (in_flight ? 2 : 4))
			tabs++;
		else if (*p == '\t' || *p == '\n')
			*p = ' ';
	}
	return write_atomic(path, line, strlen(line));
}

static void marker_clear(const char *release, const char *name)
{
	char path[1024];

	patch_file(release, name, ".state", path, sizeof(path));
	unlink(path);
}

static void marker_text(const struct marker *m, char *buf, size_t size)
{
	char when[64] = "-";
	time_t t = (time_t)m->when;
	struct tm tm;

	if (m->when > 0 && gmtime_r(&t, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	if (m->in_flight)
		snprintf(buf, size, "it was being applied when the machine "
			 "stopped (boot %s, %s)", m->boot, when);
	else
		snprintf(buf, size, "its load failed (boot %s, %s): %s%s%s",
			 m->boot, when, m->err ? strerror(m->err) : "error",
			 m->reason[0] && strcmp(m->reason, "-") ? ": " : "",
			 m->reason[0] && strcmp(m->reason, "-") ? m->reason :
			 "");
}

/* The reason the core gave for the last failure of name, if any. */
static void core_reason(struct cli *cli, const char *name, int *err,
			char *buf, size_t size)
{
	struct hp_last_error *le = NULL;

	buf[0] = '\0';
	if (!hp_sysfs_read_last_error(cli->sys, &le) &&
	    hp_last_error_matches(le, name)) {
		*err = hp_last_error_errno(le);
		snprintf(buf, size, "%s", hp_last_error_reason(le));
	}
	hp_last_error_free(le);
}

/* Load an installed patch with the marker around it. */
static int load_marked(struct cli *cli, const char *name, const char *path)
{
	char reason[512];
	int ret, err = EIO;

	ret = marker_write(name, true, 0, NULL);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot write the marker of patch '%s' in %s",
				 name, state_dir());
	ret = cli_load_path(cli, path, name);
	if (!ret) {
		marker_clear(cli_release(), name);
		return ret;
	}
	core_reason(cli, name, &err, reason, sizeof(reason));
	if (ret == HP_EXIT_TIMEOUT)
		err = ETIMEDOUT;
	marker_write(name, false, err, reason);
	return ret;
}

int cli_load_installed(struct cli *cli, const char *name, const char *path)
{
	struct marker m;

	marker_read(cli_release(), name, &m);
	if (m.present)
		cli_info(cli, "clearing the marker of '%s': an explicit load",
			 name);
	return load_marked(cli, name, path);
}

/* ---- install, uninstall ---- */

/* Certificates to verify with: --cert, else every file of KEYS_DIR. */
static int cert_list(struct cli *cli, char ***out, size_t *count)
{
	char **names = NULL, **nn, path[1024];
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	*out = NULL;
	*count = 0;
	if (cli->o.cert) {
		names = calloc(1, sizeof(*names));
		if (!names || !(names[0] = strdup(cli->o.cert))) {
			free(names);
			return -ENOMEM;
		}
		*out = names;
		*count = 1;
		return 0;
	}
	d = opendir(keys_dir());
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", keys_dir(), de->d_name);
		nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn) {
			closedir(d);
			cli_names_free(names, n);
			return -ENOMEM;
		}
		names = nn;
		names[n] = strdup(path);
		if (!names[n]) {
			closedir(d);
			cli_names_free(names, n);
			return -ENOMEM;
		}
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	*out = names;
	*count = n;
	return 0;
}

/*
 * Read a patch module file and parse its manifest. On success *pm holds
 * the file (free it with hp_patchmod_free() once done with *mf, whose
 * strings point into it); on failure nothing is held and m says why.
 */
static int read_manifest(const char *path, struct hp_patchmod **pm,
			 struct hotpatch_mf *mf, struct hp_msg *m)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	const void *mfb;
	size_t len;
	int ret;

	*pm = NULL;
	ret = hp_patchmod_read(path, pm, m);
	if (ret)
		return ret;
	mfb = hp_patchmod_manifest(*pm, &len);
	if (!mfb) {
		snprintf(m->text, sizeof(m->text), "no manifest section");
		ret = -ENOEXEC;
	} else if ((ret = hotpatch_manifest_parse(mfb, len, mf, reason,
						  sizeof(reason)))) {
		snprintf(m->text, sizeof(m->text), "manifest: %s", reason);
		ret = -abs(ret);
	}
	if (ret) {
		hp_patchmod_free(*pm);
		*pm = NULL;
	}
	return ret;
}

/* The target release written in the module's manifest. */
static int module_release(const char *path, char *buf, size_t size,
			  struct hp_msg *m)
{
	struct hp_patchmod *pm;
	struct hotpatch_mf mf;
	int ret;

	ret = read_manifest(path, &pm, &mf, m);
	if (ret)
		return ret;
	snprintf(buf, size, "%s", mf.release);
	if (!safe_name(buf)) {
		snprintf(m->text, sizeof(m->text), "manifest: bad release '%s'",
			 mf.release);
		ret = -EBADMSG;
	}
	hp_patchmod_free(pm);
	return ret;
}

/* hotpatch verify's checks with each certificate: 0 when one passes
 * (*cert_ok names it), HP_EXIT_* otherwise (reported). */
static int verify_for_install(struct cli *cli, const char *path,
			      const char *release, bool running,
			      char *cert_ok, size_t size)
{
	struct hp_verify_opts vo = { 0 };
	struct hp_report *r = NULL;
	struct hp_msg m = { "" };
	enum hp_check_status st;
	const char *check, *detail;
	char **certs = NULL, failed[1024] = "";
	size_t ncerts = 0, i, j;
	int ret;

	ret = cert_list(cli, &certs, &ncerts);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot list %s", keys_dir());
	if (!ncerts)
		return cli_error(cli, HP_EXIT_USAGE, 0, NULL,
				 "give the vendor's certificate with --cert "
				 "CERT, or put it in " HP_KEYS_DIR_DEFAULT,
				 "install verifies the patch first, and there "
				 "is no certificate in %s", keys_dir());
	if (running) {
		cli_verify_machine(cli, &vo);
	} else {
		vo.kernel_release = release;
		fprintf(cli->err, "hotpatch: note: '%s' is for kernel %s, not "
			"the running %s: checked without this machine's "
			"build-id and symbols\n", path, release, cli_release());
	}
	for (i = 0; i < ncerts; i++) {
		vo.cert = certs[i];
		hp_report_free(r);
		r = NULL;
		ret = hp_verify(path, &vo, &r, &m);
		if (ret)
			break;
		if (hp_report_ok(r)) {
			snprintf(cert_ok, size, "%s", certs[i]);
			break;
		}
	}
	if (ret) {
		ret = cli_error(cli, ret == -ENOENT || ret == -ENOTDIR ?
				HP_EXIT_NOTFOUND : ret == -ENOEXEC ||
				ret == -EBADMSG ? HP_EXIT_INVALID :
				HP_EXIT_ERROR, ret, m.text[0] ? m.text : NULL,
				NULL, "cannot verify '%s'", path);
	} else if (i == ncerts) {
		for (j = 0; j < hp_report_count(r); j++) {
			hp_report_get(r, j, &check, &st, &detail);
			if (st != HP_CHECK_FAIL)
				continue;
			snprintf(failed + strlen(failed),
				 sizeof(failed) - strlen(failed), "%s%s: %s",
				 failed[0] ? "; " : "", check, detail);
		}
		ret = cli_error(cli, HP_EXIT_INVALID, 0, failed,
				"'hotpatch verify --cert CERT FILE.ko' lists "
				"every check",
				"'%s' does not pass verification with %s%s: "
				"not installed", path,
				ncerts > 1 ? "any of the certificates in " :
				"", ncerts > 1 ? keys_dir() : certs[0]);
	}
	hp_report_free(r);
	cli_names_free(certs, ncerts);
	return ret;
}

int do_install(struct cli *cli)
{
	const char *path = cli->o.args[0];
	char name[256], release[256], dir[1024], dst[1100], cert[1024] = "";
	char hex_new[65], hex_old[65];
	struct hp_msg m = { "" };
	json_object *doc;
	bool changed, running;
	char *buf = NULL;
	size_t len;
	int ret;

	ret = read_file(path, &buf, &len);
	if (ret)
		return cli_error(cli, ret == -ENOENT || ret == -ENOTDIR ?
				 HP_EXIT_NOTFOUND : ret == -EACCES ?
				 HP_EXIT_ENV : HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot read '%s'", path);
	ret = cli->mod->name(cli, path, name, sizeof(name));
	if (ret || !safe_name(name)) {
		free(buf);
		return cli_error(cli, HP_EXIT_INVALID, ret ? ret : -EINVAL,
				 NULL, hp_errno_advice(ENOEXEC),
				 "cannot tell the module name of '%s'", path);
	}
	snprintf(cli->log_name, sizeof(cli->log_name), "%s", name);
	ret = module_release(path, release, sizeof(release), &m);
	if (ret) {
		free(buf);
		return cli_error(cli, HP_EXIT_INVALID, ret, m.text, 
				 hp_errno_advice(ENOEXEC),
				 "'%s' is not a patch module", path);
	}
	running = !strcmp(release, cli_release());
	ret = verify_for_install(cli, path, release, running, cert,
				 sizeof(cert));
	if (ret) {
		free(buf);
		return ret;
	}
	rel_dir(release, dir, sizeof(dir));
	ret = mkdir_p(dir, 0755);
	patch_file(release, name, ".ko", dst, sizeof(dst));
	changed = cli_file_sha256(dst, hex_old, sizeof(hex_old)) ||
		  cli_file_sha256(path, hex_new, sizeof(hex_new)) ||
		  strcmp(hex_old, hex_new);
	if (!ret && changed)
		ret = write_atomic(dst, buf, len);
	free(buf);
	if (ret)
		return cli_error(cli, cli_exit_for_refusal(ret) ==
				 HP_EXIT_ENV ? HP_EXIT_ENV : HP_EXIT_ERROR,
				 ret, NULL, NULL, "cannot install '%s' as %s",
				 path, dst);
	/* installing again is the way to say "try it at boot again" */
	marker_clear(release, name);
	cli->unchanged = !changed;
	if (cli->o.json) {
		doc = json_object_new_object();
		if (doc) {
			json_object_object_add(doc, "name",
					       json_object_new_string(name));
			json_object_object_add(doc, "release",
					       json_object_new_string(release));
			json_object_object_add(doc, "path",
					       json_object_new_string(dst));
			json_object_object_add(doc, "verified_with",
					       json_object_new_string(cert));
			json_object_object_add(doc, "running_kernel",
					       json_object_new_boolean(running));
			json_object_object_add(doc, "changed",
					       json_object_new_boolean(changed));
		}
		return cli_print_json(cli, doc);
	}
	fprintf(cli->out, "patch '%s' %s for kernel %s: %s (verified with "
		"%s)%s\n", name, changed ? "installed" : "unchanged, already "
		"installed", release, dst, cert, running ? "" :
		"; it is loaded at the boot of that kernel");
	return HP_EXIT_OK;
}

int do_uninstall(struct cli *cli)
{
	const char *name = cli->o.args[0];
	char path[1024];
	json_object *doc;
	bool loaded;

	if (!safe_name(name))
		return cli_error(cli, HP_EXIT_USAGE, -EINVAL, NULL, NULL,
				 "invalid patch name '%s'", name);
	snprintf(cli->log_name, sizeof(cli->log_name), "%s", name);
	if (cli_installed_path(name, path, sizeof(path)))
		return cli_error(cli, HP_EXIT_NOTFOUND, -ENOENT, NULL,
				 "'hotpatch list' shows what is installed",
				 "no patch named '%s' is installed for kernel "
				 "%s", name, cli_release());
	if (unlink(path))
		return cli_error(cli, errno == EACCES || errno == EPERM ||
				 errno == EROFS ? HP_EXIT_ENV : HP_EXIT_ERROR,
				 -errno, NULL, NULL, "cannot remove %s", path);
	marker_clear(cli_release(), name);
	loaded = !hp_sysfs_probe(cli->sys) &&
		 !hp_sysfs_patch_exists(cli->sys, name);
	if (cli->o.json) {
		doc = json_object_new_object();
		if (doc) {
			json_object_object_add(doc, "name",
					       json_object_new_string(name));
			json_object_object_add(doc, "uninstalled",
					       json_object_new_boolean(1));
			json_object_object_add(doc, "loaded",
					       json_object_new_boolean(loaded));
		}
		return cli_print_json(cli, doc);
	}
	fprintf(cli->out, "patch '%s' uninstalled: it is not loaded at the "
		"next boot\n", name);
	if (loaded)
		fprintf(cli->out, "it is still applied now: 'hotpatch unload "
			"%s' reverts it\n", name);
	return HP_EXIT_OK;
}

/* ---- load --all, --boot; unload --all ---- */

/* hotpatch.enable=0 on the kernel command line */
static bool boot_disabled(void)
{
	char *buf = NULL, *p;
	size_t len;
	bool off = false;

	if (read_file(env_or("HOTPATCH_CMDLINE", "/proc/cmdline"), &buf,
		      &len))
		return false;
	for (p = strtok(buf, " \t\n"); p; p = strtok(NULL, " \t\n"))
		if (!strncmp(p, "hotpatch.enable=", 16))
			off = !strcmp(p + 16, "0") || !strcmp(p + 16, "off") ||
			      !strcmp(p + 16, "no") || !strcmp(p + 16, "n");
	free(buf);
	return off;
}

static void result_add(json_object *a, const char *name, const char *result,
		       const char *detail)
{
	json_object *o = json_object_new_object();

	if (!o)
		return;
	json_object_object_add(o, "name", json_object_new_string(name));
	json_object_object_add(o, "result", json_object_new_string(result));
	json_object_object_add(o, "changed", json_object_new_boolean(
				       !strcmp(result, "applied") ||
				       !strcmp(result, "unloaded")));
	json_object_object_add(o, "detail", detail ?
			       json_object_new_string(detail) : NULL);
	json_object_array_add(a, o);
}

/* Run step with text output (errors on stderr), whatever --json says:
 * --all prints one document at the end. */
static int quietly(struct cli *cli, int (*step)(struct cli *, const char *,
						const char *),
		   const char *a, const char *b)
{
	bool json = cli->o.json;
	FILE *out = cli->out;
	int ret;

	cli->o.json = false;
	if (json)
		cli->out = cli->err;
	cli->unchanged = false;
	ret = step(cli, a, b);
	cli->o.json = json;
	cli->out = out;
	return ret;
}

static int unload_step(struct cli *cli, const char *name, const char *unused)
{
	(void)unused;
	return cli_unload_name(cli, name);
}

static int all_done(struct cli *cli, json_object *res, int ret,
		    const char *what, size_t n, size_t changed)
{
	json_object *doc;

	if (cli->o.json) {
		doc = json_object_new_object();
		if (doc) {
			json_object_object_add(doc, "release",
				json_object_new_string(cli_release()));
			json_object_object_add(doc, "changed",
				json_object_new_boolean(changed > 0));
			json_object_object_add(doc, "exit",
					       json_object_new_int(ret));
			json_object_object_add(doc, "patches", res);
			res = NULL;
		}
		json_object_put(res);
		if (cli_print_json(cli, doc) && !ret)
			ret = HP_EXIT_ERROR;
		return ret;
	}
	json_object_put(res);
	fprintf(cli->out, "%s: %zu patch(es), %zu changed\n", what, n, changed);
	return ret;
}

int do_load_all(struct cli *cli)
{
	char **names = NULL, path[1024], why[700];
	size_t n = 0, i, changed = 0;
	json_object *res;
	struct marker m;
	int ret, r, worst = HP_EXIT_OK;

	if (cli->o.boot && boot_disabled()) {
		fprintf(cli->err, "hotpatch: hotpatch.enable=0 on the kernel "
			"command line: not loading the core or any patch\n");
		cli_log(cli, "boot", NULL, "skipped (hotpatch.enable=0)");
		if (cli->o.json)
			return cli_print_json(cli, json_object_new_object());
		return HP_EXIT_OK;
	}
	ret = cli_installed_list(&names, &n);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot list the patches installed in %s/%s",
				 state_dir(), cli_release());
	res = json_object_new_array();
	if (!res) {
		cli_names_free(names, n);
		return cli_error(cli, HP_EXIT_ERROR, -ENOMEM, NULL, NULL,
				 "out of memory");
	}
	/* the boot loads the core even with nothing installed */
	if (n || cli->o.boot) {
		bool json = cli->o.json;

		cli->o.json = false;
		ret = cli_ensure_core(cli);
		cli->o.json = json;
		if (ret) {
			cli_names_free(names, n);
			json_object_put(res);
			cli_log(cli, cli->o.boot ? "boot" : "load-all", NULL,
				"failed: the core could not be loaded "
				"(exit %d)", ret);
			return ret;
		}
	}
	for (i = 0; i < n; i++) {
		snprintf(cli->log_name, sizeof(cli->log_name), "%s", names[i]);
		if (!hp_sysfs_patch_exists(cli->sys, names[i])) {
			patch_file(cli_release(), names[i], ".ko", path,
				   sizeof(path));
			r = quietly(cli, cli_load_path, path, names[i]);
			result_add(res, names[i], r ? "failed" : "unchanged",
				   r ? "loaded, but not as installed" : NULL);
			if (!r)
				fprintf(cli->err, "hotpatch: patch '%s' "
					"unchanged (already applied)\n",
					names[i]);
			if (r && !worst)
				worst = r;
			continue;
		}
		marker_read(cli_release(), names[i], &m);
		if (m.present) {
			marker_text(&m, why, sizeof(why));
			fprintf(cli->err, "hotpatch: patch '%s' not loaded: %s; "
				"'hotpatch load %s' tries it again\n",
				names[i], why, names[i]);
			cli_log(cli, cli->o.boot ? "boot" : "load-all",
				names[i], "skipped: %s", why);
			result_add(res, names[i], "skipped", why);
			if (!worst)
				worst = HP_EXIT_NOT_APPLIED;
			continue;
		}
		patch_file(cli_release(), names[i], ".ko", path, sizeof(path));
		r = quietly(cli, load_marked, names[i], path);
		cli_log(cli, cli->o.boot ? "boot" : "load-all", names[i],
			"%s (exit %d)", r ? "failed" : "applied", r);
		result_add(res, names[i], r ? "failed" : "applied", NULL);
		if (!r)
			changed++;
		if (r && (!worst || worst == HP_EXIT_NOT_APPLIED))
			worst = r;
	}
	cli->log_name[0] = '\0';
	cli_names_free(names, n);
	return all_done(cli, res, worst, cli->o.boot ? "boot" : "load --all",
			n, changed);
}

struct order {
	long stack_order;
	char name[256];
};

static int cmp_order_desc(const void *a, const void *b)
{
	const struct order *x = a, *y = b;

	return (y->stack_order > x->stack_order) -
	       (y->stack_order < x->stack_order);
}

int do_unload_all(struct cli *cli)
{
	struct hp_patch_list *l = NULL;
	struct order *ord;
	json_object *res;
	size_t n, i, changed = 0;
	int ret, r, worst = HP_EXIT_OK;

	ret = cli_need_core(cli);
	if (ret)
		return ret;
	ret = hp_patch_list_read(cli->sys, &l);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot read the patches in %s/patches",
				 hp_sysfs_root(cli->sys));
	n = hp_patch_list_count(l);
	ord = calloc(n ? n : 1, sizeof(*ord));
	res = json_object_new_array();
	if (!ord || !res) {
		free(ord);
		json_object_put(res);
		hp_patch_list_free(l);
		return cli_error(cli, HP_EXIT_ERROR, -ENOMEM, NULL, NULL,
				 "out of memory");
	}
	for (i = 0; i < n; i++) {
		const struct hp_patch *p = hp_patch_list_get(l, i);

		ord[i].stack_order = hp_patch_stack_order(p);
		snprintf(ord[i].name, sizeof(ord[i].name), "%s",
			 hp_patch_name(p));
	}
	hp_patch_list_free(l);
	/* newest first: a revert needs the newer patches of a function
	 * reverted before it */
	qsort(ord, n, sizeof(*ord), cmp_order_desc);
	for (i = 0; i < n; i++) {
		r = quietly(cli, unload_step, ord[i].name, NULL);
		cli_log(cli, "unload-all", ord[i].name, "%s (exit %d)",
			r ? "failed" : "unloaded", r);
		result_add(res, ord[i].name, r ? "failed" : "unloaded", NULL);
		if (!r)
			changed++;
		else if (!worst)
			worst = r;
	}
	free(ord);
	return all_done(cli, res, worst, "unload --all", n, changed);
}

/* ---- upgrade: a newer version of a series replaces the older ones ---- */

struct series_id {
	char series[HOTPATCH_SERIES_MAX + 1];
	uint32_t version;
	bool replace;
};

/* The series, version and replace flag of a patch module file */
static int file_series(const char *path, struct series_id *id,
		       struct hp_msg *m)
{
	struct hp_patchmod *pm;
	struct hotpatch_mf mf;
	int ret;

	memset(id, 0, sizeof(*id));
	ret = read_manifest(path, &pm, &mf, m);
	if (ret)
		return ret;
	if (mf.series)
		snprintf(id->series, sizeof(id->series), "%s", mf.series);
	id->version = mf.patch_version;
	id->replace = mf.flags & HOTPATCH_MF_REPLACE;
	hp_patchmod_free(pm);
	return 0;
}

/* An older version of the series, loaded and/or installed */
struct older {
	char name[256];
	uint32_t version;
	bool loaded, installed;
	const char *result;
};

static int add_older(struct older **v, size_t *n, const char *name,
		     uint32_t version, bool loaded, bool installed)
{
	struct older *nv;
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcmp((*v)[i].name, name)) {
			(*v)[i].loaded |= loaded;
			(*v)[i].installed |= installed;
			return 0;
		}
	nv = realloc(*v, (*n + 1) * sizeof(**v));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	memset(&nv[*n], 0, sizeof(nv[*n]));
	snprintf(nv[*n].name, sizeof(nv[*n].name), "%s", name);
	nv[*n].version = version;
	nv[*n].loaded = loaded;
	nv[*n].installed = installed;
	(*n)++;
	return 0;
}

/*
 * The loaded and installed versions of id's series other than name.
 * -ESTALE with *newer set when one is not older than id.
 */
static int find_older(struct cli *cli, const char *name,
		      const struct series_id *id, struct older **v, size_t *n,
		      struct older *newer)
{
	struct hp_patch_list *l = NULL;
	const struct hp_patch *p;
	struct series_id other;
	struct hp_msg m = { "" };
	char **names = NULL, path[1024];
	size_t i, ni = 0;
	int ret = 0;

	if (!hp_sysfs_probe(cli->sys) && hp_patch_list_read(cli->sys, &l))
		return -EIO;
	for (i = 0; !ret && l && i < hp_patch_list_count(l); i++) {
		p = hp_patch_list_get(l, i);
		if (!strcmp(hp_patch_name(p), name) || !hp_patch_series(p) ||
		    strcmp(hp_patch_series(p), id->series))
			continue;
		if (hp_patch_version(p) >= id->version &&
		    hp_patch_state(p) == HP_STATE_APPLIED) {
			snprintf(newer->name, sizeof(newer->name), "%s",
				 hp_patch_name(p));
			newer->version = (uint32_t)hp_patch_version(p);
			ret = -ESTALE;
			break;
		}
		ret = add_older(v, n, hp_patch_name(p),
				(uint32_t)hp_patch_version(p), true, false);
	}
	hp_patch_list_free(l);
	if (!ret)
		ret = cli_installed_list(&names, &ni);
	for (i = 0; !ret && i < ni; i++) {
		if (!strcmp(names[i], name))
			continue;
		patch_file(cli_release(), names[i], ".ko", path, sizeof(path));
		if (file_series(path, &other, &m) ||
		    strcmp(other.series, id->series))
			continue;
		if (other.version >= id->version)
			continue;	/* not older: left alone */
		ret = add_older(v, n, names[i], other.version, false, true);
	}
	cli_names_free(names, ni);
	return ret;
}

static int load_step(struct cli *cli, const char *path, const char *name)
{
	return cli_load_path(cli, path, name);
}

int do_upgrade(struct cli *cli)
{
	const char *path = cli->o.args[0];
	char name[256], release[256], dir[1024], dst[1100], cert[1024] = "";
	char hint[512];
	struct older *olds = NULL, newer = { .name = "" };
	struct series_id id;
	struct hp_msg m = { "" };
	json_object *doc, *arr;
	bool had_file, failed = false;
	char *buf = NULL, *prev = NULL;
	size_t len, prev_len = 0, nold = 0, i;
	int ret;

	ret = cli->mod->name(cli, path, name, sizeof(name));
	if (ret || !safe_name(name))
		return cli_error(cli, ret == -ENOENT ? HP_EXIT_NOTFOUND :
				 HP_EXIT_INVALID, ret ? ret : -EINVAL, NULL,
				 hp_errno_advice(ENOEXEC),
				 "cannot tell the module name of '%s'", path);
	snprintf(cli->log_name, sizeof(cli->log_name), "%s", name);
	ret = module_release(path, release, sizeof(release), &m);
	if (!ret)
		ret = file_series(path, &id, &m);
	if (ret)
		return cli_error(cli, HP_EXIT_INVALID, ret, m.text,
				 hp_errno_advice(ENOEXEC),
				 "'%s' is not a patch module", path);
	if (strcmp(release, cli_release()))
		return cli_error(cli, HP_EXIT_INVALID, -EINVAL, NULL,
				 "'hotpatch install' keeps it for the boot of "
				 "that kernel",
				 "'%s' is for kernel %s, this is %s: upgrade "
				 "applies a patch to the running kernel", path,
				 release, cli_release());
	if (!id.series[0])
		return cli_error(cli, HP_EXIT_INVALID, -EINVAL, NULL,
				 "build it with a series, a patch version and "
				 "as a replace patch (hotpatch-build(1)), or "
				 "use 'hotpatch install' and 'hotpatch load'",
				 "'%s' names no series: upgrade replaces older "
				 "versions of a series", path);
	if (!id.replace)
		return cli_error(cli, HP_EXIT_INVALID, -EINVAL, NULL,
				 "build it as a cumulative (replace) patch "
				 "(hotpatch-build(1)), or use 'hotpatch load'",
				 "'%s' is not cumulative: upgrade needs a patch "
				 "that replaces the older versions in one "
				 "transition", path);
	/* 1. verify, as install does */
	ret = verify_for_install(cli, path, release, true, cert, sizeof(cert));
	if (ret)
		return ret;
	ret = find_older(cli, name, &id, &olds, &nold, &newer);
	if (ret == -ESTALE) {
		snprintf(hint, sizeof(hint), "'hotpatch list' shows the "
			 "versions; to go back on purpose, 'hotpatch unload "
			 "%s' first", newer.name);
		free(olds);
		return cli_error(cli, HP_EXIT_REFUSED, -ESTALE, NULL, hint,
				 "version %u of series '%s' ('%s') is not newer "
				 "than version %u ('%s'), which is applied",
				 id.version, id.series, name, newer.version,
				 newer.name);
	}
	if (ret) {
		free(olds);
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot list the versions of series '%s'",
				 id.series);
	}
	/* 2. install; what was there before is put back on failure */
	ret = read_file(path, &buf, &len);
	if (ret) {
		free(olds);
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot read '%s'", path);
	}
	rel_dir(release, dir, sizeof(dir));
	patch_file(release, name, ".ko", dst, sizeof(dst));
	had_file = !read_file(dst, &prev, &prev_len);
	ret = mkdir_p(dir, 0755);
	if (!ret)
		ret = write_atomic(dst, buf, len);
	free(buf);
	if (ret) {
		free(prev);
		free(olds);
		return cli_error(cli, cli_exit_for_refusal(ret) == HP_EXIT_ENV ?
				 HP_EXIT_ENV : HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot install '%s' as %s", path, dst);
	}
	marker_clear(release, name);
	/* 3. load: the core replaces every other patch in one transition */
	ret = quietly(cli, load_step, dst, name);
	if (ret) {
		if (had_file)
			write_atomic(dst, prev, prev_len);
		else
			unlink(dst);
		free(prev);
		free(olds);
		fprintf(cli->err, "hotpatch: upgrade to '%s' failed: %s; "
			"nothing was changed\n", name, had_file ?
			"the installed file is the one before" :
			"it is not installed");
		return ret;
	}
	free(prev);
	/* 4. the older versions: unload (the core reverted them) and
	 * uninstall */
	for (i = 0; i < nold; i++) {
		olds[i].result = "removed";
		if (olds[i].loaded &&
		    quietly(cli, unload_step, olds[i].name, NULL)) {
			olds[i].result = "unload-failed";
			failed = true;
			continue;
		}
		if (olds[i].installed) {
			patch_file(cli_release(), olds[i].name, ".ko", dst,
				   sizeof(dst));
			if (unlink(dst) && errno != ENOENT) {
				olds[i].result = "uninstall-failed";
				failed = true;
				continue;
			}
			marker_clear(cli_release(), olds[i].name);
		}
	}
	if (cli->o.json) {
		doc = json_object_new_object();
		arr = json_object_new_array();
		if (doc && arr) {
			json_object_object_add(doc, "name",
					       json_object_new_string(name));
			json_object_object_add(doc, "series",
					       json_object_new_string(id.series));
			json_object_object_add(doc, "patch_version",
					       json_object_new_int64(id.version));
			json_object_object_add(doc, "verified_with",
					       json_object_new_string(cert));
			json_object_object_add(doc, "changed",
					       json_object_new_boolean(1));
			for (i = 0; i < nold; i++) {
				json_object *o = json_object_new_object();

				if (!o)
					continue;
				json_object_object_add(o, "name",
					json_object_new_string(olds[i].name));
				json_object_object_add(o, "patch_version",
					json_object_new_int64(olds[i].version));
				json_object_object_add(o, "result",
					json_object_new_string(olds[i].result));
				json_object_array_add(arr, o);
			}
			json_object_object_add(doc, "replaced", arr);
			arr = NULL;
		}
		json_object_put(arr);
		ret = cli_print_json(cli, doc);
	} else {
		fprintf(cli->out, "patch '%s' (series '%s' version %u) "
			"installed and applied\n", name, id.series, id.version);
		for (i = 0; i < nold; i++)
			fprintf(cli->out, "  version %u '%s': %s\n",
				olds[i].version, olds[i].name, olds[i].result);
	}
	free(olds);
	if (failed) {
		fprintf(cli->err, "hotpatch: '%s' is applied, but not every "
			"older version could be removed: 'hotpatch unload' and "
			"'hotpatch uninstall' them\n", name);
		return HP_EXIT_ERROR;
	}
	return ret ? ret : HP_EXIT_OK;
}

/* ---- check, and the host for status ---- */

struct tally {
	size_t loaded, applied, failed, forced, installed, not_loaded,
	       installed_not_applied;
};

static void tally(struct cli *cli, const struct hp_patch_list *l,
		  char **names, size_t n, struct tally *t)
{
	const struct hp_patch *p;
	size_t i;

	(void)cli;
	memset(t, 0, sizeof(*t));
	t->installed = n;
	for (i = 0; l && i < hp_patch_list_count(l); i++) {
		p = hp_patch_list_get(l, i);
		t->loaded++;
		t->applied += hp_patch_state(p) == HP_STATE_APPLIED;
		t->failed += hp_patch_state(p) == HP_STATE_FAILED ||
			     hp_patch_state(p) == HP_STATE_REJECTED;
		t->forced += hp_patch_force(p) == 2;
	}
	for (i = 0; i < n; i++) {
		bool found = false, applied = false;
		size_t j;

		for (j = 0; l && j < hp_patch_list_count(l); j++) {
			p = hp_patch_list_get(l, j);
			if (!strcmp(hp_patch_name(p), names[i])) {
				found = true;
				applied = hp_patch_state(p) ==
					  HP_STATE_APPLIED;
			}
		}
		t->not_loaded += !found;
		t->installed_not_applied += !applied;
	}
}

static void read_trim(const char *path, char *buf, size_t size)
{
	char *b = NULL;
	size_t len;

	buf[0] = '\0';
	if (read_file(path, &b, &len))
		return;
	b[strcspn(b, "\n")] = '\0';
	snprintf(buf, size, "%s", b);
	free(b);
}

static int cmp_cstr(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/*
 * The CVE ids of the applied patches, sorted, each once: what this host is
 * protected against now. A patch loaded but not applied fixes nothing.
 */
static json_object *cves_fixed(const struct hp_patch_list *l)
{
	json_object *all = json_object_new_array(), *ids, *out;
	const struct hp_patch *p;
	const char **v;
	size_t i, j, n;

	for (i = 0; all && l && i < hp_patch_list_count(l); i++) {
		p = hp_patch_list_get(l, i);
		if (hp_patch_state(p) != HP_STATE_APPLIED ||
		    !(ids = hp_cves_to_json(hp_patch_cves(p))))
			continue;
		for (j = 0; j < json_object_array_length(ids); j++)
			json_object_array_add(all, json_object_get(
				json_object_array_get_idx(ids, j)));
		json_object_put(ids);
	}
	n = all ? json_object_array_length(all) : 0;
	v = calloc(n + 1, sizeof(*v));
	out = json_object_new_array();
	if (!v || !out) {
		free(v);
		json_object_put(all);
		json_object_put(out);
		return NULL;
	}
	for (i = 0; i < n; i++)
		v[i] = json_object_get_string(json_object_array_get_idx(all, i));
	qsort(v, n, sizeof(*v), cmp_cstr);
	for (i = 0; i < n; i++)
		if (!i || strcmp(v[i], v[i - 1]))
			json_object_array_add(out, json_object_new_string(v[i]));
	free(v);
	json_object_put(all);
	return out;
}

static json_object *str_or_null(const char *s)
{
	return s && s[0] ? json_object_new_string(s) : NULL;
}

json_object *cli_host_json(struct cli *cli, const struct hp_patch_list *l)
{
	char host[256] = "", mid[128], bid[64], core[64] = "";
	char **names = NULL;
	json_object *doc, *h, *s;
	struct tally t;
	size_t n = 0;

	gethostname(host, sizeof(host) - 1);
	read_trim(env_or("HOTPATCH_MACHINE_ID", "/etc/machine-id"), mid,
		  sizeof(mid));
	boot_id(bid, sizeof(bid));
	if (hp_sysfs_read_attr(cli->sys, "version", core, sizeof(core)) < 0)
		core[0] = '\0';
	cli_installed_list(&names, &n);
	tally(cli, l, names, n, &t);
	cli_names_free(names, n);
	doc = json_object_new_object();
	h = json_object_new_object();
	s = json_object_new_object();
	if (!doc || !h || !s) {
		json_object_put(doc);
		json_object_put(h);
		json_object_put(s);
		return NULL;
	}
	json_object_object_add(h, "hostname", str_or_null(host));
	json_object_object_add(h, "machine_id", str_or_null(mid));
	json_object_object_add(h, "boot_id", strcmp(bid, "-") ?
			       json_object_new_string(bid) : NULL);
	json_object_object_add(h, "kernel_release",
			       json_object_new_string(cli_release()));
	json_object_object_add(h, "tool_version",
			       json_object_new_string(HOTPATCH_VERSION));
	json_object_object_add(h, "core_version", str_or_null(core));
	json_object_object_add(doc, "host", h);
	json_object_object_add(s, "loaded", json_object_new_int64(
				       (int64_t)t.loaded));
	json_object_object_add(s, "applied", json_object_new_int64(
				       (int64_t)t.applied));
	json_object_object_add(s, "failed", json_object_new_int64(
				       (int64_t)t.failed));
	json_object_object_add(s, "forced", json_object_new_int64(
				       (int64_t)t.forced));
	json_object_object_add(s, "installed", json_object_new_int64(
				       (int64_t)t.installed));
	json_object_object_add(s, "installed_not_loaded",
			       json_object_new_int64((int64_t)t.not_loaded));
	json_object_object_add(s, "installed_not_applied",
			       json_object_new_int64(
				       (int64_t)t.installed_not_applied));
	json_object_object_add(s, "cves_fixed", cves_fixed(l));
	json_object_object_add(doc, "summary", s);
	return doc;
}

int do_check(struct cli *cli)
{
	struct hp_patch_list *l = NULL;
	const struct hp_patch *p;
	char **names = NULL, why[700];
	json_object *doc = NULL, *arr = NULL, *o;
	const char *state;
	struct marker m;
	size_t n = 0, i, j, bad = 0;
	bool core, applied;
	int ret;

	ret = cli_installed_list(&names, &n);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot list the patches installed in %s/%s",
				 state_dir(), cli_release());
	core = !hp_sysfs_probe(cli->sys);
	if (core && hp_patch_list_read(cli->sys, &l)) {
		cli_names_free(names, n);
		return cli_error(cli, HP_EXIT_ERROR, -EIO, NULL, NULL,
				 "cannot read the patches in %s/patches",
				 hp_sysfs_root(cli->sys));
	}
	if (cli->o.json) {
		doc = json_object_new_object();
		arr = json_object_new_array();
	}
	for (i = 0; i < n; i++) {
		state = core ? "not-loaded" : "core-not-loaded";
		applied = false;
		for (j = 0; l && j < hp_patch_list_count(l); j++) {
			p = hp_patch_list_get(l, j);
			if (strcmp(hp_patch_name(p), names[i]))
				continue;
			state = hp_state_to_string(hp_patch_state(p));
			applied = hp_patch_state(p) == HP_STATE_APPLIED;
		}
		marker_read(cli_release(), names[i], &m);
		why[0] = '\0';
		if (m.present)
			marker_text(&m, why, sizeof(why));
		bad += !applied;
		if (arr && (o = json_object_new_object())) {
			json_object_object_add(o, "name",
				json_object_new_string(names[i]));
			json_object_object_add(o, "state",
				json_object_new_string(state));
			json_object_object_add(o, "applied",
				json_object_new_boolean(applied));
			json_object_object_add(o, "skipped", why[0] ?
				json_object_new_string(why) : NULL);
			json_object_array_add(arr, o);
		} else if (!cli->o.json) {
			fprintf(cli->out, "%-4s %s: %s%s%s\n",
				applied ? "ok" : "FAIL",
				names[i], state, why[0] ? "; not loaded at "
				"boot: " : "", why);
		}
	}
	hp_patch_list_free(l);
	cli_names_free(names, n);
	ret = bad ? HP_EXIT_NOT_APPLIED : HP_EXIT_OK;
	if (cli->o.json) {
		if (doc && arr) {
			json_object_object_add(doc, "ok",
					       json_object_new_boolean(!bad));
			json_object_object_add(doc, "release",
				json_object_new_string(cli_release()));
			json_object_object_add(doc, "installed",
				json_object_new_int64((int64_t)n));
			json_object_object_add(doc, "not_applied",
				json_object_new_int64((int64_t)bad));
			json_object_object_add(doc, "patches", arr);
			arr = NULL;
		} else {
			json_object_put(doc);
			doc = NULL;
		}
		json_object_put(arr);
		if (cli_print_json(cli, doc))
			return HP_EXIT_ERROR;
		return ret;
	}
	fprintf(cli->out, "%zu installed patch(es) for %s, %zu not applied\n",
		n, cli_release(), bad);
	return ret;
}
