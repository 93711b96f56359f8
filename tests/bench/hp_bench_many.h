/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _HP_BENCH_MANY_H
#define _HP_BENCH_MANY_H

#define HP_BENCH_NR_FUNCS	1000

#include <linux/types.h>
#include <linux/wait.h>

extern wait_queue_head_t hp_bench_sleep_wq;
extern bool hp_bench_released;
int hp_bench_sleep_wait(void);
extern int (*const hp_bench_funcs[HP_BENCH_NR_FUNCS])(int);

#endif /* _HP_BENCH_MANY_H */
