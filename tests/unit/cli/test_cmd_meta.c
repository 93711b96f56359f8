// SPDX-License-Identifier: GPL-2.0
/*
 * The signed metadata in list, status and status --json; hotpatch metrics
 * (tools/cli/cmd_meta.c) and hotpatch upgrade (tools/cli/cmd_install.c);
 * the action log of a refusal.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "hpsign.h"

#define RELEASE		"6.1.0-98-test-amd64"
#define NAME		"hp_cli_test"
#define STATE		".state/" RELEASE "/"

static char dir[400], cert[TEST_PATH];
static char v3[500], v1[500], plain[500], nonrepl[500];
static char notes[TEST_PATH], kallsyms[TEST_PATH];
static const uint8_t bid[20] = { 0xc2, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13,
				 14, 15, 16, 17, 18, 19, 0x22 };

static int init(void)
{
	static const char syms[] = "ffffffff81000000 T cmdline_proc_show\n";
	const struct test_meta m3 = { "Fix the cmdline leak", "deb12-cloud",
				      "CVE-2024-1086", 3, true };
	const struct test_meta m1 = { NULL, "deb12-cloud", NULL, 1, true };
	const struct test_meta mn = { NULL, "deb12-cloud", NULL, 4, false };
	struct hp_signer *s = NULL;
	struct hp_msg m = { "" };
	char kdir[600], key[TEST_PATH];
	int ret;

	if (test_fresh_dir("meta", dir, sizeof(dir)))
		return 1;
	snprintf(kdir, sizeof(kdir), "%s/k", dir);
	if (test_keygen(kdir, "hotpatch cli meta", key, cert, false))
		return 1;
	snprintf(v3, sizeof(v3), "%s/v3.ko", dir);
	snprintf(v1, sizeof(v1), "%s/v1.ko", dir);
	snprintf(plain, sizeof(plain), "%s/plain.ko", dir);
	snprintf(nonrepl, sizeof(nonrepl), "%s/nonrepl.ko", dir);
	if (hp_signer_read(key, cert, &s, &m))
		return fprintf(stderr, "signer: %s\n", m.text), 1;
	ret = test_patch_module_meta(v3, RELEASE, bid, sizeof(bid), 64, s, &m3) ||
	      test_patch_module_meta(v1, RELEASE, bid, sizeof(bid), 64, s, &m1) ||
	      test_patch_module_meta(nonrepl, RELEASE, bid, sizeof(bid), 64, s,
				     &mn) ||
	      test_patch_module(plain, RELEASE, bid, sizeof(bid), 64, s);
	hp_signer_free(s);
	if (ret)
		return 1;
	return test_kernel_facts(dir, bid, sizeof(bid), syms, notes, kallsyms);
}

static void machine(void)
{
	fake_setup();
	setenv("HOTPATCH_KERNEL_RELEASE", RELEASE, 1);
	setenv("HOTPATCH_KERNEL_NOTES", notes, 1);
	setenv("HOTPATCH_KALLSYMS", kallsyms, 1);
	unsetenv("HOTPATCH_METRICS");
}

static int cleanup(void)
{
	unsetenv("HOTPATCH_KERNEL_RELEASE");
	unsetenv("HOTPATCH_KERNEL_NOTES");
	unsetenv("HOTPATCH_KALLSYMS");
	fake_teardown();
	return 0;
}

static char *tree_path(char *buf, size_t size, const char *rel)
{
	snprintf(buf, size, "%s/%s", fake_root(), rel);
	return buf;
}

static bool in_tree(const char *rel)
{
	char path[1200];
	struct stat st;

	return !stat(tree_path(path, sizeof(path), rel), &st);
}

static char *slurp(const char *path)
{
	char *buf;
	FILE *f = fopen(path, "rb");
	long n;

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

static void copy_to_tree(const char *src, const char *rel)
{
	char path[1200], cmd[2600];

	tree_path(path, sizeof(path), rel);
	snprintf(cmd, sizeof(cmd), "mkdir -p \"$(dirname '%s')\" && cp '%s' '%s'",
		 path, src, path);
	CU_ASSERT_EQUAL_FATAL(system(cmd), 0);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;

	return o && json_object_object_get_ex(o, key, &v) ? v : NULL;
}

/* Two applied patches with metadata, one reverted, one with none */
static void patches_with_metadata(void)
{
	machine();
	fake_patch("fix_a", 1, 1);
	fake_meta("fix_a", "Fix the nf_tables verdict", "deb12-cloud", 3,
		  "CVE-2024-1086 CVE-2023-0179");
	fake_patch("fix_b", 1, 2);
	fake_meta("fix_b", NULL, NULL, 0, "CVE-2023-0179 CVE-2022-0847");
	fake_patch("fix_c", 1, 3);
	fake_meta("fix_c", NULL, "other", 1, "CVE-2021-4034");
	fake_write("patches/fix_c/state", "reverted\n");
	fake_write("patches/fix_c/enabled", "0\n");
	fake_patch("fix_d", 1, 4);
	fake_meta("fix_d", NULL, NULL, 0, NULL);
}

