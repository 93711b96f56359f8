// SPDX-License-Identifier: GPL-2.0
/*
 * hotpatch-sign: signing keys, signing and inspecting patch modules.
 * Thin: everything is in libhpsign (hpsign.h). Exit codes (man page):
 *   0 success, 1 verification failed, 2 usage, 3 error (I/O, format, crypto)
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hotpatch/version.h>

#include "hpsign.h"

#define EXIT_VERIFY	1
#define EXIT_USAGE	2
#define EXIT_ERROR	3

struct opts {
	bool json;
	bool force;
	bool module_only;
	bool require_module_sig;
	const char *out;
	const char *dir;
	const char *cn;
	int days;
	int bits;
	const char *key;
	const char *cert;
	const char *release;
	const char *build_id;
	const char *build_id_file;
	const char *system_map;
	const char *vmlinux;
};

struct cmd {
	const char *name;
	int (*fn)(struct opts *o, int argc, char **argv);
	const char *usage;
	const char *help;
};

static const char *prog = "hotpatch-sign";
static bool want_json;

/* The one error path: JSON on stdout when asked, else a line on stderr */
static int fail(int code, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static int fail(int code, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (want_json) {
		json_object *o = json_object_new_object();

		json_object_object_add(o, "error", json_object_new_string(buf));
		json_object_object_add(o, "exit_code", json_object_new_int(code));
		puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
						    JSON_C_TO_STRING_NOSLASHESCAPE));
		json_object_put(o);
	} else {
		fprintf(stderr, "%s: %s\n", prog, buf);
	}
	return code;
}

static void print_json(json_object *o)
{
	puts(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
}

static int do_keygen(struct opts *o, int argc, char **argv)
{
	struct hp_keygen_opts k = {
		.dir = o->dir, .cn = o->cn, .days = o->days, .bits = o->bits,
		.force = o->force,
	};
	struct hp_msg m = { "" };

	(void)argv;
	if (!o->dir || argc)
		return fail(EXIT_USAGE, "keygen: --out DIR is required, no arguments");
	if (hp_keygen(&k, &m))
		return fail(EXIT_ERROR, "keygen: %s", m.text);
	if (o->json) {
		json_object *j = json_object_new_object();
		char p[4096];

		snprintf(p, sizeof(p), "%s/signing_key.pem", o->dir);
		json_object_object_add(j, "key", json_object_new_string(p));
		snprintf(p, sizeof(p), "%s/signing_cert.pem", o->dir);
		json_object_object_add(j, "cert", json_object_new_string(p));
		snprintf(p, sizeof(p), "%s/signing_cert.der", o->dir);
		json_object_object_add(j, "cert_der", json_object_new_string(p));
		print_json(j);
		json_object_put(j);
	} else {
		printf("%s/signing_key.pem\n%s/signing_cert.pem\n%s/signing_cert.der\n",
		       o->dir, o->dir, o->dir);
	}
	return 0;
}

static int do_sign(struct opts *o, int argc, char **argv)
{
	struct hp_signer *s = NULL;
	struct hp_msg m = { "" };
	const char *out;
	int err;

	if (argc != 1 || !o->key || !o->cert)
		return fail(EXIT_USAGE, "sign: --key K --cert C MODULE.ko [-o OUT]");
	out = o->out ? o->out : argv[0];
	if (hp_signer_read(o->key, o->cert, &s, &m))
		return fail(EXIT_ERROR, "sign: %s", m.text);
	err = hp_patchmod_sign(argv[0], out, s,
			       o->module_only ? HP_SIGN_MODULE_ONLY : 0, &m);
	hp_signer_free(s);
	if (err)
		return fail(EXIT_ERROR, "sign: %s", m.text);
	if (o->json) {
		json_object *j = json_object_new_object();

		json_object_object_add(j, "signed", json_object_new_string(out));
		json_object_object_add(j, "manifest_signature",
				       json_object_new_boolean(!o->module_only));
		print_json(j);
		json_object_put(j);
	}
	return 0;
}

static int do_set_manifest(struct opts *o, int argc, char **argv)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	struct hp_msg m = { "" };
	struct hotpatch_mf mf;
	uint8_t *buf = NULL;
	size_t len = 0;
	FILE *f;
	int err;

	if (argc != 2)
		return fail(EXIT_USAGE, "set-manifest: MODULE.ko MANIFEST.bin [-o OUT]");
	f = fopen(argv[1], "rb");
	if (!f)
		return fail(EXIT_ERROR, "%s: %s", argv[1], strerror(errno));
	buf = malloc(HOTPATCH_MANIFEST_MAX_SIZE + 1);
	if (buf)
		len = fread(buf, 1, HOTPATCH_MANIFEST_MAX_SIZE + 1, f);
	fclose(f);
	if (!buf)
		return fail(EXIT_ERROR, "out of memory");
	if (!o->force && hotpatch_manifest_parse(buf, len, &mf, reason,
						 sizeof(reason))) {
		free(buf);
		return fail(EXIT_ERROR,
			    "%s: invalid manifest: %s (--force embeds it anyway)",
			    argv[1], reason);
	}
	err = hp_patchmod_set_section(argv[0], o->out ? o->out : argv[0],
				      HOTPATCH_MANIFEST_SECTION, buf, len, &m);
	free(buf);
	if (err)
		return fail(EXIT_ERROR, "set-manifest: %s", m.text);
	return 0;
}

