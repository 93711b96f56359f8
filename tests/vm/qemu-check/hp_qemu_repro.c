// SPDX-License-Identifier: GPL-2.0
/*
 * hp_qemu_repro: the hotpatch-free reproducer of QEMU 7.2's TCG bug
 * (docs/consistency.md, "QEMU"). Registers and unregisters a plain
 * ftrace_ops on __do_sys_getppid, with a stop_machine() in between, @iters
 * times, while user space calls getppid() on the other vCPUs. Under an
 * affected QEMU a vCPU keeps trapping on the stale int3 of a rewrite and
 * the guest soft-locks; under a good one the load finishes.
 */
#include <linux/ftrace.h>
#include <linux/module.h>
#include <linux/stop_machine.h>

static int iters = 300;
module_param(iters, int, 0444);
MODULE_PARM_DESC(iters, "register/unregister rounds (default 300)");

static void notrace hp_repro_func(unsigned long ip, unsigned long parent_ip,
				  struct ftrace_ops *op,
				  struct ftrace_regs *fregs)
{
}

static struct ftrace_ops hp_repro_ops = {
	.func = hp_repro_func,
};

static int hp_repro_nothing(void *data)
{
	return 0;
}

static int __init hp_qemu_repro_init(void)
{
	static unsigned char name[] = "__do_sys_getppid";
	int i, ret;

	ret = ftrace_set_filter(&hp_repro_ops, name, strlen(name), 1);
	if (ret)
		return ret;
	for (i = 0; i < iters; i++) {
		ret = register_ftrace_function(&hp_repro_ops);
		if (ret)
			goto out;
		stop_machine(hp_repro_nothing, NULL, NULL);
		unregister_ftrace_function(&hp_repro_ops);
		if (i % 50 == 0)
			pr_info("hp_qemu_repro: round %d\n", i);
	}
	pr_info("hp_qemu_repro: %d rounds done\n", iters);
out:
	ftrace_free_filter(&hp_repro_ops);
	return ret;
}

static void __exit hp_qemu_repro_exit(void)
{
}

module_init(hp_qemu_repro_init);
module_exit(hp_qemu_repro_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("reproducer of a QEMU TCG bug with ftrace code rewrites");
