// SPDX-License-Identifier: GPL-2.0
/*
 * track.c - which tasks ran during a transition
 *
 * Inside stop_machine only the tasks that ran since their stacks were
 * walked need walking again. Finding them by visiting every task costs
 * about 360 instructions per task of pause; instead, while a transition
 * is in progress, probes on the sched_switch and sched_process_fork
 * tracepoints record in a per-CPU set every task that is switched out
 * (it ran) and every task created. A task that is not in the sets and was
 * not running when the first walk looked at it has not run since: its
 * stack is the one walked.
 *
 * Why no task that ran is missed: hotpatch_track_reset() is followed by
 * synchronize_rcu() before the first walk, and the probes run with
 * preemption disabled from the tracepoint until the end of the context
 * switch (where the old task's ->on_cpu is cleared). So a switch that did
 * not see the probes (or wrote the sets being emptied) was over before
 * the first walk began: that walk saw the task off its CPU and walked it.
 * A task the first walk found running is switched out before the stopper
 * runs on its CPU, with the probes in place: recorded. A task created
 * since runs only after being switched in, and is recorded at its fork.
 *
 * Lifetime: every recorded task is pinned with get_task_struct() until
 * its set is emptied in process context. A task that exited since may
 * have no stack left; stack_trace_save_tsk_reliable() then reports it
 * (reliably) empty.
 *
 * A set holds at most track_max tasks; one more and the set is marked
 * overflowed: the stop then visits every task, as without tracking.
 *
 * Locking: each CPU's sets are written only by the probes on that CPU,
 * which run with preemption disabled and never nest (sched_switch runs
 * with interrupts off; sched_process_fork does not run in interrupts).
 * The sets in use are chosen by hp_track_gen; hotpatch_track_reset()
 * flips it and waits for an RCU grace period before emptying the old
 * sets, so no probe is writing them. Inside stop_machine every CPU spins
 * with interrupts off: the callback reads every CPU's sets. The rest is
 * under hotpatch_mutex.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/tracepoint.h>
#include "track.h"

#define HP_TRACK_MAX	256
#define HP_TRACK_BITS	9	/* 512 slots: a set is at most half full */
#define HP_TRACK_SLOTS	(1U << HP_TRACK_BITS)

static unsigned int hotpatch_track_max = HP_TRACK_MAX;

static int hp_track_max_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, HP_TRACK_MAX);
}

static const struct kernel_param_ops hp_track_max_ops = {
	.set = hp_track_max_set,
	.get = param_get_uint,
};
module_param_cb(track_max, &hp_track_max_ops, &hotpatch_track_max, 0644);
MODULE_PARM_DESC(track_max,
		 "tasks recorded per CPU during a transition; past it the stop visits every task (default 256, at most 256; 0: no tracking)");

/* Whether the probes are registered now; read-only, for tests. */
static bool hp_tracking;
module_param_named(tracking, hp_tracking, bool, 0444);
MODULE_PARM_DESC(tracking, "1 while the sched tracepoint probes are registered");

struct hp_track_set {
	unsigned int nr;
	bool overflow;
	struct task_struct *task[HP_TRACK_MAX];		/* as recorded */
	struct task_struct *slot[HP_TRACK_SLOTS];	/* to skip duplicates */
};

struct hp_track_cpu {
	struct hp_track_set set[2];
};

static DEFINE_PER_CPU(struct hp_track_cpu *, hp_track_cpu);
static unsigned int hp_track_gen;	/* set[hp_track_gen & 1] is in use */
static unsigned int hp_track_limit;	/* track_max when tracking began */
static struct tracepoint *hp_tp_switch, *hp_tp_fork;

static void hp_track_record(struct task_struct *t)
{
	struct hp_track_cpu *c = __this_cpu_read(hp_track_cpu);
	struct hp_track_set *s;
	u32 h;

	if (!c)
		return;
	s = &c->set[READ_ONCE(hp_track_gen) & 1];
	if (s->overflow)
		return;
	for (h = hash_ptr(t, HP_TRACK_BITS); s->slot[h];
	     h = (h + 1) & (HP_TRACK_SLOTS - 1))
		if (s->slot[h] == t)
			return;
	if (s->nr >= hp_track_limit) {
		s->overflow = true;
		return;
	}
	get_task_struct(t);
	s->slot[h] = t;
	s->task[s->nr++] = t;
}

static void hp_probe_switch(void *data, bool preempt, struct task_struct *prev,
			    struct task_struct *next, unsigned int prev_state)
{
	hp_track_record(prev);
}

static void hp_probe_fork(void *data, struct task_struct *parent,
			  struct task_struct *child)
{
	hp_track_record(child);
}

