// SPDX-License-Identifier: GPL-2.0
/*
 * The core's trusted certificates, /sys/kernel/hotpatch/keys: one line per
 * certificate, "<description>\t<builtin|added>" (kernel/keyring.c), where
 * the description is the one the kernel gives an X.509 key: "<CN>: <key
 * id in hex>". The line is kept as read; what cannot be told from it stays
 * unknown (NULL) rather than guessed.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "libhotpatch.h"

struct hp_keys {
	struct hp_key *v;
	size_t n;
};

static void key_free(struct hp_key *k)
{
	free((char *)k->line);
	free((char *)k->description);
	free((char *)k->signer);
	free((char *)k->key_id);
	free((char *)k->origin);
}

static bool is_key_id(const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (!isxdigit((unsigned char)s[i]) && s[i] != ':')
			return false;
	return len >= 2;
}

static int parse_key(const char *line, size_t len, struct hp_key *k)
{
	const char *end = line + len, *tab, *dend, *p, *sep = NULL;

	k->line = strndup(line, len);
	tab = memchr(line, '\t', len);
	dend = tab ? tab : end;
	k->description = strndup(line, dend - line);
	if (!k->line || !k->description)
		return -ENOMEM;
	if (tab) {
		k->origin = strndup(tab + 1, end - tab - 1);
		if (!k->origin)
			return -ENOMEM;
	}
	/* "CN: hexid": the id follows the last ": " */
	for (p = line; (p = memmem(p, dend - p, ": ", 2)); p += 2)
		sep = p;
	if (sep && is_key_id(sep + 2, dend - sep - 2)) {
		k->signer = strndup(line, sep - line);
		k->key_id = strndup(sep + 2, dend - sep - 2);
		if (!k->signer || !k->key_id)
			return -ENOMEM;
	}
	return 0;
}

int hp_keys_parse(const char *text, struct hp_keys **out)
{
	const char *line, *nl;
	struct hp_keys *ks;
	struct hp_key k, *v;
	size_t len;
	int ret;

	ks = calloc(1, sizeof(*ks));
	if (!ks)
		return -ENOMEM;
	for (line = text ? text : ""; *line; line = nl ? nl + 1 : line + len) {
		nl = strchr(line, '\n');
		len = nl ? (size_t)(nl - line) : strlen(line);
		while (len && isspace((unsigned char)line[len - 1]))
			len--;
		if (!len)
			continue;
		memset(&k, 0, sizeof(k));
		ret = parse_key(line, len, &k);
		v = ret ? NULL : realloc(ks->v, (ks->n + 1) * sizeof(*v));
		if (!v) {
			key_free(&k);
			hp_keys_free(ks);
			return -ENOMEM;
		}
		ks->v = v;
		ks->v[ks->n++] = k;
	}
	*out = ks;
	return 0;
}

void hp_keys_free(struct hp_keys *ks)
{
	size_t i;

	if (!ks)
		return;
	for (i = 0; i < ks->n; i++)
		key_free(&ks->v[i]);
	free(ks->v);
	free(ks);
}

size_t hp_keys_count(const struct hp_keys *ks)
{
	return ks ? ks->n : 0;
}

const struct hp_key *hp_keys_get(const struct hp_keys *ks, size_t i)
{
	return ks && i < ks->n ? &ks->v[i] : NULL;
}
