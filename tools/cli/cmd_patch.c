// SPDX-License-Identifier: GPL-2.0
/* Commands that change the kernel: load, unload, enable, disable. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

/* Insert the core when its sysfs root is missing (load only). */
int cli_ensure_core(struct cli *cli)
{
	const char *what = cli->o.core_path ? cli->o.core_path :
			   "'modprobe hotpatch'";
	int ret;

	ret = hp_sysfs_probe(cli->sys);
	if (ret != -ENOENT)
		return cli_need_core(cli);	/* loaded, or another error */
	if (!hp_sysfs_is_default(cli->sys))
		return cli_error(cli, HP_EXIT_ENV, ret, NULL,
				 HP_SYSFS_ENV " is set: the core is loaded "
				 "automatically only with the default root",
				 "the hotpatch core is not loaded (%s does "
				 "not exist)", hp_sysfs_root(cli->sys));
	cli_info(cli, "the core is not loaded: loading it with %s", what);
	ret = cli->mod->load_core(cli, cli->o.core_path);
	if (ret == -ENOENT && !cli->o.core_path)
		return cli_error(cli, HP_EXIT_ENV, ret, NULL,
				 "install hotpatch.ko, or give its path with "
				 "--core PATH",
				 "the hotpatch core is not loaded, and no "
				 "'hotpatch' module is installed");
	if (ret == -ENOENT)
		return cli_error(cli, HP_EXIT_NOTFOUND, ret, NULL, NULL,
				 "the hotpatch core is not loaded, and %s "
				 "does not exist", what);
	if (ret < 0 && ret != -EEXIST)
		return cli_error(cli, HP_EXIT_ENV, ret, NULL,
				 hp_errno_advice(ret),
				 "the hotpatch core is not loaded, and "
				 "loading it with %s failed", what);
	if (hp_sysfs_probe(cli->sys))
		return cli_error(cli, HP_EXIT_ENV, -ENOENT, NULL, NULL,
				 "loaded the hotpatch core, but %s did not "
				 "appear", hp_sysfs_root(cli->sys));
	return HP_EXIT_OK;
}

/* The patch's own last_error, when it has one: the reason to quote when
 * the global one is about another patch. */
static const char *patch_reason(struct cli *cli, const char *name, char *buf,
				size_t size)
{
	char rel[512];

	snprintf(rel, sizeof(rel), "patches/%s/last_error", name);
	return hp_sysfs_read_attr(cli->sys, rel, buf, size) > 0 ? buf : NULL;
}

/* patches/<name>/force: 0, 1 armed, 2 forced; -1 unreadable. */
static int read_force(struct cli *cli, const char *name)
{
	char rel[512], buf[32];
	uint64_t v;

	snprintf(rel, sizeof(rel), "patches/%s/force", name);
	if (hp_sysfs_read_attr(cli->sys, rel, buf, sizeof(buf)) < 0 ||
	    hp_parse_u64(buf, &v) || v > 2)
		return -1;
	return (int)v;
}

/* --force: arm the core to skip the stack check of the next transition. */
static int arm_force(struct cli *cli, const char *name, const char *what)
{
	int ret;

	ret = hp_sysfs_set_force(cli->sys, name, true);
	if (ret == -ENOENT)
		return cli_error(cli, HP_EXIT_ENV, ret, NULL,
				 "this core predates forced transitions: "
				 "update the hotpatch core",
				 "cannot force the %s of patch '%s': the core "
				 "has no patches/%s/force", what, name, name);
	if (ret)
		return cli_error(cli, cli_exit_for_refusal(ret), ret, NULL,
				 hp_errno_advice(ret),
				 "cannot force the %s of patch '%s'", what, name);
	if (read_force(cli, name) < 1)
		return cli_error(cli, HP_EXIT_ERROR, -EIO, NULL, NULL,
				 "wrote 1 to patches/%s/force, but it does not "
				 "read as armed", name);
	fprintf(cli->err, "hotpatch: warning: forcing the %s of patch '%s': "
		"the core skips its check for tasks inside the code being "
		"replaced, so a task may run old and new code at once; the "
		"module of '%s' stays loaded until reboot\n", what, name, name);
	return HP_EXIT_OK;
}

