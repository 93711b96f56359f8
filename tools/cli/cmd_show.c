// SPDX-License-Identifier: GPL-2.0
/* Read-only commands: list, status, version, help. */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"

static const char *yes_no(int v)
{
	return v < 0 ? "-" : v ? "yes" : "no";
}

static const char *mode_str(enum hp_mode m)
{
	return m == HP_MODE_UNKNOWN ? "-" : hp_mode_to_string(m);
}

static const char *state_str(enum hp_state st)
{
	return st == HP_STATE_UNKNOWN ? "-" : hp_state_to_string(st);
}

static void report_problems(struct cli *cli, const struct hp_patch *p)
{
	size_t i, n = hp_patch_problem_count(p);

	if (!n || cli->warned)
		return;
	cli->warned = true;
	if (!cli->o.verbose) {
		if (!cli->o.json)
			fprintf(cli->err, "hotpatch: warning: %zu value(s) of "
				"patch '%s' could not be read (-v lists them)\n",
				n, hp_patch_name(p));
		return;
	}
	for (i = 0; i < n; i++)
		fprintf(cli->err, "hotpatch: warning: patch '%s': %s\n",
			hp_patch_name(p), hp_patch_problem(p, i));
}

int cli_read_patch(struct cli *cli, const char *name, struct hp_patch **p)
{
	int ret = cli_need_core(cli);

	if (ret)
		return ret;
	ret = hp_patch_read(cli->sys, name, p);
	switch (ret) {
	case 0:
		report_problems(cli, *p);
		return HP_EXIT_OK;
	case -ENOENT:
		return cli_error(cli, HP_EXIT_NOTFOUND, ret, NULL,
				 "'hotpatch list' shows the loaded patches",
				 "no patch named '%s'", name);
	case -EINVAL:
		return cli_error(cli, HP_EXIT_USAGE, ret, NULL, NULL,
				 "invalid patch name '%s'", name);
	default:
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot read patch '%s'", name);
	}
}

static int read_list(struct cli *cli, struct hp_patch_list **l)
{
	size_t i;
	int ret = cli_need_core(cli);

	if (ret)
		return ret;
	ret = hp_patch_list_read(cli->sys, l);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot read the patches in %s/patches",
				 hp_sysfs_root(cli->sys));
	for (i = 0; i < hp_patch_list_count(*l); i++)
		report_problems(cli, hp_patch_list_get(*l, i));
	return HP_EXIT_OK;
}

/* Addresses read as zero without CAP_SYSLOG (kptr_restrict). */
static void fmt_addr(char *buf, size_t size, bool known, uint64_t addr)
{
	if (!known)
		snprintf(buf, size, "-");
	else if (!addr)
		snprintf(buf, size, "hidden");
	else
		snprintf(buf, size, "0x%016" PRIx64, addr);
}

/* One row per function: where it was and where calls go now. */
static int print_funcs(struct cli *cli, const struct hp_patch *p)
{
	static const char *const hdr[] = {
		"OBJECT", "FUNCTION", "OLD", "NEW", "MODE", "PATCHED"
	};
	char fname[512], old[32], new[32];
	const struct hp_object *o;
	const struct hp_func *f;
	struct hp_table *t;
	uint64_t addr = 0;
	size_t i, j;
	bool known;
	int ret;

	ret = hp_table_new(6, hdr, &t);
	for (i = 0; !ret && i < hp_patch_object_count(p); i++) {
		o = hp_patch_object(p, i);
		for (j = 0; !ret && j < hp_object_func_count(o); j++) {
			f = hp_object_func(o, j);
			if (hp_func_sympos(f))
				snprintf(fname, sizeof(fname), "%s,%lu",
					 hp_func_name(f), hp_func_sympos(f));
			else
				snprintf(fname, sizeof(fname), "%s",
					 hp_func_name(f));
			known = hp_func_old_addr(f, &addr);
			fmt_addr(old, sizeof(old), known, addr);
			known = hp_func_new_addr(f, &addr);
			fmt_addr(new, sizeof(new), known, addr);
			ret = hp_table_add_row(t, (const char *const[]){
				hp_object_name(o), fname, old, new,
				mode_str(hp_func_mode(f)),
				yes_no(hp_func_patched(f)) });
		}
	}
	if (!ret)
		ret = hp_table_print(t, cli->out);
	hp_table_free(t);
	return ret;
}

