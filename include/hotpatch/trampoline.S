/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpatch: direct-call trampolines, for the .S file of a patch module.
 *
 * Assembly to be #included (it defines a macro, emits nothing by itself),
 * hence the .S name: it is assembler source, not a C header.
 *
 * ftrace turns the fentry call at the start of a patched function into
 * "call <trampoline>". The trampoline drops the return address that call
 * pushed (it points back into the old function) and jumps to the new
 * function, which then returns straight to the original caller: three
 * instructions per call in all.
 *
 * The unwind hints tell objtool and the ORC unwinder that the stack has
 * the shape of a function entry both before and after the return address
 * is dropped, so stack walks through a task stopped here stay reliable.
 *
 * Usage, in a .S file of the patch module:
 *
 *	#include <hotpatch/trampoline.S>
 *	HOTPATCH_TRAMPOLINE livepatch_cmdline_proc_show
 */
#ifndef _HOTPATCH_TRAMPOLINE_S
#define _HOTPATCH_TRAMPOLINE_S

#ifdef __ASSEMBLY__

#include <linux/linkage.h>
#include <asm/unwind_hints.h>

.macro HOTPATCH_TRAMPOLINE newfn:req
SYM_CODE_START(__hotpatch_tramp_\newfn)
	UNWIND_HINT_FUNC
	addq	$8, %rsp
	UNWIND_HINT_FUNC
	jmp	\newfn
SYM_CODE_END(__hotpatch_tramp_\newfn)
.endm

#endif /* __ASSEMBLY__ */
#endif /* _HOTPATCH_TRAMPOLINE_S */