/* A transition that failed before it was forced leaves force armed:
 * disarm it, so a later plain enable/disable is not forced by surprise. */
static void disarm_force(struct cli *cli, const char *name)
{
	if (read_force(cli, name) == 1 && hp_sysfs_set_force(cli->sys, name,
							     false))
		fprintf(cli->err, "hotpatch: warning: patches/%s/force is "
			"still armed: the next transition of '%s' will be "
			"forced\n", name, name);
}

/* Report why waiting for patch name to become want failed. */
static int wait_failed(struct cli *cli, const char *name, int ret,
		       enum hp_state want, enum hp_state seen)
{
	struct hp_last_error *le = NULL;
	struct hp_patch *p = NULL;
	int err = EIO;

	switch (ret) {
	case -ENOENT:
		return cli_error(cli, HP_EXIT_NOTFOUND, ret, NULL, NULL,
				 "patch '%s' disappeared while waiting for it "
				 "to be %s", name, hp_state_to_string(want));
	case -ECANCELED:
		if (!hp_sysfs_read_last_error(cli->sys, &le) &&
		    hp_last_error_matches(le, name))
			err = hp_last_error_errno(le);
		hp_last_error_free(le);
		hp_patch_read(cli->sys, name, &p);
		ret = cli_report_refusal(cli, name, err,
					 p ? hp_patch_last_error(p) : NULL,
					 "patch '%s' is in state '%s', not '%s'", name,
					 hp_state_to_string(seen),
					 hp_state_to_string(want));
		hp_patch_free(p);
		return ret;
	case -ETIMEDOUT:
		return cli_error(cli, HP_EXIT_TIMEOUT, ret, NULL,
				 seen == HP_STATE_STAGED ||
				 seen == HP_STATE_VERIFIED ?
				 "the patch is loaded but not applied: "
				 "'hotpatch enable NAME' applies it" :
				 "'hotpatch status NAME' shows where it is; "
				 "--timeout waits longer",
				 "patch '%s' is still in state '%s' after %.1f s, "
				 "not '%s'",
				 name, hp_state_to_string(seen),
				 cli->o.timeout_ms / 1000.0,
				 hp_state_to_string(want));
	default:
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot read the state of patch '%s'", name);
	}
}

/* After a successful change: the patch, as JSON or as a summary. */
static int print_result(struct cli *cli, const char *name, const char *verb)
{
	struct hp_patch *p;
	int ret;

	ret = cli_read_patch(cli, name, &p);
	if (ret)
		return ret;
	if (cli->o.json) {
		json_object *doc = hp_patch_to_json(p);

		if (doc)
			json_object_object_add(doc, "changed",
				json_object_new_boolean(!cli->unchanged));
		ret = cli_print_json(cli, doc);
	} else {
		fprintf(cli->out, "patch '%s' %s (mode %s, target %s)\n",
			hp_patch_name(p), verb,
			hp_mode_to_string(hp_patch_mode(p)),
			hp_patch_target(p) ? hp_patch_target(p) : "unknown");
		cli_print_patch(cli, p);
	}
	hp_patch_free(p);
	return ret;
}

/* The patch is loaded already: the same file and applied is no change
 * (exit 0, "unchanged"); anything else is refused as before. */
static int already_loaded(struct cli *cli, const char *path, const char *name)
{
	struct hp_patch *p = NULL;
	bool applied;
	char hint[512];

	if (hp_patch_read(cli->sys, name, &p))
		p = NULL;
	applied = p && hp_patch_state(p) == HP_STATE_APPLIED;
	hp_patch_free(p);
	if (cli_same_as_loaded(name, path)) {
		if (applied) {
			cli->unchanged = true;
			return print_result(cli, name, "unchanged (already "
					    "applied)");
		}
		snprintf(hint, sizeof(hint), "'hotpatch enable %s' applies it "
			 "again", name);
		return cli_error(cli, HP_EXIT_REFUSED, -EEXIST, NULL, hint,
				 "patch '%s' is loaded from this file, but not "
				 "applied", name);
	}
	return cli_error(cli, HP_EXIT_REFUSED, -EEXIST, NULL,
			 hp_errno_advice(EEXIST),
			 "patch '%s' is already loaded (from another file)",
			 name);
}

