// SPDX-License-Identifier: GPL-2.0
/* errno names, and what an administrator should do about each refusal. */
#include <errno.h>
#include <string.h>

#include "libhotpatch.h"

struct advice {
	int err;
	const char *text;
};

/*
 * The errnos the core documents for refusals (docs/manifest.md, docs/man/hotpatch.8),
 * plus what the module loader and sysfs writes add. One sentence each,
 * saying what to do next.
 */
static const struct advice advice[] = {
	{ EEXIST, "A patch with this name is already loaded: see 'hotpatch list', and unload it first or load a patch built under another name." },
	{ ENOENT, "A symbol or object the patch needs is missing from the running kernel: check that the patch was built for this kernel ('uname -r') and that the modules it targets exist." },
	{ EBUSY, "A function the patch replaces is already owned by someone else (another live patch, a kprobe, a BPF trampoline or an ftrace user), or the module is in use: remove the other user, or unload the conflicting patch first." },
	{ EKEYREJECTED, "The patch signature was rejected: the patch was modified after signing or signed with an untrusted key; rebuild and sign it with a key in the hotpatch keyring." },
	{ ENOKEY, "No key in the hotpatch keyring matches the patch signature: add the vendor's certificate to the keyring (before it is locked) or use a patch signed with a trusted key." },
	{ EKEYEXPIRED, "The key that signed the patch has expired: re-sign the patch with a valid key." },
	{ EKEYREVOKED, "The key that signed the patch has been revoked: re-sign the patch with a trusted key." },
	{ EBADMSG, "The patch signature is malformed: sign the patch again with hotpatch-build." },
	{ ENOEXEC, "The file is not a valid hotpatch module (bad manifest, format version or ELF layout): rebuild it with hotpatch-build." },
	{ EINVAL, "The patch does not fit this kernel (release or build ID differ) or is otherwise invalid: rebuild it against the exact kernel that is running." },
	{ EPERM, "Operation not permitted: run as root; if it still fails, the kernel may be in lockdown mode or have module loading disabled (kernel.modules_disabled)." },
	{ EACCES, "Permission denied: run as root." },
	{ ETIMEDOUT, "Tasks stayed inside the code being replaced until the core's deadline (the blocking list names them): wait for those tasks to finish or stop them, then retry; or raise the core's deadline (/sys/module/hotpatch/parameters/timeout_ms); as a last resort, --force skips the check and pins the patch module until reboot." },
	{ EAGAIN, "The transition could not complete now because tasks were running in the functions being replaced: retry later." },
	{ EOPNOTSUPP, "This kernel does not support the redirect mode the patch asks for: rebuild the patch for the other mode, or load the core with another mode= parameter." },
	{ ENOMEM, "The kernel ran out of memory: free memory and retry." },
	{ ENOSPC, "The core has no room for another patch: unload patches that are no longer needed." },
	{ ECANCELED, "A pre-patch callback of the patch vetoed it: see the kernel log for its reason." },
	{ ESTALE, "A newer version of the patch's series is applied (anti-rollback; the kernel log and 'hotpatch status' name it): load that version or a later one ('hotpatch upgrade FILE.ko' replaces older versions); to go back on purpose, unload the newer version first." },
	{ ENODEV, "The hotpatch core is not loaded: load it with 'modprobe hotpatch' or 'hotpatch load --core PATH FILE'." },
};

const char *hp_errno_advice(int err)
{
	size_t i;

	if (err < 0)
		err = -err;
	for (i = 0; i < sizeof(advice) / sizeof(advice[0]); i++)
		if (advice[i].err == err)
			return advice[i].text;
	return NULL;
}

const char *hp_errno_name(int err)
{
	if (err < 0)
		err = -err;
	if (err == 0)
		return NULL;
	return strerrorname_np(err);
}

int hp_errno_from_name(const char *name)
{
	int err;

	if (!name || name[0] != 'E')
		return -EINVAL;
	/* errno values are small and dense on Linux */
	for (err = 1; err < 256; err++) {
		const char *n = strerrorname_np(err);

		if (n && !strcmp(n, name))
			return err;
	}
	return -EINVAL;
}
