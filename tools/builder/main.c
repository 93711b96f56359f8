// SPDX-License-Identifier: GPL-2.0
/*
 * hotpatch-build: the vendor-side builder.
 *
 *   hotpatch-build diff [--json] [--target OBJ] [--no-dwarf] ORIG.o PATCHED.o
 *   hotpatch-build resolve PATCH.o -o OUT.o --orig ORIG.o --symbols FILE
 *                  --symvers Module.symvers [--target OBJ] ...
 *   hotpatch-build module -o OUT.ko --name NAME ... OBJECT=PATCH.o...
 *   hotpatch-build post-link [--json] [-o OUT.ko] IN.ko
 *
 * Exit codes (docs/builder.md, docs/man/hotpatch-build.1): 0 eligible /
 * made, 1 usage or internal error, 2 refused (not eligible), 3 nothing to
 * patch, 4 the kernel build of the patch module failed.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include <hotpatch/version.h>

#include "hpbuild.h"
#include "hpsign.h"
#include "build.h"

enum {
	EXIT_ELIGIBLE = 0,
	EXIT_ERROR = 1,
	EXIT_REFUSED = 2,
	EXIT_NOTHING = 3,
	EXIT_KBUILD = 4,
};

struct options {
	bool json;
	bool no_dwarf;
	const char *target;
	const char *output;
	/* resolve */
	const char *orig;
	const char *symbols;
	const char *vmlinux;
	const char *module_object;
	const char *symvers;
	const char **sympos;
	size_t nr_sympos;
	const char **siblings;
	size_t nr_siblings;
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
		"With -o and the resolve options (--symbols, --symvers, --module-object,\n"
		"--sympos, --with; see 'hotpatch-build resolve --help') the patch object is also\n"
		"resolved against the target kernel: one call diffs and resolves.\n"
		"\n"
		"exit: 0 eligible, 1 error, 2 refused, 3 nothing to patch\n");
}

static void usage_resolve(FILE *f)
{
	fprintf(f,
		"usage: hotpatch-build resolve PATCH.o -o OUT.o --orig ORIG.o\n"
		"                              --symbols FILE --symvers Module.symvers\n"
		"                              [--target vmlinux|MODULE] [--module-object MOD.ko]\n"
		"                              [--sympos NAME=N]... [--with OTHER.o]...\n"
		"                              [--json] [--no-dwarf]\n"
		"\n"
		"Decide how the running kernel provides every symbol the patch object\n"
		"(hotpatch-build diff -o) leaves undefined: exports stay undefined for the\n"
		"module loader; everything else of the target object becomes a deferred\n"
		"relocation record (.hotpatch.klp_relocs), found by name and sympos.\n"
		"\n"
		"  -o, --output F      the resolved object (written only when nothing is refused)\n"
		"  --orig F            the original object the patch was diffed against\n"
		"  --target OBJ        vmlinux (default) or the module the code belongs to\n"
		"  --symbols F         the target kernel's /proc/kallsyms (dumped as root) or System.map\n"
		"  --vmlinux F         the target's unstripped vmlinux (linux-image-RELEASE-dbg):\n"
		"                      its FILE symbols tell same-named statics apart\n"
		"  --module-object F   the target module's .ko (its symbols and their sizes)\n"
		"  --symvers F         the target kernel's Module.symvers\n"
		"  --sympos NAME=N     take the N-th NAME in kallsyms order (repeatable)\n"
		"  --with OTHER.o      another patch object of the same module: what it\n"
		"                      defines stays undefined here (repeatable)\n"
		"  --json              machine-readable result\n"
		"  --no-dwarf          no source lines in refusals\n"
		"\n"
		"exit: 0 resolved, 1 error, 2 refused\n");
}

