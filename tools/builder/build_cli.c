// SPDX-License-Identifier: GPL-2.0
/* `hotpatch-build build`: options in, hp_build_run(), report out. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <json-c/json.h>

#include "build.h"
#include "internal.h"

static void usage_build(FILE *f)
{
	fprintf(f,
		"usage: hotpatch-build build --src TREE|TARBALL --kdir KDIR [--name NAME]\n"
		"                            [--facts DIR] [--release REL] [--build-id HEX|FILE]\n"
		"                            [--symbols KALLSYMS] [options] FIX.patch...\n"
		"\n"
		"Build a signed patch module from unified diffs (-p1, applied in order: a\n"
		"series or a whole commit) against the target kernel's source: prepare a\n"
		"private copy of the tree with the target's config (cached), compile each\n"
		"touched .c original and patched, find its object (vmlinux or a module),\n"
		"diff and resolve, generate one module for all of them.\n"
		"\n"
		"  --src TREE|TARBALL  the target's kernel source (never modified)\n"
		"  --kdir KDIR         the target's headers (linux-headers-RELEASE)\n"
		"  --config FILE       the target's .config (default KDIR/.config)\n"
		"  --name NAME         patch module name (default: hp_ + the first diff's\n"
		"                      file name, [a-z0-9_] only)\n"
		"  -o, --output FILE   the module (default NAME.ko)\n"
		"  --facts DIR         DIR/release, DIR/build-id, DIR/kallsyms\n"
		"  --release REL       uname -r of the target (default: KDIR's)\n"
		"  --build-id HEX|FILE vmlinux build-id: hex, a copy of /sys/kernel/notes,\n"
		"                      or the vmlinux\n"
		"  --symbols FILE      /proc/kallsyms of the target (modules loaded), or\n"
		"                      System.map\n"
		"  --vmlinux FILE      the target's unstripped vmlinux (linux-image-REL-dbg):\n"
		"                      its FILE symbols tell same-named statics apart (the\n"
		"                      two copies of fs/binfmt_elf.c)\n"
		"  --symvers FILE      Module.symvers (default KDIR/Module.symvers)\n"
		"  --module-object MOD=PATH.ko  a target module's .ko (repeatable)\n"
		"  --modules DIR       find target modules' .ko files under DIR\n"
		"  --object FILE=OBJ   FILE belongs to OBJ (vmlinux or a module name)\n"
		"  --sympos NAME=N     passed to the resolve stage (repeatable)\n"
		"  --key K --cert C    sign with this key and certificate\n"
		"  --replace           an atomic-replace (cumulative) patch\n"
		"  --description TEXT  manifest metadata: one line for humans\n"
		"  --cve ID            a CVE the patch fixes (repeatable)\n"
		"  --series NAME       the vendor's patch series ([A-Za-z0-9_.-])\n"
		"  --patch-version N   the patch's version in --series (N >= 1): a newer\n"
		"                      version replaces the older, an older is refused\n"
		"  --mode M            redirect mode passed to the module\n"
		"  --cache DIR         prepared trees (default $HOTPATCH_CACHE/trees or\n"
		"                      ~/.cache/hotpatch/trees)\n"
		"  --cc CC             compiler (default: the one the config names)\n"
		"  --skip-compiler-check  build even if the compiler differs from the\n"
		"                      target's (the patch is then likely wrong)\n"
		"  -j, --jobs N        make -j (default: number of CPUs)\n"
		"  --workdir DIR       work directory (default: a temporary one, removed\n"
		"                      at the end, also on refusal and error)\n"
		"  --keep              keep the work directory (and its logs)\n"
		"  --json              the report as JSON on stdout\n"
		"  -q, --quiet         no progress lines\n"
		"\n"
		"exit: 0 built, 1 error, 2 refused, 3 nothing to patch, 130 interrupted\n");
}

static int push(char ***arr, size_t *nr, char *v)
{
	char **n = realloc(*arr, (*nr + 1) * sizeof(**arr));

	if (!n)
		return -ENOMEM;
	*arr = n;
	n[(*nr)++] = v;
	return 0;
}

static void print_error(bool json, const struct hp_error *err)
{
	if (json) {
		struct json_object *o = json_object_new_object();

		json_object_object_add(o, "error", json_object_new_string(err->msg));
		json_object_object_add(o, "errno", json_object_new_int(-err->code));
		printf("%s\n", json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY));
		json_object_put(o);
	} else {
		fprintf(stderr, "hotpatch-build: %s\n", err->msg);
	}
}

int hp_build_cli(int argc, char **argv)
{
	enum { O_SRC = 256, O_KDIR, O_CONFIG, O_NAME, O_FACTS, O_RELEASE,
	       O_BUILD_ID, O_SYMBOLS, O_VMLINUX, O_SYMVERS, O_MODOBJ, O_MODULES, O_OBJECT,
	       O_SYMPOS, O_KEY, O_CERT, O_REPLACE, O_MODE, O_CACHE, O_CC,
	       O_SKIPCC, O_WORKDIR, O_KEEP, O_JSON, O_DESC, O_CVE, O_SERIES,
	       O_PVER };
	static const struct option lo[] = {
		{ "src", required_argument, NULL, O_SRC },
		{ "kdir", required_argument, NULL, O_KDIR },
		{ "config", required_argument, NULL, O_CONFIG },
		{ "name", required_argument, NULL, O_NAME },
		{ "output", required_argument, NULL, 'o' },
		{ "facts", required_argument, NULL, O_FACTS },
		{ "release", required_argument, NULL, O_RELEASE },
		{ "build-id", required_argument, NULL, O_BUILD_ID },
		{ "symbols", required_argument, NULL, O_SYMBOLS },
		{ "vmlinux", required_argument, NULL, O_VMLINUX },
		{ "symvers", required_argument, NULL, O_SYMVERS },
		{ "module-object", required_argument, NULL, O_MODOBJ },
		{ "modules", required_argument, NULL, O_MODULES },
		{ "object", required_argument, NULL, O_OBJECT },
		{ "sympos", required_argument, NULL, O_SYMPOS },
		{ "key", required_argument, NULL, O_KEY },
		{ "cert", required_argument, NULL, O_CERT },
		{ "replace", no_argument, NULL, O_REPLACE },
		{ "description", required_argument, NULL, O_DESC },
		{ "cve", required_argument, NULL, O_CVE },
		{ "series", required_argument, NULL, O_SERIES },
		{ "patch-version", required_argument, NULL, O_PVER },
		{ "mode", required_argument, NULL, O_MODE },
		{ "cache", required_argument, NULL, O_CACHE },
		{ "cc", required_argument, NULL, O_CC },
		{ "skip-compiler-check", no_argument, NULL, O_SKIPCC },
		{ "jobs", required_argument, NULL, 'j' },
		{ "workdir", required_argument, NULL, O_WORKDIR },
		{ "keep", no_argument, NULL, O_KEEP },
		{ "json", no_argument, NULL, O_JSON },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct hp_build_opts o = { 0 };
	struct hp_error err = { 0 };
	struct json_object *report = NULL;
	char self[PATH_MAX];
	bool json = false;
	char *cves = NULL;
	ssize_t n;
	int c, rc = 0;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:j:qh", lo, NULL)) != -1) {
		switch (c) {
		case O_SRC: o.src = optarg; break;
		case O_KDIR: o.kdir = optarg; break;
		case O_CONFIG: o.config = optarg; break;
		case O_NAME: o.name = optarg; break;
		case 'o': o.output = optarg; break;
		case O_FACTS: o.facts = optarg; break;
		case O_RELEASE: o.release = optarg; break;
		case O_BUILD_ID: o.build_id = optarg; break;
		case O_SYMBOLS: o.symbols = optarg; break;
		case O_VMLINUX: o.vmlinux = optarg; break;
		case O_SYMVERS: o.symvers = optarg; break;
		case O_MODULES: o.modules_dir = optarg; break;
		case O_KEY: o.key = optarg; break;
		case O_CERT: o.cert = optarg; break;
		case O_REPLACE: o.replace = true; break;
		case O_DESC: o.description = optarg; break;
		case O_SERIES: o.series = optarg; break;
		case O_PVER: o.patch_version = optarg; break;
		case O_CVE: {
			/* collected; the module step checks each id */
			char *n = cves ? hp_asprintf("%s %s", cves, optarg) :
					 strdup(optarg);

			rc = n ? 0 : -ENOMEM;
			if (n) {
				free(cves);
				o.cves = cves = n;
			}
			break;
		}
		case O_MODE: o.mode = optarg; break;
		case O_CACHE: o.cache = optarg; break;
		case O_CC: o.cc = optarg; break;
		case O_SKIPCC: o.skip_compiler_check = true; break;
		case O_WORKDIR: o.workdir = optarg; break;
		case O_KEEP: o.keep = true; break;
		case O_JSON: json = true; break;
		case 'q': o.quiet = true; break;
		case O_MODOBJ:
			rc = push(&o.module_objects, &o.nr_module_objects, optarg);
			break;
		case O_OBJECT:
			if (!strchr(optarg, '=') || optarg[0] == '=' ||
			    !strchr(optarg, '=')[1]) {
				hp_error_set(&err, -EINVAL,
					     "--object wants FILE=OBJECT (e.g. fs/binfmt_misc.c=binfmt_misc), got '%s'",
					     optarg);
				print_error(json, &err);
				rc = HP_BUILD_ERROR;
				goto out;
			}
			rc = push(&o.object_overrides, &o.nr_object_overrides, optarg);
			break;
		case O_SYMPOS:
			rc = push(&o.sympos, &o.nr_sympos, optarg);
			break;
		case 'j':
			o.jobs = atoi(optarg);
			if (o.jobs <= 0) {
				hp_error_set(&err, -EINVAL,
					     "--jobs wants a positive number, got '%s'", optarg);
				print_error(json, &err);
				rc = HP_BUILD_ERROR;
				goto out;
			}
			break;
		case 'h':
			usage_build(stdout);
			goto out;
		default:
			usage_build(stderr);
			rc = HP_BUILD_ERROR;
			goto out;
		}
		if (rc) {
			hp_error_set(&err, -ENOMEM, "out of memory");
			print_error(json, &err);
			rc = HP_BUILD_ERROR;
			goto out;
		}
	}
	if (argc - optind < 1) {
		fprintf(stderr, "hotpatch-build build: no diff given\n");
		usage_build(stderr);
		rc = HP_BUILD_ERROR;
		goto out;
	}
	if (!o.series != !o.patch_version) {
		hp_error_set(&err, -EINVAL, o.series ?
			     "--series needs --patch-version N (the patch's version in the series, from 1)" :
			     "--patch-version needs --series NAME (the series it is a version of)");
		print_error(json, &err);
		rc = HP_BUILD_ERROR;
		goto out;
	}
	o.diffs = (const char *const *)&argv[optind];
	o.nr_diffs = argc - optind;
	if (!o.jobs) {
		long cpus = sysconf(_SC_NPROCESSORS_ONLN);

		o.jobs = cpus > 0 ? (int)cpus : 1;
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0) {
		hp_error_set(&err, -errno, "cannot find my own binary: %s",
			     strerror(errno));
		print_error(json, &err);
		rc = HP_BUILD_ERROR;
		goto out;
	}
	self[n] = '\0';
	o.self = self;
	o.progress = stderr;

	rc = hp_build_run(&o, &report, &err);
	if (rc == HP_BUILD_ERROR || rc == HP_BUILD_INTERRUPTED) {
		if (json) {
			json_object_object_add(report, "error",
					       json_object_new_string(err.msg));
			json_object_object_add(report, "errno",
					       json_object_new_int(-err.code));
		} else {
			fprintf(stderr, "hotpatch-build: %s\n", err.msg);
		}
	}
	/* compiler output and cut messages: the JSON must be valid UTF-8 */
	hp_json_utf8_clean(report);
	if (json)
		printf("%s\n", json_object_to_json_string_ext(report,
							      JSON_C_TO_STRING_PRETTY));
	else if (rc != HP_BUILD_ERROR && rc != HP_BUILD_INTERRUPTED)
		hp_build_report_print(report, stdout);
	json_object_put(report);
out:
	free(o.module_objects);
	free(o.object_overrides);
	free(o.sympos);
	free(cves);
	return rc;
}