static void test_list_and_status_show_the_signed_metadata(void)
{
	struct run r;

	patches_with_metadata();
	r = run_cli(NULL, "list", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  VERSION  "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "  CVES  "));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"deb12-cloud 3  CVE-2024-1086 CVE-2023-0179"));
	/* no series: "-" */
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"-              CVE-2023-0179 CVE-2022-0847"));
	run_free(&r);

	r = run_cli(NULL, "status", "fix_a", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"  description:  Fix the nf_tables verdict\n"
		"  series:       deb12-cloud 3\n"
		"  CVEs:         CVE-2024-1086 CVE-2023-0179\n"));
	run_free(&r);

	r = run_cli(NULL, "status", "fix_d", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"  description:  -\n  series:       -\n  CVEs:         -\n"));
	run_free(&r);

	r = run_cli(NULL, "status", "fix_a", "--json", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "description")),
			       "Fix the nf_tables verdict");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "series")),
			       "deb12-cloud");
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "patch_version")), 3);
	CU_ASSERT_EQUAL(json_object_array_length(get(r.json, "cves")), 2);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(json_object_array_get_idx(
		get(r.json, "cves"), 1)), "CVE-2023-0179");
	run_free(&r);

	/* a core without the files: unknown, null in JSON, "?" in list */
	r = run_cli(NULL, "status", "fix_d", "--json", NULL);
	CU_ASSERT_PTR_NULL(get(r.json, "description"));
	CU_ASSERT_EQUAL(json_object_array_length(get(r.json, "cves")), 0);
	run_free(&r);
	fake_write("patches/fix_d/series", NULL);
	fake_write("patches/fix_d/cves", NULL);
	fake_write("patches/fix_d/patch_version", NULL);
	r = run_cli(NULL, "status", "fix_d", "--json", NULL);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_TRUE(json_object_object_get_ex(r.json, "cves", NULL));
	CU_ASSERT_PTR_NULL(get(r.json, "cves"));
	CU_ASSERT_PTR_NULL(get(r.json, "patch_version"));
	run_free(&r);
}

static void test_status_json_summary_lists_the_cves_of_applied_patches_once(void)
{
	json_object *cves;
	struct run r;

	patches_with_metadata();
	r = run_cli(NULL, "status", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	cves = get(get(r.json, "summary"), "cves_fixed");
	CU_ASSERT_PTR_NOT_NULL_FATAL(cves);
	/* sorted, CVE-2023-0179 once, fix_c's CVE-2021-4034 not (reverted) */
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(cves), 3);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(
		json_object_array_get_idx(cves, 0)), "CVE-2022-0847");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(
		json_object_array_get_idx(cves, 1)), "CVE-2023-0179");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(
		json_object_array_get_idx(cves, 2)), "CVE-2024-1086");
	run_free(&r);
}

