// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: post-link's ELF reader and writer. Any input gives
 * either a module or an error with a message; a module it writes must
 * itself be accepted again (with nothing left to convert).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "hpbuild.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hp_postlink_stats st, st2;
	struct hp_error err = { 0 };
	void *out = NULL, *again = NULL;
	size_t len, len2;

	if (hp_postlink_mem(data, size, &out, &len, &st, &err)) {
		if (!err.msg[0])
			abort();
		return 0;
	}
	if (st.changed) {
		struct hp_error err2 = { 0 };

		if (hp_postlink_mem(out, len, &again, &len2, &st2, &err2) ||
		    st2.changed)
			abort();
		free(again);
	}
	free(out);
	return 0;
}
