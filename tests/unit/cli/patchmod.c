// SPDX-License-Identifier: GPL-2.0
/*
 * Stand-in for a patch module, for `hotpatch verify`: an ET_REL object with
 * a .modinfo section and the new function and trampoline that the manifest
 * built in test_cmd_verify.c names.
 */
#define MODINFO(tag, s) \
	static const char __modinfo_##tag[] \
	__attribute__((section(".modinfo"), used, aligned(1))) = s

MODINFO(name, "name=hp_cli_test");
MODINFO(license, "license=GPL");

int livepatch_cmdline_proc_show(void);
int livepatch_cmdline_proc_show(void) { return 1; }
int hp_tramp_cmdline_proc_show(void);
int hp_tramp_cmdline_proc_show(void) { return 2; }