static void print_sig_text(const char *title, json_object *s)
{
	json_object *v;

	printf("%s:\n", title);
	if (!json_object_get_boolean(json_object_object_get(s, "present"))) {
		printf("  present:      no\n");
		return;
	}
	printf("  present:      yes\n");
#define F(key, label) \
	if (json_object_object_get_ex(s, key, &v)) \
		printf("  %-13s %s\n", label, json_object_get_string(v))
	F("signer", "signer:");
	F("key_id", "key id:");
	F("hash", "hash:");
	F("algorithm", "algorithm:");
	F("valid", "valid:");
	F("error", "error:");
#undef F
}

static int do_inspect(struct opts *o, int argc, char **argv)
{
	struct hp_patchmod *pm = NULL;
	struct hp_cert *cert = NULL;
	struct hp_msg m = { "" };
	json_object *d, *mf, *v, *objs, *ob, *funcs, *fn;
	int rc = 0;
	size_t i, j;

	if (argc != 1)
		return fail(EXIT_USAGE, "inspect: MODULE.ko [--cert C] [--json]");
	if (hp_patchmod_read(argv[0], &pm, &m))
		return fail(EXIT_ERROR, "%s", m.text);
	if (o->cert && hp_cert_read(o->cert, &cert, &m)) {
		hp_patchmod_free(pm);
		return fail(EXIT_ERROR, "%s", m.text);
	}
	d = hp_patchmod_describe(pm, cert);
	/* with a cert, an invalid or missing signature is a failed check */
	if (cert) {
		const char *k[] = { "manifest_signature", "module_signature" };

		for (i = 0; i < 2; i++) {
			json_object *s = json_object_object_get(d, k[i]);

			if (!json_object_get_boolean(json_object_object_get(s, "valid")))
				rc = EXIT_VERIFY;
		}
	}
	if (o->json) {
		print_json(d);
		goto out;
	}
	printf("module:         %s\n", argv[0]);
	mf = json_object_object_get(d, "manifest");
	if (!json_object_get_boolean(json_object_object_get(mf, "present"))) {
		printf("manifest:       none\n");
	} else if (!json_object_get_boolean(json_object_object_get(mf, "valid"))) {
		printf("manifest:       INVALID: %s\n",
		       json_object_get_string(json_object_object_get(mf, "error")));
	} else {
#define P(key, label) \
		v = json_object_object_get(mf, key); \
		printf("%-15s %s\n", label, json_object_get_string(v))
		P("name", "patch:");
		P("version", "format:");
		P("kernel_release", "kernel:");
		P("kernel_build_id", "build-id:");
		P("replace", "replace:");
		P("mode", "mode:");
#undef P
		objs = json_object_object_get(mf, "objects");
		for (i = 0; i < json_object_array_length(objs); i++) {
			ob = json_object_array_get_idx(objs, i);
			printf("object:         %s",
			       json_object_get_string(json_object_object_get(ob, "name")));
			if (json_object_object_get_ex(ob, "srcversion", &v) && v)
				printf(" srcversion %s", json_object_get_string(v));
			if (json_object_object_get_ex(ob, "build_id", &v) && v)
				printf(" build-id %s", json_object_get_string(v));
			printf("\n");
			funcs = json_object_object_get(ob, "functions");
			for (j = 0; j < json_object_array_length(funcs); j++) {
				fn = json_object_array_get_idx(funcs, j);
				v = json_object_object_get(fn, "tramp_name");
				printf("  %s,%s size %s -> %s%s%s\n",
				       json_object_get_string(json_object_object_get(fn, "old_name")),
				       json_object_get_string(json_object_object_get(fn, "old_sympos")),
				       json_object_get_string(json_object_object_get(fn, "old_size")),
				       json_object_get_string(json_object_object_get(fn, "new_name")),
				       v ? " via " : "", v ? json_object_get_string(v) : "");
			}
		}
	}
	print_sig_text("manifest signature", json_object_object_get(d, "manifest_signature"));
	print_sig_text("module signature", json_object_object_get(d, "module_signature"));
out:
	json_object_put(d);
	hp_cert_free(cert);
	hp_patchmod_free(pm);
	return rc;
}

