// SPDX-License-Identifier: GPL-2.0
/* JSON views of the sysfs tree (json-c). Unknown values are null. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "libhotpatch.h"

/*
 * json_object_object_add() takes over val; a NULL val adds a JSON null,
 * so allocation failures are caught by checking the container at the
 * end is not enough: track them in *ok.
 */
static void add(json_object *o, const char *key, json_object *val, bool *ok)
{
	if (json_object_object_add(o, key, val)) {
		json_object_put(val);
		*ok = false;
	}
}

static void add_str(json_object *o, const char *key, const char *s, bool *ok)
{
	json_object *v = NULL;

	if (s && !(v = json_object_new_string(s)))
		*ok = false;
	add(o, key, v, ok);
}

static void add_bool(json_object *o, const char *key, int b, bool *ok)
{
	json_object *v = NULL;

	if (b >= 0 && !(v = json_object_new_boolean(b)))
		*ok = false;
	add(o, key, v, ok);
}

static void add_int(json_object *o, const char *key, int64_t i, bool *ok)
{
	json_object *v = NULL;

	if (i >= 0 && !(v = json_object_new_int64(i)))
		*ok = false;
	add(o, key, v, ok);
}

static void add_mode(json_object *o, const char *key, enum hp_mode m,
		     bool *ok)
{
	add_str(o, key, m == HP_MODE_UNKNOWN ? NULL : hp_mode_to_string(m), ok);
}

static void add_addr(json_object *o, const char *key, bool known,
		     uint64_t addr, bool *ok)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "0x%016" PRIx64, addr);
	add_str(o, key, known ? buf : NULL, ok);
}

/* "blocking": the report, or null when the core has no such file */
static void add_blocking(json_object *o, const struct hp_blocking *bl,
			 bool *ok)
{
	json_object *v = NULL;

	if (bl && !(v = hp_blocking_to_json(bl)))
		*ok = false;
	add(o, "blocking", v, ok);
}

