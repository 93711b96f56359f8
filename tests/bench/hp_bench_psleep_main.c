// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces hp_bench_sleep_wait, where the threads of the convergence
 * benchmark sleep, with an identical body, through hotpatch.
 */
#include <linux/module.h>
#include <linux/sched/signal.h>
#include <hotpatch/hotpatch.h>
#include "hp_bench_many.h"

noinline int hp_bench_psleep_wait(void)
{
	return wait_event_interruptible(hp_bench_sleep_wq,
					READ_ONCE(hp_bench_released));
}

HOTPATCH_TRAMP_DECLARE(hp_bench_psleep_wait);

static struct hotpatch_func funcs[] = {
	{
		.old_name = "hp_bench_sleep_wait",
		.new_func = hp_bench_psleep_wait,
		.tramp = HOTPATCH_TRAMP(hp_bench_psleep_wait),
	}, { }
};

static struct hotpatch_object objs[] = {
	{ .name = "hp_bench_many", .funcs = funcs },
	{ }
};

static struct hotpatch_patch patch = {
	.api = HOTPATCH_API_VERSION,
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init hp_bench_psleep_init(void)
{
	return hotpatch_register(&patch);
}

static void __exit hp_bench_psleep_exit(void)
{
	hotpatch_unregister(&patch);
}

module_init(hp_bench_psleep_init);
module_exit(hp_bench_psleep_exit);
MODULE_INFO(hotpatch, "Y");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hotpatch benchmark: hotpatch of the function threads sleep in");
