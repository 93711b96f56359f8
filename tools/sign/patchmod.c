// SPDX-License-Identifier: GPL-2.0
/*
 * libhpsign: patch modules on disk - reading their sections, adding the
 * manifest signature section and the appended module signature.
 *
 * Section editing uses libelf rather than objcopy: the tool reads the
 * manifest, signs it and writes the signature section in one process, with
 * errors it can explain, and without depending on binutils at run time.
 * Modules are ET_REL: there are no program headers or addresses to keep,
 * so libelf's own layout (ELF_F_LAYOUT off) is correct. A new section is
 * appended after the existing ones, so no section index changes and the
 * symbol and relocation tables stay valid.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gelf.h>
#include <libelf.h>

#include "internal.h"

struct hp_patchmod {
	char *path;
	uint8_t *img;		/* the whole file */
	size_t len;
	size_t elf_len;		/* bytes covered by the module signature */
	const uint8_t *modsig;	/* appended PKCS#7 or NULL */
	size_t modsig_len;
	uint8_t *elfcopy;	/* libelf's copy of img[0, elf_len) */
	Elf *elf;
	size_t mf_idx, sig_idx, modinfo_idx, symtab_idx;
	const uint8_t *mf, *sig;
	size_t mf_len, sig_len;
	const char *modinfo;
	size_t modinfo_len;
};

static int hp_elf_init(void)
{
	static int done;

	if (!done) {
		if (elf_version(EV_CURRENT) == EV_NONE)
			return -ENOSYS;
		done = 1;
	}
	return 0;
}

static const uint8_t *sec_bytes(Elf *elf, size_t idx, size_t *len)
{
	Elf_Scn *scn = elf_getscn(elf, idx);
	Elf_Data *d;
	GElf_Shdr sh;

	*len = 0;
	if (!scn || !gelf_getshdr(scn, &sh) || sh.sh_type == SHT_NOBITS)
		return NULL;
	d = elf_rawdata(scn, NULL);
	if (!d || !d->d_buf)
		return NULL;
	*len = d->d_size;
	return d->d_buf;
}

