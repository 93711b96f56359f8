// SPDX-License-Identifier: GPL-2.0
/*
 * libhpsign: offline verification of a patch module and its description.
 *
 * Every check runs (a failed one does not stop the others) and ends up in
 * the report as pass, fail or skip with one line of detail, so an admin
 * sees every problem at once. The checks mirror what the core does at
 * staging, in the same order: manifest, manifest signature, module
 * signature, target kernel, symbols.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct hp_check {
	char *name;
	enum hp_check_status status;
	char *detail;
};

struct hp_report {
	char *module;
	struct hp_check *checks;
	size_t nr;
};

__attribute__((format(printf, 4, 5)))
static void add(struct hp_report *r, const char *name,
		enum hp_check_status st, const char *fmt, ...)
{
	struct hp_check *n;
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	n = realloc(r->checks, (r->nr + 1) * sizeof(*n));
	if (!n)
		return;
	r->checks = n;
	n[r->nr].name = strdup(name);
	n[r->nr].status = st;
	n[r->nr].detail = strdup(buf);
	if (n[r->nr].name && n[r->nr].detail)
		r->nr++;
	else {
		free(n[r->nr].name);
		free(n[r->nr].detail);
	}
}

const char *hp_check_status_name(enum hp_check_status st)
{
	switch (st) {
	case HP_CHECK_PASS:
		return "pass";
	case HP_CHECK_FAIL:
		return "fail";
	case HP_CHECK_SKIP:
		return "skip";
	}
	return "unknown";
}

bool hp_report_ok(const struct hp_report *r)
{
	size_t i;

	for (i = 0; i < r->nr; i++)
		if (r->checks[i].status == HP_CHECK_FAIL)
			return false;
	return true;
}

size_t hp_report_count(const struct hp_report *r)
{
	return r->nr;
}

void hp_report_get(const struct hp_report *r, size_t i, const char **check,
		   enum hp_check_status *status, const char **detail)
{
	*check = r->checks[i].name;
	*status = r->checks[i].status;
	*detail = r->checks[i].detail;
}

void hp_report_free(struct hp_report *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < r->nr; i++) {
		free(r->checks[i].name);
		free(r->checks[i].detail);
	}
	free(r->checks);
	free(r->module);
	free(r);
}

json_object *hp_report_to_json(const struct hp_report *r)
{
	json_object *o = json_object_new_object(), *a = json_object_new_array();
	size_t i;

	json_object_object_add(o, "module", json_object_new_string(r->module));
	json_object_object_add(o, "ok", json_object_new_boolean(hp_report_ok(r)));
	for (i = 0; i < r->nr; i++) {
		json_object *c = json_object_new_object();

		json_object_object_add(c, "check",
				       json_object_new_string(r->checks[i].name));
		json_object_object_add(c, "status",
				       json_object_new_string(hp_check_status_name(r->checks[i].status)));
		json_object_object_add(c, "detail",
				       json_object_new_string(r->checks[i].detail));
		json_object_array_add(a, c);
	}
	json_object_object_add(o, "checks", a);
	return o;
}

/* A PKCS#7 the kernel would not take for a module (or manifest) sig */
static const char *kernel_format_problem(const struct hp_sig_info *si)
{
	if (si->has_signed_attrs)
		return "has signed attributes (the kernel refuses them for module signatures)";
	if (strcmp(si->hash, "sha256") && strcmp(si->hash, "sha384") &&
	    strcmp(si->hash, "sha512"))
		return "digest is not SHA-2";
	if (strcmp(si->algo, "rsa"))
		return "not an RSA signature (the test kernel has no ECDSA)";
	return NULL;
}

static void check_sig(struct hp_report *r, const char *name, const void *der,
		      size_t der_len, const void *data, size_t len,
		      const struct hp_cert *cert, bool required)
{
	struct hp_sig_info si;
	struct hp_msg m = { "" };
	const char *bad;
	int err;

	if (!der) {
		add(r, name, required ? HP_CHECK_FAIL : HP_CHECK_SKIP,
		    "not signed");
		return;
	}
	if (hp_pkcs7_info(der, der_len, &si, &m)) {
		add(r, name, HP_CHECK_FAIL, "malformed PKCS#7: %s", m.text);
		return;
	}
	bad = kernel_format_problem(&si);
	if (bad) {
		add(r, name, HP_CHECK_FAIL, "%s", bad);
		return;
	}
	if (!cert) {
		add(r, name, HP_CHECK_SKIP,
		    "signer '%s' key %s %s: not verified (no certificate given)",
		    si.signer, si.key_id, si.hash);
		return;
	}
	err = hp_pkcs7_verify(der, der_len, data, len, cert, &m);
	if (err)
		add(r, name, HP_CHECK_FAIL, "%s (signer '%s', key %s)", m.text,
		    si.signer, si.key_id);
	else
		add(r, name, HP_CHECK_PASS, "valid: signer '%s', key %s, %s",
		    si.signer, si.key_id, si.hash);
}

