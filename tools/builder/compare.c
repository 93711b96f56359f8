// SPDX-License-Identifier: GPL-2.0
/*
 * Compare: give every function and object of the patched object a status.
 *
 * Two symbols are the same when their bytes are the same and their
 * relocations pair up: same place, same type, and targets that mean the same
 * thing (the twin symbol with the same addend; for strings the same text;
 * for anonymous and read-only data the same content, looked at recursively).
 * A function whose bytes differ only in a "mov $imm, %reg" feeding a
 * printk/WARN-style call is the same too: only __LINE__ moved.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define HP_MAX_DEPTH 4

static bool sym_equal(struct hp_symbol *a, struct hp_symbol *b, int depth);
static bool section_equal(struct hp_section *a, struct hp_section *b, int depth);
static bool special_static_equal(struct hp_symbol *a, struct hp_symbol *b);

/* Relocations of sec in [start, end), as a slice of its sorted array. */
static struct hp_rela *relas_in(struct hp_section *sec, uint64_t start,
				uint64_t end, size_t *n)
{
	struct hp_rela *r, *first = NULL;

	*n = 0;
	hp_for_each_rela(sec, r) {
		if (r->offset < start)
			continue;
		if (r->offset >= end)
			break;
		if (!first)
			first = r;
		(*n)++;
	}
	return first;
}

static const char *string_at(const struct hp_section *s, int64_t off)
{
	if (!s->data || off < 0 || (uint64_t)off >= s->size)
		return NULL;
	if (!memchr(s->data + off, '\0', s->size - off))
		return NULL;
	return (const char *)s->data + off;
}

static bool merged_equal(const struct hp_rela *a, const struct hp_rela *b)
{
	const struct hp_section *sa = a->tsym->sec, *sb = b->tsym->sec;
	int64_t bias = hp_rela_is_pcrel(a->type) ? a->width : 0;
	int64_t oa, ob;

	if (a->taddend > INT64_MAX - bias || b->taddend > INT64_MAX - bias)
		return a->taddend == b->taddend;
	oa = a->taddend + bias;
	ob = b->taddend + bias;
	/* a label (.LC6) names a place in the section: add its offset */
	if (a->tsym->type != STT_SECTION && b->tsym->type != STT_SECTION &&
	    a->tsym->sym.st_value <= (uint64_t)INT32_MAX &&
	    b->tsym->sym.st_value <= (uint64_t)INT32_MAX &&
	    oa > INT64_MIN + INT32_MAX && ob > INT64_MIN + INT32_MAX &&
	    oa < INT64_MAX - INT32_MAX && ob < INT64_MAX - INT32_MAX) {
		oa += (int64_t)a->tsym->sym.st_value;
		ob += (int64_t)b->tsym->sym.st_value;
	}

	if (hp_section_is_string(sa) && hp_section_is_string(sb)) {
		const char *x = string_at(sa, oa), *y = string_at(sb, ob);

		if (x && y)
			return !strcmp(x, y);
	} else {
		uint64_t n = sa->sh.sh_entsize ? sa->sh.sh_entsize : 1;

		if (sa->data && sb->data && oa >= 0 && ob >= 0 &&
		    (uint64_t)oa <= sa->size && n <= sa->size - oa &&
		    (uint64_t)ob <= sb->size && n <= sb->size - ob &&
		    sa->sh.sh_entsize == sb->sh.sh_entsize)
			return !memcmp(sa->data + oa, sb->data + ob, n);
	}
	/* out of range: fall back to the raw addend */
	return a->taddend == b->taddend;
}

static bool is_readonly_data(const struct hp_symbol *s)
{
	return s->sec && hp_symbol_is_object(s) &&
	       (s->sec->sh.sh_flags & SHF_ALLOC) &&
	       !(s->sec->sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR));
}

/* PC32 and PLT32 resolve the same way in the kernel (no PLT). */
static uint32_t canonical_type(uint32_t type)
{
	return type == R_X86_64_PLT32 ? R_X86_64_PC32 : type;
}

