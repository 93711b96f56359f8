// SPDX-License-Identifier: GPL-2.0
/*
 * tools/cli/cmd_install.c: install, uninstall, load NAME, load --all and
 * --boot (the boot marker), unload --all, check, status --json's host and
 * summary, "unchanged", --retry, the action log; and that every hint the
 * CLI prints names an option that exists.
 *
 * Patch modules are made at test time as in test_cmd_verify.c (patchmod.c,
 * a manifest from hp_mfbuild, a throwaway key); the installed patches live
 * in HOTPATCH_STATE_DIR inside the fake sysfs tree (testlib.c).
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "hpsign.h"

#define PATCHMOD	OUT_DIR "/patchmod.ko"
#define RELEASE		"6.1.0-98-test-amd64"
#define OTHER_RELEASE	"6.1.0-97-test-amd64"
#define NAME		"hp_cli_test"

static char dir[400], cert[TEST_PATH], key[TEST_PATH];
static char good[500], good2[500], unsigned_ko[500], other[500];
static char notes[TEST_PATH], kallsyms[TEST_PATH], cmdline[500];
static const uint8_t bid[20] = { 0xc1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
				 14, 15, 16, 17, 18, 19, 0x21 };

static int make_module(const char *out, const char *release, uint32_t size,
		       struct hp_signer *s)
{
	return test_patch_module(out, release, bid, sizeof(bid), size, s);
}

static int init(void)
{
	static const char syms[] =
		"ffffffff81000000 T cmdline_proc_show\n"
		"ffffffff81000100 T meminfo_proc_show\n";
	struct hp_signer *s = NULL;
	struct hp_msg m = { "" };
	char kdir[600];
	int ret;

	if (test_fresh_dir("install", dir, sizeof(dir)))
		return 1;
	snprintf(kdir, sizeof(kdir), "%s/k", dir);
	if (test_keygen(kdir, "hotpatch cli install", key, cert, false))
		return 1;
	snprintf(good, sizeof(good), "%s/good.ko", dir);
	snprintf(good2, sizeof(good2), "%s/good2.ko", dir);
	snprintf(unsigned_ko, sizeof(unsigned_ko), "%s/unsigned.ko", dir);
	snprintf(other, sizeof(other), "%s/other.ko", dir);
	if (hp_signer_read(key, cert, &s, &m))
		return fprintf(stderr, "signer: %s\n", m.text), 1;
	ret = make_module(good, RELEASE, 64, s) ||
	      make_module(good2, RELEASE, 48, s) ||
	      make_module(unsigned_ko, RELEASE, 64, NULL) ||
	      make_module(other, OTHER_RELEASE, 64, s);
	hp_signer_free(s);
	if (ret)
		return 1;
	snprintf(cmdline, sizeof(cmdline), "%s/cmdline", dir);
	return test_kernel_facts(dir, bid, sizeof(bid), syms, notes, kallsyms);
}

/* A fresh fake tree, this machine running RELEASE, nothing installed. */
static void machine(void)
{
	fake_setup();
	setenv("HOTPATCH_KERNEL_RELEASE", RELEASE, 1);
	setenv("HOTPATCH_KERNEL_NOTES", notes, 1);
	setenv("HOTPATCH_KALLSYMS", kallsyms, 1);
	test_write_file(cmdline, "BOOT_IMAGE=/vmlinuz root=/dev/vda ro\n", 37);
	setenv("HOTPATCH_CMDLINE", cmdline, 1);
}

static int cleanup(void)
{
	unsetenv("HOTPATCH_KERNEL_RELEASE");
	unsetenv("HOTPATCH_KERNEL_NOTES");
	unsetenv("HOTPATCH_KALLSYMS");
	unsetenv("HOTPATCH_CMDLINE");
	fake_teardown();
	return 0;
}

static void path_in_tree(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", fake_root(), rel);
}

