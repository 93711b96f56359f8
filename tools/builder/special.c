// SPDX-License-Identifier: GPL-2.0
/*
 * Special sections: tables the kernel walks (bug table, exception table,
 * alternatives, …). The patch keeps only the entries that belong to included
 * functions. One row per kind: supporting a new kernel's table is one line.
 *
 * Entry sizes are x86_64 Linux 6.1 (pahole on Debian's 6.1 -dbg vmlinux;
 * docs/kernels.md has 6.12's).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static const struct hp_special_kind kinds[] = {
	/* name              entsize owner key  key refusal */
	{ "__bug_table",          12, 0, -1, 0, NULL, NULL, 0, "bug table entry" },
	{ "__ex_table",           12, 0, -1, 0, ".fixup", NULL, 0, "exception table entry" },
	{ ".altinstructions",     12, 0, -1, 0, ".altinstr_replacement", NULL, 0,
	  "alternative" },
	{ "__jump_table",         16, 0,  8, HP_REFUSE_MODULE_JUMP_LABEL, NULL, NULL, 0,
	  "jump label" },
	{ ".static_call_sites",    8, 0,  4, HP_REFUSE_MODULE_STATIC_CALL, NULL, NULL, 0,
	  "static call site" },
	{ ".retpoline_sites",      4, 0, -1, 0, NULL, NULL, 0, "retpoline site" },
	{ ".return_sites",         4, 0, -1, 0, NULL, NULL, 0, "return thunk site" },
	{ ".call_sites",           4, 0, -1, 0, NULL, NULL, 0, "call depth site" },
	{ ".ibt_endbr_seal",       4, 0, -1, 0, NULL, NULL, 0, "endbr seal site" },
	{ "__mcount_loc",          8, 0, -1, 0, NULL, NULL, 0, "fentry record" },
	/* 6.12 (CALL_PADDING): gcc's record of each function's 16-byte padding */
	{ "__patchable_function_entries", 8, 0, -1, 0, NULL, NULL, 0,
	  "patchable function entry" },
	{ ".orc_unwind_ip",        4, 0, -1, 0, NULL, ".orc_unwind", 6, "ORC entry" },
	{ ".smp_locks",            4, 0, -1, 0, NULL, NULL, 0, "lock prefix site" },
	{ ".parainstructions",    16, 0, -1, 0, NULL, NULL, 0, "paravirt patch site" },
	{ ".kcfi_traps",           4, 0, -1, 0, NULL, NULL, 0, "kCFI trap" },
};

size_t hp_special_nr_kinds(void)
{
	return HP_ARRAY_SIZE(kinds);
}

const struct hp_special_kind *hp_special_kind_at(size_t i)
{
	return i < HP_ARRAY_SIZE(kinds) ? &kinds[i] : NULL;
}

const struct hp_special_kind *hp_special_lookup(const char *name)
{
	size_t i;

	for (i = 0; i < HP_ARRAY_SIZE(kinds); i++)
		if (!strcmp(name, kinds[i].name))
			return &kinds[i];
	return NULL;
}

bool hp_special_is_companion(const char *name)
{
	size_t i;

	for (i = 0; i < HP_ARRAY_SIZE(kinds); i++)
		if (kinds[i].companion && !strcmp(name, kinds[i].companion))
			return true;
	return false;
}

/* The function a code address belongs to, through the resolved target. */
static struct hp_symbol *owner_of(const struct hp_rela *r)
{
	struct hp_symbol *t = r->tsym;

	if (!t || !t->sec)
		return NULL;
	if (t->type == STT_SECTION && hp_section_is_text(t->sec))
		return hp_section_symbol_at(t->sec, r->taddend > 0 ? r->taddend : 0);
	return hp_symbol_is_func(t) ? t : NULL;
}

static bool key_in_module(struct hp_diff *d, const struct hp_symbol *key)
{
	if (!strcmp(d->target, "vmlinux") || !key)
		return false;
	/* carried by the patch (a pr_debug descriptor): the patch's own key */
	if (key->include)
		return false;
	/* defined in this object, so in the module being patched */
	return key->sec != NULL;
}

