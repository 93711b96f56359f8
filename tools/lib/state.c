// SPDX-License-Identifier: GPL-2.0
/* State and mode names of docs/sysfs-abi.md <-> enums. */
#include <errno.h>
#include <string.h>

#include "libhotpatch.h"

static const char *const state_names[] = {
	[HP_STATE_UNKNOWN] = "unknown",
	[HP_STATE_STAGED] = "staged",
	[HP_STATE_VERIFIED] = "verified",
	[HP_STATE_APPLYING] = "applying",
	[HP_STATE_APPLIED] = "applied",
	[HP_STATE_REVERTING] = "reverting",
	[HP_STATE_REVERTED] = "reverted",
	[HP_STATE_REJECTED] = "rejected",
	[HP_STATE_FAILED] = "failed",
};

static const char *const mode_names[] = {
	[HP_MODE_UNKNOWN] = "unknown",
	[HP_MODE_DIRECT] = "direct",
	[HP_MODE_OPS] = "ops",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Compare s (which may end in one '\n') with name. */
static bool same_word(const char *s, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(s, name, n))
		return false;
	return s[n] == '\0' || (s[n] == '\n' && s[n + 1] == '\0');
}

int hp_state_from_string(const char *s, enum hp_state *out)
{
	size_t i;

	if (!s)
		return -EINVAL;
	/* index 0 ("unknown") is our word, not the kernel's */
	for (i = 1; i < ARRAY_SIZE(state_names); i++) {
		if (same_word(s, state_names[i])) {
			*out = (enum hp_state)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *hp_state_to_string(enum hp_state st)
{
	if ((size_t)st >= ARRAY_SIZE(state_names))
		return state_names[HP_STATE_UNKNOWN];
	return state_names[st];
}

bool hp_state_is_settled(enum hp_state st)
{
	switch (st) {
	case HP_STATE_STAGED:
	case HP_STATE_VERIFIED:
	case HP_STATE_APPLIED:
	case HP_STATE_REVERTED:
	case HP_STATE_REJECTED:
	case HP_STATE_FAILED:
		return true;
	default:
		return false;
	}
}

int hp_mode_from_string(const char *s, enum hp_mode *out)
{
	size_t i;

	if (!s)
		return -EINVAL;
	for (i = 1; i < ARRAY_SIZE(mode_names); i++) {
		if (same_word(s, mode_names[i])) {
			*out = (enum hp_mode)i;
			return 0;
		}
	}
	return -EINVAL;
}

const char *hp_mode_to_string(enum hp_mode m)
{
	if ((size_t)m >= ARRAY_SIZE(mode_names))
		return mode_names[HP_MODE_UNKNOWN];
	return mode_names[m];
}
