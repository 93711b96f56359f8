// SPDX-License-Identifier: GPL-2.0
/* mkseed FLAGS ORIG PATCHED > seed: a fuzz_diff input from two objects. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static size_t slurp(const char *path, unsigned char **buf)
{
	FILE *f = fopen(path, "rb");
	size_t n = 0, cap = 0, got;

	*buf = NULL;
	if (!f)
		exit(1);
	do {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			*buf = realloc(*buf, cap);
			if (!*buf)
				exit(1);
		}
		got = fread(*buf + n, 1, cap - n, f);
		n += got;
	} while (got);
	fclose(f);
	return n;
}

int main(int argc, char **argv)
{
	unsigned char *a, *b, hdr[5];
	size_t alen, blen;

	if (argc != 4)
		return 2;
	alen = slurp(argv[2], &a);
	blen = slurp(argv[3], &b);
	hdr[0] = (unsigned char)atoi(argv[1]);
	hdr[1] = alen & 0xff;
	hdr[2] = (alen >> 8) & 0xff;
	hdr[3] = (alen >> 16) & 0xff;
	hdr[4] = (alen >> 24) & 0xff;
	fwrite(hdr, 1, 5, stdout);
	fwrite(a, 1, alen, stdout);
	fwrite(b, 1, blen, stdout);
	free(a);
	free(b);
	return 0;
}