bool hp_relas_equal(const struct hp_rela *a, const struct hp_rela *b, int depth)
{
	struct hp_symbol *ta = a->tsym, *tb = b->tsym;

	if (canonical_type(a->type) != canonical_type(b->type) || !ta || !tb)
		return false;
	if (ta->type == STT_SECTION || tb->type == STT_SECTION) {
		if (ta->type != tb->type || !ta->sec || !tb->sec)
			return false;
		if ((ta->sec->sh.sh_flags & SHF_MERGE) &&
		    (tb->sec->sh.sh_flags & SHF_MERGE))
			return merged_equal(a, b);
		if (ta->sec->twin != tb->sec || a->taddend != b->taddend)
			return false;
		return depth <= 0 || section_equal(ta->sec, tb->sec, depth - 1);
	}
	if (hp_symbol_is_merge_label(ta) || hp_symbol_is_merge_label(tb))
		return hp_symbol_is_merge_label(ta) && hp_symbol_is_merge_label(tb) &&
		       merged_equal(a, b);
	if (a->taddend != b->taddend)
		return false;
	if (ta->special_static || tb->special_static)
		return ta->special_static && tb->special_static &&
		       !strcmp(ta->norm, tb->norm) &&
		       (depth <= 0 || special_static_equal(ta, tb));
	if (ta->twin != tb)
		return false;
	/* a changed constant table changes everything that reads it */
	if (is_readonly_data(tb) && depth > 0)
		return sym_equal(ta, tb, depth - 1);
	return true;
}

static bool range_equal(struct hp_section *sa, uint64_t va, struct hp_section *sb,
			uint64_t vb, uint64_t size, int depth)
{
	struct hp_rela *ra, *rb;
	size_t na, nb, i;

	if ((sa->sh.sh_type == SHT_NOBITS) != (sb->sh.sh_type == SHT_NOBITS))
		return false;
	if (sa->sh.sh_type != SHT_NOBITS) {
		if (!sa->data || !sb->data)
			return size == 0;
		if (memcmp(sa->data + va, sb->data + vb, size))
			return false;
	}
	ra = relas_in(sa, va, va + size, &na);
	rb = relas_in(sb, vb, vb + size, &nb);
	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (ra[i].offset - va != rb[i].offset - vb ||
		    !hp_relas_equal(&ra[i], &rb[i], depth))
			return false;
	return true;
}

/*
 * Per-call-site statics compare by content, except that a dynamic debug
 * descriptor (pr_debug) records its __LINE__: there only the pointers
 * (module, function, file, format: strings, compared by text) count.
 */
static bool special_static_equal(struct hp_symbol *a, struct hp_symbol *b)
{
	struct hp_rela *ra, *rb;
	size_t na, nb, i;

	if (!hp_str_starts(a->norm, "__UNIQUE_ID_ddebug") && strcmp(a->norm, "descriptor"))
		return sym_equal(a, b, 0);
	if (a->sym.st_size != b->sym.st_size || !a->sec || !b->sec)
		return false;
	ra = relas_in(a->sec, a->sym.st_value, a->sym.st_value + a->sym.st_size, &na);
	rb = relas_in(b->sec, b->sym.st_value, b->sym.st_value + b->sym.st_size, &nb);
	if (na != nb)
		return false;
	for (i = 0; i < na; i++)
		if (ra[i].offset - a->sym.st_value != rb[i].offset - b->sym.st_value ||
		    !hp_relas_equal(&ra[i], &rb[i], 0))
			return false;
	return true;
}

/*
 * Results are cached on the patched side when a and b are twins, and a
 * comparison already in progress counts as equal (cycles through jump
 * tables, or hostile objects, must not recurse forever).
 */
static bool sym_equal(struct hp_symbol *a, struct hp_symbol *b, int depth)
{
	bool cache = a->twin == b, eq;

	if (cache && b->eq)
		return b->eq != 2;
	if (a->type != b->type || a->sym.st_size != b->sym.st_size ||
	    !a->sec || !b->sec)
		eq = false;
	else {
		if (cache)
			b->eq = 3;
		eq = range_equal(a->sec, a->sym.st_value, b->sec, b->sym.st_value,
				 a->sym.st_size, depth);
	}
	if (cache)
		b->eq = eq ? 1 : 2;
	return eq;
}

static bool section_equal(struct hp_section *a, struct hp_section *b, int depth)
{
	bool eq;

	if (b->eq)
		return b->eq != 2;
	if (a->size != b->size || a->sh.sh_type != b->sh.sh_type) {
		eq = false;
	} else {
		b->eq = 3;
		eq = range_equal(a, 0, b, 0, a->size, depth);
	}
	b->eq = eq ? 1 : 2;
	return eq;
}

