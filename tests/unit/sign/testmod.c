// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for a patch module: an ET_REL object with a .modinfo section and
 * the new functions and trampolines the corpus' good-baseline manifest names.
 */
#define MODINFO(tag, s) \
	static const char __modinfo_##tag[] \
	__attribute__((section(".modinfo"), used, aligned(1))) = s

MODINFO(name, "name=hp_test");
MODINFO(license, "license=GPL");
MODINFO(livepatch, "livepatch=Y");

#define FN(n) int n(void); int n(void) { return __LINE__; }
FN(livepatch_cmdline_proc_show)
FN(hp_tramp_cmdline_proc_show)
FN(livepatch_meminfo_proc_show)
FN(hp_tramp_meminfo_proc_show)
FN(livepatch_show_val_kb)
FN(hp_tramp_show_val_kb)
FN(livepatch_xfs_file_read_iter)
FN(hp_tramp_xfs_file_read_iter)
