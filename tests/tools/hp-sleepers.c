// SPDX-License-Identifier: GPL-2.0
/*
 * hp-sleepers: threads that sleep in one system call, and a check of every
 * result they see (the convergence scenarios, t3400 to t3430).
 *
 * usage: hp-sleepers -k KIND [-n THREADS] [-l]
 *
 * KIND is pause, futex, epoll, pipe, nanosleep, accept or wait4. Each of
 * THREADS threads (default 1000) makes that call and sleeps in it:
 *	pause		pause()
 *	futex		FUTEX_WAIT on a word that stays 0
 *	epoll		epoll_wait(), no timeout, on its own empty eventfd
 *	pipe		read() of 1 byte from its own empty pipe
 *	nanosleep	nanosleep() of 10,000 s
 *	accept		accept() on one listening unix socket
 *	wait4		wait4() for one child that sleeps in pause()
 * Once every thread sleeps (state S in /proc) it prints "ready THREADS".
 * On SIGTERM it ends each sleep in the kind's own way (SIGUSR1, caught,
 * for pause and nanosleep; FUTEX_WAKE; a byte in each eventfd or pipe; a
 * connection per thread; SIGKILL to the child), checks each thread's last
 * result (EINTR; 0 or EAGAIN; the event; the byte; a socket; the child's
 * pid for one thread and ECHILD for the others) and prints
 *	kind K threads N calls C eintr E early W ok O bad B
 * calls: system calls made; eintr: calls that failed with EINTR before
 * SIGTERM (the thread calls again); early: any other return before
 * SIGTERM; ok / bad: last results right or wrong. A sleep that the kernel
 * restarts transparently is one call. Exit status: 0, 1 if any result was
 * bad or early, 2 on usage and system errors.
 *
 * -l (pipe only) adds load: a writer thread writes one byte to every pipe
 * every 10 ms, the next of a sequence per pipe, so the readers wake and
 * sleep in read() all the time (t3420). Each read must return 1 byte, the
 * next of its sequence (else it counts as early); on SIGTERM the write
 * ends are closed and each thread's last read must see the end of file.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/futex.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum kind { K_PAUSE, K_FUTEX, K_EPOLL, K_PIPE, K_NSLEEP, K_ACCEPT, K_WAIT4 };
static const char *const kinds[] = {
	"pause", "futex", "epoll", "pipe", "nanosleep", "accept", "wait4",
};

struct worker {
	pthread_t thread;
	atomic_int tid;
	int fd[2];	/* epoll: epoll fd, eventfd; pipe: read, write end */
	unsigned long calls, eintr, early;
	unsigned char seq;	/* -l: the next byte expected */
	int ok;
};

static enum kind kind;
static int nthreads = 1000;
static struct worker *workers;
static atomic_int stop;
static atomic_int started;
static atomic_uint futex_word;
static int listen_fd = -1;
static pid_t child;
static int load;
static pthread_t writer;

