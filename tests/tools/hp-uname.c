// SPDX-License-Identifier: GPL-2.0
/*
 * hp-uname: the node name as both entries of the uname system call see it.
 *
 * usage: hp-uname
 *
 * Prints two lines:
 *	x64 NODENAME      uname(2) through the 64-bit entry (__x64_sys_newuname)
 *	ia32 NODENAME     the same call through int $0x80, the 32-bit entry
 *	                  (__ia32_sys_newuname, ia32 number 122)
 * an empty node name prints as "x64 " (nothing after the space); a failed
 * call prints "-ERRNO" instead of the name. The buffer for int $0x80 is a
 * static one: the binary is linked static, not PIE, so it lies below 4 GiB
 * where the 32-bit entry can address it. Exit status: 0, 1 if a call
 * failed, 2 if the buffer is out of reach.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#define IA32_NR_UNAME 122	/* arch/x86/entry/syscalls/syscall_32.tbl: newuname */

static struct utsname buf32;

static long uname32(struct utsname *u)
{
	long ret;

	asm volatile("int $0x80"
		     : "=a"(ret)
		     : "0"((long)IA32_NR_UNAME), "b"((long)(uintptr_t)u)
		     : "memory", "r8", "r9", "r10", "r11");
	return ret;
}

int main(void)
{
	struct utsname u;
	int rc = 0;
	long ret;

	memset(&u, 0, sizeof(u));
	ret = syscall(SYS_uname, &u);
	if (ret) {
		printf("x64 -%d\n", errno);
		rc = 1;
	} else {
		printf("x64 %s\n", u.nodename);
	}
	if ((uintptr_t)&buf32 > UINT32_MAX) {
		printf("ia32 buffer at %p is out of reach\n", (void *)&buf32);
		return 2;
	}
	ret = uname32(&buf32);
	if (ret) {
		printf("ia32 %ld\n", ret);
		rc = 1;
	} else {
		printf("ia32 %s\n", buf32.nodename);
	}
	return rc;
}