static int do_verify(struct opts *o, int argc, char **argv)
{
	struct hp_verify_opts v = {
		.cert = o->cert, .kernel_release = o->release,
		.build_id_hex = o->build_id, .build_id_file = o->build_id_file,
		.system_map = o->system_map, .vmlinux = o->vmlinux,
		.require_module_sig = o->require_module_sig,
	};
	struct hp_report *r = NULL;
	struct hp_msg m = { "" };
	enum hp_check_status st;
	const char *name, *detail;
	size_t i;
	int rc;

	if (argc != 1 || !o->cert)
		return fail(EXIT_USAGE, "verify: MODULE.ko --cert C [...]");
	if (hp_verify(argv[0], &v, &r, &m))
		return fail(EXIT_ERROR, "%s", m.text);
	rc = hp_report_ok(r) ? 0 : EXIT_VERIFY;
	if (o->json) {
		json_object *j = hp_report_to_json(r);

		print_json(j);
		json_object_put(j);
	} else {
		for (i = 0; i < hp_report_count(r); i++) {
			hp_report_get(r, i, &name, &st, &detail);
			printf("%-4s  %-18s %s\n", hp_check_status_name(st), name,
			       detail);
		}
		printf("%s: %s\n", argv[0], rc ? "FAILED" : "OK");
	}
	hp_report_free(r);
	return rc;
}

static const struct cmd cmds[] = {
	{ "keygen", do_keygen,
	  "keygen --out DIR [--cn NAME] [--days N] [--bits N] [--force]",
	  "Generate an RSA signing key and a self-signed X.509 certificate:\n"
	  "DIR/signing_key.pem (0600), DIR/signing_cert.pem, DIR/signing_cert.der." },
	{ "sign", do_sign,
	  "sign --key K --cert C MODULE.ko [-o OUT] [--module-only]",
	  "Sign the manifest (PKCS#7 in section " HOTPATCH_SIG_SECTION ") and append\n"
	  "the kernel module signature. --module-only: no manifest, module signature only." },
	{ "inspect", do_inspect,
	  "inspect MODULE.ko [--cert C] [--json]",
	  "Show the manifest and both signatures; with --cert, whether they verify." },
	{ "verify", do_verify,
	  "verify MODULE.ko --cert C [--kernel-release R] [--build-id HEX |\n"
	  "       --build-id-file F] [--system-map F|/proc/kallsyms | --vmlinux F]\n"
	  "       [--require-module-sig] [--json]",
	  "Verify a patch module offline: manifest, signatures, fit to a kernel." },
	{ "set-manifest", do_set_manifest,
	  "set-manifest MODULE.ko MANIFEST.bin [-o OUT] [--force]",
	  "Embed a manifest as section " HOTPATCH_MANIFEST_SECTION " (for builders and tests);\n"
	  "drops an existing module signature." },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: %s COMMAND [options]\n\ncommands:\n", prog);
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %s\n", cmds[i].usage);
	fprintf(f, "\n%s COMMAND --help for more; --version prints the version.\n"
		"Exit: 0 ok, 1 verification failed, 2 usage, 3 error.\n", prog);
}

