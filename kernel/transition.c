// SPDX-License-Identifier: GPL-2.0
/*
 * transition.c - switch a patch on or off when no task is inside it
 *
 * kpatch's "activeness safety": the functions of a patch are switched, all
 * at once, inside stop_machine, and only when no task has a return address
 * inside code being replaced (on apply: the old functions and any older
 * patch's versions of them; on revert: this patch's new functions and
 * trampolines). The armed redirects (redirect.c) flip with one store each.
 *
 * The pause does not grow with stack walking: every task is walked first,
 * outside stop_machine; inside it, only tasks that ran since, were running
 * then, or are new are walked again. They are the tasks recorded by the
 * sched tracepoint probes of track.c, so the stop visits no other task;
 * when tracking is off or overflowed, the stop visits every task and
 * walks those whose context-switch count changed or that are new. A
 * doomed attempt never stops the machine: if the first walk finds a
 * blocker, we sleep and retry, with backoff, until the deadline; tasks
 * asleep interruptibly inside are asked to move out meanwhile (park.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bsearch.h>
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/kallsyms.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/stop_machine.h>
#include <linux/stringify.h>
#include "park.h"
#include "redirect.h"
#include "symbols.h"
#include "track.h"
#include "transition.h"

/* At most a minute: whoever keeps a task inside the code decides how long. */
#define HP_TIMEOUT_MAX_MS	60000

unsigned int hotpatch_timeout_ms = 5000;

static int hp_timeout_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, HP_TIMEOUT_MAX_MS);
}

static const struct kernel_param_ops hp_timeout_ops = {
	.set = hp_timeout_set,
	.get = param_get_uint,
};
module_param_cb(timeout_ms, &hp_timeout_ops, &hotpatch_timeout_ms, 0644);
MODULE_PARM_DESC(timeout_ms,
		 "how long a transition retries while tasks are inside the code it replaces (default 5000, at most 60000)");

/*
 * Fault injection, in test builds only (HOTPATCH_FAULT_INJECTION=y, which
 * the top Makefile sets; packages build without): fail the Nth step of
 * the next transitions (counted from 1 in each transition; 0: off).
 */
#ifdef HOTPATCH_FAULT_INJECTION
static unsigned int hotpatch_fail_step;
module_param_named(fail_step, hotpatch_fail_step, uint, 0644);
MODULE_PARM_DESC(fail_step, "test builds only: fail the Nth step of each transition");
#else
static const unsigned int hotpatch_fail_step;
#endif

/*
 * In test builds only, as fail_step: sleep this long between the first
 * walk and the stop, so that a test can make tasks run (or enter the code
 * being replaced) in that window. Logs when the window opens.
 */
#ifdef HOTPATCH_FAULT_INJECTION
static unsigned int hotpatch_stop_delay_ms;

static int hp_stop_delay_set(const char *val, const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 0, 10000);
}

static const struct kernel_param_ops hp_stop_delay_ops = {
	.set = hp_stop_delay_set,
	.get = param_get_uint,
};
module_param_cb(stop_delay_ms, &hp_stop_delay_ops, &hotpatch_stop_delay_ms,
		0644);
MODULE_PARM_DESC(stop_delay_ms,
		 "test builds only: sleep this long between the first stack walk and the stop (at most 10000)");
#else
static const unsigned int hotpatch_stop_delay_ms;
#endif

static unsigned int hp_step;

#define HP_MAX_STACK		100	/* as upstream livepatch's MAX_STACK_ENTRIES */
#define HP_MAX_BLOCKERS		8	/* listed in blocking; all are counted */

/* A code range no task may be inside at the switch. */
struct hp_range {
	unsigned long start;
	unsigned long end;
};

struct hp_blocker {
	pid_t pid;
	char comm[TASK_COMM_LEN];
	unsigned long addr;	/* 0: the stack could not be walked reliably */
};

