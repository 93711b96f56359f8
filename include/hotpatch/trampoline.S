/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hotpatch: direct-call trampolines, for the .S file of a patch module.
 *
 * Assembly to be #included (it defines a macro, emits nothing by itself),
 * hence the .S name: it is assembler source, not a C header.
 *
 * ftrace turns the fentry call at the start of a patched function into
 * "call <trampoline>". HOTPATCH_TRAMPOLINE fn emits, for a replacement fn:
 *
 *  __hotpatch_steady_fn	the steady state: drop the return address the
 *				fentry call pushed (it points back into the
 *				old function) and jump to fn, which returns
 *				straight to the original caller. Three
 *				instructions per call in all.
 *  __hotpatch_gate_fn		used while a patch is switched on or off:
 *				while the descriptor's live byte is 0, send
 *				the call where it went before the patch
 *				(desc.prev: the trampoline of the patch below,
 *				or a stub that returns into the old function);
 *				once it is 1, behave like the steady one. The
 *				core flips the live bytes of all functions of
 *				a patch at once, inside stop_machine.
 *  __hotpatch_tramp_fn		the descriptor, struct hotpatch_tramp in
 *				<hotpatch/hotpatch.h>: steady, gate, prev,
 *				live.
 *
 * With X86_KERNEL_IBT (6.12) both trampolines start with ENDBR: the gate
 * reaches a steady trampoline of the patch below by an indirect jump, and
 * objtool wants every code address stored in data to be one. ENDBR is
 * empty without IBT (6.1), so the steady path is three instructions there
 * and four with IBT (endbr64 is a no-op when IBT is not enforced).
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
#include <asm/ibt.h>
#include <asm/nospec-branch.h>
#include <asm/unwind_hints.h>

/* Offsets in struct hotpatch_tramp. */
#define HOTPATCH_TRAMP_PREV	16
#define HOTPATCH_TRAMP_LIVE	24

.macro HOTPATCH_TRAMPOLINE newfn:req
SYM_CODE_START(__hotpatch_steady_\newfn)
	UNWIND_HINT_FUNC
	ENDBR
	addq	$8, %rsp
	UNWIND_HINT_FUNC
	jmp	\newfn
SYM_CODE_END(__hotpatch_steady_\newfn)

SYM_CODE_START(__hotpatch_gate_\newfn)
	UNWIND_HINT_FUNC
	ENDBR
	cmpb	$0, __hotpatch_tramp_\newfn+HOTPATCH_TRAMP_LIVE(%rip)
	jne	.Lhotpatch_live_\newfn
	movq	__hotpatch_tramp_\newfn+HOTPATCH_TRAMP_PREV(%rip), %r11
	JMP_NOSPEC r11
.Lhotpatch_live_\newfn:
	addq	$8, %rsp
	UNWIND_HINT_FUNC
	jmp	\newfn
SYM_CODE_END(__hotpatch_gate_\newfn)

	.pushsection .data, "aw"
	.balign 8
SYM_DATA_START(__hotpatch_tramp_\newfn)
	.quad	__hotpatch_steady_\newfn
	.quad	__hotpatch_gate_\newfn
	.quad	0
	.byte	0
	.balign	8
SYM_DATA_END(__hotpatch_tramp_\newfn)
	.popsection
.endm

#endif /* __ASSEMBLY__ */
#endif /* _HOTPATCH_TRAMPOLINE_S */