/*
 * A key of the module being patched: the core applies the patch's
 * relocations to that module only after the module loader has set up the
 * patch module's jump labels and static calls. The resolve pass drops a
 * static call site on such a key (the call goes through the trampoline) and
 * makes a tracepoint's jump label unconditional (the tracepoint's body
 * finds no probe while the event is off); any other static key is refused.
 */
static bool tracepoint_key(const struct hp_symbol *key, int64_t addend)
{
	/* &__tracepoint_X.key: struct tracepoint's name, then its key (+ flag bits) */
	return hp_str_starts(key->name, "__tracepoint_") && (addend & ~3LL) == 8;
}

static int key_check(struct hp_diff *d, const struct hp_special_kind *k,
		     struct hp_section *sec, size_t i, struct hp_symbol *fn)
{
	const struct hp_rela *kr;
	struct hp_symbol *key;
	int64_t addend;

	if (k->key_off < 0)
		return 0;
	kr = hp_section_rela_at(sec, i * k->entsize + k->key_off);
	if (!kr)
		return 0;
	key = kr->tsym;
	addend = kr->taddend;
	if (key && key->type == STT_SECTION && key->sec && key->sec->sym) {
		addend -= (int64_t)key->sec->sym->sym.st_value;
		key = key->sec->sym;
	}
	/*
	 * A per-call-site key (the one in a pr_debug descriptor) or a new one
	 * goes into the patch with the entry: the module loader registers it
	 * for the patch module itself.
	 */
	if (key && key->sec && (key->special_static || !key->twin)) {
		int ret = hp_include_symbol(d, key, "static key of a kept entry");

		if (ret)
			return ret;
	}
	if (!key_in_module(d, key))
		return 0;
	if (k->key_refusal != HP_REFUSE_MODULE_JUMP_LABEL || tracepoint_key(key, addend))
		return 0;
	return hp_refuse(d, k->key_refusal, key->name,
			 "%s in %s() on '%s', a static key of module '%s': the module loader "
			 "sets up the patch module's %ss (jump_label_add_module(), at "
			 "MODULE_STATE_COMING) before the core applies relocations to '%s', "
			 "so the branch would stay at its compiled default whatever the key's state",
			 k->what, fn->name, key->name, d->target, k->what, d->target);
}

static int process_one(struct hp_diff *d, struct hp_section *sec,
		       const struct hp_special_kind *k)
{
	size_t i, n;
	int ret;

	if (!sec->data || sec->size % k->entsize)
		return hp_refuse(d, HP_REFUSE_UNSUPPORTED, sec->name,
				 "size %zu is not a multiple of the %u-byte %s",
				 sec->size, k->entsize, k->what);
	n = sec->size / k->entsize;
	/*
	 * struct alt_instr is 12 bytes on 6.1 and 14 on 6.12, two
	 * PC-relative offsets first: relocations anywhere else mean another
	 * kernel's layout, which this table does not describe.
	 */
	if (!strcmp(sec->name, ".altinstructions")) {
		const struct hp_rela *r;

		hp_for_each_rela(sec, r)
			if (r->offset % k->entsize != 0 && r->offset % k->entsize != 4)
				return hp_refuse(d, HP_REFUSE_UNSUPPORTED, sec->name,
						 "relocation at 0x%llx is not where a %u-byte %s has one (an alt_instr of another kernel: 14 bytes on 6.12, docs/kernels.md)",
						 (unsigned long long)r->offset, k->entsize, k->what);
	}
	sec->nr_entries = n;
	sec->special = k;
	if (!n)
		return 0;
	sec->keep = calloc(n, sizeof(*sec->keep));
	if (!sec->keep)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		uint64_t start = i * k->entsize, end = start + k->entsize;
		const struct hp_rela *owner = hp_section_rela_at(sec, start + k->owner_off);
		struct hp_symbol *fn = owner ? owner_of(owner) : NULL;
		struct hp_rela *r;

		if (!fn) {
			/* cannot attribute it: fine unless it touches included code */
			hp_for_each_rela(sec, r) {
				struct hp_symbol *t = r->tsym;

				if (r->offset < start || r->offset >= end)
					continue;
				if (t && hp_symbol_is_func(t) && t->include)
					return hp_refuse(d, HP_REFUSE_UNSUPPORTED, sec->name,
							 "%s %zu refers to %s() but names no code location",
							 k->what, i, t->name);
			}
			continue;
		}
		if (!fn->include)
			continue;
		sec->keep[i] = true;
		sec->nr_kept++;
		ret = key_check(d, k, sec, i, fn);
		if (ret)
			return ret;
		/* what the entry points into comes along (replacement code, fixups, file names) */
		hp_for_each_rela(sec, r) {
			struct hp_symbol *t = r->tsym;

			if (r->offset < start || r->offset >= end || r == owner || !t || !t->sec)
				continue;
			if (t->type == STT_SECTION || hp_symbol_is_merge_label(t)) {
				/* a label (.LC0: the file name) comes with its strings */
				t->include = true;
				ret = hp_include_section(d, t->sec);
				if (ret)
					return ret;
			} else if (!t->twin || t->special_static) {
				ret = hp_include_symbol(d, t, "referenced by a kept special entry");
				if (ret)
					return ret;
			}
		}
	}
	if (sec->nr_kept) {
		sec->include = true;
		if (sec->rela)
			sec->rela->include = true;
	}
	if (k->companion) {
		struct hp_section *c = hp_elf_find_section(d->patched, k->companion);

		if (c && (!c->data || c->size % k->companion_entsize ||
			  c->size / k->companion_entsize != n))
			return hp_refuse(d, HP_REFUSE_UNSUPPORTED, c->name,
					 "does not have one %u-byte entry per '%s' entry",
					 k->companion_entsize, sec->name);
		if (c) {
			c->special = k;
			c->nr_entries = n;
			c->nr_kept = sec->nr_kept;
			c->include = sec->include;
		}
	}
	return 0;
}