/* A task found clean by the first walk, and its context-switch count. */
struct hp_seen {
	struct task_struct *task;
	pid_t pid;
	unsigned long nsw;
};

/*
 * State of one transition. Under hotpatch_mutex; the stop_machine callback
 * uses it while every other CPU spins with interrupts off.
 */
struct hp_switch {
	struct hp_patch *patch;
	bool apply;
	bool force;
	struct hp_range *ranges;
	unsigned int nr_ranges;
	struct hp_seen *seen;
	unsigned int nr_seen;
	unsigned int max_seen;
	struct hp_blocker blockers[HP_MAX_BLOCKERS];
	unsigned int nr_blockers;
	unsigned int nr_blocked;	/* blockers found, listed or not */
	unsigned int walked;	/* tasks walked inside stop_machine */
	unsigned int visited;	/* tasks looked at inside stop_machine */
	bool tracking;		/* track.c records the tasks that run */
	bool busy;		/* a recorded task is inside the code */
	bool disturbed;		/* a target module came or went in a pause */
	char disturber[MODULE_NAME_LEN];
	unsigned long entries[HP_MAX_STACK];
};

/*
 * Pauses between attempts. A transition that waits for tasks to leave the
 * code it replaces sleeps without hotpatch_mutex, so that whoever parks a
 * task there does not stall every module load and removal (the module
 * notifier takes the mutex) for the whole timeout. While it sleeps:
 *
 *  - hp_paused points to it: hotpatch_lock_idle() callers (enable,
 *    disable, force, register, unregister) wait for it, as they waited
 *    for the mutex before, so no other transition starts;
 *  - the module notifier runs. If the module is a target of a patch in
 *    the transition, it calls hotpatch_transition_disturb(): the notifier
 *    patches or unpatches the module as usual (hp_module_going() also
 *    takes off functions armed but not live), and the transition ends at
 *    its next attempt with -EAGAIN, before anything was switched, so its
 *    caller rolls back to a consistent state.
 *
 * hp_paused is written under hotpatch_mutex, read with READ_ONCE() by
 * waiters that do not hold it; hp_pause_wq wakes them when it clears.
 */
static struct hp_switch *hp_paused;
static DECLARE_WAIT_QUEUE_HEAD(hp_pause_wq);

/**
 * hotpatch_lock_idle() - take hotpatch_mutex with no transition paused
 * @interruptible:	a signal ends the wait (-EINTR)
 *
 * For every entry point that changes patches, except the module notifier.
 *
 * Return: 0 with hotpatch_mutex held, or -EINTR.
 */
int hotpatch_lock_idle(bool interruptible)
{
	for (;;) {
		mutex_lock(&hotpatch_mutex);
		if (!hp_paused)
			return 0;
		mutex_unlock(&hotpatch_mutex);
		if (!interruptible)
			wait_event(hp_pause_wq, !READ_ONCE(hp_paused));
		else if (wait_event_interruptible(hp_pause_wq,
						  !READ_ONCE(hp_paused)))
			return -EINTR;
	}
}

static bool hp_targets(struct hp_patch *patch, const char *name)
{
	struct hp_object *obj;

	hotpatch_for_each_object(patch, obj)
		if (!strcmp(obj->name, name))
			return true;
	return false;
}

/**
 * hotpatch_transition_disturb() - a module comes or goes during a pause
 * @mod:	the module
 *
 * Caller holds hotpatch_mutex (the module notifier). If a patch of the
 * paused transition targets @mod, that transition fails at its next
 * attempt (see hp_paused).
 */
void hotpatch_transition_disturb(struct module *mod)
{
	struct hp_switch *sw = hp_paused;
	struct hp_patch *p;

	if (!sw || sw->disturbed)
		return;
	hotpatch_for_each_patch(p) {
		if ((p == sw->patch || p->replacing) && hp_targets(p, mod->name)) {
			sw->disturbed = true;
			strscpy(sw->disturber, mod->name, sizeof(sw->disturber));
			return;
		}
	}
}

