// SPDX-License-Identifier: GPL-2.0
/* Helpers shared by the tests; see testlib.h. */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "hpsign.h"

CU_pSuite test_suite(const char *name, CU_InitializeFunc init,
		     CU_CleanupFunc cleanup)
{
	CU_pSuite s = CU_add_suite(name, init, cleanup);

	if (!s) {
		fprintf(stderr, "cannot add suite %s\n", name);
		exit(2);
	}
	return s;
}

void test_add(CU_pSuite s, const char *fname, CU_TestFunc fn)
{
	char name[256];
	size_t i;

	if (!strncmp(fname, "test_", 5))
		fname += 5;
	snprintf(name, sizeof(name), "%s", fname);
	for (i = 0; name[i]; i++)
		if (name[i] == '_')
			name[i] = ' ';
	if (!CU_add_test(s, name, fn)) {	/* CUnit copies the name */
		fprintf(stderr, "cannot add test %s\n", name);
		exit(2);
	}
}

/* ---- fake sysfs ---- */

static char root[PATH_MAX];

static void die(const char *what, const char *path)
{
	fprintf(stderr, "test setup: %s %s: %s\n", what, path, strerror(errno));
	exit(2);
}

static void mkdirs(const char *path)
{
	char buf[PATH_MAX], *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) && errno != EEXIST)
			die("mkdir", buf);
		*p = '/';
	}
	if (mkdir(buf, 0755) && errno != EEXIST)
		die("mkdir", buf);
}

static int rm_one(const char *path, const struct stat *st, int flag,
		  struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

const char *fake_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	fake_teardown();
	snprintf(root, sizeof(root), "%s/hotpatch-test.XXXXXX",
		 tmp && tmp[0] ? tmp : "/tmp");
	if (!mkdtemp(root))
		die("mkdtemp", root);
	setenv(HP_SYSFS_ENV, root, 1);
	/* installed patches, records and the action log inside the tree,
	 * never the machine's */
	{
		static char st[PATH_MAX + 16], rn[PATH_MAX + 16];
		static char lg[PATH_MAX + 16], kd[PATH_MAX + 16];

		snprintf(st, sizeof(st), "%s/.state", root);
		snprintf(rn, sizeof(rn), "%s/.run", root);
		snprintf(lg, sizeof(lg), "%s/.log", root);
		snprintf(kd, sizeof(kd), "%s/.keys.d", root);
		setenv("HOTPATCH_STATE_DIR", st, 1);
		setenv("HOTPATCH_RUN_DIR", rn, 1);
		setenv("HOTPATCH_LOG", lg, 1);
		setenv("HOTPATCH_KEYS_DIR", kd, 1);
	}
	fake_write("version", "0.1.0\n");
	fake_write("default_mode", "direct\n");
	fake_write("count", "0\n");
	fake_write("last_error", "\n");
	fake_mkdir("patches");
	return root;
}

void fake_teardown(void)
{
	if (root[0])
		nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	root[0] = '\0';
}

const char *fake_root(void)
{
	return root;
}

void fake_mkdir(const char *rel)
{
	char path[2 * PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdirs(path);
}

void fake_rmtree(const char *rel)
{
	char path[2 * PATH_MAX];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

void fake_write(const char *rel, const char *content)
{
	char path[2 * PATH_MAX], *slash;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (!content) {
		unlink(path);
		return;
	}
	slash = strrchr(path, '/');
	*slash = '\0';
	mkdirs(path);
	*slash = '/';
	f = fopen(path, "w");
	if (!f)
		die("open", path);
	fputs(content, f);
	fclose(f);
}

void fake_patch(const char *name, int nfuncs, int stack_order)
{
	char rel[PATH_MAX], val[64];
	int i;

#define P(attr, v) do { \
		snprintf(rel, sizeof(rel), "patches/%s/%s", name, attr); \
		fake_write(rel, v); \
	} while (0)
	P("enabled", "1\n");
	P("state", "applied\n");
	P("transition", "0\n");
	P("mode", "direct\n");
	P("target", "6.1.0-13-cloud-amd64\n");
	P("applied_at", "1764000000\n");
	P("last_error", "\n");
	snprintf(val, sizeof(val), "%d\n", stack_order);
	P("stack_order", val);
	P("vmlinux/patched", "1\n");
	for (i = 0; i < nfuncs; i++) {
		char dir[128];

		snprintf(dir, sizeof(dir), "vmlinux/func%d,0", i);
		snprintf(rel, sizeof(rel), "patches/%s/%s/old_addr", name, dir);
		snprintf(val, sizeof(val), "0xffffffff8100%04x\n", i);
		fake_write(rel, val);
		snprintf(rel, sizeof(rel), "patches/%s/%s/new_addr", name, dir);
		snprintf(val, sizeof(val), "0xffffffffc000%04x\n", i);
		fake_write(rel, val);
		snprintf(rel, sizeof(rel), "patches/%s/%s/mode", name, dir);
		fake_write(rel, "direct\n");
		snprintf(rel, sizeof(rel), "patches/%s/%s/patched", name, dir);
		fake_write(rel, "1\n");
	}
#undef P
}

void fake_meta(const char *name, const char *description, const char *series,
	       unsigned int version, const char *cves)
{
	char rel[PATH_MAX], val[1100];

#define M(attr, v) do { \
		snprintf(rel, sizeof(rel), "patches/%s/%s", name, attr); \
		snprintf(val, sizeof(val), "%s\n", (v) ? (v) : ""); \
		fake_write(rel, val); \
	} while (0)
	M("description", description);
	M("series", series);
	M("cves", cves);
#undef M
	snprintf(rel, sizeof(rel), "patches/%s/patch_version", name);
	snprintf(val, sizeof(val), "%u\n", version);
	fake_write(rel, val);
}

