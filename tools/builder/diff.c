// SPDX-License-Identifier: GPL-2.0
/*
 * The differ: run the passes in order over an original and a patched object.
 *
 *   correlate -> compare -> include -> special sections -> verify -> verdict
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int hp_diff_new(const struct hp_diff_opts *opts, struct hp_diff **out,
		struct hp_error *err)
{
	struct hp_diff *d = calloc(1, sizeof(*d));

	*out = NULL;
	if (!d)
		return hp_error_set(err, -ENOMEM, "out of memory");
	if (opts)
		d->opts = *opts;
	d->target = strdup(d->opts.target && d->opts.target[0] ? d->opts.target :
			   "vmlinux");
	if (!d->target) {
		free(d);
		return hp_error_set(err, -ENOMEM, "out of memory");
	}
	d->opts.target = d->target;
	*out = d;
	return 0;
}

void hp_diff_free(struct hp_diff *d)
{
	if (!d)
		return;
	hp_verdict_release(&d->v);
	while (d->nr_owned)
		free(d->owned[--d->nr_owned]);
	free(d->owned);
	free(d->func_sympos);
	free(d->work);
	hp_elf_free(d->orig);
	hp_elf_free(d->patched);
	free(d->target);
	free(d);
}

int hp_diff_load(struct hp_diff *d, const char *orig, const char *patched,
		 struct hp_error *err)
{
	int ret;

	if (d->orig || d->patched)
		return hp_error_set(err, -EBUSY, "objects already loaded");
	ret = hp_elf_open(orig, &d->orig, err);
	if (!ret)
		ret = hp_elf_open(patched, &d->patched, err);
	return ret;
}

int hp_diff_load_mem(struct hp_diff *d, const void *orig, size_t orig_len,
		     const void *patched, size_t patched_len, struct hp_error *err)
{
	int ret;

	if (d->orig || d->patched)
		return hp_error_set(err, -EBUSY, "objects already loaded");
	ret = hp_elf_open_mem(orig, orig_len, "original", &d->orig, err);
	if (!ret)
		ret = hp_elf_open_mem(patched, patched_len, "patched", &d->patched, err);
	return ret;
}

int hp_diff_run(struct hp_diff *d, struct hp_error *err)
{
	int ret;

	if (!d->orig || !d->patched)
		return hp_error_set(err, -EINVAL, "load both objects first");
	if (d->ran)
		return hp_error_set(err, -EBUSY, "differ already ran");
	d->ran = true;
	ret = hp_correlate(d, err);
	if (!ret)
		ret = hp_compare(d, err);
	if (!ret)
		ret = hp_include(d, err);
	if (!ret)
		ret = hp_special_process(d, err);
	if (!ret)
		ret = hp_verify(d, err);
	if (!ret)
		ret = hp_verdict_build(d);
	if (ret)
		return hp_error_set(err, ret, "differ failed");
	return 0;
}

const struct hp_verdict *hp_diff_verdict(const struct hp_diff *d)
{
	return &d->v;
}

struct hp_elf *hp_diff_orig(struct hp_diff *d)
{
	return d->orig;
}

struct hp_elf *hp_diff_patched(struct hp_diff *d)
{
	return d->patched;
}