static int pm_parse_elf(struct hp_patchmod *pm, struct hp_msg *msg)
{
	const char *what = pm->path ? pm->path : "module";
	size_t shstrndx, i;
	Elf_Scn *scn = NULL;
	GElf_Ehdr eh;
	GElf_Shdr sh;
	const char *name;

	if (hp_elf_init())
		return hp_msg_set(msg, -ENOSYS, "libelf: %s", elf_errmsg(-1));
	pm->elfcopy = malloc(pm->elf_len ? pm->elf_len : 1);
	if (!pm->elfcopy)
		return -ENOMEM;
	memcpy(pm->elfcopy, pm->img, pm->elf_len);
	pm->elf = elf_memory((char *)pm->elfcopy, pm->elf_len);
	if (!pm->elf || elf_kind(pm->elf) != ELF_K_ELF || !gelf_getehdr(pm->elf, &eh))
		return hp_msg_set(msg, -ENOEXEC, "%s: not an ELF file", what);
	if (eh.e_type != ET_REL || gelf_getclass(pm->elf) != ELFCLASS64)
		return hp_msg_set(msg, -ENOEXEC,
				  "%s: not a 64-bit relocatable object (a kernel module)",
				  what);
	if (elf_getshdrstrndx(pm->elf, &shstrndx))
		return hp_msg_set(msg, -ENOEXEC, "%s: %s", what, elf_errmsg(-1));
	while ((scn = elf_nextscn(pm->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			return hp_msg_set(msg, -ENOEXEC, "%s: %s", what,
					  elf_errmsg(-1));
		i = elf_ndxscn(scn);
		if (sh.sh_type == SHT_SYMTAB)
			pm->symtab_idx = i;
		name = elf_strptr(pm->elf, shstrndx, sh.sh_name);
		if (!name)
			continue;
		if (!strcmp(name, HOTPATCH_MANIFEST_SECTION))
			pm->mf_idx = i;
		else if (!strcmp(name, HOTPATCH_SIG_SECTION))
			pm->sig_idx = i;
		else if (!strcmp(name, ".modinfo"))
			pm->modinfo_idx = i;
	}
	if (pm->mf_idx)
		pm->mf = sec_bytes(pm->elf, pm->mf_idx, &pm->mf_len);
	if (pm->sig_idx)
		pm->sig = sec_bytes(pm->elf, pm->sig_idx, &pm->sig_len);
	if (pm->modinfo_idx)
		pm->modinfo = (const char *)sec_bytes(pm->elf, pm->modinfo_idx,
						      &pm->modinfo_len);
	return 0;
}

/* Takes ownership of img */
static int pm_from_image(const char *path, uint8_t *img, size_t len,
			 struct hp_patchmod **out, struct hp_msg *msg)
{
	struct hp_patchmod *pm;
	const void *sig;
	int err;

	pm = calloc(1, sizeof(*pm));
	if (!pm) {
		free(img);
		return -ENOMEM;
	}
	pm->img = img;
	pm->len = len;
	pm->path = path ? strdup(path) : NULL;
	err = hp_modsig_split(img, len, &pm->elf_len, &sig, &pm->modsig_len);
	if (err) {
		hp_msg_set(msg, err, "%s: malformed appended module signature",
			   path ? path : "module");
		goto out_free;
	}
	pm->modsig = sig;
	err = pm_parse_elf(pm, msg);
	if (err)
		goto out_free;
	*out = pm;
	return 0;
out_free:
	hp_patchmod_free(pm);
	return err;
}

int hp_patchmod_read(const char *path, struct hp_patchmod **out,
		     struct hp_msg *msg)
{
	uint8_t *img;
	size_t len;
	int err;

	err = hp_file_read(path, &img, &len, msg);
	if (err)
		return err;
	return pm_from_image(path, img, len, out, msg);
}

void hp_patchmod_free(struct hp_patchmod *pm)
{
	if (!pm)
		return;
	if (pm->elf)
		elf_end(pm->elf);
	free(pm->elfcopy);
	free(pm->img);
	free(pm->path);
	free(pm);
}

const char *hp_patchmod_path(const struct hp_patchmod *pm)
{
	return pm->path;
}

const void *hp_patchmod_manifest(const struct hp_patchmod *pm, size_t *len)
{
	*len = pm->mf_len;
	return pm->mf;
}

const void *hp_patchmod_manifest_sig(const struct hp_patchmod *pm, size_t *len)
{
	*len = pm->sig_len;
	return pm->sig;
}

const void *hp_patchmod_module_sig(const struct hp_patchmod *pm, size_t *len)
{
	*len = pm->modsig_len;
	return pm->modsig;
}

const void *hp_patchmod_image(const struct hp_patchmod *pm, size_t *len)
{
	*len = pm->len;
	return pm->img;
}

size_t hp_patchmod_signed_len(const struct hp_patchmod *pm)
{
	return pm->elf_len;
}

bool hp_patchmod_has_symbol(const struct hp_patchmod *pm, const char *name)
{
	Elf_Scn *scn;
	Elf_Data *d;
	GElf_Shdr sh;
	GElf_Sym sym;
	const char *n;
	size_t i, count;

	if (!pm->symtab_idx)
		return false;
	scn = elf_getscn(pm->elf, pm->symtab_idx);
	if (!scn || !gelf_getshdr(scn, &sh) || !sh.sh_entsize)
		return false;
	d = elf_getdata(scn, NULL);
	if (!d)
		return false;
	count = sh.sh_size / sh.sh_entsize;
	for (i = 1; i < count; i++) {
		if (!gelf_getsym(d, (int)i, &sym) || sym.st_shndx == SHN_UNDEF)
			continue;
		if (GELF_ST_TYPE(sym.st_info) == STT_SECTION ||
		    GELF_ST_TYPE(sym.st_info) == STT_FILE)
			continue;
		n = elf_strptr(pm->elf, sh.sh_link, sym.st_name);
		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

const char *hp_patchmod_modinfo(const struct hp_patchmod *pm, const char *key)
{
	size_t klen = strlen(key), pos = 0, n;
	const char *s;

	while (pm->modinfo && pos < pm->modinfo_len) {
		s = pm->modinfo + pos;
		n = strnlen(s, pm->modinfo_len - pos);
		if (pos + n == pm->modinfo_len)
			break;	/* not terminated */
		if (n > klen && !strncmp(s, key, klen) && s[klen] == '=')
			return s + klen + 1;
		pos += n + 1;
	}
	return NULL;
}

static bool pm_find_sym(const struct hp_patchmod *pm, const char *name,
			GElf_Sym *out)
{
	Elf_Scn *scn;
	Elf_Data *d;
	GElf_Shdr sh;
	const char *n;
	size_t i, count;

	if (!pm->symtab_idx)
		return false;
	scn = elf_getscn(pm->elf, pm->symtab_idx);
	if (!scn || !gelf_getshdr(scn, &sh) || !sh.sh_entsize)
		return false;
	d = elf_getdata(scn, NULL);
	count = d ? sh.sh_size / sh.sh_entsize : 0;
	for (i = 1; i < count; i++) {
		if (!gelf_getsym(d, (int)i, out))
			continue;
		n = elf_strptr(pm->elf, sh.sh_link, out->st_name);
		if (n && !strcmp(n, name))
			return true;
	}
	return false;
}

/* The marker symbol the core looks the section up by (manifest.h) */
static int check_marker(const struct hp_patchmod *pm, size_t idx,
			const char *name, const char *symname, struct hp_msg *msg)
{
	GElf_Shdr sh;
	GElf_Sym sym;

	if (!gelf_getshdr(elf_getscn(pm->elf, idx), &sh))
		return hp_msg_set(msg, -ENOEXEC, "%s: %s", name, elf_errmsg(-1));
	if (!pm_find_sym(pm, symname, &sym))
		return hp_msg_set(msg, -ENOEXEC,
				  "%s: no symbol '%s' marks it (hotpatch-sign sign adds it)",
				  name, symname);
	if (sym.st_shndx != idx || sym.st_value || sym.st_size != sh.sh_size)
		return hp_msg_set(msg, -ENOEXEC,
				  "%s: symbol '%s' is not at its start with its size (%llu bytes, section %zu; the section is %zu, %llu bytes)",
				  name, symname, (unsigned long long)sym.st_size,
				  (size_t)sym.st_shndx, idx,
				  (unsigned long long)sh.sh_size);
	return 0;
}

static int check_one_section(const struct hp_patchmod *pm, size_t idx,
			     const char *name, struct hp_msg *msg)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;

	while ((scn = elf_nextscn(pm->elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		if ((sh.sh_type == SHT_RELA || sh.sh_type == SHT_REL) &&
		    sh.sh_info == idx)
			return hp_msg_set(msg, -ENOEXEC,
					  "%s: has relocations (section %zu): the loaded bytes would differ from the signed ones",
					  name, elf_ndxscn(scn));
	}
	if (!gelf_getshdr(elf_getscn(pm->elf, idx), &sh))
		return hp_msg_set(msg, -ENOEXEC, "%s: %s", name, elf_errmsg(-1));
	if (sh.sh_type != SHT_PROGBITS)
		return hp_msg_set(msg, -ENOEXEC, "%s: not SHT_PROGBITS", name);
	if (!(sh.sh_flags & SHF_ALLOC) || (sh.sh_flags & (SHF_WRITE | SHF_EXECINSTR)))
		return hp_msg_set(msg, -ENOEXEC,
				  "%s: flags 0x%llx, must be read-only SHF_ALLOC (the core reads it from module memory)",
				  name, (unsigned long long)sh.sh_flags);
	return 0;
}

int hp_patchmod_check_sections(const struct hp_patchmod *pm,
			       struct hp_msg *msg)
{
	int err = 0;

	if (pm->mf_idx)
		err = check_one_section(pm, pm->mf_idx, HOTPATCH_MANIFEST_SECTION,
					msg);
	if (!err && pm->sig_idx)
		err = check_one_section(pm, pm->sig_idx, HOTPATCH_SIG_SECTION,
					msg);
	if (!err && pm->mf_idx)
		err = check_marker(pm, pm->mf_idx, HOTPATCH_MANIFEST_SECTION,
				   HOTPATCH_MANIFEST_SYM, msg);
	if (!err && pm->sig_idx)
		err = check_marker(pm, pm->sig_idx, HOTPATCH_SIG_SECTION,
				   HOTPATCH_SIG_SYM, msg);
	return err;
}

/* ---- writing ----------------------------------------------------------- */

static int find_section(Elf *elf, size_t shstrndx, const char *name,
			Elf_Scn **out)
{
	Elf_Scn *scn = NULL;
	GElf_Shdr sh;
	const char *n;

	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name)) {
			*out = scn;
			return 0;
		}
	}
	return -ENOENT;
}

/*
 * Make symbol symname mark section shndx: STT_OBJECT at offset 0 with the
 * section's size, so the core finds the section in the loaded module's
 * kallsyms (at MODULE_STATE_COMING the section headers are gone). An
 * existing symbol of that name is updated; a new one is appended as a
 * global (appending never renumbers the symbols relocations refer to).
 * Buffers handed to libelf are returned in *keep, freed after elf_update().
 */
static int ensure_sym(Elf *elf, size_t shndx, size_t size, const char *symname,
		      void **keep, struct hp_msg *msg)
{
	Elf_Scn *symscn = NULL, *strscn;
	Elf_Data *sd, *td;
	GElf_Shdr sh, strsh;
	GElf_Sym sym;
	const char *n;
	size_t i, count, namelen = strlen(symname);
	char *strbuf;
	void *symbuf;

	while ((symscn = elf_nextscn(elf, symscn))) {
		if (gelf_getshdr(symscn, &sh) && sh.sh_type == SHT_SYMTAB)
			break;
	}
	if (!symscn || !sh.sh_entsize)
		return hp_msg_set(msg, -ENOEXEC, "no symbol table");
	sd = elf_getdata(symscn, NULL);
	strscn = elf_getscn(elf, sh.sh_link);
	td = strscn ? elf_getdata(strscn, NULL) : NULL;
	if (!sd || !td || !gelf_getshdr(strscn, &strsh))
		return hp_msg_set(msg, -ENOEXEC, "libelf: %s", elf_errmsg(-1));
	count = sh.sh_size / sh.sh_entsize;
	for (i = 1; i < count; i++) {
		if (!gelf_getsym(sd, (int)i, &sym))
			continue;
		n = elf_strptr(elf, sh.sh_link, sym.st_name);
		if (n && !strcmp(n, symname)) {
			sym.st_shndx = (Elf64_Section)shndx;
			sym.st_value = 0;
			sym.st_size = size;
			sym.st_info = GELF_ST_INFO(GELF_ST_BIND(sym.st_info), STT_OBJECT);
			gelf_update_sym(sd, (int)i, &sym);
			elf_flagdata(sd, ELF_C_SET, ELF_F_DIRTY);
			return 0;
		}
	}
	/* the name into the symbol string table */
	strbuf = malloc(td->d_size + namelen + 1);
	symbuf = malloc(sd->d_size + sh.sh_entsize);
	if (!strbuf || !symbuf) {
		free(strbuf);
		free(symbuf);
		return -ENOMEM;
	}
	keep[0] = strbuf;
	keep[1] = symbuf;
	memcpy(strbuf, td->d_buf, td->d_size);
	memcpy(strbuf + td->d_size, symname, namelen + 1);
	memset(&sym, 0, sizeof(sym));
	sym.st_name = td->d_size;
	sym.st_info = GELF_ST_INFO(STB_GLOBAL, STT_OBJECT);
	sym.st_other = STV_DEFAULT;
	sym.st_shndx = (Elf64_Section)shndx;
	sym.st_size = size;
	td->d_buf = strbuf;
	td->d_size += namelen + 1;
	strsh.sh_size = td->d_size;
	gelf_update_shdr(strscn, &strsh);
	elf_flagdata(td, ELF_C_SET, ELF_F_DIRTY);

	memcpy(symbuf, sd->d_buf, sd->d_size);
	sd->d_buf = symbuf;
	sd->d_size += sh.sh_entsize;
	if (!gelf_update_sym(sd, (int)count, &sym))
		return hp_msg_set(msg, -ENOEXEC, "libelf: %s", elf_errmsg(-1));
	sh.sh_size = sd->d_size;
	gelf_update_shdr(symscn, &sh);
	elf_flagdata(sd, ELF_C_SET, ELF_F_DIRTY);
	return 0;
}

static int elf_set_section(int fd, const char *name, const void *data,
			   size_t len, size_t align, struct hp_msg *msg)
{
	static const char *const marked[][2] = {
		{ HOTPATCH_MANIFEST_SECTION, HOTPATCH_MANIFEST_SYM },
		{ HOTPATCH_SIG_SECTION, HOTPATCH_SIG_SYM },
	};
	size_t shstrndx, idx = 0, namelen = strlen(name), k;
	Elf_Scn *scn = NULL, *strscn, *other;
	void *keep[4] = { NULL };
	Elf_Data *d, *sd;
	char *strbuf = NULL;
	GElf_Shdr sh;
	const char *n;
	Elf *elf;
	off_t size;
	int err = 0;

	elf = elf_begin(fd, ELF_C_RDWR, NULL);
	if (!elf || elf_getshdrstrndx(elf, &shstrndx))
		return hp_msg_set(msg, -ENOEXEC, "libelf: %s", elf_errmsg(-1));
	while ((scn = elf_nextscn(elf, scn))) {
		if (!gelf_getshdr(scn, &sh))
			continue;
		n = elf_strptr(elf, shstrndx, sh.sh_name);
		if (n && !strcmp(n, name)) {
			idx = elf_ndxscn(scn);
			break;
		}
	}
	if (idx) {
		d = elf_getdata(scn, NULL);
		if (!d || elf_getdata(scn, d)) {
			err = hp_msg_set(msg, -ENOEXEC, "%s: unexpected layout",
					 name);
			goto out;
		}
	} else {
		/* name into .shstrtab, then a new section at the end */
		strscn = elf_getscn(elf, shstrndx);
		sd = strscn ? elf_getdata(strscn, NULL) : NULL;
		if (!sd || !gelf_getshdr(strscn, &sh)) {
			err = hp_msg_set(msg, -ENOEXEC, "libelf: %s",
					 elf_errmsg(-1));
			goto out;
		}
		strbuf = malloc(sd->d_size + namelen + 1);
		if (!strbuf) {
			err = -ENOMEM;
			goto out;
		}
		memcpy(strbuf, sd->d_buf, sd->d_size);
		memcpy(strbuf + sd->d_size, name, namelen + 1);
		sd->d_buf = strbuf;
		sd->d_size += namelen + 1;
		sh.sh_size = sd->d_size;
		gelf_update_shdr(strscn, &sh);
		elf_flagdata(sd, ELF_C_SET, ELF_F_DIRTY);

		scn = elf_newscn(elf);
		d = scn ? elf_newdata(scn) : NULL;
		if (!d || !gelf_getshdr(scn, &sh)) {
			err = hp_msg_set(msg, -ENOEXEC, "libelf: %s",
					 elf_errmsg(-1));
			goto out;
		}
		memset(&sh, 0, sizeof(sh));
		sh.sh_name = sd->d_size - namelen - 1;
		sh.sh_type = SHT_PROGBITS;
		sh.sh_flags = SHF_ALLOC;
		sh.sh_addralign = align;
		gelf_update_shdr(scn, &sh);
	}
	d->d_buf = (void *)data;
	d->d_size = len;
	d->d_type = ELF_T_BYTE;
	d->d_align = align;
	d->d_off = 0;
	d->d_version = EV_CURRENT;
	elf_flagdata(d, ELF_C_SET, ELF_F_DIRTY);
	if (!gelf_getshdr(scn, &sh)) {
		err = hp_msg_set(msg, -ENOEXEC, "libelf: %s", elf_errmsg(-1));
		goto out;
	}
	sh.sh_size = len;
	sh.sh_type = SHT_PROGBITS;
	sh.sh_flags = (sh.sh_flags | SHF_ALLOC) & ~(GElf_Xword)(SHF_WRITE | SHF_EXECINSTR);
	sh.sh_addralign = align;
	gelf_update_shdr(scn, &sh);
	elf_flagshdr(scn, ELF_C_SET, ELF_F_DIRTY);
	/* the marker symbols of both sections (the other may be there) */
	for (k = 0; k < 2; k++) {
		if (find_section(elf, shstrndx, marked[k][0], &other) ||
		    !gelf_getshdr(other, &sh))
			continue;
		err = ensure_sym(elf, elf_ndxscn(other), sh.sh_size,
				 marked[k][1], keep + 2 * k, msg);
		if (err)
			goto out;
	}
	size = elf_update(elf, ELF_C_WRITE);
	if (size < 0) {
		err = hp_msg_set(msg, -EIO, "libelf: %s", elf_errmsg(-1));
		goto out;
	}
	if (ftruncate(fd, size))
		err = hp_msg_set(msg, -errno, "ftruncate: %s", strerror(errno));
out:
	elf_end(elf);
	free(strbuf);
	for (k = 0; k < 4; k++)
		free(keep[k]);
	return err;
}

/* img[0, len) with section name set to data; result malloc'ed in *out */
static int image_set_section(const uint8_t *img, size_t len, const char *name,
			     const void *data, size_t dlen, size_t align,
			     uint8_t **out, size_t *out_len, struct hp_msg *msg)
{
	const char *dir = getenv("TMPDIR");
	char tmp[4096];
	uint8_t *buf = NULL;
	off_t size;
	ssize_t r;
	int fd, err;

	if (hp_elf_init())
		return hp_msg_set(msg, -ENOSYS, "libelf: %s", elf_errmsg(-1));
	snprintf(tmp, sizeof(tmp), "%s/hotpatch-sign.XXXXXX",
		 dir && *dir ? dir : "/tmp");
	fd = mkstemp(tmp);
	if (fd < 0)
		return hp_msg_set(msg, -errno, "%s: %s", tmp, strerror(errno));
	unlink(tmp);
	if (pwrite(fd, img, len, 0) != (ssize_t)len) {
		err = hp_msg_set(msg, -EIO, "%s: write failed", tmp);
		goto out;
	}
	err = elf_set_section(fd, name, data, dlen, align, msg);
	if (err)
		goto out;
	size = lseek(fd, 0, SEEK_END);
	buf = malloc(size > 0 ? size : 1);
	if (size <= 0 || !buf) {
		err = -ENOMEM;
		goto out;
	}
	r = pread(fd, buf, size, 0);
	if (r != size) {
		err = hp_msg_set(msg, -EIO, "%s: read back failed", tmp);
		goto out;
	}
	*out = buf;
	*out_len = size;
	buf = NULL;
out:
	free(buf);
	close(fd);
	return err;
}

int hp_patchmod_set_section(const char *in_path, const char *out_path,
			    const char *name, const void *data, size_t len,
			    struct hp_msg *msg)
{
	struct hp_patchmod *pm = NULL;
	uint8_t *out = NULL;
	size_t out_len;
	int err;

	err = hp_patchmod_read(in_path, &pm, msg);
	if (err)
		return err;
	err = image_set_section(pm->img, pm->elf_len, name, data, len, 8, &out,
				&out_len, msg);
	if (!err)
		err = hp_file_write(out_path, out, out_len, NULL, 0, NULL, 0, msg);
	free(out);
	hp_patchmod_free(pm);
	return err;
}

int hp_patchmod_sign(const char *in_path, const char *out_path,
		     const struct hp_signer *s, unsigned int flags,
		     struct hp_msg *msg)
{
	char reason[HOTPATCH_MF_REASON_LEN];
	struct hp_patchmod *pm = NULL;
	uint8_t *mfsig = NULL, *modsig = NULL, *img2 = NULL, trailer[40];
	const uint8_t *img;
	size_t mfsig_len, modsig_len, img_len, tlen;
	struct hotpatch_mf mf;
	int err;

	err = hp_patchmod_read(in_path, &pm, msg);
	if (err)
		return err;
	img = pm->img;
	img_len = pm->elf_len;	/* an old module signature is dropped */
	if (!(flags & HP_SIGN_MODULE_ONLY)) {
		if (!pm->mf) {
			err = hp_msg_set(msg, -ENOENT,
					 "%s: no %s section (a module that is not a patch: --module-only)",
					 in_path, HOTPATCH_MANIFEST_SECTION);
			goto out;
		}
		err = hotpatch_manifest_parse(pm->mf, pm->mf_len, &mf, reason,
					      sizeof(reason));
		if (err) {
			hp_msg_set(msg, err, "%s: invalid manifest: %s", in_path,
				   reason);
			goto out;
		}
		err = check_one_section(pm, pm->mf_idx, HOTPATCH_MANIFEST_SECTION,
					msg);
		if (err)
			goto out;
		err = hp_pkcs7_sign(s, pm->mf, pm->mf_len, &mfsig, &mfsig_len, msg);
		if (err)
			goto out;
		err = image_set_section(pm->img, pm->elf_len, HOTPATCH_SIG_SECTION,
					mfsig, mfsig_len, 1, &img2, &img_len,
					msg);
		if (err)
			goto out;
		img = img2;
	}
	err = hp_pkcs7_sign(s, img, img_len, &modsig, &modsig_len, msg);
	if (err)
		goto out;
	tlen = hp_modsig_trailer(modsig_len, trailer);
	err = hp_file_write(out_path, img, img_len, modsig, modsig_len, trailer,
			    tlen, msg);
out:
	free(mfsig);
	free(modsig);
	free(img2);
	hp_patchmod_free(pm);
	return err;
}