static bool exists_in_tree(const char *rel)
{
	char path[1200];
	struct stat st;

	path_in_tree(path, sizeof(path), rel);
	return !stat(path, &st);
}

static char *slurp_tree(const char *rel)
{
	char path[1200], *buf;
	FILE *f;
	long n;

	path_in_tree(path, sizeof(path), rel);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = calloc(1, (size_t)n + 1);
	if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n)
		buf[0] = '\0';
	fclose(f);
	return buf;
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

static void install_good(void)
{
	struct fake_mod fm = { .name = NAME };
	struct run r = run_cli(&fm, "install", "--cert", cert, good, NULL);

	CU_ASSERT_EQUAL_FATAL(r.rc, HP_EXIT_OK);
	run_free(&r);
}

#define INSTALLED ".state/" RELEASE "/" NAME ".ko"
#define MARKER ".state/" RELEASE "/" NAME ".state"

static void test_install_verifies_and_copies_the_module(void)
{
	struct fake_mod fm = { .name = NAME };
	struct run r;
	char *log;

	machine();
	r = run_cli(&fm, "install", "--cert", cert, "--json", good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "name")),
			       NAME);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "release")),
			       RELEASE);
	CU_ASSERT_TRUE(json_object_get_boolean(get(r.json, "changed")));
	CU_ASSERT_TRUE(json_object_get_boolean(get(r.json, "running_kernel")));
	CU_ASSERT_TRUE(exists_in_tree(INSTALLED));
	CU_ASSERT_EQUAL(fm.inserts, 0);		/* installed, not loaded */
	run_free(&r);

	/* again: nothing to do, and it says so */
	r = run_cli(&fm, "install", "--cert", cert, "--json", good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_FALSE(json_object_get_boolean(get(r.json, "changed")));
	run_free(&r);
	r = run_cli(&fm, "install", "--cert", cert, good, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "unchanged"));
	run_free(&r);

	log = slurp_tree(".log");
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "install patch=" NAME
				      " result=ok (exit 0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "install patch=" NAME
				      " result=unchanged (exit 0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "by="));
	free(log);
}

static void test_install_refuses_what_verify_refuses(void)
{
	struct fake_mod fm = { .name = NAME };
	struct run r;

	machine();
	r = run_cli(&fm, "install", "--cert", cert, unsigned_ko, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "not installed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "hotpatch verify --cert"));
	CU_ASSERT_FALSE(exists_in_tree(INSTALLED));
	run_free(&r);

	/* the running kernel's facts count: another build-id fails */
	test_write_file(notes, "x", 1);
	r = run_cli(&fm, "install", "--cert", cert, good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_INVALID);
	CU_ASSERT_FALSE(exists_in_tree(INSTALLED));
	run_free(&r);
	CU_ASSERT_EQUAL(init(), 0);		/* the notes back */
}

static void test_install_uses_the_certificates_in_keys_d(void)
{
	struct fake_mod fm = { .name = NAME };
	char cmd[2000];
	struct run r;

	machine();
	r = run_cli(&fm, "install", good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "--cert CERT"));
	run_free(&r);

	snprintf(cmd, sizeof(cmd), "mkdir -p %s/.keys.d && cp %s %s/.keys.d/"
		 "vendor.pem", fake_root(), cert, fake_root());
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
	r = run_cli(&fm, "install", good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "vendor.pem"));
	CU_ASSERT_TRUE(exists_in_tree(INSTALLED));
	run_free(&r);
}

static void test_install_for_another_kernel_goes_to_its_release(void)
{
	struct fake_mod fm = { .name = NAME };
	struct run r;

	machine();
	r = run_cli(&fm, "install", "--cert", cert, other, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "not the running"));
	CU_ASSERT_TRUE(exists_in_tree(".state/" OTHER_RELEASE "/" NAME ".ko"));
	CU_ASSERT_FALSE(exists_in_tree(INSTALLED));
	run_free(&r);
	/* nothing to do for the running kernel */
	r = run_cli(&fm, "check", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	run_free(&r);
}