void fake_revert_all(void)
{
	char path[PATH_MAX + 16], rel[PATH_MAX];
	struct dirent *e;
	DIR *d;

	snprintf(path, sizeof(path), "%s/patches", root);
	d = opendir(path);
	if (!d)
		return;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(rel, sizeof(rel), "patches/%s/enabled", e->d_name);
		fake_write(rel, "0\n");
		snprintf(rel, sizeof(rel), "patches/%s/state", e->d_name);
		fake_write(rel, "reverted\n");
		snprintf(rel, sizeof(rel), "patches/%s/vmlinux/patched",
			 e->d_name);
		fake_write(rel, "0\n");
	}
	closedir(d);
}

/* ---- the fake module loader ---- */

static int fm_name(struct cli *cli, const char *path, char *buf, size_t size)
{
	struct fake_mod *fm = cli->mod_data;

	snprintf(fm->last_path, sizeof(fm->last_path), "%s", path);
	if (!fm->name)
		return -ENOEXEC;
	return hp_name_normalize(fm->name, buf, size);
}

static int fm_insert(struct cli *cli, const char *path)
{
	struct fake_mod *fm = cli->mod_data;
	char rel[256];

	fm->inserts++;
	snprintf(fm->last_path, sizeof(fm->last_path), "%s", path);
	if (fm->insert_ret) {
		if (fm->insert_last_error)
			fake_write("last_error", fm->insert_last_error);
		return fm->insert_ret;
	}
	if (fm->insert_replaces)
		fake_revert_all();
	if (fm->insert_creates) {
		fake_patch(fm->name, 1, 1);
		if (fm->insert_state) {
			snprintf(rel, sizeof(rel), "patches/%s/state", fm->name);
			fake_write(rel, fm->insert_state);
		}
		if (fm->insert_last_error) {
			snprintf(rel, sizeof(rel), "patches/%s/last_error",
				 fm->name);
			fake_write(rel, fm->insert_last_error);
		}
	}
	return 0;
}

static int fm_remove(struct cli *cli, const char *name)
{
	struct fake_mod *fm = cli->mod_data;
	char rel[256];

	fm->removes++;
	snprintf(fm->last_removed, sizeof(fm->last_removed), "%s", name);
	if (fm->remove_ret)
		return fm->remove_ret;
	snprintf(rel, sizeof(rel), "patches/%s", name);
	fake_rmtree(rel);
	return 0;
}

static int fm_load_core(struct cli *cli, const char *path)
{
	struct fake_mod *fm = cli->mod_data;

	(void)path;
	fm->core_loads++;
	if (fm->core_creates_root)
		fake_setup();
	return fm->load_core_ret;
}

static long fm_add_key(struct cli *cli, int32_t keyring, const void *der,
		       size_t len)
{
	struct fake_mod *fm = cli->mod_data;

	fm->add_keys++;
	fm->last_keyring = keyring;
	fm->last_der_len = len;
	fm->last_der0 = len ? *(const unsigned char *)der : 0;
	return fm->add_key_ret;
}

const struct cli_module_ops fake_mod_ops = {
	.name = fm_name,
	.insert = fm_insert,
	.remove = fm_remove,
	.load_core = fm_load_core,
	.add_key = fm_add_key,
};

/* Module ops for runs that must never reach the module loader. */
static int no_name(struct cli *c, const char *p, char *b, size_t s)
{
	(void)c; (void)p; (void)b; (void)s;
	CU_FAIL("module loader used (name)");
	return -ENOSYS;
}

static int no_insert(struct cli *c, const char *p)
{
	(void)c; (void)p;
	CU_FAIL("module loader used (insert)");
	return -ENOSYS;
}

static int no_remove(struct cli *c, const char *n)
{
	(void)c; (void)n;
	CU_FAIL("module loader used (remove)");
	return -ENOSYS;
}

static int no_core(struct cli *c, const char *p)
{
	(void)c; (void)p;
	CU_FAIL("module loader used (load_core)");
	return -ENOSYS;
}

static long no_add_key(struct cli *c, int32_t k, const void *d, size_t l)
{
	(void)c; (void)k; (void)d; (void)l;
	CU_FAIL("add_key used");
	return -ENOSYS;
}