static void check_symbols(struct hp_report *r, const struct hotpatch_mf *mf,
			  const struct hp_symtab *t, const char *src)
{
	struct hotpatch_mf_func func;
	struct hotpatch_mf_obj obj;
	uint64_t addr, size;
	unsigned int nbad = 0, nok = 0, nskip = 0;
	bool exact;
	u32 i, j;
	int err;

	hotpatch_mf_for_each_obj(mf, i, &obj) {
		/* a module that is not loaded (or System.map: no modules) */
		if (strcmp(obj.name, HOTPATCH_VMLINUX) &&
		    !hp_symtab_has_obj(t, obj.name)) {
			nskip += obj.func_count;
			continue;
		}
		hotpatch_mf_for_each_func(mf, &obj, j, &func) {
			err = hp_symtab_lookup(t, obj.name, func.old_name,
					       func.old_sympos, &addr, &size,
					       &exact);
			if (err == -ENOENT)
				add(r, "symbol", HP_CHECK_FAIL,
				    "'%s' not in '%s' in %s", func.old_name,
				    obj.name, src);
			else if (err == -ENOTUNIQ)
				add(r, "symbol", HP_CHECK_FAIL,
				    "'%s' is ambiguous in '%s' in %s and sympos is 0",
				    func.old_name, obj.name, src);
			else if (err)
				add(r, "symbol", HP_CHECK_FAIL,
				    "'%s',%u: no such position in '%s' in %s",
				    func.old_name, func.old_sympos, obj.name, src);
			else if (exact && size != func.old_size)
				add(r, "symbol", HP_CHECK_FAIL,
				    "'%s',%u: size %llu in %s, the patch expects %u",
				    func.old_name, func.old_sympos,
				    (unsigned long long)size, src, func.old_size);
			else if (!exact && size && func.old_size > size)
				add(r, "symbol", HP_CHECK_FAIL,
				    "'%s',%u: at most %llu bytes in %s, the patch expects %u",
				    func.old_name, func.old_sympos,
				    (unsigned long long)size, src, func.old_size);
			else {
				nok++;
				continue;
			}
			nbad++;
		}
	}
	if (!nbad)
		add(r, "symbols", HP_CHECK_PASS,
		    "%u function(s) found in %s%s", nok, src,
		    nskip ? "; functions of modules it does not list not checked" : "");
}

static void check_target(struct hp_report *r, const struct hotpatch_mf *mf,
			 const struct hp_verify_opts *o)
{
	char reason[HOTPATCH_MF_REASON_LEN], hex[2 * HOTPATCH_BUILD_ID_MAX + 1];
	uint8_t id[HOTPATCH_BUILD_ID_MAX];
	struct hp_symtab *t = NULL;
	struct hp_msg m = { "" };
	size_t id_len = 0;
	const char *src;
	int err;

	if (o->kernel_release) {
		if (hotpatch_manifest_check_kernel(mf, o->kernel_release, NULL, 0,
						   reason, sizeof(reason)))
			add(r, "kernel-release", HP_CHECK_FAIL, "%s", reason);
		else
			add(r, "kernel-release", HP_CHECK_PASS, "%s", mf->release);
	} else {
		add(r, "kernel-release", HP_CHECK_SKIP,
		    "built for '%s' (no --kernel-release given)", mf->release);
	}

	err = -ENODATA;
	if (o->build_id_hex) {
		err = hp_build_id_parse(o->build_id_hex, id, &id_len);
		if (err)
			add(r, "build-id", HP_CHECK_FAIL,
			    "'%s' is not a hex build-id", o->build_id_hex);
	} else if (o->build_id_file || o->vmlinux) {
		src = o->build_id_file ? o->build_id_file : o->vmlinux;
		err = hp_build_id_read(src, id, &id_len, &m);
		if (err)
			add(r, "build-id", HP_CHECK_FAIL, "%s", m.text);
	}
	hp_hex(hex, mf->build_id, mf->build_id_len);
	if (!err) {
		if (hotpatch_manifest_check_kernel(mf, NULL, id, id_len, reason,
						   sizeof(reason)))
			add(r, "build-id", HP_CHECK_FAIL, "%s", reason);
		else
			add(r, "build-id", HP_CHECK_PASS, "%s", hex);
	} else if (err == -ENODATA) {
		add(r, "build-id", HP_CHECK_SKIP,
		    "built for %s (no build-id, vmlinux or notes file given)",
		    hex);
	}

	src = o->vmlinux ? o->vmlinux : o->system_map;
	if (!src) {
		add(r, "symbols", HP_CHECK_SKIP,
		    "no --system-map or --vmlinux given");
		return;
	}
	err = o->vmlinux ? hp_symtab_read_elf(src, &t, &m) :
			   hp_symtab_read_system_map(src, &t, &m);
	if (err) {
		add(r, "symbols", HP_CHECK_FAIL, "%s", m.text);
		return;
	}
	check_symbols(r, mf, t, src);
	hp_symtab_free(t);
}

