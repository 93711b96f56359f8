// SPDX-License-Identifier: GPL-2.0
/* The differ against real kbuild output: every x86 special section of 6.1. */
#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/uaccess.h>
#include <linux/jump_label.h>
#include <linux/static_call.h>
#include <linux/atomic.h>
#include <linux/irqflags.h>
#include <linux/nospec.h>
#include <linux/sched.h>

DEFINE_STATIC_KEY_FALSE(hpk_key);
static atomic_t hpk_hits;
static int hpk_counter;
int (*hpk_hook)(int);

noinline int hpk_read(int __user *p)
{
	int v = 0;
	unsigned long flags;

	if (!user_access_begin(p, sizeof(*p)))
		return -EFAULT;
	unsafe_get_user(v, p, fault);
	user_access_end();
	WARN_ON(v > 100);
	if (static_branch_unlikely(&hpk_key))
		v++;
	atomic_inc(&hpk_hits);
	local_irq_save(flags);
	hpk_counter += v;
	local_irq_restore(flags);
	barrier_nospec();
	if (hpk_hook)
		v = hpk_hook(v);
	pr_info("hpk: read %d\n", v);
	return v;
fault:
	user_access_end();
	return -EFAULT;
}

noinline int hpk_other(int x)
{
	unsigned long flags;

	might_sleep();
	WARN_ONCE(x > 5, "hpk: x=%d\n", x);
	atomic_inc(&hpk_hits);
	local_irq_save(flags);
	x += hpk_counter;
	local_irq_restore(flags);
	barrier_nospec();
	if (hpk_hook)
		x = hpk_hook(x);
	if (x == 99)
		BUG();
	return x * 2;
}

static int __init hpk_init(void)
{
	return hpk_other(1) > 1000 ? -EINVAL : 0;
}
module_init(hpk_init);
MODULE_LICENSE("GPL");
