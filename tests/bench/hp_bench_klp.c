// SPDX-License-Identifier: GPL-2.0
/* Replaces hp_bench_target with an identical body, through upstream livepatch. */
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>

static noinline int hp_bench_klp_target(int x)
{
	return x + 1;
}

static struct klp_func funcs[] = {
	{
		.old_name = "hp_bench_target",
		.new_func = hp_bench_klp_target,
	}, { }
};

static struct klp_object objs[] = {
	{ .name = "hp_bench", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init hp_bench_klp_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit hp_bench_klp_exit(void)
{
}

module_init(hp_bench_klp_init);
module_exit(hp_bench_klp_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("hotpatch benchmark: upstream livepatch of hp_bench_target");