/*
 * Tables that name functions but need nothing from a patch: the entry keeps
 * naming the original, which ftrace redirects (exports, CRCs, kprobe
 * blacklist, init calls and parameters that ran at boot).
 */
static const char *const reference_tables[] = {
	"___ksymtab+", "___ksymtab_gpl+", "__ksymtab", "__kcrctab",
	".export_symbol", "_kprobe_blacklist", "__kprobe_blacklist",
	".initcall", "__initcall", "__exitcall", ".init_array", ".fini_array",
	"__param", "__modver", ".discard",
};

bool hp_special_is_reference_table(const char *name)
{
	size_t i;

	for (i = 0; i < HP_ARRAY_SIZE(reference_tables); i++)
		if (hp_str_starts(name, reference_tables[i]))
			return true;
	return false;
}

/*
 * A section we do not know that points into included code: the kernel may
 * walk it, and dropping or copying it blindly could break the patch.
 */
static int unknown_tables(struct hp_diff *d)
{
	struct hp_section *s;

	hp_for_each_section(d->patched, s) {
		struct hp_rela *r;

		if (!s->rela || s->special || hp_section_is_ignored(s->name) ||
		    hp_special_is_reference_table(s->name) ||
		    hp_section_is_text(s) || s->nr_syms || s->include ||
		    hp_special_is_companion(s->name))
			continue;
		hp_for_each_rela(s, r) {
			struct hp_symbol *fn = owner_of(r);

			if (fn && fn->include) {
				int ret = hp_refuse(d, HP_REFUSE_UNSUPPORTED, s->name,
						    "unknown section '%s' refers to patched "
						    "function %s(); teach special.c its entry layout",
						    s->name, fn->name);
				if (ret)
					return ret;
				break;
			}
		}
	}
	return 0;
}

int hp_special_process(struct hp_diff *d, struct hp_error *err)
{
	struct hp_section *s;
	int ret;

	hp_for_each_section(d->patched, s) {
		const struct hp_special_kind *k = hp_special_lookup(s->name);

		if (!k || s->sh.sh_type == SHT_NOBITS)
			continue;
		ret = process_one(d, s, k);
		if (ret)
			return hp_error_set(err, ret, "%s: out of memory", s->name);
	}
	ret = unknown_tables(d);
	if (ret)
		return hp_error_set(err, ret, "out of memory");
	return 0;
}
