// SPDX-License-Identifier: GPL-2.0
/*
 * hotpatch metrics: the host's patches as a Prometheus node_exporter
 * textfile (text exposition format 0.0.4), written atomically so that the
 * exporter never reads half a file. hotpatch-metrics.timer refreshes it.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

struct text {
	FILE *f;
	char *buf;
	size_t len;
};

/* A label value: backslash, double quote and newline escaped */
static void label(FILE *f, const char *v)
{
	for (; v && *v; v++) {
		if (*v == '\\' || *v == '"')
			fputc('\\', f);
		if (*v == '\n')
			fputs("\\n", f);
		else
			fputc(*v, f);
	}
}

static void family(FILE *f, const char *name, const char *help)
{
	fprintf(f, "# HELP %s %s\n# TYPE %s gauge\n", name, help, name);
}

static bool applied(const struct hp_patch *p)
{
	return hp_patch_state(p) == HP_STATE_APPLIED;
}

static bool loaded(const struct hp_patch_list *l, const char *name)
{
	size_t i;

	for (i = 0; l && i < hp_patch_list_count(l); i++)
		if (!strcmp(hp_patch_name(hp_patch_list_get(l, i)), name))
			return true;
	return false;
}

/* Families with a sample per patch: HELP and TYPE only when one exists */
static void per_patch(FILE *f, const struct hp_patch_list *l,
		      const char *name, const char *help,
		      bool (*has)(const struct hp_patch *),
		      void (*sample)(FILE *, const char *,
				     const struct hp_patch *))
{
	const struct hp_patch *p;
	bool any = false;
	size_t i;

	for (i = 0; l && i < hp_patch_list_count(l); i++) {
		p = hp_patch_list_get(l, i);
		if (has && !has(p))
			continue;
		if (!any)
			family(f, name, help);
		any = true;
		sample(f, name, p);
	}
}

static void patch_label(FILE *f, const char *metric, const struct hp_patch *p)
{
	fprintf(f, "%s{patch=\"", metric);
	label(f, hp_patch_name(p));
	fputc('"', f);
}

static void s_applied(FILE *f, const char *m, const struct hp_patch *p)
{
	patch_label(f, m, p);
	fputs(",state=\"", f);
	label(f, hp_state_to_string(hp_patch_state(p)));
	fprintf(f, "\"} %d\n", applied(p));
}

static void s_forced(FILE *f, const char *m, const struct hp_patch *p)
{
	patch_label(f, m, p);
	fprintf(f, "} %d\n", hp_patch_force(p) == 2);
}

static bool has_version(const struct hp_patch *p)
{
	return hp_patch_version(p) >= 0;
}

static void s_version(FILE *f, const char *m, const struct hp_patch *p)
{
	patch_label(f, m, p);
	fputs(",series=\"", f);
	label(f, hp_patch_series(p));
	fprintf(f, "\"} %lld\n", (long long)hp_patch_version(p));
}

static bool has_applied_at(const struct hp_patch *p)
{
	return applied(p) && hp_patch_applied_at(p) > 0;
}

static void s_applied_at(FILE *f, const char *m, const struct hp_patch *p)
{
	patch_label(f, m, p);
	fprintf(f, "} %lld\n", (long long)hp_patch_applied_at(p));
}

static bool has_cves(const struct hp_patch *p)
{
	const char *c = hp_patch_cves(p);

	return applied(p) && c && c[0];
}

static void s_cves(FILE *f, const char *m, const struct hp_patch *p)
{
	const char *c = hp_patch_cves(p);
	size_t n;

	while (*c) {
		n = strcspn(c, " ");
		fprintf(f, "%s{cve=\"%.*s\",patch=\"", m, (int)n, c);
		label(f, hp_patch_name(p));
		fputs("\"} 1\n", f);
		c += n + (c[n] == ' ');
	}
}