static const struct cli_module_ops no_mod_ops = {
	.name = no_name,
	.insert = no_insert,
	.remove = no_remove,
	.load_core = no_core,
	.add_key = no_add_key,
};

struct run run_cli(struct fake_mod *fm, ...)
{
	struct run r = { 0 };
	char *argv[32];
	size_t outlen, errlen;
	FILE *out, *err;
	const char *a;
	va_list ap;
	int argc = 0, i;

	argv[argc++] = strdup("hotpatch");
	va_start(ap, fm);
	while ((a = va_arg(ap, const char *)) && argc < 31)
		argv[argc++] = strdup(a);
	va_end(ap);
	argv[argc] = NULL;

	out = open_memstream(&r.out, &outlen);
	err = open_memstream(&r.err, &errlen);
	r.rc = cli_run(argc, argv, out, err, fm ? &fake_mod_ops : &no_mod_ops,
		       fm);
	fclose(out);
	fclose(err);
	if (r.out[0] == '{' || r.out[0] == '[')
		r.json = json_tokener_parse(r.out);
	for (i = 0; i < argc; i++)
		free(argv[i]);
	return r;
}

void run_free(struct run *r)
{
	free(r->out);
	free(r->err);
	json_object_put(r->json);
	memset(r, 0, sizeof(*r));
}

int test_fresh_dir(const char *name, char *dir, size_t size)
{
	char cmd[1200];

	snprintf(dir, size, "%s/tmp/%s", OUT_DIR, name);
	snprintf(cmd, sizeof(cmd), "rm -rf %s && mkdir -p %s", dir, dir);
	return system(cmd) ? 1 : 0;
}

int test_keygen(const char *dir, const char *cn, char *key, char *cert,
		bool der)
{
	struct hp_keygen_opts o = { .bits = 2048, .cn = cn, .dir = dir };
	struct hp_msg m = { "" };

	if (hp_keygen(&o, &m))
		return fprintf(stderr, "keygen: %s\n", m.text), 1;
	if (key)
		snprintf(key, TEST_PATH, "%s/signing_key.pem", dir);
	snprintf(cert, TEST_PATH, "%s/signing_cert.%s", dir, der ? "der" : "pem");
	return 0;
}

int test_kernel_facts(const char *dir, const uint8_t *bid, size_t bid_len,
		      const char *syms, char *notes, char *kallsyms)
{
	uint8_t note[12 + 4 + 64] = { 4, 0, 0, 0, 0, 0, 0, 0,
				      3, 0, 0, 0, 'G', 'N', 'U', 0 };

	if (bid_len > 64)
		return 1;
	note[4] = (uint8_t)bid_len;
	memcpy(note + 16, bid, bid_len);
	snprintf(notes, TEST_PATH, "%s/notes", dir);
	snprintf(kallsyms, TEST_PATH, "%s/kallsyms", dir);
	if (test_write_file(notes, note, 16 + bid_len) ||
	    test_write_file(kallsyms, syms, strlen(syms)))
		return 1;
	return 0;
}

int test_write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	fwrite(buf, 1, len, f);
	return fclose(f);
}

int test_patch_module(const char *out, const char *release, const uint8_t *bid,
		      size_t bid_len, uint32_t size, struct hp_signer *s)
{
	return test_patch_module_meta(out, release, bid, bid_len, size, s,
				      NULL);
}

int test_patch_module_meta(const char *out, const char *release,
			   const uint8_t *bid, size_t bid_len, uint32_t size,
			   struct hp_signer *s, const struct test_meta *meta)
{
	struct hp_mfbuild *b;
	struct hp_msg m = { "" };
	uint8_t *mf = NULL;
	size_t len;
	int ret;

	ret = hp_mfbuild_new("hp_cli_test", release, bid, bid_len, &b);
	if (!ret)
		ret = hp_mfbuild_add_obj(b, "vmlinux", NULL, NULL, 0);
	if (!ret)
		ret = hp_mfbuild_add_func(b, "vmlinux", "cmdline_proc_show", 0,
					  size, "livepatch_cmdline_proc_show",
					  "hp_tramp_cmdline_proc_show");
	if (!ret && meta) {
		hp_mfbuild_set_flags(b, meta->replace ? HOTPATCH_MF_REPLACE : 0);
		ret = hp_mfbuild_set_meta(b, meta->description, meta->series,
					  meta->version, meta->cves);
	}
	if (!ret)
		ret = hp_mfbuild_build(b, &mf, &len, &m);
	hp_mfbuild_free(b);
	if (!ret)
		ret = hp_patchmod_set_section(OUT_DIR "/patchmod.ko", out,
					      HOTPATCH_MANIFEST_SECTION, mf,
					      len, &m);
	free(mf);
	if (!ret && s)
		ret = hp_patchmod_sign(out, out, s, 0, &m);
	if (ret)
		fprintf(stderr, "test module %s: %s\n", out, m.text);
	return ret;
}