/*
 * Sleep @ms between two attempts without hotpatch_mutex. A signal cuts
 * the sleep short; the caller checks for it.
 */
static void hp_pause(struct hp_switch *sw, unsigned int ms)
{
	WRITE_ONCE(hp_paused, sw);
	mutex_unlock(&hotpatch_mutex);
	msleep_interruptible(ms);
	mutex_lock(&hotpatch_mutex);
	WRITE_ONCE(hp_paused, NULL);
	wake_up_all(&hp_pause_wq);
}

void hotpatch_fault_begin(void)
{
	hp_step = 0;
}

/**
 * hotpatch_fault() - a step of a transition that a test may make fail
 * @patch:	the patch in transition
 * @step:	what the step does, for the log
 *
 * Return: 0, or -EIO when this is step fail_step of the transition.
 */
int hotpatch_fault(struct hp_patch *patch, const char *step)
{
	unsigned int want = READ_ONCE(hotpatch_fail_step);

	hp_step++;
	if (!want || hp_step != want)
		return 0;
	hotpatch_set_error(patch, -EIO, "injected failure at step %u (%s)",
			   hp_step, step);
	return -EIO;
}

static bool hp_in_ranges(struct hp_switch *sw, unsigned long addr)
{
	unsigned int i;

	for (i = 0; i < sw->nr_ranges; i++)
		if (addr >= sw->ranges[i].start && addr < sw->ranges[i].end)
			return true;
	return false;
}

static void hp_add_blocker(struct hp_switch *sw, struct task_struct *t,
			   unsigned long addr)
{
	struct hp_blocker *b;

	sw->nr_blocked++;
	if (sw->nr_blockers >= HP_MAX_BLOCKERS)
		return;
	b = &sw->blockers[sw->nr_blockers++];
	b->pid = task_pid_nr(t);
	/* No task_lock() here: rq locks may be held. A torn name is fine. */
	strscpy(b->comm, t->comm, sizeof(b->comm));
	b->addr = addr;
}

/*
 * Walk @t's stack. The caller makes sure @t is not running (or is
 * current). Return: true when the task is clear of every range.
 */
static bool hp_task_clear(struct hp_switch *sw, struct task_struct *t)
{
	int nr, i;

	nr = hotpatch_stack_trace_save_tsk_reliable(t, sw->entries,
						    ARRAY_SIZE(sw->entries));
	if (nr < 0) {
		hp_add_blocker(sw, t, 0);
		return false;
	}
	for (i = 0; i < nr; i++) {
		if (hp_in_ranges(sw, sw->entries[i])) {
			hp_add_blocker(sw, t, sw->entries[i]);
			return false;
		}
	}
	return true;
}

/*
 * hotpatch_park_sleepers() predicate: is @t (held still) inside? Leaves
 * the blocker list of the last attempt as it was.
 */
static bool hp_task_inside(struct task_struct *t, void *arg)
{
	struct hp_switch *sw = arg;
	unsigned int nr = sw->nr_blockers;
	bool inside = !hp_task_clear(sw, t);

	sw->nr_blockers = nr;
	return inside;
}

/* On a CPU now (task_curr() is not exported; ->on_cpu says the same). */
static bool hp_running(struct task_struct *t)
{
	return READ_ONCE(t->on_cpu);
}

static unsigned long hp_nsw(struct task_struct *t)
{
	return READ_ONCE(t->nvcsw) + READ_ONCE(t->nivcsw);
}

/* task_call_func() callback: @t cannot start running while we look. */
static int hp_precheck_task(struct task_struct *t, void *arg)
{
	struct hp_switch *sw = arg;

	if (t != current && hp_running(t))
		return 0;	/* running: walked inside stop_machine */
	if (!hp_task_clear(sw, t))
		return -EBUSY;
	if (t != current && sw->nr_seen < sw->max_seen) {
		sw->seen[sw->nr_seen].task = t;
		sw->seen[sw->nr_seen].pid = task_pid_nr(t);
		sw->seen[sw->nr_seen].nsw = hp_nsw(t);
		sw->nr_seen++;
	}
	return 0;
}