static json_object *done(json_object *o, bool ok)
{
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *func_to_json(const struct hp_func *f)
{
	json_object *o = json_object_new_object();
	uint64_t addr = 0;
	bool ok = o != NULL, known;

	if (!o)
		return NULL;
	add_str(o, "name", hp_func_name(f), &ok);
	add_int(o, "sympos", (int64_t)hp_func_sympos(f), &ok);
	known = hp_func_old_addr(f, &addr);
	add_addr(o, "old_addr", known, addr, &ok);
	known = hp_func_new_addr(f, &addr);
	add_addr(o, "new_addr", known, addr, &ok);
	add_mode(o, "mode", hp_func_mode(f), &ok);
	add_bool(o, "patched", hp_func_patched(f), &ok);
	return done(o, ok);
}

static json_object *object_to_json(const struct hp_object *obj)
{
	json_object *o = json_object_new_object(), *funcs, *f;
	bool ok = o != NULL;
	size_t i;

	if (!o)
		return NULL;
	add_str(o, "name", hp_object_name(obj), &ok);
	add_bool(o, "patched", hp_object_patched(obj), &ok);
	funcs = json_object_new_array();
	if (!funcs)
		ok = false;
	for (i = 0; funcs && i < hp_object_func_count(obj); i++) {
		f = func_to_json(hp_object_func(obj, i));
		if (!f || json_object_array_add(funcs, f)) {
			json_object_put(f);
			ok = false;
		}
	}
	add(o, "functions", funcs, &ok);
	return done(o, ok);
}

json_object *hp_cves_to_json(const char *cves)
{
	json_object *a, *s;
	const char *p = cves;
	size_t n;

	if (!cves)
		return NULL;
	a = json_object_new_array();
	while (a && *p) {
		p += strspn(p, " ");
		n = strcspn(p, " ");
		if (!n)
			break;
		s = json_object_new_string_len(p, (int)n);
		if (!s || json_object_array_add(a, s)) {
			json_object_put(s);
			json_object_put(a);
			return NULL;
		}
		p += n;
	}
	return a;
}

/* "description", "series", "patch_version", "cves": null when unknown
 * (older core), description and series null when the patch has none. */
static void add_meta(json_object *o, const char *desc, const char *series,
		     int64_t version, const char *cves, bool *ok)
{
	json_object *a = hp_cves_to_json(cves);

	if (cves && !a)
		*ok = false;
	add_str(o, "description", desc && desc[0] ? desc : NULL, ok);
	add_str(o, "series", series && series[0] ? series : NULL, ok);
	add_int(o, "patch_version", version, ok);
	add(o, "cves", a, ok);
}

json_object *hp_patch_to_json(const struct hp_patch *p)
{
	json_object *o = json_object_new_object(), *objs, *obj, *pr;
	bool ok = o != NULL;
	size_t i;

	if (!o)
		return NULL;
	add_str(o, "name", hp_patch_name(p), &ok);
	add_str(o, "state", hp_patch_state(p) == HP_STATE_UNKNOWN ? NULL :
		hp_state_to_string(hp_patch_state(p)), &ok);
	add_bool(o, "enabled", hp_patch_enabled(p), &ok);
	add_bool(o, "transition", hp_patch_transition(p), &ok);
	add_mode(o, "mode", hp_patch_mode(p), &ok);
	add_str(o, "target", hp_patch_target(p), &ok);
	add_int(o, "applied_at", hp_patch_applied_at(p), &ok);
	add_str(o, "last_error", hp_patch_last_error(p), &ok);
	add_int(o, "stack_order", hp_patch_stack_order(p), &ok);
	add_int(o, "function_count", (int64_t)hp_patch_func_count(p), &ok);
	add_int(o, "last_stop_ns", hp_patch_last_stop_ns(p), &ok);
	add_int(o, "last_walked", hp_patch_last_walked(p), &ok);
	add_int(o, "force", hp_patch_force(p), &ok);
	add_str(o, "signer", hp_patch_signer(p), &ok);
	add_str(o, "key_id", hp_patch_key_id(p), &ok);
	add_bool(o, "module_sig_ok", hp_patch_module_sig_ok(p), &ok);
	add_blocking(o, hp_patch_blocking(p), &ok);
	add_meta(o, hp_patch_description(p), hp_patch_series(p),
		 hp_patch_version(p), hp_patch_cves(p), &ok);

	objs = json_object_new_array();
	if (!objs)
		ok = false;
	for (i = 0; objs && i < hp_patch_object_count(p); i++) {
		obj = object_to_json(hp_patch_object(p, i));
		if (!obj || json_object_array_add(objs, obj)) {
			json_object_put(obj);
			ok = false;
		}
	}
	add(o, "objects", objs, &ok);

	pr = json_object_new_array();
	if (!pr)
		ok = false;
	for (i = 0; pr && i < hp_patch_problem_count(p); i++) {
		json_object *s = json_object_new_string(hp_patch_problem(p, i));

		if (!s || json_object_array_add(pr, s)) {
			json_object_put(s);
			ok = false;
		}
	}
	add(o, "problems", pr, &ok);
	return done(o, ok);
}

json_object *hp_patch_list_to_json(const struct hp_patch_list *l)
{
	json_object *a = json_object_new_array(), *p;
	size_t i;

	if (!a)
		return NULL;
	for (i = 0; i < hp_patch_list_count(l); i++) {
		p = hp_patch_to_json(hp_patch_list_get(l, i));
		if (!p || json_object_array_add(a, p)) {
			json_object_put(p);
			json_object_put(a);
			return NULL;
		}
	}
	return a;
}

json_object *hp_last_error_to_json(const struct hp_last_error *le)
{
	json_object *o = json_object_new_object();
	bool ok = o != NULL;

	if (!o)
		return NULL;
	add_str(o, "patch", hp_last_error_patch(le), &ok);
	add_int(o, "errno", hp_last_error_errno(le), &ok);
	add_str(o, "errno_name", hp_errno_name(hp_last_error_errno(le)), &ok);
	add_str(o, "reason", hp_last_error_reason(le), &ok);
	return done(o, ok);
}

json_object *hp_core_to_json(const struct hp_core *c)
{
	json_object *o = json_object_new_object(), *le = NULL, *pr;
	bool ok = o != NULL;
	size_t i;

	if (!o)
		return NULL;
	add_str(o, "version", hp_core_version(c), &ok);
	add_mode(o, "default_mode", hp_core_default_mode(c), &ok);
	add_int(o, "count", hp_core_count(c), &ok);
	if (hp_core_last_error(c) &&
	    !(le = hp_last_error_to_json(hp_core_last_error(c))))
		ok = false;
	add(o, "last_error", le, &ok);
	add_int(o, "keyring", hp_core_keyring(c), &ok);
	add_bool(o, "keys_locked", hp_core_keys_locked(c), &ok);
	add_bool(o, "require_signature", hp_core_require_signature(c), &ok);
	add_bool(o, "require_module_sig", hp_core_require_module_sig(c), &ok);
	add_blocking(o, hp_core_blocking(c), &ok);
	pr = json_object_new_array();
	if (!pr)
		ok = false;
	for (i = 0; pr && i < hp_core_problem_count(c); i++) {
		json_object *s = json_object_new_string(hp_core_problem(c, i));

		if (!s || json_object_array_add(pr, s)) {
			json_object_put(s);
			ok = false;
		}
	}
	add(o, "problems", pr, &ok);
	return done(o, ok);
}

json_object *hp_error_to_json(const char *msg, int err, const char *reason,
			      const char *hint)
{
	json_object *o = json_object_new_object();
	bool ok = o != NULL;

	if (!o)
		return NULL;
	if (err < 0)
		err = -err;
	add_str(o, "error", msg, &ok);
	add_int(o, "errno", err, &ok);
	add_str(o, "errno_name", hp_errno_name(err), &ok);
	if (reason)
		add_str(o, "reason", reason, &ok);
	if (hint)
		add_str(o, "hint", hint, &ok);
	return done(o, ok);
}

json_object *hp_blocking_to_json(const struct hp_blocking *bl)
{
	json_object *a = json_object_new_array(), *o;
	const struct hp_blocker *b;
	bool ok = a != NULL;
	size_t i;

	for (i = 0; ok && i < hp_blocking_count(bl); i++) {
		b = hp_blocking_get(bl, i);
		o = json_object_new_object();
		if (!o) {
			ok = false;
			break;
		}
		add_int(o, "pid", b->pid, &ok);
		add_str(o, "comm", b->comm, &ok);
		add_str(o, "function", b->function, &ok);
		if (b->pid < 0)
			add_str(o, "line", b->line, &ok);
		if (json_object_array_add(a, o)) {
			json_object_put(o);
			ok = false;
		}
	}
	return done(a, ok);
}

json_object *hp_keys_to_json(const struct hp_keys *ks)
{
	json_object *a = json_object_new_array(), *o;
	const struct hp_key *k;
	bool ok = a != NULL;
	size_t i;

	for (i = 0; ok && i < hp_keys_count(ks); i++) {
		k = hp_keys_get(ks, i);
		o = json_object_new_object();
		if (!o) {
			ok = false;
			break;
		}
		add_str(o, "signer", k->signer, &ok);
		add_str(o, "key_id", k->key_id, &ok);
		add_str(o, "origin", k->origin, &ok);
		add_str(o, "description", k->description, &ok);
		if (json_object_array_add(a, o)) {
			json_object_put(o);
			ok = false;
		}
	}
	return done(a, ok);
}
