// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the whole differ. Input layout:
 *   byte 0      flags: bit 0 read DWARF, bit 1 diff as part of a module
 *   bytes 1..4  length of the original object (little-endian)
 *   then        the original object, then the patched object
 * Shorter inputs diff the bytes against themselves. Eligible verdicts are
 * also written out as a patch object (writer.c).
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hp_diff_opts opts = { 0 };
	struct hp_error err = { 0 };
	const uint8_t *a = data, *b = data;
	size_t alen = size, blen = size;
	struct hp_diff *d;

	if (size >= 5) {
		uint32_t n;

		memcpy(&n, data + 1, 4);
		opts.no_dwarf = !(data[0] & 1);
		opts.target = (data[0] & 2) ? "mymod" : NULL;
		if (n <= size - 5) {
			a = data + 5;
			alen = n;
			b = a + n;
			blen = size - 5 - n;
		}
	} else {
		opts.no_dwarf = true;
	}
	if (hp_diff_new(&opts, &d, &err))
		return 0;
	if (!hp_diff_load_mem(d, a, alen, b, blen, &err) && !hp_diff_run(d, &err)) {
		const struct hp_verdict *v = hp_diff_verdict(d);
		struct json_object *j = hp_verdict_to_json(v);
		FILE *null = fopen("/dev/null", "w");

		if (null) {
			hp_verdict_print(v, null);
			if (j)
				fputs(json_object_to_json_string(j), null);
			fclose(null);
		}
		json_object_put(j);
		if (hp_verdict_eligible(v) && !hp_verdict_empty(v)) {
			char out[64];

			snprintf(out, sizeof(out), "/tmp/hp-fuzz-diff-%d.o", (int)getpid());
			if (!hp_diff_write(d, out, &err))
				unlink(out);
		}
	}
	hp_diff_free(d);
	return 0;
}