static void test_metrics_print_each_patch_and_the_installed_not_loaded(void)
{
	struct run r;

	patches_with_metadata();
	copy_to_tree(plain, STATE "fix_e.ko");
	copy_to_tree(plain, STATE "fix_a.ko");
	r = run_cli(NULL, "metrics", "--output", "-", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "\nhotpatch_core_loaded 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"hotpatch_patch_applied{patch=\"fix_a\",state=\"applied\"} 1\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"hotpatch_patch_applied{patch=\"fix_c\",state=\"reverted\"} 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"hotpatch_patch_forced{patch=\"fix_a\"} 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"hotpatch_patch_version{patch=\"fix_a\",series=\"deb12-cloud\"} 3\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"hotpatch_patch_version{patch=\"fix_b\",series=\"\"} 0\n"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"hotpatch_patch_applied_timestamp_seconds{patch=\"fix_a\"} 1764000000\n"));
	/* reverted: no applied-at, no CVE */
	CU_ASSERT_PTR_NULL(strstr(r.out,
		"hotpatch_patch_applied_timestamp_seconds{patch=\"fix_c\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"hotpatch_cve_fixed{cve=\"CVE-2023-0179\",patch=\"fix_a\"} 1\n"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "CVE-2021-4034"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"hotpatch_patch_installed_not_loaded{patch=\"fix_e\"} 1\n"));
	CU_ASSERT_PTR_NULL(strstr(r.out,
		"hotpatch_patch_installed_not_loaded{patch=\"fix_a\"}"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "\nhotpatch_installed_not_loaded 1\n"));
	run_free(&r);

	/* a forced patch */
	fake_write("patches/fix_b/force", "2\n");
	r = run_cli(NULL, "metrics", "--output", "-", NULL);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out,
		"hotpatch_patch_forced{patch=\"fix_b\"} 1\n"));
	run_free(&r);
}

static void test_metrics_without_the_core_say_core_loaded_0(void)
{
	struct run r;

	machine();
	copy_to_tree(plain, STATE "fix_e.ko");
	fake_rmtree("");
	CU_ASSERT_FALSE(in_tree("version"));
	r = run_cli(NULL, "metrics", "--output", "-", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.out, "\nhotpatch_core_loaded 0\n"));
	CU_ASSERT_PTR_NULL(strstr(r.out, "hotpatch_patch_applied"));
	run_free(&r);
}

/* promtool (Debian's prometheus package) parses and lints the textfile */
static void test_metrics_pass_promtool_check_metrics(void)
{
	char path[1200], cmd[1400];
	struct run r;

	patches_with_metadata();
	copy_to_tree(plain, STATE "fix_e.ko");
	tree_path(path, sizeof(path), "hotpatch.prom");
	r = run_cli(NULL, "metrics", "--output", path, NULL);
	CU_ASSERT_EQUAL_FATAL(r.rc, HP_EXIT_OK);
	run_free(&r);
	CU_ASSERT_EQUAL_FATAL(system("command -v promtool >/dev/null"), 0);
	snprintf(cmd, sizeof(cmd), "promtool check metrics < '%s'", path);
	CU_ASSERT_EQUAL(system(cmd), 0);
	/* and a broken file fails it: the check is real */
	snprintf(cmd, sizeof(cmd), "printf 'hotpatch_x{patch=\"a} 1\\n' | "
		 "promtool check metrics 2>/dev/null");
	CU_ASSERT_NOT_EQUAL(system(cmd), 0);
}

static void test_metrics_are_written_atomically_to_the_output_file(void)
{
	char path[1200], *text;
	struct run r, out;

	patches_with_metadata();
	tree_path(path, sizeof(path), "prom/hotpatch.prom");
	fake_mkdir("prom");
	setenv("HOTPATCH_METRICS", path, 1);
	r = run_cli(NULL, "metrics", "--json", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "path")), path);
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "patches")), 4);
	out = run_cli(NULL, "metrics", "--output", "-", NULL);
	text = slurp(path);
	CU_ASSERT_PTR_NOT_NULL_FATAL(text);
	CU_ASSERT_STRING_EQUAL(text, out.out);
	CU_ASSERT_EQUAL((size_t)json_object_get_int(get(r.json, "bytes")),
			strlen(text));
	free(text);
	/* only the file itself in the directory: the temporary was renamed */
	CU_ASSERT_EQUAL(system("test $(ls -A \"$(dirname \"$HOTPATCH_METRICS\")\" "
			       "| wc -l) -eq 1"), 0);
	unsetenv("HOTPATCH_METRICS");
	run_free(&r);
	run_free(&out);
}

static void test_metrics_to_a_missing_directory_fail_with_a_hint(void)
{
	char path[1200];
	struct run r;

	machine();
	tree_path(path, sizeof(path), "no/such/dir/hotpatch.prom");
	r = run_cli(NULL, "metrics", "--output", path, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ERROR);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "cannot write the metrics"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "hint: create the directory"));
	run_free(&r);
	r = run_cli(NULL, "metrics", "--output", "", NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_USAGE);
	run_free(&r);
}