static void check_patch_symbols(struct hp_report *r,
				const struct hp_patchmod *pm,
				const struct hotpatch_mf *mf)
{
	struct hotpatch_mf_func func;
	unsigned int nbad = 0;
	u32 i;

	for (i = 0; i < mf->nr_funcs; i++) {
		hotpatch_mf_get_func(mf, i, &func);
		if (!hp_patchmod_has_symbol(pm, func.new_name)) {
			add(r, "patch-symbols", HP_CHECK_FAIL,
			    "new function '%s' (for '%s') is not defined in the module",
			    func.new_name, func.old_name);
			nbad++;
		}
		if (func.tramp_name && !hp_patchmod_has_symbol(pm, func.tramp_name)) {
			add(r, "patch-symbols", HP_CHECK_FAIL,
			    "trampoline '%s' (for '%s') is not defined in the module",
			    func.tramp_name, func.old_name);
			nbad++;
		}
	}
	if (!nbad)
		add(r, "patch-symbols", HP_CHECK_PASS,
		    "%u new function(s) and their trampolines are defined",
		    mf->nr_funcs);
}

/* The signed metadata, for humans: series and version, CVEs, description */
static void add_metadata(struct hp_report *r, const struct hotpatch_mf *mf)
{
	char ver[96] = "", cves[HOTPATCH_CVES_MAX + 16] = "";

	if (mf->series)
		snprintf(ver, sizeof(ver), "series '%s' version %u; ", mf->series,
			 mf->patch_version);
	if (mf->cves)
		snprintf(cves, sizeof(cves), "fixes %s; ", mf->cves);
	add(r, "metadata", HP_CHECK_PASS, "%s%s%s", ver, cves,
	    mf->description ? mf->description : "no description");
}

