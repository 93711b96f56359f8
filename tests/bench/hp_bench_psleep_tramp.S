/* SPDX-License-Identifier: GPL-2.0 */
#include <hotpatch/trampoline.S>

HOTPATCH_TRAMPOLINE hp_bench_psleep_wait