/* fix_old1 (version 1, loaded and installed) and fix_old2 (installed) */
static void older_versions(void)
{
	machine();
	fake_patch("fix_old1", 1, 1);
	fake_meta("fix_old1", NULL, "deb12-cloud", 1, NULL);
	copy_to_tree(v1, STATE "fix_old1.ko");
	copy_to_tree(v1, STATE "fix_old2.ko");
	/* another series: left alone */
	copy_to_tree(plain, STATE "fix_other.ko");
}

static void test_upgrade_replaces_and_removes_the_older_versions(void)
{
	struct fake_mod fm = { .name = NAME, .insert_creates = true,
			       .insert_replaces = true };
	json_object *rep;
	struct run r;

	older_versions();
	r = run_cli(&fm, "upgrade", "--cert", cert, "--json", v3, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_OK);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(r.json, "series")),
			       "deb12-cloud");
	CU_ASSERT_EQUAL(json_object_get_int(get(r.json, "patch_version")), 3);
	CU_ASSERT_TRUE(json_object_get_boolean(get(r.json, "changed")));
	rep = get(r.json, "replaced");
	CU_ASSERT_EQUAL_FATAL(json_object_array_length(rep), 2);
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(
		json_object_array_get_idx(rep, 0), "name")), "fix_old1");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(
		json_object_array_get_idx(rep, 0), "result")), "removed");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(
		json_object_array_get_idx(rep, 1), "name")), "fix_old2");
	CU_ASSERT_EQUAL(fm.inserts, 1);
	CU_ASSERT_EQUAL(fm.removes, 1);
	CU_ASSERT_STRING_EQUAL(fm.last_removed, "fix_old1");
	CU_ASSERT_TRUE(in_tree(STATE NAME ".ko"));
	CU_ASSERT_TRUE(in_tree("patches/" NAME));
	CU_ASSERT_FALSE(in_tree("patches/fix_old1"));
	CU_ASSERT_FALSE(in_tree(STATE "fix_old1.ko"));
	CU_ASSERT_FALSE(in_tree(STATE "fix_old2.ko"));
	CU_ASSERT_TRUE(in_tree(STATE "fix_other.ko"));
	run_free(&r);
}

static void test_upgrade_refuses_a_patch_without_a_series_or_not_cumulative(void)
{
	struct fake_mod fm = { .name = NAME };
	struct run r;

	older_versions();
	r = run_cli(&fm, "upgrade", "--cert", cert, plain, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "names no series"));
	run_free(&r);
	r = run_cli(&fm, "upgrade", "--cert", cert, nonrepl, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_INVALID);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "not cumulative"));
	run_free(&r);
	CU_ASSERT_EQUAL(fm.inserts, 0);
	CU_ASSERT_FALSE(in_tree(STATE NAME ".ko"));
	CU_ASSERT_TRUE(in_tree(STATE "fix_old2.ko"));
}

static void test_upgrade_refuses_when_a_newer_version_is_applied(void)
{
	struct fake_mod fm = { .name = NAME };
	struct run r;

	older_versions();
	fake_patch("fix_new", 1, 2);
	fake_meta("fix_new", NULL, "deb12-cloud", 5, NULL);
	r = run_cli(&fm, "upgrade", "--cert", cert, v3, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "version 3 of series 'deb12-cloud' "
				      "('" NAME "') is not newer than version "
				      "5 ('fix_new'), which is applied"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "(ESTALE)"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "hotpatch unload fix_new"));
	CU_ASSERT_EQUAL(fm.inserts, 0);
	CU_ASSERT_FALSE(in_tree(STATE NAME ".ko"));
	run_free(&r);
}

static void test_a_failed_upgrade_changes_nothing(void)
{
	struct fake_mod fm = {
		.name = NAME, .insert_ret = -ESTALE,
		.insert_last_error = NAME "\t116\tversion 3 of series "
			"'deb12-cloud' is older than version 4 ('fix_x'), "
			"which is applied\n",
	};
	char *before, *after;
	struct run r;

	older_versions();
	/* an earlier file of the same name: put back as it was */
	copy_to_tree(v1, STATE NAME ".ko");
	before = slurp(v1);
	r = run_cli(&fm, "upgrade", "--cert", cert, v3, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "anti-rollback"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "nothing was changed"));
	CU_ASSERT_EQUAL(fm.inserts, 1);
	CU_ASSERT_EQUAL(fm.removes, 0);
	CU_ASSERT_TRUE(in_tree("patches/fix_old1"));
	CU_ASSERT_TRUE(in_tree(STATE "fix_old2.ko"));
	{
		char path[1200];

		after = slurp(tree_path(path, sizeof(path), STATE NAME ".ko"));
	}
	CU_ASSERT_PTR_NOT_NULL_FATAL(after);
	CU_ASSERT_PTR_NOT_NULL_FATAL(before);
	CU_ASSERT_EQUAL(memcmp(before, after, 64), 0);
	free(before);
	free(after);
	run_free(&r);

	/* nothing there before: nothing there after */
	older_versions();
	r = run_cli(&fm, "upgrade", "--cert", cert, v3, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_FALSE(in_tree(STATE NAME ".ko"));
	run_free(&r);
}

