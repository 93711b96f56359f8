// SPDX-License-Identifier: GPL-2.0
/* Replaces hp_bench_target with an identical body, through hotpatch. */
#include <linux/module.h>
#include <hotpatch/hotpatch.h>

noinline int hp_bench_target_new(int x)
{
	return x + 1;
}

HOTPATCH_TRAMP_DECLARE(hp_bench_target_new);

static struct hotpatch_func funcs[] = {
	{
		.old_name = "hp_bench_target",
		.new_func = hp_bench_target_new,
		.tramp = HOTPATCH_TRAMP(hp_bench_target_new),
	}, { }
};

static struct hotpatch_object objs[] = {
	{ .name = "hp_bench", .funcs = funcs },
	{ }
};

static struct hotpatch_patch patch = {
	.api = HOTPATCH_API_VERSION,
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init hp_bench_patch_init(void)
{
	return hotpatch_register(&patch);
}

static void __exit hp_bench_patch_exit(void)
{
	hotpatch_unregister(&patch);
}

module_init(hp_bench_patch_init);
module_exit(hp_bench_patch_exit);
MODULE_INFO(hotpatch, "Y");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hotpatch benchmark: hotpatch redirect of hp_bench_target");