static int add_sympos(const char *arg)
{
	const char **n = realloc(opt.sympos, (opt.nr_sympos + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	opt.sympos = n;
	opt.sympos[opt.nr_sympos++] = arg;
	return 0;
}

static int add_sibling(const char *arg)
{
	const char **n = realloc(opt.siblings, (opt.nr_siblings + 1) * sizeof(*n));

	if (!n)
		return -ENOMEM;
	opt.siblings = n;
	opt.siblings[opt.nr_siblings++] = arg;
	return 0;
}

/*
 * The resolve options diff and resolve share: 1 if @c is one of them, 0 if
 * not, -ENOMEM.
 */
static int resolve_option(int c, const char *arg)
{
	switch (c) {
	case 'S':
		opt.symbols = arg;
		return 1;
	case 'L':
		opt.vmlinux = arg;
		return 1;
	case 'M':
		opt.module_object = arg;
		return 1;
	case 'V':
		opt.symvers = arg;
		return 1;
	case 'P':
		return add_sympos(arg) ? -ENOMEM : 1;
	case 'W':
		return add_sibling(arg) ? -ENOMEM : 1;
	}
	return 0;
}

static bool want_resolve(void)
{
	return opt.symbols || opt.vmlinux || opt.symvers || opt.module_object || opt.nr_sympos ||
	       opt.nr_siblings;
}

static void resolve_opts(struct hp_resolve_opts *ro)
{
	memset(ro, 0, sizeof(*ro));
	ro->target = opt.target;
	ro->symbols = opt.symbols;
	ro->vmlinux = opt.vmlinux;
	ro->module_object = opt.module_object;
	ro->symvers = opt.symvers;
	ro->orig = opt.orig;
	ro->sympos = opt.sympos;
	ro->nr_sympos = opt.nr_sympos;
	ro->siblings = opt.siblings;
	ro->nr_siblings = opt.nr_siblings;
	ro->no_dwarf = opt.no_dwarf;
}

/* The long options diff and resolve share, and resolve's own. */
#define HP_DIFF_LONGOPTS \
	{ "json", no_argument, NULL, 'j' }, \
	{ "target", required_argument, NULL, 't' }, \
	{ "no-dwarf", no_argument, NULL, 'D' }, \
	{ "output", required_argument, NULL, 'o' }
#define HP_RESOLVE_LONGOPTS \
	{ "symbols", required_argument, NULL, 'S' }, \
	{ "vmlinux", required_argument, NULL, 'L' }, \
	{ "module-object", required_argument, NULL, 'M' }, \
	{ "symvers", required_argument, NULL, 'V' }, \
	{ "sympos", required_argument, NULL, 'P' }, \
	{ "with", required_argument, NULL, 'W' }, \
	{ "help", no_argument, NULL, 'h' }, \
	{ NULL, 0, NULL, 0 }

/*
 * The option loop of diff and resolve (lo says which options the command
 * has): -1 to go on, else the command's exit code (help, usage error).
 */
static int parse_diff_options(int argc, char **argv, const struct option *lo,
			      void (*usage)(FILE *f))
{
	int c;

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
		case 'O':
			opt.orig = optarg;
			break;
		case 'S':
		case 'L':
		case 'M':
		case 'V':
		case 'P':
		case 'W':
			if (resolve_option(c, optarg) < 0)
				return fail(-ENOMEM, "out of memory");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return EXIT_ERROR;
		}
	}
	return -1;
}

