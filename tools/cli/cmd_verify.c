// SPDX-License-Identifier: GPL-2.0
/*
 * verify FILE.ko --cert CERT: the offline checks of tools/sign (hp_verify():
 * manifest, both signatures, section layout, patch symbols) against this
 * machine: the running kernel's release (uname), build-id
 * (/sys/kernel/notes) and symbols (/proc/kallsyms), each when readable.
 * Every check is listed; the exit status says whether the core would take
 * the file. Whether the running core trusts the certificate (its subject
 * key id in the core's keys file) is said too, but does not count: one
 * verifies a patch before adding its vendor's certificate.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "cli.h"
#include "hpsign.h"

#define NOTES_DEFAULT		"/sys/kernel/notes"
#define KALLSYMS_DEFAULT	"/proc/kallsyms"

/* Where this machine's facts come from; tests point them elsewhere. */
static const char *env_or(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && v[0] ? v : def;
}

static const char *readable(const char *path)
{
	return path && !access(path, R_OK) ? path : NULL;
}

/* Whether the running core trusts --cert: its subject key id among the
 * key ids of the keys file. */
enum trust { TRUST_UNKNOWN, TRUST_YES, TRUST_NO };

static enum trust core_trusts(struct cli *cli, const char *cert, char *skid,
			      size_t size)
{
	const ASN1_OCTET_STRING *id;
	const struct hp_key *k;
	struct hp_keys *ks = NULL;
	enum trust t = TRUST_UNKNOWN;
	char msg[512];
	uint8_t *der = NULL;
	const unsigned char *p;
	size_t len, i, n;
	X509 *x = NULL;

	skid[0] = '\0';
	if (cli_cert_der(cert, &der, &len, msg, sizeof(msg)))
		return TRUST_UNKNOWN;
	p = der;
	x = d2i_X509(NULL, &p, (long)len);
	id = x ? X509_get0_subject_key_id(x) : NULL;
	for (i = 0, n = 0; id && i < (size_t)ASN1_STRING_length(id) &&
	     n + 3 <= size; i++)
		n += snprintf(skid + n, size - n, "%02x",
			      ASN1_STRING_get0_data(id)[i]);
	if (skid[0] && !hp_sysfs_read_keys(cli->sys, &ks)) {
		t = TRUST_NO;
		for (i = 0; i < hp_keys_count(ks); i++) {
			k = hp_keys_get(ks, i);
			if (k->key_id && !strcasecmp(k->key_id, skid))
				t = TRUST_YES;
		}
	}
	hp_keys_free(ks);
	X509_free(x);
	free(der);
	return t;
}

static void print_trust(struct cli *cli, enum trust t, const char *skid)
{
	if (t == TRUST_YES)
		fprintf(cli->out, "the running core trusts this certificate "
			"(key %s)\n", skid);
	else if (t == TRUST_NO)
		fprintf(cli->out, "the running core does not trust this "
			"certificate (key %s): it would refuse the patch "
			"(ENOKEY) until 'hotpatch keys add' adds it\n", skid);
}

static int print_report(struct cli *cli, const struct hp_report *r,
			const char *path)
{
	static const char *const hdr[] = { "CHECK", "STATUS", "DETAIL" };
	enum hp_check_status st;
	const char *check, *detail;
	struct hp_table *t;
	size_t i, nfail = 0;
	int ret;

	ret = hp_table_new(3, hdr, &t);
	for (i = 0; !ret && i < hp_report_count(r); i++) {
		hp_report_get(r, i, &check, &st, &detail);
		nfail += st == HP_CHECK_FAIL;
		ret = hp_table_add_row(t, (const char *const[]){
			check, hp_check_status_name(st), detail });
	}
	if (!ret)
		ret = hp_table_print(t, cli->out);
	hp_table_free(t);
	if (ret)
		return cli_error(cli, HP_EXIT_ERROR, ret, NULL, NULL,
				 "cannot print the report");
	if (nfail)
		fprintf(cli->out, "%s: %zu check(s) failed: the core would "
			"refuse it\n", path, nfail);
	else
		fprintf(cli->out, "%s: ok\n", path);
	return HP_EXIT_OK;
}

