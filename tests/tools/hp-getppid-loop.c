// SPDX-License-Identifier: GPL-2.0
/*
 * hp-getppid-loop: call getppid() in tight loops and count the results.
 *
 * usage: hp-getppid-loop [-n PROCS] [-c CALLS] [-s getppid|getpid]
 *
 * Forks PROCS children (default 1); each calls getppid() (or getpid() with
 * -s getpid; the raw syscall) CALLS times, or until this process gets
 * SIGTERM or SIGINT when CALLS is 0 (the default). Each result is counted
 * as old (the right answer: the pid of this process, the child's real
 * parent; with -s getpid the child's own pid), new (HP_STRESS_NEW_PPID,
 * what hp_patch_stress returns to tasks named hp-getppid-loop) or other; a
 * flip is a result that differs from the child's previous one. Once the
 * children run it prints "running PROCS" and "pids PID,PID,..." (the
 * children); at the end
 *	calls N old N new N other N flips N
 * and, if any, "other-value V" (the last other result). Exit status: 0, or
 * 2 on usage and system errors. The binary must keep its name: the patch
 * recognises its callers by it (task comm).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include "../fixtures/hp_stress.h"

#define MAX_PROCS 64

struct counts {
	unsigned long calls, old, new, other, flips;
	long other_value;
} __attribute__((aligned(64)));

struct shared {
	volatile sig_atomic_t stop;
	struct counts c[MAX_PROCS];
};

static struct shared *sh;

static void on_stop(int sig)
{
	(void)sig;
	sh->stop = 1;
}

static void child(struct counts *c, long sysno, long right,
		  unsigned long calls)
{
	int last = -1, r;
	long v;

	while (!sh->stop && (!calls || c->calls < calls)) {
		v = syscall(sysno);
		if (v == right) {
			r = 0;
			c->old++;
		} else if (v == HP_STRESS_NEW_PPID) {
			r = 1;
			c->new++;
		} else {
			r = 2;
			c->other++;
			c->other_value = v;
		}
		if (last >= 0 && r != last)
			c->flips++;
		last = r;
		c->calls++;
	}
	_exit(0);
}

int main(int argc, char **argv)
{
	unsigned long calls = 0;
	struct counts sum = { 0 };
	struct sigaction sa;
	int procs = 1, i, opt, other_seen = 0;
	long parent = getpid(), sysno = SYS_getppid;
	pid_t pid, pids[MAX_PROCS];

	while ((opt = getopt(argc, argv, "n:c:s:")) != -1) {
		switch (opt) {
		case 'n':
			procs = atoi(optarg);
			break;
		case 'c':
			calls = strtoul(optarg, NULL, 0);
			break;
		case 's':
			if (!strcmp(optarg, "getpid")) {
				sysno = SYS_getpid;
			} else if (strcmp(optarg, "getppid")) {
				fprintf(stderr, "%s: -s wants getppid or getpid\n",
					argv[0]);
				return 2;
			}
			break;
		default:
			fprintf(stderr,
				"usage: %s [-n PROCS] [-c CALLS] [-s getppid|getpid]\n",
				argv[0]);
			return 2;
		}
	}
	if (procs < 1 || procs > MAX_PROCS) {
		fprintf(stderr, "%s: -n wants 1..%d\n", argv[0], MAX_PROCS);
		return 2;
	}
	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	for (i = 0; i < procs; i++) {
		pid = fork();
		if (pid < 0) {
			perror("fork");
			sh->stop = 1;
			procs = i;
			break;
		}
		if (!pid)
			child(&sh->c[i], sysno,
			      sysno == SYS_getpid ? (long)getpid() : parent,
			      calls);
		pids[i] = pid;
	}
	printf("running %d\n", procs);
	printf("pids ");
	for (i = 0; i < procs; i++)
		printf("%s%d", i ? "," : "", (int)pids[i]);
	printf("\n");
	fflush(stdout);
	for (i = 0; i < procs;) {
		if (wait(NULL) >= 0)
			i++;
		else if (errno != EINTR)
			break;
	}
	for (i = 0; i < procs; i++) {
		sum.calls += sh->c[i].calls;
		sum.old += sh->c[i].old;
		sum.new += sh->c[i].new;
		sum.other += sh->c[i].other;
		sum.flips += sh->c[i].flips;
		if (sh->c[i].other) {
			other_seen = 1;
			sum.other_value = sh->c[i].other_value;
		}
	}
	printf("calls %lu old %lu new %lu other %lu flips %lu\n", sum.calls,
	       sum.old, sum.new, sum.other, sum.flips);
	if (other_seen)
		printf("other-value %ld\n", sum.other_value);
	return 0;
}
