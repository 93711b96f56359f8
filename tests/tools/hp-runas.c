// SPDX-License-Identifier: GPL-2.0
/*
 * hp-runas: run a command as another user (the busybox guest has no su
 * without a passwd file).
 *
 *   hp-runas UID CMD [ARG...]   drop every group, set gid and uid to UID,
 *                               exec CMD; exit 127 if that fails
 */
#include <grp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	char *end;
	long id;

	if (argc < 3) {
		fprintf(stderr, "usage: hp-runas UID CMD [ARG...]\n");
		return 2;
	}
	id = strtol(argv[1], &end, 10);
	if (*end || id < 0) {
		fprintf(stderr, "hp-runas: bad uid '%s'\n", argv[1]);
		return 2;
	}
	if (setgroups(0, NULL) || setgid((gid_t)id) || setuid((uid_t)id)) {
		fprintf(stderr, "hp-runas: cannot become %ld: %s\n", id,
			strerror(errno));
		return 127;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "hp-runas: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