static void die(const char *what)
{
	fprintf(stderr, "hp-sleepers: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void on_usr1(int sig)
{
	(void)sig;
}

/* One call; 1 when it was the last (its result is in w->ok). */
static int one_call(struct worker *w)
{
	char byte;
	struct epoll_event ev;
	struct timespec ts = { .tv_sec = 10000 };
	int r, st, err;

	w->calls++;
	switch (kind) {
	case K_PAUSE:
		r = pause();
		break;
	case K_FUTEX:
		r = syscall(SYS_futex, &futex_word, FUTEX_WAIT_PRIVATE, 0,
			    NULL, NULL, 0);
		break;
	case K_EPOLL:
		r = epoll_wait(w->fd[0], &ev, 1, -1);
		break;
	case K_PIPE:
		r = read(w->fd[0], &byte, 1);
		break;
	case K_NSLEEP:
		r = nanosleep(&ts, &ts);
		break;
	case K_ACCEPT:
		r = accept(listen_fd, NULL, NULL);
		break;
	case K_WAIT4:
		r = wait4(child, &st, 0, NULL);
		break;
	default:
		return 1;
	}
	err = errno;
	if (load) {
		if (r == 1 && (unsigned char)byte == w->seq) {
			w->seq++;
			return 0;
		}
		if (r == 0 && atomic_load(&stop)) {
			w->ok = 1;
			return 1;
		}
	}
	if (!atomic_load(&stop)) {
		if (r < 0 && err == EINTR)
			w->eintr++;
		else
			w->early++;
		return 0;
	}
	switch (kind) {
	case K_PAUSE:
	case K_NSLEEP:
		w->ok = r == -1 && err == EINTR;
		break;
	case K_FUTEX:
		w->ok = r == 0 || (r == -1 && err == EAGAIN);
		break;
	case K_EPOLL:
		w->ok = r == 1 && ev.events == EPOLLIN;
		break;
	case K_PIPE:
		w->ok = r == 1 && byte == 'x';
		break;
	case K_ACCEPT:
		w->ok = r >= 0;
		if (r >= 0)
			close(r);
		break;
	case K_WAIT4:
		w->ok = (r == child && WIFSIGNALED(st) &&
			 WTERMSIG(st) == SIGKILL) ||
			(r == -1 && err == ECHILD);
		break;
	}
	return 1;
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	atomic_store(&w->tid, (int)syscall(SYS_gettid));
	atomic_fetch_add(&started, 1);
	while (!one_call(w))
		;
	return NULL;
}

/* -l: the next byte of each pipe's sequence every 10 ms, until SIGTERM. */
static void *writer_main(void *arg)
{
	unsigned char *seq = arg;
	int i;

	while (!atomic_load(&stop)) {
		for (i = 0; i < nthreads; i++) {
			if (write(workers[i].fd[1], &seq[i], 1) != 1)
				die("write pipe");
			seq[i]++;
		}
		usleep(10000);
	}
	return NULL;
}

/* Is thread @tid asleep (state S)? */
static int sleeping(int tid)
{
	char path[64], buf[256], *p;
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

static void setup(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN };
	struct rlimit rl = { 4 * nthreads + 64, 4 * nthreads + 64 };
	int i;

	if (setrlimit(RLIMIT_NOFILE, &rl))
		die("setrlimit");
	for (i = 0; i < nthreads; i++) {
		struct worker *w = &workers[i];

		if (kind == K_EPOLL) {
			w->fd[0] = epoll_create1(0);
			w->fd[1] = eventfd(0, 0);
			if (w->fd[0] < 0 || w->fd[1] < 0 ||
			    epoll_ctl(w->fd[0], EPOLL_CTL_ADD, w->fd[1], &ev))
				die("epoll");
		} else if (kind == K_PIPE && pipe(w->fd)) {
			die("pipe");
		}
	}
	if (kind == K_ACCEPT) {
		/* An abstract name: nothing to clean up. */
		snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
			 "hp-sleepers-%d", (int)getpid());
		listen_fd = socket(AF_UNIX, SOCK_STREAM, 0);
		if (listen_fd < 0 ||
		    bind(listen_fd, (struct sockaddr *)&sun, sizeof(sun)) ||
		    listen(listen_fd, nthreads))
			die("listen");
	}
	if (kind == K_WAIT4) {
		child = fork();
		if (child < 0)
			die("fork");
		if (!child) {
			for (;;)
				pause();
		}
	}
}

static void wake_all(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	uint64_t one = 1;
	int i, fd;

	atomic_store(&stop, 1);
	switch (kind) {
	case K_PAUSE:
	case K_NSLEEP:
		for (i = 0; i < nthreads; i++)
			pthread_kill(workers[i].thread, SIGUSR1);
		break;
	case K_FUTEX:
		atomic_store(&futex_word, 1);
		syscall(SYS_futex, &futex_word, FUTEX_WAKE_PRIVATE, INT_MAX,
			NULL, NULL, 0);
		break;
	case K_EPOLL:
		for (i = 0; i < nthreads; i++)
			if (write(workers[i].fd[1], &one, sizeof(one)) < 0)
				die("write eventfd");
		break;
	case K_PIPE:
		if (load) {
			pthread_join(writer, NULL);
			for (i = 0; i < nthreads; i++)
				close(workers[i].fd[1]);
			break;
		}
		for (i = 0; i < nthreads; i++)
			if (write(workers[i].fd[1], "x", 1) != 1)
				die("write pipe");
		break;
	case K_ACCEPT:
		snprintf(sun.sun_path + 1, sizeof(sun.sun_path) - 1,
			 "hp-sleepers-%d", (int)getpid());
		for (i = 0; i < nthreads; i++) {
			fd = socket(AF_UNIX, SOCK_STREAM, 0);
			if (fd < 0 || connect(fd, (struct sockaddr *)&sun,
					      sizeof(sun)))
				die("connect");
			/* Left open: the thread closes its end. */
		}
		break;
	case K_WAIT4:
		kill(child, SIGKILL);
		break;
	}
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	unsigned long calls = 0, eintr = 0, early = 0;
	pthread_attr_t attr;
	sigset_t set;
	int i, c, sig, ok = 0, all;

	kind = (enum kind)-1;
	while ((c = getopt(argc, argv, "k:ln:")) != -1) {
		switch (c) {
		case 'k':
			for (i = 0; i < (int)(sizeof(kinds) / sizeof(*kinds)); i++)
				if (!strcmp(optarg, kinds[i]))
					kind = i;
			break;
		case 'n':
			nthreads = atoi(optarg);
			break;
		case 'l':
			load = 1;
			break;
		default:
			goto usage;
		}
	}
	if ((int)kind < 0 || nthreads < 1 || nthreads > 100000 ||
	    optind != argc || (load && kind != K_PIPE))
		goto usage;

	workers = calloc(nthreads, sizeof(*workers));
	if (!workers)
		die("calloc");
	/* No SA_RESTART: SIGUSR1 ends pause() and nanosleep() with EINTR. */
	if (sigaction(SIGUSR1, &sa, NULL))
		die("sigaction");
	sigemptyset(&set);
	sigaddset(&set, SIGTERM);
	if (pthread_sigmask(SIG_BLOCK, &set, NULL))
		die("sigmask");
	setup();

	pthread_attr_init(&attr);
	pthread_attr_setstacksize(&attr, 64 * 1024);
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&workers[i].thread, &attr, worker_main,
				   &workers[i]))
			die("pthread_create");
	do {
		usleep(50 * 1000);
		all = atomic_load(&started) == nthreads;
		for (i = 0; all && i < nthreads; i++)
			all = sleeping(atomic_load(&workers[i].tid));
	} while (!all);
	if (load) {
		unsigned char *seq = calloc(nthreads, 1);

		if (!seq || pthread_create(&writer, NULL, writer_main, seq))
			die("writer");
	}
	printf("ready %d\n", nthreads);
	fflush(stdout);

	if (sigwait(&set, &sig))
		die("sigwait");
	wake_all();
	for (i = 0; i < nthreads; i++) {
		pthread_join(workers[i].thread, NULL);
		calls += workers[i].calls;
		eintr += workers[i].eintr;
		early += workers[i].early;
		ok += workers[i].ok;
	}
	printf("kind %s threads %d calls %lu eintr %lu early %lu ok %d bad %d\n",
	       kinds[kind], nthreads, calls, eintr, early, ok, nthreads - ok);
	return early || ok != nthreads ? 1 : 0;
usage:
	fprintf(stderr, "usage: hp-sleepers -k pause|futex|epoll|pipe|nanosleep|accept|wait4 [-n THREADS] [-l (pipe only)]\n");
	return 2;
}