static void test_list_shows_installed_patches(void)
{
	struct fake_mod fm = { .name = NAME };
	json_object *e;
	struct run r;

	machine();
	install_good();
	fake_patch("fix_a", 1, 1);
	r = run_cli(&fm, "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "INSTALLED"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, NAME "  not-loaded"));
	run_free(&r);
	r = run_cli(&fm, "list", "--json", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(r.json), 2);
	e = json_object_array_get_idx(r.json, 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(e, "name")), "fix_a");
	CU_ASSERT_FALSE(json_object_get_boolean(get(e, "installed")));
	e = json_object_array_get_idx(r.json, 1);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(e, "name")), NAME);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(e, "state")),
			       "not-loaded");
	CU_ASSERT_TRUE(json_object_get_boolean(get(e, "installed")));
	run_free(&r);
}

static void test_load_all_loads_installed_and_clears_the_marker(void)
{
	struct fake_mod fm = { .name = NAME, .insert_creates = true };
	json_object *p;
	struct run r;

	machine();
	install_good();
	r = run_cli(&fm, "load", "--all", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_EQUAL(fm.inserts, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(fm.last_path, INSTALLED));
	CU_ASSERT_FALSE(exists_in_tree(MARKER));
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_TRUE(json_object_get_boolean(get(r.json, "changed")));
	p = json_object_array_get_idx(get(r.json, "patches"), 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(p, "result")),
			       "applied");
	run_free(&r);

	/* again: unchanged, exit 0, no insertion */
	r = run_cli(&fm, "load", "--all", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_EQUAL(fm.inserts, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_FALSE(json_object_get_boolean(get(r.json, "changed")));
	p = json_object_array_get_idx(get(r.json, "patches"), 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(p, "result")),
			       "unchanged");
	run_free(&r);

	r = run_cli(&fm, "check", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "ok   " NAME ": applied"));
	run_free(&r);
}

static void test_an_in_flight_marker_skips_the_patch_until_asked(void)
{
	struct fake_mod fm = { .name = NAME, .insert_creates = true };
	json_object *p;
	struct run r;

	machine();
	install_good();
	fake_write(MARKER, "in-flight\t1764000000\tb00t-1d\n");
	r = run_cli(&fm, "load", "--boot", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOT_APPLIED);
	CU_ASSERT_EQUAL(fm.inserts, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "being applied when the machine "
				      "stopped (boot b00t-1d"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "'hotpatch load " NAME "'"));
	run_free(&r);

	r = run_cli(&fm, "check", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOT_APPLIED);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_FALSE(json_object_get_boolean(get(r.json, "ok")));
	p = json_object_array_get_idx(get(r.json, "patches"), 0);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(p, "state")),
			       "not-loaded");
	CU_ASSERT_PTR_NOT_NULL(get(p, "skipped"));
	run_free(&r);

	/* an explicit load by name clears it */
	r = run_cli(&fm, "load", NAME, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_EQUAL(fm.inserts, 1);
	CU_ASSERT_FALSE(exists_in_tree(MARKER));
	run_free(&r);
}

static void test_a_failed_load_leaves_a_failed_marker(void)
{
	struct fake_mod fm = {
		.name = NAME, .insert_ret = -EINVAL,
		.insert_last_error = NAME "\t22\tbad relocation\n",
	};
	struct run r;
	char *m;

	machine();
	install_good();
	r = run_cli(&fm, "load", "--all", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	run_free(&r);
	m = slurp_tree(MARKER);
	CU_ASSERT_PTR_NOT_NULL_FATAL(m);
	CU_ASSERT_EQUAL(strncmp(m, "failed\t", 7), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(m, "\t22\tbad relocation"));
	free(m);

	/* the next boot does not try it again, and says why */
	fm.insert_ret = 0;
	r = run_cli(&fm, "load", "--boot", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOT_APPLIED);
	CU_ASSERT_EQUAL(fm.inserts, 1);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "its load failed"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "bad relocation"));
	run_free(&r);

	/* installing again clears it */
	install_good();
	CU_ASSERT_FALSE(exists_in_tree(MARKER));
}

