/* SPDX-License-Identifier: GPL-2.0 */
/* libhpsign internals: not for users of the library. */
#ifndef _HOTPATCH_HPSIGN_INTERNAL_H
#define _HOTPATCH_HPSIGN_INTERNAL_H

#include "hpsign.h"

__attribute__((format(printf, 3, 4)))
int hp_msg_set(struct hp_msg *msg, int err, const char *fmt, ...);
/* Appends the OpenSSL error queue (and clears it) to msg */
int hp_msg_ssl(struct hp_msg *msg, int err, const char *what);
int hp_file_read(const char *path, uint8_t **buf, size_t *len,
		 struct hp_msg *msg);
/* Write atomically: path.tmpXXXXXX then rename */
int hp_file_write(const char *path, const void *a, size_t alen,
		  const void *b, size_t blen, const void *c, size_t clen,
		  struct hp_msg *msg);
void hp_hex(char *out, const uint8_t *p, size_t len);

#endif
