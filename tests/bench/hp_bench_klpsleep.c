// SPDX-License-Identifier: GPL-2.0
/*
 * Replaces hp_bench_sleep_wait, where the threads of the convergence
 * benchmark sleep, with an identical body, through upstream livepatch.
 */
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/module.h>
#include <linux/sched/signal.h>
#include "hp_bench_many.h"

static noinline int hp_bench_klpsleep_wait(void)
{
	return wait_event_interruptible(hp_bench_sleep_wq,
					READ_ONCE(hp_bench_released));
}

static struct klp_func funcs[] = {
	{
		.old_name = "hp_bench_sleep_wait",
		.new_func = hp_bench_klpsleep_wait,
	}, { }
};

static struct klp_object objs[] = {
	{ .name = "hp_bench_many", .funcs = funcs },
	{ }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int __init hp_bench_klpsleep_init(void)
{
	return klp_enable_patch(&patch);
}

static void __exit hp_bench_klpsleep_exit(void)
{
}

module_init(hp_bench_klpsleep_init);
module_exit(hp_bench_klpsleep_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("hotpatch benchmark: upstream livepatch of the function threads sleep in");
