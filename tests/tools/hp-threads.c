// SPDX-License-Identifier: GPL-2.0
/*
 * hp-threads: start N threads that sleep, for the pause and convergence
 * benchmarks (tests/bench/guest.sh).
 *
 * usage: hp-threads [--read FILE] N
 *
 * Each thread sleeps in pause(), or with --read in a read() of FILE (a
 * /proc file that blocks). Once all N exist, "ready N" goes to stdout,
 * then the process sleeps until a signal kills it. The threads have the
 * smallest stacks the C library allows. Exit status 1 with a message when
 * a thread cannot be created (the count created is said).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *read_file;

static void *sleeper(void *arg)
{
	char c;
	int fd;

	(void)arg;
	if (!read_file) {
		for (;;)
			pause();
	}
	fd = open(read_file, O_RDONLY);
	if (fd < 0) {
		fprintf(stderr, "hp-threads: cannot open %s: %s\n", read_file,
			strerror(errno));
		exit(1);
	}
	for (;;)
		if (read(fd, &c, 1) < 0 && errno != EINTR) {
			fprintf(stderr, "hp-threads: read %s: %s\n", read_file,
				strerror(errno));
			exit(1);
		}
	return NULL;
}

int main(int argc, char **argv)
{
	pthread_attr_t attr;
	unsigned long n, i;
	pthread_t t;
	char *end;
	int ret;

	if (argc == 4 && !strcmp(argv[1], "--read")) {
		read_file = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc != 2) {
		fprintf(stderr, "usage: hp-threads [--read FILE] N\n");
		return 2;
	}
	errno = 0;
	n = strtoul(argv[1], &end, 10);
	if (errno || *end || end == argv[1]) {
		fprintf(stderr, "hp-threads: '%s' is not a number of threads\n",
			argv[1]);
		return 2;
	}
	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, PTHREAD_STACK_MIN);
	for (i = 0; i < n; i++) {
		ret = pthread_create(&t, &attr, sleeper, NULL);
		if (ret) {
			fprintf(stderr, "hp-threads: thread %lu of %lu: %s\n",
				i + 1, n, strerror(ret));
			return 1;
		}
	}
	printf("ready %lu\n", n);
	fflush(stdout);
	for (;;)
		pause();
}