int cli_load_path(struct cli *cli, const char *path, const char *given)
{
	enum hp_state seen;
	char name[256], hint[512];
	struct stat st;
	int ret;

	if (stat(path, &st)) {
		ret = -errno;
		return cli_error(cli, ret == -ENOENT || ret == -ENOTDIR ?
				 HP_EXIT_NOTFOUND : ret == -EACCES ?
				 HP_EXIT_ENV : HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot read '%s'", path);
	}
	if (!S_ISREG(st.st_mode))
		return cli_error(cli, HP_EXIT_USAGE, 0, NULL, NULL,
				 "'%s' is not a patch module file", path);
	ret = cli_ensure_core(cli);
	if (ret)
		return ret;
	if (given) {
		snprintf(name, sizeof(name), "%s", given);
	} else {
		ret = cli->mod->name(cli, path, name, sizeof(name));
		if (ret)
			return cli_error(cli, ret == -ENOMEM ? HP_EXIT_ERROR :
					 HP_EXIT_REFUSED, ret, NULL,
					 hp_errno_advice(ENOEXEC),
					 "cannot tell the module name of '%s'",
					 path);
	}
	snprintf(cli->log_name, sizeof(cli->log_name), "%s", name);
	if (!hp_sysfs_patch_exists(cli->sys, name))
		return already_loaded(cli, path, name);

	cli_info(cli, "inserting %s (patch '%s')", path, name);
	ret = cli->mod->insert(cli, path);
	if (ret < 0)
		return cli_report_refusal(cli, name, ret, NULL,
					  "cannot load patch '%s'", name);
	cli_record_loaded(name, path);
	cli_info(cli, "inserted; waiting up to %u ms for '%s' to be applied",
		 cli->o.timeout_ms, name);
	ret = hp_sysfs_wait_state(cli->sys, name, HP_STATE_APPLIED,
				  cli->o.timeout_ms, &seen);
	if (ret == -ENOENT) {
		snprintf(hint, sizeof(hint), "remove it with 'rmmod %s'; "
			 "patch modules are made by hotpatch-build", name);
		return cli_error(cli, HP_EXIT_REFUSED, ret, NULL, hint,
				 "module '%s' was loaded, but the core lists "
				 "no patch of that name: not a patch module?",
				 name);
	}
	if (ret)
		return wait_failed(cli, name, ret, HP_STATE_APPLIED, seen);
	return print_result(cli, name, "applied");
}

int do_load(struct cli *cli)
{
	const char *arg;
	char inst[1024];
	struct stat st;

	if (cli->o.all)
		return do_load_all(cli);
	arg = cli->o.args[0];
	/* a name, not a file: the installed patch of that name */
	if (!strchr(arg, '/') && stat(arg, &st) &&
	    !cli_installed_path(arg, inst, sizeof(inst)))
		return cli_load_installed(cli, arg, inst);
	return cli_load_path(cli, arg, NULL);
}

int do_unload(struct cli *cli)
{
	if (cli->o.all)
		return do_unload_all(cli);
	return cli_unload_name(cli, cli->o.args[0]);
}

int cli_unload_name(struct cli *cli, const char *arg)
{
	struct hp_patch *p;
	enum hp_state seen;
	bool revert;
	char name[256], why[512];
	json_object *doc;
	int ret;

	ret = cli_read_patch(cli, arg, &p);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "%s", hp_patch_name(p));
	snprintf(cli->log_name, sizeof(cli->log_name), "%s", name);
	revert = hp_patch_enabled(p) == 1 ||
		 hp_patch_state(p) == HP_STATE_APPLIED ||
		 hp_patch_state(p) == HP_STATE_APPLYING;
	hp_patch_free(p);

	if (revert && cli->o.force) {
		ret = arm_force(cli, name, "revert");
		if (ret)
			return ret;
	} else if (cli->o.force) {
		cli_info(cli, "'%s' is not applied: --force has nothing to "
			 "force", name);
	}
	if (revert) {
		cli_info(cli, "reverting '%s'", name);
		ret = hp_sysfs_set_enabled(cli->sys, name, false);
		if (ret) {
			if (cli->o.force)
				disarm_force(cli, name);
			return cli_report_refusal(cli, name, ret,
						  patch_reason(cli, name, why,
							       sizeof(why)),
						  "cannot revert patch '%s'",
						  name);
		}
		ret = hp_sysfs_wait_state(cli->sys, name, HP_STATE_REVERTED,
					  cli->o.timeout_ms, &seen);
		if (ret)
			return wait_failed(cli, name, ret, HP_STATE_REVERTED,
					   seen);
	}

	/* a forced patch pins its module: rmmod would only say EBUSY */
	if (read_force(cli, name) == 2)
		return cli_error(cli, HP_EXIT_REFUSED, -EBUSY, NULL,
				 "a transition of this patch was forced, which "
				 "pins its module until reboot; it stays "
				 "harmlessly loaded and reverted",
				 "patch '%s' is %s, but its module cannot be "
				 "removed", name,
				 revert ? "reverted" : "not applied");

	cli_info(cli, "removing module '%s'", name);
	ret = cli->mod->remove(cli, name);
	if (ret < 0)
		return cli_report_refusal(cli, name, ret, NULL,
					  "patch '%s' is %s but its module "
					  "cannot be removed", name,
					  revert ? "reverted" : "not applied");

	if (cli->o.json) {
		doc = json_object_new_object();
		if (doc) {
			json_object_object_add(doc, "name",
					       json_object_new_string(name));
			json_object_object_add(doc, "reverted",
					       json_object_new_boolean(revert));
			json_object_object_add(doc, "unloaded",
					       json_object_new_boolean(1));
		}
		return cli_print_json(cli, doc);
	}
	fprintf(cli->out, "patch '%s' %sunloaded\n", name,
		revert ? "reverted and " : "");
	return HP_EXIT_OK;
}

