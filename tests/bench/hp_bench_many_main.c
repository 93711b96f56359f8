// SPDX-License-Identifier: GPL-2.0
/*
 * hp_bench_many: the targets of the pause benchmark (tests/bench/guest.sh).
 *
 * hp_bench_f0000 ... hp_bench_f0999 (generated, gen/hp_bench_many_funcs.c)
 * are the functions the 100- and 1000-function patches replace; writing N
 * to /proc/hp_bench_many calls each of them N times (they must still
 * compute the same). A read of /proc/hp_bench_sleep sleeps interruptibly
 * in hp_bench_sleep_wait() until "release" is written to it: the threads
 * of the convergence benchmark sleep there while that function is
 * replaced. /proc/hp_bench_clock reads ktime_get_ns(), the guest's
 * instruction count under -icount shift=0,sleep=off.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/sched/signal.h>
#include <linux/uaccess.h>
#include <linux/wait.h>
#include "hp_bench_many.h"

wait_queue_head_t hp_bench_sleep_wq =
	__WAIT_QUEUE_HEAD_INITIALIZER(hp_bench_sleep_wq);
EXPORT_SYMBOL_GPL(hp_bench_sleep_wq);
bool hp_bench_released;
EXPORT_SYMBOL_GPL(hp_bench_released);

noinline int hp_bench_sleep_wait(void)
{
	return wait_event_interruptible(hp_bench_sleep_wq,
					READ_ONCE(hp_bench_released));
}

static ssize_t hp_bench_sleep_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	int ret = hp_bench_sleep_wait();

	return ret ? ret : 0;
}

static ssize_t hp_bench_sleep_write(struct file *file,
				    const char __user *ubuf, size_t count,
				    loff_t *ppos)
{
	char buf[16];

	if (count >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, count))
		return -EFAULT;
	buf[count] = '\0';
	if (strcmp(strim(buf), "release"))
		return -EINVAL;
	WRITE_ONCE(hp_bench_released, true);
	wake_up_all(&hp_bench_sleep_wq);
	return count;
}

static const struct proc_ops hp_bench_sleep_ops = {
	.proc_read = hp_bench_sleep_read,
	.proc_write = hp_bench_sleep_write,
	.proc_lseek = noop_llseek,
};

static ssize_t hp_bench_clock_read(struct file *file, char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	char buf[24];
	int len = scnprintf(buf, sizeof(buf), "%llu\n", ktime_get_ns());

	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct proc_ops hp_bench_clock_ops = {
	.proc_read = hp_bench_clock_read,
	.proc_lseek = noop_llseek,
};

static ssize_t hp_bench_many_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	unsigned long n, k;
	int i, ret;

	ret = kstrtoul_from_user(ubuf, count, 10, &n);
	if (ret)
		return ret;
	for (k = 0; k < n; k++)
		for (i = 0; i < HP_BENCH_NR_FUNCS; i++)
			if (hp_bench_funcs[i](1) != 1 + i)
				return -EIO;
	return count;
}

static const struct proc_ops hp_bench_many_ops = {
	.proc_write = hp_bench_many_write,
	.proc_lseek = noop_llseek,
};

static int __init hp_bench_many_init(void)
{
	if (!proc_create("hp_bench_sleep", 0644, NULL, &hp_bench_sleep_ops))
		return -ENOMEM;
	if (!proc_create("hp_bench_clock", 0444, NULL, &hp_bench_clock_ops))
		goto out_sleep;
	if (!proc_create("hp_bench_many", 0200, NULL, &hp_bench_many_ops))
		goto out_clock;
	return 0;

out_clock:
	remove_proc_entry("hp_bench_clock", NULL);
out_sleep:
	remove_proc_entry("hp_bench_sleep", NULL);
	return -ENOMEM;
}

static void __exit hp_bench_many_exit(void)
{
	remove_proc_entry("hp_bench_many", NULL);
	remove_proc_entry("hp_bench_clock", NULL);
	remove_proc_entry("hp_bench_sleep", NULL);
}

module_init(hp_bench_many_init);
module_exit(hp_bench_many_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hotpatch benchmark: targets of the pause and convergence benchmarks");
