// SPDX-License-Identifier: GPL-2.0
/*
 * The module loader, through libkmod, and add_key(2) for the core's
 * keyring: what the CLI asks of the kernel besides sysfs. Everything here
 * needs root.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <libkmod.h>

#include "cli.h"

#define CORE_MODULE "hotpatch"

/* libkmod's own messages only with -v; the CLI reports errors itself. */
static void kmod_log(void *data, int priority, const char *file, int line,
		     const char *fn, const char *format, va_list args)
{
	struct cli *cli = data;

	(void)priority;
	(void)file;
	(void)line;
	(void)fn;
	if (!cli->o.verbose)
		return;
	fputs("hotpatch: libkmod: ", cli->err);
	vfprintf(cli->err, format, args);
}

static struct kmod_ctx *ctx(struct cli *cli)
{
	struct kmod_ctx *c;

	if (!cli->mod_data) {
		c = kmod_new(NULL, NULL);
		if (c)
			kmod_set_log_fn(c, kmod_log, cli);
		cli->mod_data = c;
	}
	return cli->mod_data;
}

/*
 * modinfo "name" (modpost records KBUILD_MODNAME there), else the file
 * name as kmod derives it.
 */
static int kmod_name(struct cli *cli, const char *path, char *buf,
		     size_t size)
{
	struct kmod_list *info = NULL, *it;
	struct kmod_module *mod;
	const char *name = NULL;
	int ret;

	if (!ctx(cli))
		return -ENOMEM;
	ret = kmod_module_new_from_path(ctx(cli), path, &mod);
	if (ret < 0)
		return ret;
	if (kmod_module_get_info(mod, &info) >= 0) {
		kmod_list_foreach(it, info) {
			if (!strcmp(kmod_module_info_get_key(it), "name")) {
				name = kmod_module_info_get_value(it);
				break;
			}
		}
	}
	ret = hp_name_normalize(name && name[0] ? name :
				kmod_module_get_name(mod), buf, size);
	kmod_module_info_free_list(info);
	kmod_module_unref(mod);
	return ret;
}

static int kmod_insert(struct cli *cli, const char *path)
{
	struct kmod_module *mod;
	int ret;

	if (!ctx(cli))
		return -ENOMEM;
	ret = kmod_module_new_from_path(ctx(cli), path, &mod);
	if (ret < 0)
		return ret;
	ret = kmod_module_insert_module(mod, 0, NULL);
	kmod_module_unref(mod);
	return ret < 0 ? ret : 0;
}

static int kmod_remove(struct cli *cli, const char *name)
{
	struct kmod_module *mod;
	int ret;

	if (!ctx(cli))
		return -ENOMEM;
	ret = kmod_module_new_from_name(ctx(cli), name, &mod);
	if (ret < 0)
		return ret;
	ret = kmod_module_remove_module(mod, 0);
	kmod_module_unref(mod);
	return ret < 0 ? ret : 0;
}

static int kmod_load_core(struct cli *cli, const char *path)
{
	struct kmod_list *list = NULL;
	struct kmod_module *mod;
	int ret;

	if (path)
		return kmod_insert(cli, path);
	if (!ctx(cli))
		return -ENOMEM;
	ret = kmod_module_new_from_lookup(ctx(cli), CORE_MODULE, &list);
	if (ret < 0)
		return ret;
	if (!list)
		return -ENOENT;
	mod = kmod_module_get_module(list);
	kmod_module_unref_list(list);
	ret = kmod_module_probe_insert_module(mod, 0, NULL, NULL, NULL, NULL);
	kmod_module_unref(mod);
	if (ret > 0)	/* blacklisted, or stopped by an install command */
		ret = -EPERM;
	return ret < 0 ? ret : 0;
}

/* An X.509 certificate; the kernel names it "CN: key id" itself. */
static long sys_add_key(struct cli *cli, int32_t keyring, const void *der,
			size_t len)
{
	long ret;

	(void)cli;
	ret = syscall(SYS_add_key, "asymmetric", NULL, der, len, keyring);
	return ret < 0 ? -errno : ret;
}

static void kmod_cleanup(struct cli *cli)
{
	kmod_unref(cli->mod_data);	/* NULL is fine */
	cli->mod_data = NULL;
}

const struct cli_module_ops cli_kmod_ops = {
	.name = kmod_name,
	.insert = kmod_insert,
	.remove = kmod_remove,
	.load_core = kmod_load_core,
	.add_key = sys_add_key,
	.cleanup = kmod_cleanup,
};