static int set_enabled(struct cli *cli, bool on)
{
	enum hp_state want = on ? HP_STATE_APPLIED : HP_STATE_REVERTED;
	const char *verb = on ? "enabled" : "disabled";
	struct hp_patch *p;
	enum hp_state seen;
	char name[256], why[512];
	int ret;

	ret = cli_read_patch(cli, cli->o.args[0], &p);
	if (ret)
		return ret;
	snprintf(name, sizeof(name), "%s", hp_patch_name(p));
	snprintf(cli->log_name, sizeof(cli->log_name), "%s", name);
	if (hp_patch_enabled(p) == on && hp_patch_state(p) == want) {
		hp_patch_free(p);
		cli->unchanged = true;
		cli_info(cli, "patch '%s' is already %s", name, verb);
		return print_result(cli, name, on ? "already enabled" :
				    "already disabled");
	}
	hp_patch_free(p);

	if (cli->o.force) {
		ret = arm_force(cli, name, on ? "apply" : "revert");
		if (ret)
			return ret;
	}
	cli_info(cli, "writing %d to patches/%s/enabled", on, name);
	ret = hp_sysfs_set_enabled(cli->sys, name, on);
	if (ret) {
		if (cli->o.force)
			disarm_force(cli, name);
		return cli_report_refusal(cli, name, ret,
					  patch_reason(cli, name, why,
						       sizeof(why)),
					  "cannot %s patch '%s'",
					  on ? "enable" : "disable", name);
	}
	ret = hp_sysfs_wait_state(cli->sys, name, want, cli->o.timeout_ms,
				  &seen);
	if (ret)
		return wait_failed(cli, name, ret, want, seen);
	return print_result(cli, name, verb);
}

int do_enable(struct cli *cli)
{
	return set_enabled(cli, true);
}

int do_disable(struct cli *cli)
{
	return set_enabled(cli, false);
}
