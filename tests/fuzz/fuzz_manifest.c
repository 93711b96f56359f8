// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the manifest parser (kernel/manifest.c, the same
 * source the core builds): arbitrary bytes must be accepted or refused with
 * -ENOEXEC / -EINVAL and a reason, never read out of bounds; an accepted
 * manifest must be safe to walk with every accessor. The same bytes also
 * go through the PKCS#7 signer reader (hotpatch_sig_signer()). Run with
 * tests/fuzz/fuzz_manifest.sh (seeds: tests/manifest-corpus/gen-corpus.py).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "../../kernel/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char reason[HOTPATCH_MF_REASON_LEN], r2[HOTPATCH_MF_REASON_LEN];
	struct hotpatch_mf_func func;
	struct hotpatch_mf_obj obj;
	struct hotpatch_mf mf, mf2;
	size_t total = 0;
	struct hotpatch_sig_id id;
	char signer[32], key_id[48];
	u32 i, j;
	int ret;

	ret = hotpatch_sig_signer(data, size, &id);
	if (ret != 0 && ret != -EBADMSG)
		abort();
	if (!ret)
		hotpatch_sig_id_names(&id, signer, sizeof(signer), key_id,
				      sizeof(key_id));

	ret = hotpatch_manifest_parse(data, size, &mf, reason, sizeof(reason));
	if (ret != 0 && ret != -ENOEXEC && ret != -EINVAL)
		abort();
	if (ret) {
		if (!reason[0] || memchr(reason, '\0', sizeof(reason)) == NULL)
			abort();
		return 0;
	}
	/* deterministic */
	if (hotpatch_manifest_parse(data, size, &mf2, r2, sizeof(r2)) ||
	    memcmp(&mf, &mf2, sizeof(mf)))
		abort();
	total += strlen(mf.name) + strlen(mf.release);
	hotpatch_mf_for_each_obj(&mf, i, &obj) {
		total += strlen(obj.name);
		if (obj.srcversion)
			total += strlen(obj.srcversion);
		if (obj.build_id_len > HOTPATCH_BUILD_ID_MAX)
			abort();
		hotpatch_mf_for_each_func(&mf, &obj, j, &func) {
			total += strlen(func.old_name) + strlen(func.new_name);
			if (func.tramp_name)
				total += strlen(func.tramp_name);
			if (!func.old_size)
				abort();
		}
		hotpatch_manifest_check_module(&obj, "X", data, size < 32 ? size : 32,
					       reason, sizeof(reason));
	}
	hotpatch_manifest_check_kernel(&mf, "6.1.0", data, size < 32 ? size : 32,
				       reason, sizeof(reason));
	return total == (size_t)-1;
}
