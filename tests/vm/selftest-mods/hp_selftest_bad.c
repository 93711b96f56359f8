// SPDX-License-Identifier: GPL-2.0
/*
 * A module that misbehaves on purpose, for tests/vm/selftest: the harness
 * must fail a scenario whose kernel log shows a warning or an oops, even when
 * the scenario's own TAP says everything passed.
 *
 *   insmod hp_selftest_bad.ko what=warn   WARN() in init, load succeeds
 *   insmod hp_selftest_bad.ko what=oops   NULL dereference in init (Oops)
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <linux/bug.h>

static char *what = "warn";
module_param(what, charp, 0444);
MODULE_PARM_DESC(what, "how to misbehave on load: warn or oops");

/* Read through a parameter so the compiler cannot see the NULL. */
static unsigned long addr;
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "address read by what=oops (default NULL)");

static int __init hp_selftest_bad_init(void)
{
	if (!strcmp(what, "oops")) {
		pr_info("reading address 0x%lx\n", addr);
		return *(int *)addr;
	}
	WARN(1, "hp_selftest_bad: deliberate warning\n");
	return 0;
}

static void __exit hp_selftest_bad_exit(void)
{
}

module_init(hp_selftest_bad_init);
module_exit(hp_selftest_bad_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hotpatch VM harness self-test: a module that warns or oopses");