enum {
	OPT_CN = 256, OPT_DAYS, OPT_BITS, OPT_FORCE, OPT_MODULE_ONLY,
	OPT_RELEASE, OPT_BUILD_ID, OPT_BUILD_ID_FILE, OPT_SYSTEM_MAP,
	OPT_VMLINUX, OPT_REQUIRE_MODSIG, OPT_KEY, OPT_CERT,
};

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "json", no_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "output", required_argument, NULL, 'o' },
		{ "cn", required_argument, NULL, OPT_CN },
		{ "days", required_argument, NULL, OPT_DAYS },
		{ "bits", required_argument, NULL, OPT_BITS },
		{ "force", no_argument, NULL, OPT_FORCE },
		{ "module-only", no_argument, NULL, OPT_MODULE_ONLY },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "kernel-release", required_argument, NULL, OPT_RELEASE },
		{ "build-id", required_argument, NULL, OPT_BUILD_ID },
		{ "build-id-file", required_argument, NULL, OPT_BUILD_ID_FILE },
		{ "system-map", required_argument, NULL, OPT_SYSTEM_MAP },
		{ "vmlinux", required_argument, NULL, OPT_VMLINUX },
		{ "require-module-sig", no_argument, NULL, OPT_REQUIRE_MODSIG },
		{ NULL, 0, NULL, 0 },
	};
	const struct cmd *cmd = NULL;
	struct opts o = { 0 };
	char *end;
	size_t i;
	int c;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("%s %s\n", prog, HOTPATCH_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			cmd = &cmds[i];
	if (!cmd) {
		fprintf(stderr, "%s: unknown command '%s'\n", prog, argv[1]);
		usage(stderr);
		return EXIT_USAGE;
	}
	argc--;
	argv++;
	while ((c = getopt_long(argc, argv, "hjo:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			printf("usage: %s %s\n\n%s\n", prog, cmd->usage, cmd->help);
			return 0;
		case 'j':
			o.json = want_json = true;
			break;
		case 'o':
			/* keygen's --out is the directory */
			if (!strcmp(cmd->name, "keygen"))
				o.dir = optarg;
			else
				o.out = optarg;
			break;
		case OPT_CN:
			o.cn = optarg;
			break;
		case OPT_DAYS:
		case OPT_BITS:
			errno = 0;
			i = strtoul(optarg, &end, 10);
			if (errno || *end || !*optarg || i > 1000000)
				return fail(EXIT_USAGE, "--%s: '%s' is not a number",
					    c == OPT_DAYS ? "days" : "bits", optarg);
			if (c == OPT_DAYS)
				o.days = (int)i;
			else
				o.bits = (int)i;
			break;
		case OPT_FORCE:
			o.force = true;
			break;
		case OPT_MODULE_ONLY:
			o.module_only = true;
			break;
		case OPT_KEY:
			o.key = optarg;
			break;
		case OPT_CERT:
			o.cert = optarg;
			break;
		case OPT_RELEASE:
			o.release = optarg;
			break;
		case OPT_BUILD_ID:
			o.build_id = optarg;
			break;
		case OPT_BUILD_ID_FILE:
			o.build_id_file = optarg;
			break;
		case OPT_SYSTEM_MAP:
			o.system_map = optarg;
			break;
		case OPT_VMLINUX:
			o.vmlinux = optarg;
			break;
		case OPT_REQUIRE_MODSIG:
			o.require_module_sig = true;
			break;
		default:
			fprintf(stderr, "usage: %s %s\n", prog, cmd->usage);
			return EXIT_USAGE;
		}
	}
	return cmd->fn(&o, argc - optind, argv + optind);
}
