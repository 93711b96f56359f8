// SPDX-License-Identifier: GPL-2.0
/*
 * park.c - move sleeping tasks out of the code a transition replaces
 *
 * A task that sleeps interruptibly inside a function being replaced would
 * block every attempt of the switch for as long as it sleeps (a thread in
 * pause(), futex_wait(), ep_poll(), pipe_read(), ...). Between two attempts
 * the transition asks such tasks to move:
 *
 *  - a user task gets a task_work queued with TWA_SIGNAL. That interrupts
 *    its sleep as a signal would; with no real signal pending the kernel
 *    restarts the interrupted system call transparently (ERESTARTSYS,
 *    ERESTARTNOHAND, ERESTART_RESTARTBLOCK), or the call returns EINTR
 *    where it would after a stop signal (signal(7)). On its way to user
 *    space the task runs hp_park_cb(), which waits, outside any patched
 *    code, until the transition ends, and then lets it restart the call,
 *    into the new code if the switch was made. So a parked task observes
 *    no more than a SIGSTOP and SIGCONT would cause. The wait is
 *    interruptible: a real signal (SIGKILL, SIGSTOP, ...) ends it at once
 *    and is handled as usual.
 *  - a kernel thread is woken from its interruptible sleep, as upstream
 *    livepatch's klp_send_signals() does; if it goes back to sleep in the
 *    same place, the next attempt finds it there and, at the deadline, it
 *    is reported like any blocker.
 *
 * Tasks in any other state (uninterruptible sleep, stopped, traced) are
 * never disturbed: they are reported when the transition times out.
 *
 * Parked tasks never outlive the transition: hotpatch_park_release() runs
 * when it ends, whatever the result (switched, timed out, interrupted,
 * abandoned, forced). A callback that runs after that returns at once.
 * The core's exit waits for every callback it queued to finish.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/wait.h>
#include "park.h"
#include "symbols.h"

struct hp_parked {
	struct callback_head work;
	unsigned long gen;
};

/*
 * hp_park_gen counts releases: a callback queued at generation G parks
 * its task until the generation moves on. Written under hotpatch_mutex
 * (the transition), read locklessly by the callbacks; the wait queue's
 * lock orders the write before the wake-up and the parked task's check.
 */
static unsigned long hp_park_gen;
static DECLARE_WAIT_QUEUE_HEAD(hp_park_wq);

/* Callbacks queued and not finished; the core's exit waits for zero. */
static atomic_t hp_park_pending = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(hp_park_done_wq);

static void hp_park_cb(struct callback_head *work)
{
	struct hp_parked *p = container_of(work, struct hp_parked, work);
	unsigned long gen = p->gen;

	kfree(p);
	/* An exiting task runs its task works from do_exit(): let it go. */
	if (!(current->flags & PF_EXITING))
		wait_event_interruptible(hp_park_wq,
					 READ_ONCE(hp_park_gen) != gen);
	if (atomic_dec_and_test(&hp_park_pending))
		wake_up_all(&hp_park_done_wq);
}

struct hp_park_walk {
	hotpatch_task_inside_f inside;
	void *arg;
};

/* task_call_func() callback: 1 if @t sleeps interruptibly inside. */
static int hp_park_check(struct task_struct *t, void *data)
{
	struct hp_park_walk *w = data;

	if (t == current || READ_ONCE(t->on_cpu) ||
	    !(READ_ONCE(t->__state) & TASK_INTERRUPTIBLE) ||
	    (t->flags & PF_EXITING))
		return 0;
	/* Asked already and not yet on its way: do not queue twice. */
	if (test_tsk_thread_flag(t, TIF_NOTIFY_SIGNAL))
		return 0;
	return w->inside(t, w->arg) ? 1 : 0;
}

static int hp_park_user(struct task_struct *t)
{
	struct hp_parked *p;

	p = kmalloc(sizeof(*p), GFP_ATOMIC);
	if (!p)
		return -ENOMEM;
	init_task_work(&p->work, hp_park_cb);
	p->gen = hp_park_gen;
	atomic_inc(&hp_park_pending);
	if (task_work_add(t, &p->work, TWA_SIGNAL)) {
		/* It is exiting: it leaves the code without our help. */
		atomic_dec(&hp_park_pending);
		kfree(p);
		return -ESRCH;
	}
	return 0;
}

/**
 * hotpatch_park_sleepers() - ask the tasks sleeping inside to move out
 * @inside:	true when a task (held still by task_call_func()) has a
 *		return address in the code being replaced
 * @arg:	for @inside
 * @stats:	counts of user tasks parked and kernel threads woken, added to
 *
 * Caller holds hotpatch_mutex (a transition between two attempts).
 */
void hotpatch_park_sleepers(hotpatch_task_inside_f inside, void *arg,
			    struct hotpatch_park_stats *stats)
{
	struct hp_park_walk w = { .inside = inside, .arg = arg };
	struct task_struct *g, *t;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		if (hotpatch_task_call_func(t, hp_park_check, &w) != 1)
			continue;
		/* Outside the task's locks: both wake it up. */
		if (t->flags & PF_KTHREAD) {
			if (hotpatch_wake_up_state(t, TASK_INTERRUPTIBLE))
				stats->woken++;
		} else if (!hp_park_user(t)) {
			stats->parked++;
		}
	}
	rcu_read_unlock();
}

/**
 * hotpatch_park_release() - let every parked task go on
 *
 * Caller holds hotpatch_mutex; the transition that parked them has ended.
 */
void hotpatch_park_release(void)
{
	WRITE_ONCE(hp_park_gen, hp_park_gen + 1);
	wake_up_all(&hp_park_wq);
}

/**
 * hotpatch_park_exit() - wait until no task can run our callback
 *
 * From the core's exit. A task asked to move runs the callback at its
 * next return to user space (or its exit), which returns at once now; a
 * task that slept uninterruptibly meanwhile delays the unload until it
 * wakes. synchronize_rcu_tasks() then waits until each task that ran the
 * callback has also left its last instructions.
 */
void hotpatch_park_exit(void)
{
	hotpatch_park_release();
	wait_event(hp_park_done_wq, !atomic_read(&hp_park_pending));
	synchronize_rcu_tasks();
}
