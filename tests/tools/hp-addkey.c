// SPDX-License-Identifier: GPL-2.0
/*
 * hp-addkey SERIAL [CERT.der]: add an X.509 certificate to the keyring
 * SERIAL with add_key(2), as `keyctl padd asymmetric "" SERIAL < CERT.der`
 * does. Without CERT.der: the certificate built into this program
 * (HP_ADDKEY_CERT at build time), for the test guest, which has no keyctl
 * and no other way to get one. Several DER certificates one after the
 * other (as hp-addkeys has built in: tests/tools/mk-noskid-certs.sh) are
 * added one at a time. Prints each new key's serial; on failure the
 * errno's name on stdout, the message on stderr, and exits with the errno.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef HP_ADDKEY_CERT
__asm__(".section .rodata\n"
	".global hp_cert\n"
	"hp_cert:\n"
	".incbin \"" HP_ADDKEY_CERT "\"\n"
	".global hp_cert_end\n"
	"hp_cert_end:\n"
	".previous\n");
extern const unsigned char hp_cert[], hp_cert_end[];
#endif

/* Length of the DER SEQUENCE at @p, or 0 (as kernel/keyring.c reads it). */
static size_t der_len(const unsigned char *p, size_t avail)
{
	size_t len, hdr = 2;
	unsigned int n, i;

	if (avail < 2 || p[0] != 0x30)
		return 0;
	len = p[1];
	if (len & 0x80) {
		n = len & 0x7f;
		if (n < 1 || n > 3 || avail < 2 + n)
			return 0;
		for (len = 0, i = 0; i < n; i++)
			len = len << 8 | p[2 + i];
		hdr += n;
	}
	if (len > avail - hdr)
		return 0;
	return hdr + len;
}

int main(int argc, char **argv)
{
	static unsigned char buf[65536];
	const unsigned char *data = NULL, *start;
	size_t len = 0;
	long serial, key;
	char *end;
	FILE *f;
	int err;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: hp-addkey SERIAL [CERT.der]\n");
		return 2;
	}
	serial = strtol(argv[1], &end, 10);
	if (*end && *end != '\n') {
		fprintf(stderr, "hp-addkey: bad serial '%s'\n", argv[1]);
		return 2;
	}
	if (argc == 3) {
		f = fopen(argv[2], "rb");
		if (!f) {
			perror(argv[2]);
			return 2;
		}
		len = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		data = buf;
	} else {
#ifdef HP_ADDKEY_CERT
		data = hp_cert;
		len = (size_t)(hp_cert_end - hp_cert);
#else
		fprintf(stderr, "hp-addkey: no certificate built in\n");
		return 2;
#endif
	}
	start = data;
	while (len) {
		size_t one = der_len(data, len);

		if (!one) {
			fprintf(stderr, "hp-addkey: not a DER certificate at byte %zu\n",
				(size_t)(data - start));
			return 2;
		}
		key = syscall(SYS_add_key, "asymmetric", "", data, one, serial);
		if (key < 0) {
			err = errno;
			printf("%s\n", strerrorname_np(err) ? strerrorname_np(err) : "?");
			fprintf(stderr, "hp-addkey: add_key: %s\n", strerror(err));
			return err;
		}
		printf("%ld\n", key);
		data += one;
		len -= one;
	}
	return 0;
}