static void test_an_older_version_that_cannot_be_removed_is_reported(void)
{
	struct fake_mod fm = { .name = NAME, .insert_creates = true,
			       .insert_replaces = true, .remove_ret = -EBUSY };
	json_object *rep;
	struct run r;

	older_versions();
	r = run_cli(&fm, "upgrade", "--cert", cert, "--json", v3, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_ERROR);
	CU_ASSERT_PTR_NOT_NULL_FATAL(r.json);
	rep = get(r.json, "replaced");
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(
		json_object_array_get_idx(rep, 0), "result")), "unload-failed");
	/* the one it could not unload stays installed; the other went */
	CU_ASSERT_TRUE(in_tree(STATE "fix_old1.ko"));
	CU_ASSERT_STRING_EQUAL(json_object_get_string(get(
		json_object_array_get_idx(rep, 1), "result")), "removed");
	CU_ASSERT_FALSE(in_tree(STATE "fix_old2.ko"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "is applied, but not every older "
				      "version could be removed"));
	/* the new version is applied and installed all the same */
	CU_ASSERT_TRUE(in_tree(STATE NAME ".ko"));
	CU_ASSERT_TRUE(in_tree("patches/" NAME));
	run_free(&r);
}

static void test_the_action_log_names_the_errno_and_reason_of_a_refusal(void)
{
	struct fake_mod fm = {
		.name = NAME, .insert_ret = -ESTALE,
		.insert_last_error = NAME "\t116\tversion 3 of series "
			"'deb12-cloud' is older than version 4 ('fix_x'), "
			"which is applied\n",
	};
	char path[1200], *log;
	struct run r;

	machine();
	r = run_cli(&fm, "load", v3, NULL);
	CU_ASSERT_EQUAL(r.rc, HP_EXIT_REFUSED);
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "reason: version 3 of series"));
	CU_ASSERT_PTR_NOT_NULL(strstr(r.err, "hint: A newer version"));
	run_free(&r);
	log = slurp(tree_path(path, sizeof(path), ".log"));
	CU_ASSERT_PTR_NOT_NULL_FATAL(log);
	CU_ASSERT_PTR_NOT_NULL(strstr(log, "load patch=" NAME
		" result=failed (exit 2, 0 retries): ESTALE: cannot load patch '"
		NAME "': version 3 of series 'deb12-cloud' is older than "
		"version 4 ('fix_x'), which is applied by="));
	free(log);
}

void suite_cmd_meta(void)
{
	CU_pSuite s = test_suite("cmd_meta", init, cleanup);

	ADD_TEST(s, test_list_and_status_show_the_signed_metadata);
	ADD_TEST(s, test_status_json_summary_lists_the_cves_of_applied_patches_once);
	ADD_TEST(s, test_metrics_print_each_patch_and_the_installed_not_loaded);
	ADD_TEST(s, test_metrics_without_the_core_say_core_loaded_0);
	ADD_TEST(s, test_metrics_pass_promtool_check_metrics);
	ADD_TEST(s, test_metrics_are_written_atomically_to_the_output_file);
	ADD_TEST(s, test_metrics_to_a_missing_directory_fail_with_a_hint);
	ADD_TEST(s, test_upgrade_replaces_and_removes_the_older_versions);
	ADD_TEST(s, test_upgrade_refuses_a_patch_without_a_series_or_not_cumulative);
	ADD_TEST(s, test_upgrade_refuses_when_a_newer_version_is_applied);
	ADD_TEST(s, test_a_failed_upgrade_changes_nothing);
	ADD_TEST(s, test_an_older_version_that_cannot_be_removed_is_reported);
	ADD_TEST(s, test_the_action_log_names_the_errno_and_reason_of_a_refusal);
}
