// SPDX-License-Identifier: GPL-2.0
/* libhpsign: messages and files */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/err.h>

#include "internal.h"

int hp_msg_set(struct hp_msg *msg, int err, const char *fmt, ...)
{
	va_list ap;

	if (msg) {
		va_start(ap, fmt);
		vsnprintf(msg->text, sizeof(msg->text), fmt, ap);
		va_end(ap);
	}
	return err;
}

int hp_msg_ssl(struct hp_msg *msg, int err, const char *what)
{
	char buf[256] = "";
	unsigned long e, last = 0;

	while ((e = ERR_get_error()))
		last = e;
	if (last)
		ERR_error_string_n(last, buf, sizeof(buf));
	return hp_msg_set(msg, err, "%s%s%s", what, last ? ": " : "", buf);
}

int hp_file_read(const char *path, uint8_t **buf, size_t *len,
		 struct hp_msg *msg)
{
	uint8_t *p = NULL, *np;
	size_t cap = 0, n = 0;
	ssize_t r;
	int fd, err;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return hp_msg_set(msg, -errno, "%s: %s", path, strerror(errno));
	for (;;) {
		if (n == cap) {
			cap = cap ? cap * 2 : 65536;
			np = realloc(p, cap);
			if (!np) {
				err = -ENOMEM;
				goto out_err;
			}
			p = np;
		}
		r = read(fd, p + n, cap - n);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			err = -errno;
			goto out_err;
		}
		if (!r)
			break;
		n += r;
	}
	close(fd);
	*buf = p;
	*len = n;
	return 0;
out_err:
	close(fd);
	free(p);
	return hp_msg_set(msg, err, "%s: %s", path, strerror(-err));
}

static int write_all(int fd, const void *p, size_t len)
{
	const uint8_t *b = p;
	ssize_t r;

	while (len) {
		r = write(fd, b, len);
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		b += r;
		len -= r;
	}
	return 0;
}

int hp_file_write(const char *path, const void *a, size_t alen,
		  const void *b, size_t blen, const void *c, size_t clen,
		  struct hp_msg *msg)
{
	char tmp[4096];
	struct stat st;
	mode_t mode = 0644;
	int fd, err;

	if (snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path) >= (int)sizeof(tmp))
		return hp_msg_set(msg, -ENAMETOOLONG, "%s: name too long", path);
	if (!stat(path, &st))
		mode = st.st_mode & 07777;
	fd = mkstemp(tmp);
	if (fd < 0)
		return hp_msg_set(msg, -errno, "%s: %s", tmp, strerror(errno));
	err = write_all(fd, a, alen);
	if (!err && b)
		err = write_all(fd, b, blen);
	if (!err && c)
		err = write_all(fd, c, clen);
	if (!err && fchmod(fd, mode))
		err = -errno;
	if (close(fd) && !err)
		err = -errno;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		unlink(tmp);
		return hp_msg_set(msg, err, "%s: %s", path, strerror(-err));
	}
	return 0;
}

void hp_hex(char *out, const uint8_t *p, size_t len)
{
	static const char d[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < len; i++) {
		out[2 * i] = d[p[i] >> 4];
		out[2 * i + 1] = d[p[i] & 15];
	}
	out[2 * len] = '\0';
}
