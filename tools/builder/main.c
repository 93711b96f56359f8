// SPDX-License-Identifier: GPL-2.0
/*
 * hotpatch-build: the vendor-side builder. For now one subcommand:
 *
 *   hotpatch-build diff [--json] [--target OBJ] [--no-dwarf] ORIG.o PATCHED.o
 *
 * Exit codes (docs/builder.md): 0 eligible, 1 usage or internal error,
 * 2 refused (not eligible), 3 nothing to patch.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "hpbuild.h"

enum {
	EXIT_ELIGIBLE = 0,
	EXIT_ERROR = 1,
	EXIT_REFUSED = 2,
	EXIT_NOTHING = 3,
};

struct options {
	bool json;
	bool no_dwarf;
	const char *target;
	const char *output;
};

static struct options opt;

/* The one place errors are printed; speaks JSON when asked to. */
static int fail(int code, const char *msg)
{
	if (opt.json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "error", json_object_new_string(msg));
		json_object_object_add(o, "errno", json_object_new_int(-code));
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
		json_object_put(o);
	} else {
		fprintf(stderr, "hotpatch-build: %s\n", msg);
	}
	return EXIT_ERROR;
}

static void usage_diff(FILE *f)
{
	fprintf(f,
		"usage: hotpatch-build diff [--json] [--target OBJ] [--no-dwarf] [-o OUT.o]\n"
		"                           ORIG.o PATCHED.o\n"
		"\n"
		"Compare an original and a patched object (both built with\n"
		"-ffunction-sections -fdata-sections) and print which functions changed,\n"
		"which are new, what data comes along, and why anything cannot be patched.\n"
		"\n"
		"  --json          machine-readable verdict\n"
		"  --target OBJ    object the code belongs to: vmlinux (default) or a module name\n"
		"  --no-dwarf      do not read debug info (no source lines, no struct layouts)\n"
		"  -o, --output F  when eligible, write the patch object (included sections only)\n"
		"\n"
		"exit: 0 eligible, 1 error, 2 refused, 3 nothing to patch\n");
}

static int do_diff(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "target", required_argument, NULL, 't' },
		{ "no-dwarf", no_argument, NULL, 'D' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hp_error err = { 0 };
	struct hp_diff_opts dopts = { 0 };
	const struct hp_verdict *v;
	struct hp_diff *d = NULL;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jt:Do:h", lo, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt.json = true;
			break;
		case 't':
			opt.target = optarg;
			break;
		case 'D':
			opt.no_dwarf = true;
			break;
		case 'o':
			opt.output = optarg;
			break;
		case 'h':
			usage_diff(stdout);
			return 0;
		default:
			usage_diff(stderr);
			return EXIT_ERROR;
		}
	}
	if (argc - optind != 2) {
		usage_diff(stderr);
		return EXIT_ERROR;
	}
	dopts.target = opt.target;
	dopts.no_dwarf = opt.no_dwarf;
	if (hp_diff_new(&dopts, &d, &err) ||
	    hp_diff_load(d, argv[optind], argv[optind + 1], &err) ||
	    hp_diff_run(d, &err)) {
		hp_diff_free(d);
		return fail(err.code, err.msg);
	}
	v = hp_diff_verdict(d);
	if (opt.output && hp_verdict_eligible(v) && !hp_verdict_empty(v) &&
	    hp_diff_write(d, opt.output, &err)) {
		hp_diff_free(d);
		return fail(err.code, err.msg);
	}
	if (opt.json) {
		struct json_object *o = hp_verdict_to_json(v);

		if (!o) {
			hp_diff_free(d);
			return fail(-ENOMEM, "out of memory");
		}
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
		json_object_put(o);
	} else {
		hp_verdict_print(v, stdout);
	}
	rc = !hp_verdict_eligible(v) ? EXIT_REFUSED :
	     hp_verdict_empty(v) ? EXIT_NOTHING : EXIT_ELIGIBLE;
	hp_diff_free(d);
	return rc;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "diff", do_diff, "compare an original and a patched object" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: hotpatch-build COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-8s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n'hotpatch-build COMMAND --help' for details.\n");
}

int main(int argc, char **argv)
{
	size_t i;

	if (argc < 2) {
		usage(stderr);
		return EXIT_ERROR;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "hotpatch-build: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_ERROR;
}