static json_object *machine_json(const struct hp_verify_opts *vo)
{
	json_object *o = json_object_new_object();

	if (!o)
		return NULL;
	json_object_object_add(o, "kernel_release", vo->kernel_release ?
			       json_object_new_string(vo->kernel_release) : NULL);
	json_object_object_add(o, "build_id_file", vo->build_id_file ?
			       json_object_new_string(vo->build_id_file) : NULL);
	json_object_object_add(o, "symbols_file", vo->system_map ?
			       json_object_new_string(vo->system_map) : NULL);
	json_object_object_add(o, "require_module_sig",
			       json_object_new_boolean(vo->require_module_sig));
	return o;
}

void cli_verify_machine(struct cli *cli, struct hp_verify_opts *vo)
{
	static struct utsname u;
	char buf[16];
	bool b;

	vo->kernel_release = getenv("HOTPATCH_KERNEL_RELEASE");
	if ((!vo->kernel_release || !vo->kernel_release[0]) && !uname(&u))
		vo->kernel_release = u.release;
	vo->build_id_file = readable(env_or("HOTPATCH_KERNEL_NOTES",
					    NOTES_DEFAULT));
	vo->system_map = readable(env_or("HOTPATCH_KALLSYMS",
					 KALLSYMS_DEFAULT));
	/* the core's policy, when it is loaded and says */
	vo->require_module_sig =
		hp_sysfs_read_attr(cli->sys, "require_module_sig", buf,
				   sizeof(buf)) >= 0 &&
		!hp_parse_bool(buf, &b) && b;
}

int do_verify(struct cli *cli)
{
	const char *path = cli->o.args[0];
	struct hp_verify_opts vo = { 0 };
	struct hp_report *r = NULL;
	struct hp_msg m = { "" };
	json_object *doc, *mach;
	enum trust trust;
	char skid[128];
	int ret;

	if (!cli->o.cert)
		return cli_error(cli, HP_EXIT_USAGE, 0, NULL,
				 "give the vendor's certificate: 'hotpatch "
				 "verify --cert signing_cert.der FILE.ko'",
				 "verify needs --cert CERT: the certificates "
				 "the core trusts cannot be read back from the "
				 "kernel's keyring ('hotpatch keys list' shows "
				 "who they are)");
	vo.cert = cli->o.cert;
	cli_verify_machine(cli, &vo);
	cli_info(cli, "checking %s against release %s, build-id from %s, "
		 "symbols from %s", path, vo.kernel_release ?
		 vo.kernel_release : "-", vo.build_id_file ?
		 vo.build_id_file : "(unreadable)", vo.system_map ?
		 vo.system_map : "(unreadable)");

	ret = hp_verify(path, &vo, &r, &m);
	if (ret) {
		/* m says which input and why, in the library's words */
		return cli_error(cli, ret == -ENOENT || ret == -ENOTDIR ?
				 HP_EXIT_NOTFOUND : ret == -EACCES ?
				 HP_EXIT_ENV : ret == -ENOEXEC ||
				 ret == -EBADMSG ? HP_EXIT_INVALID :
				 HP_EXIT_ERROR, ret, m.text[0] ? m.text : NULL,
				 ret == -ENOEXEC || ret == -EBADMSG ?
				 hp_errno_advice(ENOEXEC) : NULL,
				 "cannot verify '%s'", path);
	}

	trust = core_trusts(cli, vo.cert, skid, sizeof(skid));
	if (cli->o.json) {
		doc = hp_report_to_json(r);
		mach = machine_json(&vo);
		if (mach)
			json_object_object_add(mach, "core_trusts_cert",
				trust == TRUST_UNKNOWN ? NULL :
				json_object_new_boolean(trust == TRUST_YES));
		if (!doc || !mach || json_object_object_add(doc, "machine",
							    mach)) {
			json_object_put(mach);
			json_object_put(doc);
			doc = NULL;
		}
		ret = cli_print_json(cli, doc);
	} else {
		ret = print_report(cli, r, path);
		print_trust(cli, trust, skid);
	}
	if (!ret && !hp_report_ok(r))
		ret = HP_EXIT_INVALID;
	hp_report_free(r);
	return ret;
}