/* Functions that take __LINE__ (directly or through a macro). */
static bool takes_line(const char *name)
{
	static const char *const fns[] = {
		"__warn_printk", "warn_slowpath_fmt", "__might_sleep",
		"__might_resched", "__might_fault", "___might_sleep",
		"__cant_sleep", "__cant_migrate", "lockdep_rcu_suspicious",
		"__bug", "__WARN_printf", "__dynamic_pr_debug",
	};
	size_t i;

	if (strstr(name, "printk"))
		return true;
	for (i = 0; i < HP_ARRAY_SIZE(fns); i++)
		if (!strcmp(name, fns[i]))
			return true;
	return false;
}

/*
 * The bytes differ in [i, j) of the function at a/b. Accept if that run is
 * inside the imm32 of "mov $imm32, %r32" loading an argument register
 * other than the first (esi, edx, ecx, r8d, r9d: b8+r or 41 b8+r), both
 * values look like line numbers and, when DWARF gives the function's own
 * line in both objects, differ by exactly as much as the function moved;
 * and a call to a line-taking function follows within 64 bytes.
 */
struct line_ctx {
	const unsigned char *a, *b;
	uint64_t size, base, obase;
	struct hp_section *sec, *osec;
	bool have_shift;
	long shift;
	unsigned int line_runs;
};

static uint32_t imm32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static bool line_run_ok(const struct line_ctx *c, uint64_t i, uint64_t j)
{
	const unsigned char *a = c->a, *b = c->b;
	uint64_t s, imm = 0;
	bool found = false;
	uint32_t va, vb;
	struct hp_rela *r;

	for (s = i >= 6 ? i - 6 : 0; s < i && !found; s++) {
		if (a[s] == b[s] && (a[s] == 0xbe || a[s] == 0xba || a[s] == 0xb9) &&
		    s + 5 <= c->size && s + 1 <= i && j <= s + 5) {
			imm = s + 1;
			found = true;
		} else if (a[s] == 0x41 && b[s] == 0x41 && s + 6 <= c->size &&
			   (a[s + 1] == 0xb8 || a[s + 1] == 0xb9) &&
			   a[s + 1] == b[s + 1] && s + 2 <= i && j <= s + 6) {
			imm = s + 2;
			found = true;
		}
	}
	if (!found)
		return false;
	va = imm32(a + imm);
	vb = imm32(b + imm);
	if (va == 0 || vb == 0 || va > 100000 || vb > 100000)
		return false;
	if (c->have_shift && (long)vb - (long)va != c->shift)
		return false;
	hp_for_each_rela(c->sec, r) {
		uint64_t off;

		if (r->offset < c->base)
			continue;
		off = r->offset - c->base;
		if (off + r->width > imm && off < imm + 4)
			return false;	/* the immediate is relocated */
		if (off > imm && off <= imm + 64 && r->tsym &&
		    takes_line(r->tsym->name))
			return true;
	}
	return false;
}

/*
 * In a section shared by several functions (.sched.text, .init.text, no
 * -ffunction-sections) the assembler resolves calls and jumps between them
 * itself, so no relocation records them, and a function that moves changes
 * their displacement. Accept a run inside the rel32 of call/jmp/jcc when
 * both sides branch to the same place: twin symbols, same offset.
 */
static int32_t rel32(const unsigned char *p)
{
	return (int32_t)imm32(p);
}

static struct hp_symbol *branch_target(struct hp_section *sec, uint64_t from,
				       int32_t disp, uint64_t *off)
{
	struct hp_symbol *t;
	int64_t to = (int64_t)from + disp;

	if (to < 0 || (uint64_t)to >= sec->size)
		return NULL;
	t = hp_section_symbol_at(sec, (uint64_t)to);
	if (t)
		*off = (uint64_t)to - t->sym.st_value;
	return t;
}