static void test_boot_with_hotpatch_enable_0_does_nothing(void)
{
	struct fake_mod fm = { .name = NAME, .insert_creates = true };
	struct run r;
	char *log;

	machine();
	install_good();
	test_write_file(cmdline, "root=/dev/vda hotpatch.enable=0 quiet\n", 38);
	r = run_cli(&fm, "load", "--boot", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_EQUAL(fm.inserts, 0);
	CU_ASSERT_EQUAL(fm.core_loads, 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "hotpatch.enable=0"));
	run_free(&r);
	log = slurp_tree(".log");
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "skipped (hotpatch.enable=0)"));
	free(log);
}

static void test_boot_loads_the_core_with_nothing_installed(void)
{
	struct fake_mod fm = { .name = NAME, .core_creates_root = true };
	struct run r;

	machine();
	fake_rmtree("");		/* no core */
	r = run_cli(&fm, "load", "--boot", NULL);
	/* HOTPATCH_SYSFS is set: never loaded automatically */
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_EQUAL(fm.core_loads, 0);
	run_free(&r);
	machine();
	r = run_cli(&fm, "load", "--all", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);	/* nothing to do */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "0 patch(es)"));
	run_free(&r);
}

static void test_loading_the_same_file_again_is_unchanged(void)
{
	struct fake_mod fm = { .name = NAME, .insert_creates = true };
	struct run r;

	machine();
	r = run_cli(&fm, "load", good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	run_free(&r);
	r = run_cli(&fm, "load", "--json", good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_EQUAL(fm.inserts, 1);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_FALSE(json_object_get_boolean(get(r.json, "changed")));
	run_free(&r);
	r = run_cli(&fm, "load", good, NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "unchanged"));
	run_free(&r);
	/* another file of the same name: refused as before */
	r = run_cli(&fm, "load", good2, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "already loaded"));
	run_free(&r);
}

static void test_retry_tries_again_after_a_timeout(void)
{
	struct fake_mod fm = {
		.name = NAME, .insert_ret = -ETIMEDOUT,
		.insert_last_error = NAME "\t110\ttasks stayed in the code\n",
	};
	struct run r;
	char *log;

	machine();
	r = run_cli(&fm, "load", "--retry", "2", "--retry-delay", "0",
		    "--json", good, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_TIMEOUT);
	CU_ASSERT_EQUAL(fm.inserts, 3);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "retry 2 of 2"));
	CU_ASSERT_PTR_NOT_NULL(r.json);		/* one document */
	run_free(&r);
	log = slurp_tree(".log");
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "load patch=" NAME
				      " result=failed (exit 5, 2 retries)"));
	free(log);

	/* a refusal is not retried */
	fm.insert_ret = -EINVAL;
	fm.inserts = 0;
	r = run_cli(&fm, "load", "--retry", "3", "--retry-delay", "0", good,
		    NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_EQUAL(fm.inserts, 1);
	run_free(&r);
}

static void test_unload_all_unloads_newest_first(void)
{
	struct fake_mod fm = { .name = NAME };
	struct run r;

	machine();
	fake_patch("fix_old", 1, 1);
	fake_patch("fix_new", 1, 2);
	fake_write("patches/fix_old/enabled", "0\n");
	fake_write("patches/fix_old/state", "reverted\n");
	fake_write("patches/fix_new/enabled", "0\n");
	fake_write("patches/fix_new/state", "reverted\n");
	r = run_cli(&fm, "unload", "--all", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_EQUAL(fm.removes, 2);
	CU_ASSERT_STRING_EQUAL(fm.last_removed, "fix_old");
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(
		json_object_array_get_idx(get(r.json, "patches"), 0), "name")),
		"fix_new");
	run_free(&r);
	r = run_cli(&fm, "unload", "--all", "fix_new", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	run_free(&r);
}