static int hp_seen_cmp(const void *a, const void *b)
{
	const struct hp_seen *x = a, *y = b;

	if (x->task == y->task)
		return 0;
	return x->task < y->task ? -1 : 1;
}

static unsigned int hp_count_tasks(void)
{
	struct task_struct *g, *t;
	unsigned int n = num_online_cpus();	/* the idle tasks */

	rcu_read_lock();
	for_each_process_thread(g, t)
		n++;
	rcu_read_unlock();
	return n;
}

/*
 * The first walk, outside stop_machine. It goes on past a blocked task,
 * so that every blocked task is counted and the first HP_MAX_BLOCKERS
 * are listed. Return: 0, -EBUSY, -errno.
 */
static int hp_precheck(struct hp_switch *sw)
{
	unsigned int want = hp_count_tasks() + 64;
	struct task_struct *g, *t;
	int ret = 0, cpu;

	sw->nr_blockers = 0;
	sw->nr_blocked = 0;
	sw->nr_seen = 0;
	/* From here on, a task that runs is recorded (track.c). */
	if (sw->tracking)
		hotpatch_track_reset();
	/* Reused across retries; grown only when tasks were added since. */
	if (want > sw->max_seen) {
		kvfree(sw->seen);
		sw->max_seen = 0;
		sw->seen = kvmalloc_array(want, sizeof(*sw->seen), GFP_KERNEL);
		if (!sw->seen)
			return -ENOMEM;
		sw->max_seen = want;
	}

	rcu_read_lock();
	for_each_process_thread(g, t)
		if (hotpatch_task_call_func(t, hp_precheck_task, sw))
			ret = -EBUSY;
	rcu_read_unlock();
	/*
	 * The idle tasks are on no task list. One that is on its CPU now is
	 * walked inside stop_machine; an offline CPU's idle task restarts
	 * from the top when the CPU comes back, and stop_machine() holds
	 * the CPUs online while we switch.
	 */
	for_each_online_cpu(cpu) {
		t = hotpatch_idle_task(cpu);
		if (hotpatch_task_call_func(t, hp_precheck_task, sw))
			ret = -EBUSY;
	}

	sort(sw->seen, sw->nr_seen, sizeof(*sw->seen), hp_seen_cmp, NULL);
	return ret;
}

/* Inside stop_machine: has @t surely not run since the first walk? */
static bool hp_unchanged(struct hp_switch *sw, struct task_struct *t)
{
	struct hp_seen key = { .task = t }, *s;

	s = bsearch(&key, sw->seen, sw->nr_seen, sizeof(*sw->seen),
		    hp_seen_cmp);
	return s && s->pid == task_pid_nr(t) && s->nsw == hp_nsw(t);
}

/* Inside stop_machine: walk a task recorded by track.c. */
static bool hp_visit_tracked(struct task_struct *t, void *arg)
{
	struct hp_switch *sw = arg;

	/* Every other CPU runs its stopper: skip those. */
	if (t == current || hp_running(t))
		return true;
	sw->visited++;
	sw->walked++;
	if (hp_task_clear(sw, t))
		return true;
	sw->busy = true;
	return false;
}

/*
 * Inside stop_machine, without tracking: visit every task, walk those
 * that may have run since the first walk.
 */
