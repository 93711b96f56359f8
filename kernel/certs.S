/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Certificates built into the core: make HOTPATCH_CERTS=<file>, a file of
 * one or more DER X.509 certificates, concatenated. keyring.c loads them
 * into the .hotpatch keyring at init. Without HOTPATCH_CERTS the list is
 * empty and only certificates added at run time are trusted.
 */
#include <linux/linkage.h>

	.section .rodata, "a"
SYM_DATA_START(hotpatch_builtin_certs)
#ifdef HOTPATCH_CERTS_FILE
	.incbin HOTPATCH_CERTS_FILE
#endif
SYM_DATA_END_LABEL(hotpatch_builtin_certs, SYM_L_GLOBAL, hotpatch_builtin_certs_end)
