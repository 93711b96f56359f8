/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_PARK_H
#define _HOTPATCH_PARK_H

#include <linux/types.h>

struct task_struct;

/* Called with the task held still (task_call_func()). */
typedef bool (*hotpatch_task_inside_f)(struct task_struct *t, void *arg);

struct hotpatch_park_stats {
	unsigned int parked;	/* user tasks asked to park */
	unsigned int woken;	/* kernel threads woken */
};

void hotpatch_park_sleepers(hotpatch_task_inside_f inside, void *arg,
			    struct hotpatch_park_stats *stats);
void hotpatch_park_release(void);
void hotpatch_park_exit(void);

#endif /* _HOTPATCH_PARK_H */
