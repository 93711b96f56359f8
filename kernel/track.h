/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HOTPATCH_TRACK_H
#define _HOTPATCH_TRACK_H

#include <linux/types.h>

struct task_struct;

bool hotpatch_track_start(void);
void hotpatch_track_reset(void);
void hotpatch_track_stop(void);
bool hotpatch_track_walk(bool (*fn)(struct task_struct *t, void *arg),
			 void *arg);

#endif /* _HOTPATCH_TRACK_H */
