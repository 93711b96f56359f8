// SPDX-License-Identifier: GPL-2.0
/*
 * insmod1: load a module with one finit_module(2) call. busybox insmod
 * retries a failed load with init_module(2), which doubles the kernel-log
 * lines that scenarios compare.
 *
 *   insmod1 FILE.ko [PARAMS...]    exit 0 loaded, 1 refused (errno shown)
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char params[4096] = "";
	size_t len = 0;
	int fd, i;

	if (argc < 2) {
		fprintf(stderr, "usage: insmod1 FILE.ko [PARAM=VALUE...]\n");
		return 2;
	}
	for (i = 2; i < argc; i++) {
		int n = snprintf(params + len, sizeof(params) - len, "%s%s",
				 len ? " " : "", argv[i]);

		if (n < 0 || (size_t)n >= sizeof(params) - len) {
			fprintf(stderr, "insmod1: parameters too long\n");
			return 2;
		}
		len += n;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		fprintf(stderr, "insmod1: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	if (syscall(SYS_finit_module, fd, params, 0)) {
		fprintf(stderr, "insmod1: %s: %s (errno %d)\n", argv[1],
			strerror(errno), errno);
		return 1;
	}
	return 0;
}