static bool hp_visit_all(struct hp_switch *sw)
{
	struct task_struct *g, *t;
	bool clear = true;
	int cpu;

	rcu_read_lock();
	for_each_process_thread(g, t) {
		/* Every other CPU runs its stopper: skip those. */
		if (t == current || hp_running(t))
			continue;
		sw->visited++;
		if (hp_unchanged(sw, t))
			continue;
		sw->walked++;
		if (!hp_task_clear(sw, t)) {
			clear = false;
			break;
		}
	}
	rcu_read_unlock();
	/* Each idle task is off its CPU: the stopper runs there. */
	for_each_online_cpu(cpu) {
		t = hotpatch_idle_task(cpu);
		if (!clear || hp_running(t))
			continue;
		sw->visited++;
		if (hp_unchanged(sw, t))
			continue;
		sw->walked++;
		clear = hp_task_clear(sw, t);
	}
	return clear;
}

static int hp_switch_cb(void *data)
{
	struct hp_switch *sw = data;
	struct hp_patch *other;
	struct hp_object *obj;
	struct hp_func *func;

	sw->walked = 0;
	sw->visited = 0;
	if (!sw->force) {
		sw->busy = false;
		if (sw->tracking &&
		    hotpatch_track_walk(hp_visit_tracked, sw)) {
			if (sw->busy)
				return -EBUSY;
		} else if (!hp_visit_all(sw)) {
			return -EBUSY;
		}
	}

	if (hotpatch_fault(sw->patch, "switch"))
		return -EIO;

	hotpatch_for_each_object(sw->patch, obj)
		hotpatch_for_each_func(obj, func)
			if (func->patched)
				__hotpatch_set_live(func, sw->apply);

	/* Atomic replace: every replaced patch goes off in the same instant. */
	hotpatch_for_each_patch(other) {
		if (!other->replacing)
			continue;
		hotpatch_for_each_object(other, obj)
			hotpatch_for_each_func(obj, func)
				if (func->patched)
					__hotpatch_set_live(func, false);
	}
	return 0;
}

static void hp_add_range(struct hp_switch *sw, unsigned long start)
{
	unsigned long size;

	if (!start || !hotpatch_symbol_size(start, &size) || !size)
		return;
	sw->ranges[sw->nr_ranges].start = start;
	sw->ranges[sw->nr_ranges].end = start + size;
	sw->nr_ranges++;
}

static int hp_count_stacked(struct hp_func *f, void *data)
{
	(*(unsigned int *)data)++;
	return 0;
}

static int hp_add_stacked(struct hp_func *f, void *data)
{
	struct hp_switch *sw = data;

	hp_add_range(sw, f->new_addr);
	return 0;
}

/*
 * The code no task may be inside at the switch: on apply, each old
 * function and every version of it already on its site; on revert, this
 * patch's new functions and their trampolines.
 */
static int hp_collect_ranges(struct hp_switch *sw)
{
	struct hp_patch *patch = sw->patch, *other;
	struct hp_object *obj;
	struct hp_func *func;
	unsigned int n = 0;

	hotpatch_for_each_object(patch, obj)
		hotpatch_for_each_func(obj, func)
			n += 1 + (sw->apply ? 0 : 2);
	n++;	/* kvmalloc_array() of 0 */
	if (sw->apply) {
		/* Older versions on the same sites. */
		hotpatch_for_each_object(patch, obj)
			hotpatch_for_each_func(obj, func)
				if (func->patched)
					__hotpatch_walk_site(func, hp_count_stacked,
							     &n);
	}

	hotpatch_for_each_patch(other)
		if (other->replacing)
			hotpatch_for_each_object(other, obj)
				hotpatch_for_each_func(obj, func)
					n += 4;

	sw->ranges = kvmalloc_array(n, sizeof(*sw->ranges), GFP_KERNEL);
	if (!sw->ranges)
		return -ENOMEM;

	/*
	 * Atomic replace: the functions of replaced patches go back to the
	 * old code (or under the new patch) and their modules may be removed
	 * afterwards: no task may be in their old or new code.
	 */
	hotpatch_for_each_patch(other) {
		if (!other->replacing)
			continue;
		hotpatch_for_each_object(other, obj) {
			hotpatch_for_each_func(obj, func) {
				if (!func->patched)
					continue;
				hp_add_range(sw, func->old_addr);
				hp_add_range(sw, func->new_addr);
				if (!func->tramp)
					continue;
				hp_add_range(sw,
					     (unsigned long)func->tramp->steady);
				hp_add_range(sw,
					     (unsigned long)func->tramp->gate);
			}
		}
	}

	hotpatch_for_each_object(patch, obj) {
		hotpatch_for_each_func(obj, func) {
			if (!func->patched)
				continue;
			if (sw->apply) {
				hp_add_range(sw, func->old_addr);
				__hotpatch_walk_site(func, hp_add_stacked, sw);
				continue;
			}
			hp_add_range(sw, func->new_addr);
			if (func->tramp) {
				hp_add_range(sw,
					     (unsigned long)func->tramp->steady);
				hp_add_range(sw,
					     (unsigned long)func->tramp->gate);
			}
		}
	}
	return 0;
}