int cli_metrics_text(const struct hp_patch_list *l, char **names, size_t n,
		     char **out, size_t *len)
{
	FILE *f = open_memstream(out, len);
	size_t i, missing = 0;

	if (!f)
		return -ENOMEM;
	family(f, "hotpatch_core_loaded",
	       "1 when the hotpatch core (hotpatch.ko) is loaded.");
	fprintf(f, "hotpatch_core_loaded %d\n", l != NULL);
	per_patch(f, l, "hotpatch_patch_applied",
		  "1 when the loaded patch is applied, 0 when it is loaded but not (state says why).",
		  NULL, s_applied);
	per_patch(f, l, "hotpatch_patch_forced",
		  "1 when a transition of the patch skipped the stack check (its module stays until reboot).",
		  NULL, s_forced);
	per_patch(f, l, "hotpatch_patch_version",
		  "The patch's version in its series (signed manifest metadata; 0 without a series).",
		  has_version, s_version);
	per_patch(f, l, "hotpatch_patch_applied_timestamp_seconds",
		  "When the applied patch was applied, in seconds since the Unix epoch.",
		  has_applied_at, s_applied_at);
	per_patch(f, l, "hotpatch_cve_fixed",
		  "1 for each CVE id that an applied patch says it fixes.",
		  has_cves, s_cves);
	for (i = 0; i < n; i++) {
		if (loaded(l, names[i]))
			continue;
		if (!missing++)
			family(f, "hotpatch_patch_installed_not_loaded",
			       "1 for each patch installed for the running kernel that is not loaded.");
		fputs("hotpatch_patch_installed_not_loaded{patch=\"", f);
		label(f, names[i]);
		fputs("\"} 1\n", f);
	}
	family(f, "hotpatch_installed_not_loaded",
	       "Number of patches installed for the running kernel that are not loaded.");
	fprintf(f, "hotpatch_installed_not_loaded %zu\n", missing);
	if (fclose(f)) {
		free(*out);
		*out = NULL;
		return -ENOMEM;
	}
	return 0;
}

int do_metrics(struct cli *cli)
{
	const char *path = cli->o.output, *env = getenv("HOTPATCH_METRICS");
	struct hp_patch_list *l = NULL;
	char **names = NULL, *text = NULL;
	size_t n = 0, len = 0, count;
	json_object *doc;
	int ret;

	if (!path)
		path = env && env[0] ? env : HP_METRICS_DEFAULT;
	ret = cli_installed_list(&names, &n);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot list the installed patches");
	if (!hp_sysfs_probe(cli->sys) && hp_patch_list_read(cli->sys, &l)) {
		cli_names_free(names, n);
		return cli_error(cli, HP_EXIT_ERROR, -EIO, NULL, NULL,
				 "cannot read the patches in %s/patches",
				 hp_sysfs_root(cli->sys));
	}
	count = l ? hp_patch_list_count(l) : 0;
	ret = cli_metrics_text(l, names, n, &text, &len);
	hp_patch_list_free(l);
	cli_names_free(names, n);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot make the metrics");
	if (!strcmp(path, "-")) {
		fwrite(text, 1, len, cli->out);
		free(text);
		return HP_EXIT_OK;
	}
	ret = cli_write_atomic(path, text, len);
	free(text);
	if (ret)
		return cli_error(cli, ret == -EACCES || ret == -EPERM ||
				 ret == -EROFS ? HP_EXIT_ENV : HP_EXIT_ERROR,
				 ret, NULL, ret == -ENOENT ?
				 "create the directory (the one node_exporter's "
				 "textfile collector reads), or give --output "
				 "FILE" : NULL,
				 "cannot write the metrics to %s", path);
	if (cli->o.json) {
		doc = json_object_new_object();
		if (doc) {
			json_object_object_add(doc, "path",
					       json_object_new_string(path));
			json_object_object_add(doc, "bytes",
					       json_object_new_int64((int64_t)len));
			json_object_object_add(doc, "patches",
					       json_object_new_int64((int64_t)count));
		}
		return cli_print_json(cli, doc);
	}
	cli_info(cli, "metrics of %zu loaded patch(es) written to %s", count,
		 path);
	return HP_EXIT_OK;
}