static void fmt_time(char *buf, size_t size, int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (t < 0)
		snprintf(buf, size, "-");
	else if (t == 0)
		snprintf(buf, size, "never");
	else if (gmtime_r(&tt, &tm))
		strftime(buf, size, "%Y-%m-%d %H:%M:%S UTC", &tm);
	else
		snprintf(buf, size, "%" PRId64, t);
}

static void fmt_signer(char *buf, size_t size, const struct hp_patch *p)
{
	const char *signer = hp_patch_signer(p), *key = hp_patch_key_id(p);
	int ok = hp_patch_module_sig_ok(p);
	const char *mod = ok < 0 ? "" : ok ? ", module signature verified" :
			  ", module signature not verified";

	if (!signer)
		snprintf(buf, size, "-%s", mod);
	else if (!signer[0])
		snprintf(buf, size, "none (unsigned)%s", mod);
	else
		snprintf(buf, size, "'%s', key %s%s", signer,
			 key && key[0] ? key : "-", mod);
}

/* "1.234 ms, 57 task(s) walked" */
static void fmt_stop(char *buf, size_t size, const struct hp_patch *p)
{
	int64_t ns = hp_patch_last_stop_ns(p), walked = hp_patch_last_walked(p);
	char w[48] = "";

	if (walked >= 0)
		snprintf(w, sizeof(w), ", %" PRId64 " task(s) walked", walked);
	if (ns < 0)
		snprintf(buf, size, "-%s", w);
	else if (ns == 0)
		snprintf(buf, size, "never%s", w);
	else
		snprintf(buf, size, "%.3f ms%s", ns / 1e6, w);
}

static const char *force_str(int force)
{
	switch (force) {
	case 0:
		return "no";
	case 1:
		return "ARMED: the next transition skips the stack check";
	case 2:
		return "FORCED: a transition skipped the stack check; "
		       "the module stays loaded until reboot";
	default:
		return "-";
	}
}

/* "deb12-cloud 3", "-" without a series, "?" unknown (older core) */
static void fmt_version(char *buf, size_t size, const struct hp_patch *p)
{
	const char *s = hp_patch_series(p);

	if (!s)
		snprintf(buf, size, "?");
	else if (!s[0])
		snprintf(buf, size, "-");
	else
		snprintf(buf, size, "%s %lld", s, (long long)hp_patch_version(p));
}

static const char *or_dash(const char *s)
{
	return s && s[0] ? s : "-";
}

void cli_print_patch(struct cli *cli, const struct hp_patch *p)
{
	const char *le = hp_patch_last_error(p);
	const struct hp_blocking *bl = hp_patch_blocking(p);
	char when[64], sig[512], stop[96], ver[96];
	FILE *f = cli->out;

	fmt_time(when, sizeof(when), hp_patch_applied_at(p));
	fmt_version(ver, sizeof(ver), p);
	fprintf(f, "patch %s\n", hp_patch_name(p));
	fprintf(f, "  description:  %s\n", or_dash(hp_patch_description(p)));
	fprintf(f, "  series:       %s\n", ver);
	fprintf(f, "  CVEs:         %s\n", or_dash(hp_patch_cves(p)));
	fprintf(f, "  state:        %s\n", state_str(hp_patch_state(p)));
	fprintf(f, "  enabled:      %s\n", yes_no(hp_patch_enabled(p)));
	fprintf(f, "  transition:   %s\n", yes_no(hp_patch_transition(p)));
	fprintf(f, "  mode:         %s\n", mode_str(hp_patch_mode(p)));
	fprintf(f, "  target:       %s\n",
		hp_patch_target(p) ? hp_patch_target(p) : "-");
	fprintf(f, "  applied at:   %s\n", when);
	if (hp_patch_stack_order(p) > 0)
		fprintf(f, "  stack order:  %ld\n", hp_patch_stack_order(p));
	else
		fprintf(f, "  stack order:  -\n");
	fprintf(f, "  last error:   %s\n", !le ? "-" : le[0] ? le : "none");
	fmt_signer(sig, sizeof(sig), p);
	fprintf(f, "  signer:       %s\n", sig);
	fmt_stop(stop, sizeof(stop), p);
	fprintf(f, "  last stop:    %s\n", stop);
	fprintf(f, "  forced:       %s\n", force_str(hp_patch_force(p)));
	if (!bl) {
		fprintf(f, "  blocking:     -\n");
	} else if (!hp_blocking_count(bl)) {
		fprintf(f, "  blocking:     none\n");
	} else {
		fprintf(f, "  blocking:     %zu task(s) at the last timed-out "
			"transition\n", hp_blocking_count(bl));
		cli_print_blocking(f, "    ", bl);
	}
	fprintf(f, "  functions:    %zu\n", hp_patch_func_count(p));
	if (hp_patch_func_count(p))
		print_funcs(cli, p);
}