static bool branch_run_ok(const struct line_ctx *c, uint64_t i, uint64_t j)
{
	const unsigned char *a = c->a, *b = c->b;
	uint64_t s, field = 0, end = 0, oa = 0, ob = 0;
	struct hp_symbol *ta, *tb;

	if (c->sec->sym || !(c->sec->sh.sh_flags & SHF_EXECINSTR))
		return false;
	for (s = i >= 2 ? i - 2 : 0; s < i && !end; s++) {
		if ((a[s] == 0xe8 || a[s] == 0xe9) && a[s] == b[s] && s + 5 <= c->size &&
		    s + 1 <= i && j <= s + 5) {
			field = s + 1;
			end = s + 5;
		} else if (a[s] == 0x0f && b[s] == 0x0f && s + 6 <= c->size &&
			   (a[s + 1] & 0xf0) == 0x80 && a[s + 1] == b[s + 1] &&
			   s + 2 <= i && j <= s + 6) {
			field = s + 2;
			end = s + 6;
		}
	}
	if (!end || hp_section_rela_at(c->sec, c->base + field))
		return false;
	ta = branch_target(c->osec, c->obase + end, rel32(a + field), &oa);
	tb = branch_target(c->sec, c->base + end, rel32(b + field), &ob);
	return ta && tb && ta->twin == tb && oa == ob;
}

static bool line_only(struct hp_diff *d, struct hp_symbol *o, struct hp_symbol *p,
		      bool *lines)
{
	struct line_ctx c = { 0 };
	uint64_t i = 0, runs = 0;

	if (!hp_symbol_is_func(p) || o->sym.st_size != p->sym.st_size ||
	    !o->sec->data || !p->sec->data)
		return false;
	c.size = p->sym.st_size;
	c.a = o->sec->data + o->sym.st_value;
	c.b = p->sec->data + p->sym.st_value;
	c.sec = p->sec;
	c.base = p->sym.st_value;
	c.osec = o->sec;
	c.obase = o->sym.st_value;
	if (!d->opts.no_dwarf) {
		const char *fo = NULL, *fp = NULL;
		unsigned int lo = 0, lp = 0;

		if (hp_dwarf_decl(d->orig, o->norm, &fo, &lo) &&
		    hp_dwarf_decl(d->patched, p->norm, &fp, &lp)) {
			c.have_shift = true;
			c.shift = (long)lp - (long)lo;
		}
	}
	while (i < c.size) {
		uint64_t j;

		if (c.a[i] == c.b[i]) {
			i++;
			continue;
		}
		for (j = i; j < c.size && c.a[j] != c.b[j]; j++)
			;
		if (line_run_ok(&c, i, j))
			c.line_runs++;
		else if (!branch_run_ok(&c, i, j))
			return false;
		runs++;
		i = j;
	}
	if (!runs)
		return false;
	/* bytes aside, the relocations must all pair up */
	{
		struct hp_rela *ra, *rb;
		size_t na, nb, k;

		ra = relas_in(o->sec, o->sym.st_value, o->sym.st_value + c.size, &na);
		rb = relas_in(p->sec, p->sym.st_value, p->sym.st_value + c.size, &nb);
		if (na != nb)
			return false;
		for (k = 0; k < na; k++)
			if (ra[k].offset - o->sym.st_value != rb[k].offset - p->sym.st_value ||
			    !hp_relas_equal(&ra[k], &rb[k], HP_MAX_DEPTH))
				return false;
	}
	*lines = c.line_runs > 0;
	return true;
}

int hp_compare(struct hp_diff *d, struct hp_error *err)
{
	struct hp_symbol *p;
	struct hp_section *s;
	bool lines = false;

	(void)err;
	hp_for_each_symbol(d->patched, p) {
		if (!p->sec || !(hp_symbol_is_func(p) || hp_symbol_is_object(p)))
			continue;
		if (!p->twin) {
			p->status = HP_NEW;
			p->why = p->special_static ? "per-call-site static" : "new";
			continue;
		}
		if (sym_equal(p->twin, p, HP_MAX_DEPTH)) {
			p->status = HP_SAME;
		} else if (line_only(d, p->twin, p, &lines)) {
			p->status = HP_SAME;
			p->line_only = lines;
			if (lines)
				hp_note(d, "'%s' differs only in __LINE__ constants: not patched",
					p->name);
		} else {
			p->status = HP_CHANGED;
			p->why = "changed";
		}
		p->twin->status = p->status;
	}
	hp_for_each_section(d->patched, s) {
		if (!s->twin)
			s->status = HP_NEW;
		else if (s->sym)
			s->status = s->sym->status;
		else if (!hp_section_is_rela(s))
			s->status = section_equal(s->twin, s, HP_MAX_DEPTH) ?
				    HP_SAME : HP_CHANGED;
	}
	hp_for_each_section(d->patched, s)
		if (hp_section_is_rela(s) && s->base)
			s->status = s->base->status;
	return 0;
}