static void hp_report_blockers(struct hp_switch *sw)
{
	struct hp_patch *patch = sw->patch;
	char sym[KSYM_SYMBOL_LEN], *text;
	size_t len = 0;
	unsigned int i;

	/* made aside, then set at once (see hotpatch_patch_text()) */
	text = kzalloc(HP_BLOCKING_LEN, GFP_KERNEL);
	for (i = 0; i < sw->nr_blockers; i++) {
		struct hp_blocker *b = &sw->blockers[i];

		if (b->addr)
			sprint_symbol(sym, b->addr);
		else
			strscpy(sym, "(stack not reliably walkable)",
				sizeof(sym));
		pr_err("'%s': task %d (%s) is in %s\n", patch->name, b->pid,
		       b->comm, sym);
		if (text)
			len += scnprintf(text + len, HP_BLOCKING_LEN - len,
					 "%d %s %s\n", b->pid, b->comm, sym);
	}
	hotpatch_set_patch_text(patch->blocking, sizeof(patch->blocking),
				text ? text : "");
	hotpatch_set_global_blocking(patch->blocking);
	kfree(text);
}

/* How many of the blocked tasks blocking lists, when not all. */
static const char *hp_listed(struct hp_switch *sw)
{
	return sw->nr_blocked > sw->nr_blockers ?
	       ": the first " __stringify(HP_MAX_BLOCKERS) " listed" : "";
}

/* Pin @patch's module for good: a task may still be in its code. */
static void hp_pin_forced(struct hp_patch *patch)
{
	if (!patch->forced) {
		__module_get(patch->mod);
		patch->forced = true;
	}
}

static void hp_force(struct hp_switch *sw)
{
	struct hp_patch *patch = sw->patch, *other;

	pr_warn("'%s': FORCED %s: the stack check is skipped, tasks may run old and new code of this patch; the patch module stays loaded until reboot\n",
		patch->name, sw->apply ? "apply" : "revert");
	hp_pin_forced(patch);
	/*
	 * An atomic replace skips the check for the code of the patches it
	 * replaces as well (see hp_collect_ranges()): a task may sleep in
	 * one of them, so each stays pinned too, as upstream livepatch
	 * keeps every patch of a forced transition.
	 */
	hotpatch_for_each_patch(other) {
		if (!other->replacing)
			continue;
		pr_warn("'%s': FORCED replace by '%s': the patch module stays loaded until reboot\n",
			other->name, patch->name);
		hp_pin_forced(other);
	}
	patch->force = false;
	sw->force = true;
}

