// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the target kernel's symbol tables (target.c). Input
 * byte 0 picks the reader (even: a kallsyms dump / System.map, odd:
 * Module.symvers); the rest is the file. Any input gives a table or an
 * error; then every query the resolver makes must stay in bounds.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Query every object and name of the table the way resolve.c does. */
static void walk(struct hp_ksyms *k, const char *text, size_t len)
{
	static const char *const objs[] = { "vmlinux", "mymod", "m1" };
	char name[256];
	size_t i, o, c[8], n, j;
	const char *p = text;

	for (i = 0; i < 16 && p < text + len; i++) {
		const char *eol = memchr(p, '\n', (size_t)(text + len - p));
		const char *sp = memchr(p, ' ', eol ? (size_t)(eol - p) : (size_t)(text + len - p));
		size_t w;

		/* the third word of the line, as a name to look up */
		if (sp)
			sp = memchr(sp + 1, ' ', (size_t)((eol ? eol : text + len) - sp - 1));
		if (sp) {
			w = strcspn(sp + 1, " \t\n[");
			if (w >= sizeof(name))
				w = sizeof(name) - 1;
			memcpy(name, sp + 1, w);
			name[w] = '\0';
			for (o = 0; o < 3; o++) {
				struct hp_ksym_info in;
				struct hp_error err = { 0 };

				hp_ksyms_count(k, objs[o], name);
				hp_ksyms_lookup(k, objs[o], name, 0, &in, &err);
				hp_ksyms_lookup(k, objs[o], name, 2, &in, &err);
				n = hp_ksyms_candidates(k, objs[o], name, false, c, 8);
				for (j = 0; j < n && j < 8; j++) {
					hp_ksyms_info_at(k, c[j], &in);
					hp_ksyms_neighbour(k, c[j], -3);
					hp_ksyms_neighbour(k, c[j], 3);
				}
				hp_ksyms_candidates(k, objs[o], name, true, c, 8);
			}
			hp_ksyms_export(k, name, NULL);
		}
		if (!eol)
			break;
		p = eol + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hp_error err = { 0 };
	struct hp_ksyms *k;
	FILE *f;
	int ret;

	if (size < 1 || hp_ksyms_new(&k, &err))
		return 0;
	f = fmemopen((void *)(data + 1), size - 1 ? size - 1 : 1, "r");
	if (!f) {
		hp_ksyms_free(k);
		return 0;
	}
	if (size == 1)
		fgetc(f);	/* empty input */
	ret = data[0] & 1 ? hp_ksyms_load_symvers_file(k, f, "fuzz", &err) :
			    hp_ksyms_load_kallsyms_file(k, f, "fuzz", &err);
	fclose(f);
	if (!ret) {
		/* a NUL-terminated copy for the walk's string functions */
		char *text = malloc(size);

		if (text) {
			memcpy(text, data + 1, size - 1);
			text[size - 1] = '\0';
			walk(k, text, strlen(text));
			free(text);
		}
	}
	hp_ksyms_free(k);
	return 0;
}