static int do_resolve(int argc, char **argv)
{
	static const struct option lo[] = {
		HP_DIFF_LONGOPTS,
		{ "orig", required_argument, NULL, 'O' },
		HP_RESOLVE_LONGOPTS,
	};
	struct hp_resolve_opts ro;
	struct hp_error err = { 0 };
	const struct hp_verdict *v;
	struct hp_resolve *r = NULL;
	int rc;

	rc = parse_diff_options(argc, argv, lo, usage_resolve);
	if (rc >= 0)
		return rc;
	if (argc - optind != 1 || !opt.output) {
		usage_resolve(stderr);
		return EXIT_ERROR;
	}
	if (!opt.orig)
		return fail(-EINVAL, "give the original object (--orig ORIG.o): it says which symbols are statics and where they sit");
	resolve_opts(&ro);
	if (hp_resolve_new(&ro, &r, &err))
		return fail(err.code, err.msg);
	rc = hp_resolve_object(r, argv[optind], opt.output, &err);
	if (rc && rc != -ENOEXEC) {
		hp_resolve_free(r);
		return fail(err.code, err.msg);
	}
	v = hp_resolve_verdict(r);
	if (opt.json) {
		struct json_object *o = hp_verdict_to_json(v);

		if (!o) {
			hp_resolve_free(r);
			return fail(-ENOMEM, "out of memory");
		}
		json_object_object_del(o, "empty");
		json_object_object_del(o, "functions");
		json_object_object_del(o, "children");
		json_object_object_del(o, "data");
		json_object_object_del(o, "special_sections");
		json_object_object_del(o, "eligible");
		json_object_object_add(o, "resolved", json_object_new_boolean(!rc));
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
		json_object_put(o);
	} else {
		hp_resolve_print(v, stdout);
	}
	hp_resolve_free(r);
	return rc ? EXIT_REFUSED : EXIT_ELIGIBLE;
}