static void hp_find_tp(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "sched_switch"))
		hp_tp_switch = tp;
	else if (!strcmp(tp->name, "sched_process_fork"))
		hp_tp_fork = tp;
}

/* Process context, no probe writing @s. */
static void hp_track_empty(struct hp_track_set *s)
{
	unsigned int i;

	for (i = 0; i < s->nr; i++)
		put_task_struct(s->task[i]);
	memset(s->slot, 0, sizeof(s->slot));
	s->nr = 0;
	s->overflow = false;
}

static void hp_track_free(void)
{
	struct hp_track_cpu *c;
	int cpu;

	for_each_possible_cpu(cpu) {
		c = per_cpu(hp_track_cpu, cpu);
		if (!c)
			continue;
		hp_track_empty(&c->set[0]);
		hp_track_empty(&c->set[1]);
		per_cpu(hp_track_cpu, cpu) = NULL;
		kvfree(c);
	}
}

/**
 * hotpatch_track_start() - record the tasks that run, from now on
 *
 * Caller holds hotpatch_mutex. Call hotpatch_track_reset() before each
 * first walk, and hotpatch_track_stop() at the end of the transition.
 *
 * Return: true when the probes are registered; false when tracking is off
 * (track_max 0) or could not start (logged): the stop then visits every
 * task.
 */
bool hotpatch_track_start(void)
{
	struct hp_track_cpu *c;
	int cpu, ret;

	hp_track_limit = READ_ONCE(hotpatch_track_max);
	if (!hp_track_limit)
		return false;
	if (!hp_tp_switch || !hp_tp_fork)
		for_each_kernel_tracepoint(hp_find_tp, NULL);
	if (!hp_tp_switch || !hp_tp_fork) {
		pr_warn_once("no sched_switch or sched_process_fork tracepoint: every task is visited inside the stop\n");
		return false;
	}
	for_each_possible_cpu(cpu) {
		c = kvzalloc_node(sizeof(*c), GFP_KERNEL, cpu_to_node(cpu));
		if (!c)
			goto out_free;
		per_cpu(hp_track_cpu, cpu) = c;
	}
	ret = tracepoint_probe_register(hp_tp_switch, hp_probe_switch, NULL);
	if (ret)
		goto out_warn;
	ret = tracepoint_probe_register(hp_tp_fork, hp_probe_fork, NULL);
	if (ret) {
		tracepoint_probe_unregister(hp_tp_switch, hp_probe_switch, NULL);
		tracepoint_synchronize_unregister();
		goto out_warn;
	}
	hp_tracking = true;
	return true;

out_warn:
	pr_warn("cannot register the sched tracepoint probes (%d): every task is visited inside the stop\n",
		ret);
out_free:
	hp_track_free();
	return false;
}

/**
 * hotpatch_track_reset() - forget the tasks recorded so far
 *
 * Before each first walk (it sleeps). Tasks that run from its return on
 * are recorded.
 */
void hotpatch_track_reset(void)
{
	unsigned int old;
	int cpu;

	if (!hp_tracking)
		return;
	old = hp_track_gen & 1;
	WRITE_ONCE(hp_track_gen, hp_track_gen + 1);
	/* Pairs with the probes' preempt-disabled sections. */
	synchronize_rcu();
	for_each_possible_cpu(cpu)
		hp_track_empty(&per_cpu(hp_track_cpu, cpu)->set[old]);
}

/**
 * hotpatch_track_stop() - unregister the probes, drop the tasks recorded
 */
void hotpatch_track_stop(void)
{
	if (!hp_tracking)
		return;
	tracepoint_probe_unregister(hp_tp_fork, hp_probe_fork, NULL);
	tracepoint_probe_unregister(hp_tp_switch, hp_probe_switch, NULL);
	tracepoint_synchronize_unregister();
	hp_tracking = false;
	hp_track_free();
}

/**
 * hotpatch_track_walk() - call @fn on each task recorded since the reset
 * @fn:		returns false to stop
 * @arg:	passed to @fn
 *
 * Inside stop_machine only. A task may come more than once.
 *
 * Return: false when tracking is off or a set overflowed (@fn was not
 * called: visit every task instead), true otherwise.
 */
bool hotpatch_track_walk(bool (*fn)(struct task_struct *t, void *arg),
			 void *arg)
{
	unsigned int gen = READ_ONCE(hp_track_gen) & 1, i;
	struct hp_track_set *s;
	int cpu;

	if (!hp_tracking)
		return false;
	for_each_possible_cpu(cpu)
		if (per_cpu(hp_track_cpu, cpu)->set[gen].overflow)
			return false;
	for_each_possible_cpu(cpu) {
		s = &per_cpu(hp_track_cpu, cpu)->set[gen];
		for (i = 0; i < s->nr; i++)
			if (!fn(s->task[i], arg))
				return true;
	}
	return true;
}
