// SPDX-License-Identifier: GPL-2.0
#include "kernelish.h"
struct utsname { char sysname[65], nodename[65], release[65]; };
extern struct utsname init_uts;
extern struct static_key uts_sem;
void down_read(struct static_key *k);
void up_read(struct static_key *k);
unsigned long copy_to_user(void *to, const void *from, unsigned long n);
char *strcpy(char *d, const char *s);

SYSCALL_DEFINE1(newuname, struct utsname *, name)
{
	struct utsname tmp;

	down_read(&uts_sem);
	__builtin_memcpy(&tmp, &init_uts, sizeof(tmp));
	up_read(&uts_sem);
	if (copy_to_user(name, &tmp, sizeof(tmp)))
		return -14;
	if (copy_to_user(name->release, "6.1", 4))
		return -14;
	return 0;
}