int hp_verify(const char *module_path, const struct hp_verify_opts *o,
	      struct hp_report **out, struct hp_msg *msg)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	struct hp_patchmod *pm = NULL;
	struct hp_cert *cert = NULL;
	struct hp_report *r;
	struct hotpatch_mf mf;
	const void *mfb, *sig, *img;
	size_t mf_len, sig_len, img_len;
	struct hp_msg m = { "" };
	const char *modname;
	bool mf_ok = false;
	int err;

	err = hp_patchmod_read(module_path, &pm, msg);
	if (err)
		return err;
	if (o->cert) {
		err = hp_cert_read(o->cert, &cert, msg);
		if (err) {
			hp_patchmod_free(pm);
			return err;
		}
	}
	r = calloc(1, sizeof(*r));
	if (!r || !(r->module = strdup(module_path))) {
		free(r);
		hp_cert_free(cert);
		hp_patchmod_free(pm);
		return -ENOMEM;
	}

	/* 1. the manifest, as the core's staging parses it */
	mfb = hp_patchmod_manifest(pm, &mf_len);
	if (!mfb) {
		add(r, "manifest", HP_CHECK_FAIL, "no %s section",
		    HOTPATCH_MANIFEST_SECTION);
	} else if ((err = hotpatch_manifest_parse(mfb, mf_len, &mf, reason,
						  sizeof(reason)))) {
		add(r, "manifest", HP_CHECK_FAIL, "%s (%s)", reason,
		    err == -EINVAL ? "EINVAL" : "ENOEXEC");
	} else {
		mf_ok = true;
		add(r, "manifest", HP_CHECK_PASS,
		    "patch '%s', version %u, %u object(s), %u function(s)",
		    mf.name, mf.version, mf.nr_objs, mf.nr_funcs);
		if (mf.series || mf.description || mf.cves)
			add_metadata(r, &mf);
	}
	if (hp_patchmod_check_sections(pm, &m))
		add(r, "sections", HP_CHECK_FAIL, "%s", m.text);
	else
		add(r, "sections", HP_CHECK_PASS,
		    "manifest and signature sections are read-only SHF_ALLOC, marked by their symbols, no relocations");
	modname = hp_patchmod_modinfo(pm, "name");
	if (mf_ok && modname) {
		char norm[HOTPATCH_NAME_MAX + 1];
		size_t i;

		/* the kernel shows '-' as '_' in module names */
		snprintf(norm, sizeof(norm), "%s", mf.name);
		for (i = 0; norm[i]; i++)
			if (norm[i] == '-')
				norm[i] = '_';
		if (strcmp(norm, modname))
			add(r, "name", HP_CHECK_FAIL,
			    "manifest names patch '%s', the module is '%s'",
			    mf.name, modname);
		else
			add(r, "name", HP_CHECK_PASS, "%s", modname);
	}

	/* 2. the detached manifest signature */
	sig = hp_patchmod_manifest_sig(pm, &sig_len);
	if (mfb)
		check_sig(r, "manifest-signature", sig, sig_len, mfb, mf_len, cert,
			  true);

	/* 3. the appended module signature (what mod->sig_ok reflects) */
	sig = hp_patchmod_module_sig(pm, &sig_len);
	img = hp_patchmod_image(pm, &img_len);
	check_sig(r, "module-signature", sig, sig_len, img,
		  hp_patchmod_signed_len(pm), cert, o->require_module_sig);

	/* 4. fit to the target kernel, 5. the patch module's own symbols */
	if (mf_ok) {
		check_target(r, &mf, o);
		check_patch_symbols(r, pm, &mf);
	}

	hp_cert_free(cert);
	hp_patchmod_free(pm);
	*out = r;
	return 0;
}

/* ---- describe (inspect) -------------------------------------------------- */

static json_object *jstr_or_null(const char *s)
{
	return s ? json_object_new_string(s) : NULL;
}

/* "CVE-a CVE-b" as a JSON array; [] for none */
static json_object *mf_cves_json(const char *cves)
{
	json_object *a = json_object_new_array();
	const char *p = cves;
	size_t n;

	while (a && p && *p) {
		n = strcspn(p, " ");
		json_object_array_add(a, json_object_new_string_len(p, (int)n));
		p += n + (p[n] == ' ');
	}
	return a;
}

static json_object *describe_sig(const void *der, size_t der_len,
				 const void *data, size_t len,
				 const struct hp_cert *cert)
{
	json_object *o = json_object_new_object();
	struct hp_sig_info si;
	struct hp_msg m = { "" };
	int err;

	json_object_object_add(o, "present", json_object_new_boolean(der != NULL));
	if (!der)
		return o;
	json_object_object_add(o, "size", json_object_new_int64((int64_t)der_len));
	if (hp_pkcs7_info(der, der_len, &si, &m)) {
		json_object_object_add(o, "error", json_object_new_string(m.text));
		return o;
	}
	json_object_object_add(o, "signer", json_object_new_string(si.signer));
	json_object_object_add(o, "key_id", json_object_new_string(si.key_id));
	json_object_object_add(o, "hash", json_object_new_string(si.hash));
	json_object_object_add(o, "algorithm", json_object_new_string(si.algo));
	json_object_object_add(o, "signed_attributes",
			       json_object_new_boolean(si.has_signed_attrs));
	if (cert) {
		err = hp_pkcs7_verify(der, der_len, data, len, cert, &m);
		json_object_object_add(o, "valid", json_object_new_boolean(!err));
		if (err)
			json_object_object_add(o, "error",
					       json_object_new_string(m.text));
	}
	return o;
}

