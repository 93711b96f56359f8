// SPDX-License-Identifier: GPL-2.0
/*
 * hp_bench: measures the cost of one call of a tiny function.
 *
 * Writing N to /proc/hp_bench calls hp_bench_target() N times between two
 * ktime_get_ns() reads; reading /proc/hp_bench returns "<ns> <N>" of the
 * last run. Under QEMU with -icount shift=0,sleep=off one guest nanosecond
 * is one executed instruction, so the figure is instructions, free of
 * noise.
 */
#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

static u64 hp_bench_ns;
static unsigned long hp_bench_calls;

noinline int hp_bench_target(int x)
{
	return x + 1;
}
EXPORT_SYMBOL_GPL(hp_bench_target);

static int hp_bench_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%llu %lu\n", hp_bench_ns, hp_bench_calls);
	return 0;
}

static int hp_bench_open(struct inode *inode, struct file *file)
{
	return single_open(file, hp_bench_show, NULL);
}

static ssize_t hp_bench_write(struct file *file, const char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	unsigned long n, i;
	u64 start;
	int acc = 0, ret;

	ret = kstrtoul_from_user(ubuf, count, 10, &n);
	if (ret)
		return ret;

	start = ktime_get_ns();
	for (i = 0; i < n; i++)
		acc = hp_bench_target(acc);
	hp_bench_ns = ktime_get_ns() - start;
	hp_bench_calls = n;
	/* Use the result so the loop is not optimised away. */
	if (acc != (int)n)
		pr_warn("hp_bench: unexpected result %d\n", acc);
	return count;
}

static const struct proc_ops hp_bench_ops = {
	.proc_open = hp_bench_open,
	.proc_read = seq_read,
	.proc_write = hp_bench_write,
	.proc_lseek = seq_lseek,
	.proc_release = single_release,
};

static int __init hp_bench_init(void)
{
	if (!proc_create("hp_bench", 0644, NULL, &hp_bench_ops))
		return -ENOMEM;
	return 0;
}

static void __exit hp_bench_exit(void)
{
	remove_proc_entry("hp_bench", NULL);
}

module_init(hp_bench_init);
module_exit(hp_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hotpatch benchmark: instructions per call");
