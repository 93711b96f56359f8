// SPDX-License-Identifier: GPL-2.0
/*
 * Names: how the compiler decorates symbols and which names mean something.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static bool all_digits(const char *s, size_t n)
{
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return false;
	return true;
}

/*
 * Drop every ".<digits>" component: "foo.isra.0" -> "foo.isra",
 * "calls.3" -> "calls", ".text.foo.constprop.12" -> ".text.foo.constprop",
 * "foo.cold.7" (older gcc) -> "foo.cold". The numbers change from build to
 * build for reasons that have nothing to do with the patch.
 */
char *hp_name_normalize(const char *name)
{
	size_t len = strlen(name), i = 0, o = 0;
	char *out = malloc(len + 1);

	if (!out)
		return NULL;
	while (i < len) {
		const char *dot = strchr(name + i + 1, '.');
		size_t end = dot ? (size_t)(dot - name) : len;

		/* component is name[i..end), starting with '.' unless i == 0 */
		if (i > 0 && name[i] == '.' && all_digits(name + i + 1, end - i - 1)) {
			i = end;
			continue;
		}
		memcpy(out + o, name + i, end - i);
		o += end - i;
		i = end;
	}
	out[o] = '\0';
	return out;
}

/*
 * Statics the compiler or kernel macros create per call site. They are not
 * correlated: a patched function gets its own copy, and references to them
 * compare by content (docs/builder.md, "special statics").
 */
bool hp_name_is_special_static(const char *name)
{
	static const char *const exact[] = {
		"__already_done", "__warned", "__print_once", "__func__",
		"__FUNCTION__", "__PRETTY_FUNCTION__", "__key", "_rs",
		"descriptor", "CSWTCH", "__once", "___done",
		"__msg",	/* NL_SET_ERR_MSG*() */
	};
	char *n = hp_name_normalize(name);
	bool ret = false;
	size_t i;

	if (!n)
		return false;
	for (i = 0; i < HP_ARRAY_SIZE(exact); i++)
		if (!strcmp(n, exact[i]))
			ret = true;
	if (hp_str_starts(n, "__UNIQUE_ID_"))
		ret = true;
	free(n);
	return ret;
}

/* "foo.cold", "foo.part.0", "foo.part.0.cold": the parent's name. */
bool hp_name_child_parent(const char *name, char *parent, size_t len)
{
	const char *p = NULL, *c;
	size_t n;

	c = strstr(name, ".cold");
	while (c) {
		p = c;
		c = strstr(c + 1, ".cold");
	}
	if (!p) {
		p = strstr(name, ".part.");
		if (!p)
			return false;
	}
	n = (size_t)(p - name);
	if (n == 0 || n >= len)
		return false;
	memcpy(parent, name, n);
	parent[n] = '\0';
	return true;
}

/* Sections that never carry patchable meaning. */
bool hp_section_is_ignored(const char *name)
{
	static const char *const prefixes[] = {
		".debug", ".rela.debug", ".comment", ".note", ".discard",
		".rela.discard", ".llvm_addrsig", ".symtab", ".strtab",
		".shstrtab", ".eh_frame", ".rela.eh_frame", ".group",
		".BTF", ".rela.BTF",
	};
	size_t i;

	for (i = 0; i < HP_ARRAY_SIZE(prefixes); i++)
		if (hp_str_starts(name, prefixes[i]))
			return true;
	return false;
}