/**
 * __hotpatch_switch() - switch every armed function of a patch at once
 * @patch:	the patch; its functions are armed (apply) or on their gates
 *		(revert)
 * @apply:	true to switch on, false to switch off
 *
 * Caller holds hotpatch_mutex. Retries while tasks are inside the code
 * being replaced, until hotpatch_timeout_ms or a signal; then reports the
 * blocking tasks in the log and in patches/<name>/blocking, and changes
 * nothing. Between attempts it lets go of hotpatch_mutex (see hp_paused):
 * only the module notifier may run then, and a target module that comes
 * or goes makes it fail with -EAGAIN.
 *
 * Return: 0, -ETIMEDOUT, -EINTR, -EAGAIN, or -errno (nothing switched).
 */
int __hotpatch_switch(struct hp_patch *patch, bool apply)
{
	struct hotpatch_park_stats park = { };
	struct hp_switch *sw;
	unsigned long deadline;
	unsigned int delay = 1;
	u64 start;
	int ret;

	sw = kzalloc(sizeof(*sw), GFP_KERNEL);
	if (!sw)
		return -ENOMEM;
	sw->patch = patch;
	sw->apply = apply;
	hotpatch_set_patch_text(patch->blocking, sizeof(patch->blocking), "");

	ret = hp_collect_ranges(sw);
	if (ret)
		goto out;
	if (patch->force)
		hp_force(sw);
	if (!sw->force)
		sw->tracking = hotpatch_track_start();

	deadline = jiffies + msecs_to_jiffies(READ_ONCE(hotpatch_timeout_ms));
	for (;;) {
		ret = sw->force ? 0 : hp_precheck(sw);
		if (!ret && READ_ONCE(hotpatch_stop_delay_ms)) {
			pr_info("'%s': test: %u ms between the first walk and the stop\n",
				patch->name, READ_ONCE(hotpatch_stop_delay_ms));
			msleep(READ_ONCE(hotpatch_stop_delay_ms));
		}
		if (!ret) {
			start = ktime_get_ns();
			ret = stop_machine(hp_switch_cb, sw, NULL);
			patch->last_stop_ns = ktime_get_ns() - start;
			patch->last_walked = sw->walked;
			patch->last_visited = sw->visited;
		}
		if (ret != -EBUSY)
			break;
		if (time_after(jiffies, deadline) || signal_pending(current)) {
			hp_report_blockers(sw);
			if (signal_pending(current)) {
				hotpatch_set_error(patch, -EINTR,
						   "%s interrupted by a signal: %u task(s) inside the code it replaces (see blocking%s)",
						   apply ? "apply" : "revert",
						   sw->nr_blocked,
						   hp_listed(sw));
				ret = -EINTR;
				break;
			}
			hotpatch_set_error(patch, -ETIMEDOUT,
					   "%s timed out after %u ms: %u task(s) inside the code it replaces (see blocking%s)",
					   apply ? "apply" : "revert",
					   READ_ONCE(hotpatch_timeout_ms),
					   sw->nr_blocked, hp_listed(sw));
			ret = -ETIMEDOUT;
			break;
		}
		/* Sleepers inside move out meanwhile (park.c). */
		hotpatch_park_sleepers(hp_task_inside, sw, &park);
		hp_pause(sw, delay);
		if (sw->disturbed) {
			hotpatch_set_error(patch, -EAGAIN,
					   "%s abandoned: module '%s' came or went while it waited; try again",
					   apply ? "apply" : "revert",
					   sw->disturber);
			ret = -EAGAIN;
			break;
		}
		delay = min(delay * 2, 100U);
	}
	if (ret && ret != -ETIMEDOUT && !patch->last_error[0])
		hotpatch_set_error(patch, ret, "%s failed (%d)",
				   apply ? "apply" : "revert", ret);
	if (sw->tracking)
		hotpatch_track_stop();
	if (park.parked || park.woken) {
		hotpatch_park_release();
		pr_info("'%s': %s: %u task(s) parked outside the code it replaces, %u kernel thread(s) woken\n",
			patch->name, apply ? "apply" : "revert", park.parked,
			park.woken);
	}
out:
	kvfree(sw->seen);
	kvfree(sw->ranges);
	kfree(sw);
	return ret;
}