json_object *hp_patchmod_describe(const struct hp_patchmod *pm,
				  const struct hp_cert *cert)
{
	char reason[HOTPATCH_MF_REASON_LEN], hex[2 * HOTPATCH_BUILD_ID_MAX + 1];
	json_object *o = json_object_new_object(), *jm, *objs, *jo, *funcs, *jf;
	struct hotpatch_mf_func func;
	struct hotpatch_mf_obj obj;
	struct hotpatch_mf mf;
	const void *mfb, *sig;
	size_t mf_len, sig_len;
	u32 i, j;
	int err;

	json_object_object_add(o, "module", jstr_or_null(hp_patchmod_path(pm)));
	json_object_object_add(o, "modinfo_name",
			       jstr_or_null(hp_patchmod_modinfo(pm, "name")));
	mfb = hp_patchmod_manifest(pm, &mf_len);
	jm = json_object_new_object();
	json_object_object_add(jm, "present", json_object_new_boolean(mfb != NULL));
	if (mfb) {
		json_object_object_add(jm, "size", json_object_new_int64((int64_t)mf_len));
		err = hotpatch_manifest_parse(mfb, mf_len, &mf, reason,
					      sizeof(reason));
		json_object_object_add(jm, "valid", json_object_new_boolean(!err));
		if (err) {
			json_object_object_add(jm, "error",
					       json_object_new_string(reason));
		} else {
			json_object_object_add(jm, "version", json_object_new_int(mf.version));
			json_object_object_add(jm, "name", json_object_new_string(mf.name));
			json_object_object_add(jm, "kernel_release",
					       json_object_new_string(mf.release));
			hp_hex(hex, mf.build_id, mf.build_id_len);
			json_object_object_add(jm, "kernel_build_id",
					       json_object_new_string(hex));
			json_object_object_add(jm, "replace",
					       json_object_new_boolean(mf.flags & HOTPATCH_MF_REPLACE));
			json_object_object_add(jm, "flags", json_object_new_int64(mf.flags));
			json_object_object_add(jm, "mode",
					       json_object_new_string(hotpatch_mf_mode_name(mf.mode)));
			json_object_object_add(jm, "description", jstr_or_null(mf.description));
			json_object_object_add(jm, "series", jstr_or_null(mf.series));
			json_object_object_add(jm, "patch_version",
					       json_object_new_int64(mf.patch_version));
			json_object_object_add(jm, "cves", mf_cves_json(mf.cves));
			objs = json_object_new_array();
			hotpatch_mf_for_each_obj(&mf, i, &obj) {
				jo = json_object_new_object();
				json_object_object_add(jo, "name", json_object_new_string(obj.name));
				json_object_object_add(jo, "srcversion", jstr_or_null(obj.srcversion));
				if (obj.build_id) {
					hp_hex(hex, obj.build_id, obj.build_id_len);
					json_object_object_add(jo, "build_id",
							       json_object_new_string(hex));
				} else {
					json_object_object_add(jo, "build_id", NULL);
				}
				funcs = json_object_new_array();
				hotpatch_mf_for_each_func(&mf, &obj, j, &func) {
					jf = json_object_new_object();
					json_object_object_add(jf, "old_name", json_object_new_string(func.old_name));
					json_object_object_add(jf, "old_sympos", json_object_new_int64(func.old_sympos));
					json_object_object_add(jf, "old_size", json_object_new_int64(func.old_size));
					json_object_object_add(jf, "new_name", json_object_new_string(func.new_name));
					json_object_object_add(jf, "tramp_name", jstr_or_null(func.tramp_name));
					json_object_array_add(funcs, jf);
				}
				json_object_object_add(jo, "functions", funcs);
				json_object_array_add(objs, jo);
			}
			json_object_object_add(jm, "objects", objs);
		}
	}
	json_object_object_add(o, "manifest", jm);
	sig = hp_patchmod_manifest_sig(pm, &sig_len);
	json_object_object_add(o, "manifest_signature",
			       describe_sig(sig, sig_len, mfb, mf_len, cert));
	sig = hp_patchmod_module_sig(pm, &sig_len);
	{
		size_t img_len;
		const void *img = hp_patchmod_image(pm, &img_len);

		json_object_object_add(o, "module_signature",
				       describe_sig(sig, sig_len, img,
						    hp_patchmod_signed_len(pm),
						    cert));
	}
	return o;
}