static void test_status_json_starts_with_the_host_and_a_summary(void)
{
	struct fake_mod fm = { .name = NAME };
	json_object *h, *s;
	struct run r;
	int i = 0;

	machine();
	install_good();
	fake_patch("fix_a", 1, 1);
	fake_write("patches/fix_a/force", "2\n");
	r = run_cli(&fm, "status", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	json_object_object_foreach(r.json, k, v) {
		(void)v;
		if (i == 0)
			CU_ASSERT_STRING_EQUAL(k, "host");
		if (i == 1)
			CU_ASSERT_STRING_EQUAL(k, "summary");
		i++;
	}
	h = get(r.json, "host");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(h,
		"kernel_release")), RELEASE);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(h, "tool_version")),
			       HOTPATCH_VERSION);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(h, "core_version")),
			       "0.1.0");
	CU_ASSERT_TRUE(json_object_object_get_ex(h, "hostname", NULL));
	CU_ASSERT_TRUE(json_object_object_get_ex(h, "machine_id", NULL));
	CU_ASSERT_TRUE(json_object_object_get_ex(h, "boot_id", NULL));
	s = get(r.json, "summary");
	CU_ASSERT_EQUAL(json_object_get_int(get(s, "applied")), 1);
	CU_ASSERT_EQUAL(json_object_get_int(get(s, "forced")), 1);
	CU_ASSERT_EQUAL(json_object_get_int(get(s, "failed")), 0);
	CU_ASSERT_EQUAL(json_object_get_int(get(s, "installed")), 1);
	CU_ASSERT_EQUAL(json_object_get_int(get(s, "installed_not_loaded")),
			1);
	CU_ASSERT_TRUE(json_object_object_get_ex(r.json, "version", NULL));
	CU_ASSERT_EQUAL(json_object_array_length(get(r.json, "patches")), 2);
	run_free(&r);
}

static void test_status_json_without_the_core_still_names_the_host(void)
{
	struct fake_mod fm = { .name = NAME };
	json_object *s;
	struct run r;

	machine();
	install_good();
	setenv(HP_SYSFS_ENV, "/nonexistent/hotpatch", 1);	/* no core */
	r = run_cli(&fm, "status", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ENV);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(get(r.json, "host"),
		"kernel_release")), RELEASE);
	CU_ASSERT_FALSE(json_object_get_boolean(get(r.json, "core_loaded")));
	CU_ASSERT_PTR_NOT_NULL(get(r.json, "error"));
	s = get(r.json, "summary");
	CU_ASSERT_EQUAL(json_object_get_int(get(s, "installed")), 1);
	CU_ASSERT_EQUAL(json_object_get_int(get(s, "installed_not_applied")),
			1);
	CU_ASSERT_EQUAL(json_object_array_length(get(r.json, "patches")), 1);
	run_free(&r);
}