/* The list as JSON: each loaded patch with "installed", then each
 * patch installed for this kernel but not loaded ({"name", "state":
 * "not-loaded", "installed": true}). */
static json_object *list_json(const struct hp_patch_list *l, char **names,
			      size_t n)
{
	json_object *a = hp_patch_list_to_json(l), *o;
	size_t i, j;
	bool found;

	for (i = 0; a && i < hp_patch_list_count(l); i++) {
		o = json_object_array_get_idx(a, i);
		json_object_object_add(o, "installed", json_object_new_boolean(
			cli_is_installed(hp_patch_name(
				hp_patch_list_get(l, i)))));
	}
	for (j = 0; a && j < n; j++) {
		for (i = 0, found = false; i < hp_patch_list_count(l); i++)
			found |= !strcmp(hp_patch_name(hp_patch_list_get(l, i)),
					 names[j]);
		if (found || !(o = json_object_new_object()))
			continue;
		json_object_object_add(o, "name",
				       json_object_new_string(names[j]));
		json_object_object_add(o, "state",
				       json_object_new_string("not-loaded"));
		json_object_object_add(o, "installed",
				       json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	return a;
}

int do_list(struct cli *cli)
{
	static const char *const hdr[] = {
		"NAME", "STATE", "ENABLED", "MODE", "FUNCS", "TARGET", "SIGNER",
		"VERSION", "CVES", "INSTALLED"
	};
	const struct hp_patch *p;
	struct hp_patch_list *l;
	struct hp_table *t;
	char funcs[32], ver[96], **names = NULL;
	size_t i, j, n = 0;
	bool found;
	int ret;

	ret = read_list(cli, &l);
	if (ret)
		return ret;
	cli_installed_list(&names, &n);
	if (cli->o.json) {
		ret = cli_print_json(cli, list_json(l, names, n));
		cli_names_free(names, n);
		hp_patch_list_free(l);
		return ret;
	}
	ret = hp_table_new(10, hdr, &t);
	for (i = 0; !ret && i < hp_patch_list_count(l); i++) {
		const char *signer;

		p = hp_patch_list_get(l, i);
		signer = hp_patch_signer(p);
		snprintf(funcs, sizeof(funcs), "%zu", hp_patch_func_count(p));
		fmt_version(ver, sizeof(ver), p);
		ret = hp_table_add_row(t, (const char *const[]){
			hp_patch_name(p), state_str(hp_patch_state(p)),
			yes_no(hp_patch_enabled(p)), mode_str(hp_patch_mode(p)),
			funcs, hp_patch_target(p),
			signer && !signer[0] ? "unsigned" : signer, ver,
			or_dash(hp_patch_cves(p)),
			cli_is_installed(hp_patch_name(p)) ? "yes" : "no" });
	}
	for (j = 0; !ret && j < n; j++) {
		for (i = 0, found = false; i < hp_patch_list_count(l); i++)
			found |= !strcmp(hp_patch_name(hp_patch_list_get(l, i)),
					 names[j]);
		if (!found)
			ret = hp_table_add_row(t, (const char *const[]){
				names[j], "not-loaded", "-", "-", "-",
				cli_release(), "-", "-", "-", "yes" });
	}
	if (!ret)
		ret = hp_table_print(t, cli->out);
	hp_table_free(t);
	cli_names_free(names, n);
	hp_patch_list_free(l);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot print the list");
	return HP_EXIT_OK;
}

static int status_one(struct cli *cli, const char *name)
{
	struct hp_patch *p;
	int ret;

	ret = cli_read_patch(cli, name, &p);
	if (ret)
		return ret;
	if (cli->o.json)
		ret = cli_print_json(cli, hp_patch_to_json(p));
	else
		cli_print_patch(cli, p);
	hp_patch_free(p);
	return ret;
}

static void print_core(struct cli *cli, const struct hp_core *c)
{
	const struct hp_last_error *le = hp_core_last_error(c);
	const struct hp_blocking *bl;
	char kr[32] = "-";
	size_t i;

	fprintf(cli->out, "core %s, default mode %s, ",
		hp_core_version(c) ? hp_core_version(c) : "-",
		mode_str(hp_core_default_mode(c)));
	if (hp_core_count(c) >= 0)
		fprintf(cli->out, "%ld patch(es)\n", hp_core_count(c));
	else
		fprintf(cli->out, "patch count unknown\n");
	if (le)
		fprintf(cli->out, "last error: %s: %s (%s): %s\n",
			hp_last_error_patch(le),
			strerror(hp_last_error_errno(le)),
			hp_errno_name(hp_last_error_errno(le)) ?
			hp_errno_name(hp_last_error_errno(le)) : "?",
			hp_last_error_reason(le));
	else
		fprintf(cli->out, "last error: none\n");
	bl = hp_core_blocking(c);
	if (bl && hp_blocking_count(bl)) {
		fprintf(cli->out, "blocking (last timed-out transition): %zu "
			"task(s)\n", hp_blocking_count(bl));
		cli_print_blocking(cli->out, "  ", bl);
	}
	if (hp_core_keyring(c) >= 0)
		snprintf(kr, sizeof(kr), "%" PRId64, hp_core_keyring(c));
	if (hp_core_keyring(c) >= 0 || hp_core_keys_locked(c) >= 0)
		fprintf(cli->out, "keyring: %s, %s\n", kr,
			hp_core_keys_locked(c) == 1 ? "locked" :
			hp_core_keys_locked(c) == 0 ? "open (keys can be added)" :
			"lock state unknown");
	if (hp_core_require_signature(c) >= 0 ||
	    hp_core_require_module_sig(c) >= 0)
		fprintf(cli->out, "policy: manifest signature %s, module "
			"signature %s\n",
			hp_core_require_signature(c) == 1 ? "required" :
			hp_core_require_signature(c) == 0 ? "optional" : "-",
			hp_core_require_module_sig(c) == 1 ? "required" :
			hp_core_require_module_sig(c) == 0 ? "optional" : "-");
	if (hp_core_problem_count(c) && !cli->o.verbose)
		fprintf(cli->err, "hotpatch: warning: %zu global value(s) could "
			"not be read (-v lists them)\n",
			hp_core_problem_count(c));
	for (i = 0; cli->o.verbose && i < hp_core_problem_count(c); i++)
		fprintf(cli->err, "hotpatch: warning: %s\n",
			hp_core_problem(c, i));
}

/* status --json without the core: the host and the summary all the same
 * (what is installed and not applied), with the error; exit 4. */
static int status_no_core(struct cli *cli)
{
	json_object *doc = cli_host_json(cli, NULL), *a, *o;
	char **names = NULL, msg[512];
	size_t n = 0, i;

	snprintf(msg, sizeof(msg), "the hotpatch core is not loaded (%s does "
		 "not exist)", hp_sysfs_root(cli->sys));
	a = json_object_new_array();
	cli_installed_list(&names, &n);
	for (i = 0; a && i < n; i++) {
		o = json_object_new_object();
		if (!o)
			break;
		json_object_object_add(o, "name",
				       json_object_new_string(names[i]));
		json_object_object_add(o, "state",
				       json_object_new_string("not-loaded"));
		json_object_object_add(o, "installed",
				       json_object_new_boolean(1));
		json_object_array_add(a, o);
	}
	cli_names_free(names, n);
	if (!doc || !a) {
		json_object_put(doc);
		json_object_put(a);
		return cli_error(cli, HP_EXIT_ENV, -ENOENT, NULL, NULL, "%s",
				 msg);
	}
	json_object_object_add(doc, "core_loaded", json_object_new_boolean(0));
	json_object_object_add(doc, "error", json_object_new_string(msg));
	json_object_object_add(doc, "errno", json_object_new_int(ENOENT));
	json_object_object_add(doc, "errno_name",
			       json_object_new_string("ENOENT"));
	json_object_object_add(doc, "hint", json_object_new_string(
		"load it with 'modprobe hotpatch' (or 'hotpatch load --all')"));
	json_object_object_add(doc, "patches", a);
	cli_print_json(cli, doc);
	return HP_EXIT_ENV;
}

int do_status(struct cli *cli)
{
	struct hp_patch_list *l;
	struct hp_core *c;
	json_object *doc, *patches, *core;
	size_t i;
	int ret;

	if (cli->o.nargs)
		return status_one(cli, cli->o.args[0]);
	if (cli->o.json && hp_sysfs_probe(cli->sys) == -ENOENT)
		return status_no_core(cli);

	ret = read_list(cli, &l);
	if (ret)
		return ret;
	ret = hp_core_read(cli->sys, &c);
	if (ret) {
		hp_patch_list_free(l);
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot read %s", hp_sysfs_root(cli->sys));
	}
	if (cli->o.json) {
		char **names = NULL;
		size_t n = 0;

		/* the host and a summary first, then the core's fields */
		doc = cli_host_json(cli, l);
		core = hp_core_to_json(c);
		if (doc && core) {
			json_object_object_foreach(core, k, v) {
				json_object_object_add(doc, k,
						       json_object_get(v));
			}
		}
		json_object_put(core);
		if (doc)
			json_object_object_add(doc, "core_loaded",
					       json_object_new_boolean(1));
		cli_installed_list(&names, &n);
		patches = list_json(l, names, n);
		cli_names_free(names, n);
		if (doc && patches &&
		    !json_object_object_add(doc, "patches", patches)) {
			patches = NULL;
		} else {
			json_object_put(doc);
			doc = NULL;
		}
		json_object_put(patches);
		ret = cli_print_json(cli, doc);
	} else {
		print_core(cli, c);
		for (i = 0; i < hp_patch_list_count(l); i++) {
			fputc('\n', cli->out);
			cli_print_patch(cli, hp_patch_list_get(l, i));
		}
	}
	hp_core_free(c);
	hp_patch_list_free(l);
	return ret;
}

int do_version(struct cli *cli)
{
	char core[256];
	json_object *doc;
	bool have_core;
	int ret;

	ret = hp_sysfs_read_attr(cli->sys, "version", core, sizeof(core));
	have_core = ret >= 0;
	if (!have_core && ret != -ENOENT)
		cli_info(cli, "cannot read %s/version: %s",
			 hp_sysfs_root(cli->sys), strerror(-ret));
	if (cli->o.json) {
		doc = json_object_new_object();
		if (doc) {
			json_object_object_add(doc, "version",
				json_object_new_string(HOTPATCH_VERSION));
			json_object_object_add(doc, "core_version", have_core ?
				json_object_new_string(core) : NULL);
		}
		return cli_print_json(cli, doc);
	}
	fprintf(cli->out, "hotpatch %s\n", HOTPATCH_VERSION);
	if (have_core)
		fprintf(cli->out, "core %s\n", core);
	else
		fprintf(cli->out, "core not loaded\n");
	return HP_EXIT_OK;
}

int do_help(struct cli *cli)
{
	const struct cli_cmd *cmd = NULL;

	if (cli->o.nargs) {
		cmd = cli_cmd_find(cli->o.args[0]);
		if (!cmd)
			return cli_error(cli, HP_EXIT_USAGE, 0, NULL,
					 "see 'hotpatch --help'",
					 "unknown command '%s'",
					 cli->o.args[0]);
	}
	cli_usage(cli->out, cmd);
	return HP_EXIT_OK;
}
