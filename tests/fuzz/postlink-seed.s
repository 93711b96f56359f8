# Seed for fuzz_postlink: a module with deferred livepatch relocations
# (the records of tests/unit/builder/test_postlink.c), linked with ld -r.
	.section .hotpatch.klp_strs,"",@progbits
.Lstrs:	.byte 0
.Lvmlinux: .asciz "vmlinux"
.Lmod:	.asciz "hp_target"
.Lfoo:	.asciz "foo"
.Lbar:	.asciz "bar.isra.0"
	.text
	.globl func
func:	call printk
	.byte 0xe8
.Lcall:	.long 0
	.byte 0x8b, 0x05
.Lload:	.long 0
	ret
	.data
	.balign 8
ptrs:	.quad 0, 0, func
	.section .hotpatch.klp_relocs,"",@progbits
	.balign 8
	.quad .Lcall, -4
	.long 4, 0, .Lvmlinux - .Lstrs, .Lfoo - .Lstrs
	.quad .Lload, -4
	.long 2, 2, .Lmod - .Lstrs, .Lbar - .Lstrs
	.quad ptrs, 0
	.long 1, 0, .Lvmlinux - .Lstrs, .Lfoo - .Lstrs
	.quad ptrs+8, 16
	.long 1, 1, .Lmod - .Lstrs, .Lbar - .Lstrs
	.section .modinfo,"a"
	.asciz "license=GPL"
	.asciz "livepatch=Y"
	.section .note.GNU-stack,"",@progbits