static int do_diff(int argc, char **argv)
{
	static const struct option lo[] = {
		HP_DIFF_LONGOPTS,
		HP_RESOLVE_LONGOPTS,
	};
	struct hp_error err = { 0 };
	struct hp_diff_opts dopts = { 0 };
	struct hp_resolve_opts ro;
	const struct hp_verdict *v;
	struct hp_resolve *r = NULL;
	struct hp_diff *d = NULL;
	int rc;

	rc = parse_diff_options(argc, argv, lo, usage_diff);
	if (rc >= 0)
		return rc;
	if (argc - optind != 2) {
		usage_diff(stderr);
		return EXIT_ERROR;
	}
	dopts.target = opt.target;
	dopts.no_dwarf = opt.no_dwarf;
	if (want_resolve()) {
		if (!opt.output)
			return fail(-EINVAL, "the resolve options need -o OUT.o");
		resolve_opts(&ro);
		if (hp_resolve_new(&ro, &r, &err))
			return fail(err.code, err.msg);
	}
	if (hp_diff_new(&dopts, &d, &err) ||
	    hp_diff_load(d, argv[optind], argv[optind + 1], &err) ||
	    hp_diff_run(d, &err)) {
		hp_diff_free(d);
		hp_resolve_free(r);
		return fail(err.code, err.msg);
	}
	v = hp_diff_verdict(d);
	if (opt.output && hp_verdict_eligible(v) && !hp_verdict_empty(v)) {
		rc = r ? hp_diff_write_resolved(d, r, opt.output, &err) :
			 hp_diff_write(d, opt.output, &err);
		if (rc && rc != -ENOEXEC) {
			hp_diff_free(d);
			hp_resolve_free(r);
			return fail(err.code, err.msg);
		}
	}
	if (opt.json) {
		struct json_object *o = hp_verdict_to_json(v);

		if (!o) {
			hp_diff_free(d);
			hp_resolve_free(r);
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
	hp_resolve_free(r);
	return rc;
}

static void usage_module(FILE *f)
{
	fprintf(f,
		"usage: hotpatch-build module -o OUT.ko --name NAME --kdir KDIR --release REL\n"
		"           --build-id HEX --symbols KALLSYMS_OR_SYSTEM_MAP\n"
		"           [--module-object MODNAME=MOD.ko]... [--sympos OBJ:FUNC=N]...\n"
		"           [--key KEY.pem --cert CERT.pem] [--replace]\n"
		"           [--description TEXT] [--cve CVE-YYYY-NNNN]...\n"
		"           [--series NAME --patch-version N]\n"
		"           [--mode default|direct|ops] [--workdir DIR] [--keep] [--json]\n"
		"           OBJECT=PATCH.o [OBJECT=PATCH.o ...]\n"
		"\n"
		"Make the patch module from patch objects of `hotpatch-build diff -o`:\n"
		"generate its init, descriptors and trampolines, link it with kbuild against\n"
		"the target kernel's headers, add the manifest and sign it.\n"
		"\n"
		"  OBJECT=PATCH.o       a patch object and what it patches: vmlinux or a module\n"
		"  -o, --output F       the patch module to write (only when all went well)\n"
		"  --name NAME          patch and module name ([A-Za-z0-9_])\n"
		"  --kdir DIR           the target kernel's build tree or headers\n"
		"  --release REL        the target's `uname -r`\n"
		"  --build-id HEX       the target vmlinux's GNU build-id\n"
		"  --symbols F          the target's /proc/kallsyms (as root) or System.map\n"
		"  --module-object M=F  a target module as it runs (symbols, build-id)\n"
		"  --sympos OBJ:FUNC=N  position of a local function whose name is not unique\n"
		"  --key F --cert F     sign the manifest and the module\n"
		"  --replace            cumulative patch: replaces all other patches\n"
		"  --description TEXT   one line for humans (printable ASCII, at most 255)\n"
		"  --cve ID             a CVE the patch fixes (repeatable; or space-separated)\n"
		"  --series NAME        the vendor's patch series ([A-Za-z0-9_.-]); a newer\n"
		"                       version replaces the older, an older one is refused\n"
		"  --patch-version N    the patch's version in its series (N >= 1)\n"
		"  --mode M             redirect mode: default (the core's), direct, ops\n"
		"  --core-symvers F     Module.symvers of the hotpatch core\n"
		"  --workdir DIR        work here (a new directory) instead of under $TMPDIR\n"
		"  --keep               keep the work dir\n"
		"  --json               print a summary as JSON\n"
		"\n"
		"exit: 0 made, 1 error, 3 nothing to redirect, 4 the kernel build failed\n");
}

/* "A=B" -> A, B (in place); false without '=' or with an empty side */
static bool split_eq(char *arg, char **a, char **b)
{
	char *eq = strchr(arg, '=');

	if (!eq || eq == arg || !eq[1])
		return false;
	*eq = 0;
	*a = arg;
	*b = eq + 1;
	return true;
}

static int do_module(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "name", required_argument, NULL, 'n' },
		{ "kdir", required_argument, NULL, 'K' },
		{ "release", required_argument, NULL, 'r' },
		{ "build-id", required_argument, NULL, 'b' },
		{ "symbols", required_argument, NULL, 's' },
		{ "module-object", required_argument, NULL, 'm' },
		{ "sympos", required_argument, NULL, 'p' },
		{ "key", required_argument, NULL, 'k' },
		{ "cert", required_argument, NULL, 'c' },
		{ "replace", no_argument, NULL, 'R' },
		{ "description", required_argument, NULL, 'D' },
		{ "cve", required_argument, NULL, 'C' },
		{ "series", required_argument, NULL, 'Z' },
		{ "patch-version", required_argument, NULL, 'V' },
		{ "mode", required_argument, NULL, 'M' },
		{ "core-symvers", required_argument, NULL, 'S' },
		{ "workdir", required_argument, NULL, 'w' },
		{ "keep", no_argument, NULL, 'E' },
		{ "json", no_argument, NULL, 'j' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hp_gen_opts go = { .progress = stderr, .log = stderr };
	struct hp_gen_modobj *mods = NULL;
	struct hp_gen_sympos *pos = NULL;
	struct hp_gen_input *ins = NULL;
	struct hp_error err = { 0 };
	struct hp_gen *g = NULL;
	char *cves = NULL;
	char msg[600];
	int c, i, rc = EXIT_ERROR, ret;

	mods = calloc((size_t)argc, sizeof(*mods));
	pos = calloc((size_t)argc, sizeof(*pos));
	ins = calloc((size_t)argc, sizeof(*ins));
	if (!mods || !pos || !ins) {
		rc = fail(-ENOMEM, "out of memory");
		goto out;
	}
	go.modobjs = mods;
	go.sympos = pos;
	go.inputs = ins;
	optind = 1;
	while ((c = getopt_long(argc, argv, "o:h", lo, NULL)) != -1) {
		char *a, *b, *colon, *end;
		unsigned long n;

		switch (c) {
		case 'o': go.output = optarg; break;
		case 'n': go.name = optarg; break;
		case 'K': go.kdir = optarg; break;
		case 'r': go.release = optarg; break;
		case 'b': go.build_id = optarg; break;
		case 's': go.symbols = optarg; break;
		case 'k': go.key = optarg; break;
		case 'c': go.cert = optarg; break;
		case 'R': go.replace = true; break;
		case 'D': go.description = optarg; break;
		case 'Z': go.series = optarg; break;
		case 'C':
			ret = hp_cve_list_add(&cves, optarg);
			if (ret) {
				rc = fail(ret, ret == -EINVAL ?
					  "--cve: give an id like CVE-2024-1086" :
					  "out of memory");
				goto out;
			}
			go.cves = cves;
			break;
		case 'V':
			errno = 0;
			n = strtoul(optarg, &end, 10);
			if (!*optarg || *end || errno || !n || n > UINT32_MAX) {
				rc = fail(-EINVAL, "--patch-version: give a number from 1 to 4294967295");
				goto out;
			}
			go.patch_version = (unsigned int)n;
			break;
		case 'S': go.core_symvers = optarg; break;
		case 'w': go.workdir = optarg; break;
		case 'E': go.keep = true; break;
		case 'j': opt.json = true; break;
		case 'm':
			if (!split_eq(optarg, &a, &b)) {
				rc = fail(-EINVAL, "--module-object: give MODNAME=MOD.ko");
				goto out;
			}
			mods[go.nr_modobjs].name = a;
			mods[go.nr_modobjs++].path = b;
			break;
		case 'p':
			colon = strchr(optarg, ':');
			if (!colon || !split_eq(colon + 1, &a, &b) || colon == optarg ||
			    (errno = 0, n = strtoul(b, &end, 10), *end || errno ||
			     !n || n > UINT32_MAX)) {
				rc = fail(-EINVAL, "--sympos: give OBJECT:FUNCTION=N (N >= 1)");
				goto out;
			}
			*colon = 0;
			pos[go.nr_sympos].object = optarg;
			pos[go.nr_sympos].name = a;
			pos[go.nr_sympos++].pos = (unsigned int)n;
			break;
		case 'M':
			if (!strcmp(optarg, "default")) {
				go.mode = HP_GEN_MODE_DEFAULT;
			} else if (!strcmp(optarg, "direct")) {
				go.mode = HP_GEN_MODE_DIRECT;
			} else if (!strcmp(optarg, "ops")) {
				go.mode = HP_GEN_MODE_OPS;
			} else {
				rc = fail(-EINVAL, "--mode: default, direct or ops");
				goto out;
			}
			break;
		case 'h':
			usage_module(stdout);
			rc = 0;
			goto out;
		default:
			usage_module(stderr);
			goto out;
		}
	}
	for (i = optind; i < argc; i++) {
		char *a, *b;

		if (!split_eq(argv[i], &a, &b)) {
			snprintf(msg, sizeof(msg), "'%s': give OBJECT=PATCH.o (OBJECT: "
				 "vmlinux or a module name)", argv[i]);
			rc = fail(-EINVAL, msg);
			goto out;
		}
		ins[go.nr_inputs].object = a;
		ins[go.nr_inputs++].path = b;
	}
	if (!go.nr_inputs) {
		usage_module(stderr);
		goto out;
	}
	if (!go.series != !go.patch_version) {
		rc = fail(-EINVAL, go.series ?
			  "--series needs --patch-version N (the patch's version in the series, from 1)" :
			  "--patch-version needs --series NAME (the series it is a version of)");
		goto out;
	}
	ret = hp_gen_new(&go, &g, &err);
	if (!ret)
		ret = hp_gen_run(g, &err);
	if (ret) {
		rc = fail(err.code, err.msg);
		if (ret == -ENODATA)
			rc = EXIT_NOTHING;
		else if (hp_gen_build_failed(g))
			rc = EXIT_KBUILD;
		goto out;
	}
	if (opt.json) {
		struct json_object *o = hp_gen_to_json(g);

		if (!o) {
			rc = fail(-ENOMEM, "out of memory");
			goto out;
		}
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
		json_object_put(o);
	}
	rc = 0;
out:
	hp_gen_free(g);
	free(mods);
	free(pos);
	free(ins);
	free(cves);
	return rc;
}

static void usage_postlink(FILE *f)
{
	fprintf(f,
		"usage: hotpatch-build post-link [--json] [-o OUT.ko] IN.ko\n"
		"\n"
		"Turn the deferred relocations of a linked patch module\n"
		"(.hotpatch.klp_relocs) into livepatch relocations (.klp.rela.*\n"
		"sections, .klp.sym.* symbols). Run it after kbuild linked the\n"
		"module and before the manifest and signatures are added. A module\n"
		"without deferred relocations is copied unchanged.\n"
		"\n"
		"  --json          print what was done as JSON\n"
		"  -o, --output F  write F (default: rewrite IN.ko in place)\n"
		"\n"
		"exit: 0 done (or nothing to do), 1 error\n");
}

static int do_postlink(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hp_error err = { 0 };
	struct hp_postlink_stats st;
	const char *out;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jo:h", lo, NULL)) != -1) {
		switch (c) {
		case 'j':
			opt.json = true;
			break;
		case 'o':
			opt.output = optarg;
			break;
		case 'h':
			usage_postlink(stdout);
			return 0;
		default:
			usage_postlink(stderr);
			return EXIT_ERROR;
		}
	}
	if (argc - optind != 1) {
		usage_postlink(stderr);
		return EXIT_ERROR;
	}
	out = opt.output ? opt.output : argv[optind];
	if (hp_postlink(argv[optind], opt.output, &st, &err))
		return fail(err.code, err.msg);
	if (opt.json) {
		struct json_object *o = json_object_new_object();

		if (!o)
			return fail(-ENOMEM, "out of memory");
		json_object_object_add(o, "input", json_object_new_string(argv[optind]));
		json_object_object_add(o, "output", json_object_new_string(out));
		json_object_object_add(o, "changed", json_object_new_boolean(st.changed));
		json_object_object_add(o, "records", json_object_new_int64(st.records));
		json_object_object_add(o, "sections", json_object_new_int64(st.sections));
		json_object_object_add(o, "symbols", json_object_new_int64(st.symbols));
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
		json_object_put(o);
	} else if (st.changed) {
		printf("%s: %zu deferred relocations -> %zu .klp.rela sections, %zu .klp.sym symbols\n",
		       out, st.records, st.sections, st.symbols);
	} else {
		printf("%s: no deferred relocations, copied unchanged\n", out);
	}
	return 0;
}

static const struct cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} cmds[] = {
	{ "diff", do_diff, "compare an original and a patched object" },
	{ "resolve", do_resolve, "resolve a patch object's symbols against the target kernel" },
	{ "module", do_module, "make the patch module from patch objects" },
	{ "build", hp_build_cli, "build a patch module from a source fix (a diff)" },
	{ "post-link", do_postlink, "livepatch relocations for a linked module" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: hotpatch-build COMMAND [ARGS]\n\ncommands:\n");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		fprintf(f, "  %-10s %s\n", cmds[i].name, cmds[i].help);
	fprintf(f, "\n'hotpatch-build COMMAND --help' for details; --version prints the version.\n");
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
	if (!strcmp(argv[1], "--version")) {
		printf("hotpatch-build %s\n", HOTPATCH_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(argv[1], cmds[i].name))
			return cmds[i].fn(argc - 1, argv + 1);
	fprintf(stderr, "hotpatch-build: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_ERROR;
}