static void test_uninstall_removes_the_installed_patch(void)
{
	struct fake_mod fm = { .name = NAME };
	struct run r;

	machine();
	install_good();
	fake_write(MARKER, "failed\t1\t-\t5\t-\n");
	r = run_cli(&fm, "uninstall", NAME, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_FALSE(exists_in_tree(INSTALLED));
	CU_ASSERT_FALSE(exists_in_tree(MARKER));
	run_free(&r);
	r = run_cli(&fm, "uninstall", NAME, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_NOTFOUND);
	run_free(&r);
	r = run_cli(&fm, "uninstall", "../x", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	run_free(&r);
}

/*
 * Every "--option" a hint or message of the CLI names (string literals in
 * tools/cli and tools/lib/advice.c) is an option of the option table.
 */
static void test_every_option_a_hint_names_exists(void)
{
	static const char *const files[] = {
		"tools/cli/cli.c", "tools/cli/cmd_install.c",
		"tools/cli/cmd_keys.c", "tools/cli/cmd_meta.c",
		"tools/cli/cmd_patch.c",
		"tools/cli/cmd_show.c", "tools/cli/cmd_verify.c",
		"tools/cli/kmod.c", "tools/cli/options.c",
		"tools/lib/advice.c", NULL,
	};
	const struct cli_option *opt;
	const char *const *f;
	char path[600], word[64], *buf, *p, *q;
	bool in_str, found;
	size_t checked = 0, n;
	FILE *fp;
	long len;

	for (f = files; *f; f++) {
		snprintf(path, sizeof(path), "%s/%s", TOP_DIR, *f);
		fp = fopen(path, "r");
		CU_ASSERT_PTR_NOT_NULL_FATAL(fp);
		fseek(fp, 0, SEEK_END);
		len = ftell(fp);
		fseek(fp, 0, SEEK_SET);
		buf = calloc(1, (size_t)len + 1);
		CU_ASSERT_FATAL(fread(buf, 1, (size_t)len, fp) == (size_t)len);
		fclose(fp);
		in_str = false;
		for (p = buf; *p; p++) {
			if (*p == '\\' && in_str && p[1]) {
				p++;
				continue;
			}
			if (*p == '"' && !(p > buf && p[-1] == '\'')) {
				in_str = !in_str;
				continue;
			}
			if (!in_str || strncmp(p, "--", 2) || p[2] < 'a' ||
			    p[2] > 'z' || (p > buf && p[-1] != ' ' &&
					   p[-1] != '"' && p[-1] != '\'' &&
					   p[-1] != '('))
				continue;
			for (q = p + 2, n = 0; ((*q >= 'a' && *q <= 'z') ||
						*q == '-') && n < 63; q++)
				word[n++] = *q;
			word[n] = '\0';
			while (n && word[n - 1] == '-')
				word[--n] = '\0';
			for (found = false, opt = cli_options; opt->name; opt++)
				found |= !strcmp(opt->name, word);
			if (!found)
				fprintf(stderr, "%s: '--%s' is no option\n", *f,
					word);
			CU_ASSERT_TRUE(found);
			checked++;
			p = q - 1;
		}
		free(buf);
	}
	CU_ASSERT(checked >= 10);
}

void suite_cmd_install(void)
{
	CU_pSuite s = test_suite("cmd_install", init, cleanup);

	ADD_TEST(s, test_install_verifies_and_copies_the_module);
	ADD_TEST(s, test_install_refuses_what_verify_refuses);
	ADD_TEST(s, test_install_uses_the_certificates_in_keys_d);
	ADD_TEST(s, test_install_for_another_kernel_goes_to_its_release);
	ADD_TEST(s, test_list_shows_installed_patches);
	ADD_TEST(s, test_load_all_loads_installed_and_clears_the_marker);
	ADD_TEST(s, test_an_in_flight_marker_skips_the_patch_until_asked);
	ADD_TEST(s, test_a_failed_load_leaves_a_failed_marker);
	ADD_TEST(s, test_boot_with_hotpatch_enable_0_does_nothing);
	ADD_TEST(s, test_boot_loads_the_core_with_nothing_installed);
	ADD_TEST(s, test_loading_the_same_file_again_is_unchanged);
	ADD_TEST(s, test_retry_tries_again_after_a_timeout);
	ADD_TEST(s, test_unload_all_unloads_newest_first);
	ADD_TEST(s, test_status_json_starts_with_the_host_and_a_summary);
	ADD_TEST(s, test_status_json_without_the_core_still_names_the_host);
	ADD_TEST(s, test_uninstall_removes_the_installed_patch);
	ADD_TEST(s, test_every_option_a_hint_names_exists);
}
