// SPDX-License-Identifier: GPL-2.0
/*
 * stage.c - staging: a patch module's signed manifest is verified before
 * any of its code runs
 *
 * In the MODULE_STATE_COMING notifier (the module is relocated and its
 * read-only data is read-only; its init has not run) every module that
 * carries a manifest (docs/manifest.md) is staged, in this order:
 *
 *	1. find the manifest through its marker symbol, inside the module's
 *	   read-only data; parse it (the shared parser, manifest.c)
 *	2. the manifest names this module
 *	3. its detached PKCS#7 signature verifies against the .hotpatch
 *	   keyring (keyring.c); unsigned only when require_signature=0
 *	4. the kernel verified the module signature, if require_module_sig
 *	5. the target kernel release and vmlinux build-id are this kernel's
 *	6. every target object that is loaded is the build the manifest
 *	   names; every function of it resolves and has the expected size
 *
 * A failure fails the module's load with the errno, one log line
 * "'<patch>': <reason>" and /sys/kernel/hotpatch/last_error. A module that
 * passes is kept on hp_staged until its init registers the patch:
 * hotpatch_stage_claim() then checks that the registered descriptors are
 * exactly what the signed manifest says, so the core never acts on
 * unsigned descriptor data. A patch module without any manifest is refused
 * there (-ENOKEY) while signatures are required: until it calls
 * hotpatch_register() nothing tells it apart from any other module.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/elf.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/utsname.h>
#include <linux/verification.h>
#include "compat.h"
#include "core.h"
#include "keyring.h"
#include "manifest.h"
#include "stage.h"
#include "symbols.h"

static bool require_signature = true;
module_param(require_signature, bool, 0444);
MODULE_PARM_DESC(require_signature,
		 "refuse patch modules without a manifest signature trusted by the .hotpatch keyring (default 1; 0 is logged)");

/* -1: on when the kernel enforces module signatures (resolved at init) */
static int require_module_sig = -1;
module_param(require_module_sig, int, 0444);
MODULE_PARM_DESC(require_module_sig,
		 "refuse patch modules whose module signature the kernel did not verify (default: 1 if the kernel enforces module signatures)");

/* ELF note type of a GNU build-id (<elf.h>; not in the kernel headers) */
#define HP_NT_GNU_BUILD_ID	3

#define HP_SIGNER_LEN	64
#define HP_KEY_ID_LEN	130

/**
 * struct hp_stage - a staged (verified) patch module
 * @node:	in hp_staged until claimed by the patch's registration
 * @mod:	the patch module
 * @mf:		the parsed manifest, a view of the module's read-only data
 * @is_signed:	the manifest signature verified
 * @sig_ok:	the kernel verified the module signature
 * @signer:	CN of the manifest's signer ("" when unsigned)
 * @key_id:	hex id of the key that verified it, as in keys
 * @rcu:	sysfs readers of a patch find the record under RCU
 */
struct hp_stage {
	struct list_head node;
	struct module *mod;
	struct hotpatch_mf mf;
	bool is_signed;
	bool sig_ok;
	char signer[HP_SIGNER_LEN];
	char key_id[HP_KEY_ID_LEN];
	struct rcu_head rcu;
};

/* Staged, unclaimed records. hp_staged_mutex protects the list. */
static LIST_HEAD(hp_staged);
static DEFINE_MUTEX(hp_staged_mutex);

/* The running kernel's GNU build-id (vmlinux_build_id), read at init. */
static u8 hp_build_id[20];
static size_t hp_build_id_len;

static bool hp_require_module_sig(void)
{
	return READ_ONCE(require_module_sig) > 0;
}

static bool hp_mod_sig_ok(struct module *mod)
{
#ifdef CONFIG_MODULE_SIG
	return mod->sig_ok;
#else
	return false;
#endif
}

/* Log and record a refusal at staging, where there is no hp_patch yet. */
static __printf(3, 4) int hp_refuse(struct module *mod, int err,
				    const char *fmt, ...)
{
	char reason[HP_ERR_LEN];
	va_list args;

	va_start(args, fmt);
	vsnprintf(reason, sizeof(reason), fmt, args);
	va_end(args);
	hotpatch_record_error(mod->name, err, reason);
	pr_err("'%s': refused (%d)\n", mod->name, err);
	return err;
}

/* The module's read-only data (where it is depends on the kernel). */
static void hp_rodata(struct module *mod, unsigned long *lo, unsigned long *hi)
{
	hp_compat_mod_rodata(mod, lo, hi);
}

/*
 * Address and size of the defined symbol @name of @mod, from the module's
 * own kallsyms (at COMING the section headers are gone; st_value is the
 * final address). Returns the number of symbols of that name.
 */
static unsigned int hp_mod_symbol(struct module *mod, const char *name,
				  unsigned long *addr, unsigned long *size)
{
	struct mod_kallsyms *ks;
	unsigned int i, n = 0;

	preempt_disable();
	ks = rcu_dereference_sched(mod->kallsyms);
	for (i = 1; i < ks->num_symtab; i++) {
		const Elf_Sym *s = &ks->symtab[i];

		if (s->st_shndx == SHN_UNDEF || s->st_shndx >= SHN_LORESERVE ||
		    strcmp(ks->strtab + s->st_name, name))
			continue;
		if (!n++) {
			*addr = s->st_value;
			*size = s->st_size;
		}
	}
	preempt_enable();
	return n;
}

/*
 * A section of the patch module by its marker symbol. The size comes from
 * the file: nothing outside the module's read-only data is read.
 */
static int hp_marker(struct module *mod, const char *name, const void **p,
		     size_t *size)
{
	unsigned long lo, hi, addr, sz;

	if (!hp_mod_symbol(mod, name, &addr, &sz))
		return -ENOENT;
	hp_rodata(mod, &lo, &hi);
	if (addr < lo || addr > hi || !sz || sz > hi - addr)
		return -ENOEXEC;
	*p = (const void *)addr;
	*size = sz;
	return 0;
}

/*
 * The GNU build-id of a loaded module: its .note.gnu.build-id (SHF_ALLOC,
 * so in its read-only data) is the first 4-byte aligned note there with
 * name "GNU" and type NT_GNU_BUILD_ID.
 */
static const u8 *hp_module_build_id(struct module *mod, size_t *len)
{
	unsigned long lo, hi, p;
	const u32 *w;

	hp_rodata(mod, &lo, &hi);
	for (p = ALIGN(lo, 4); p + 16 <= hi; p += 4) {
		w = (const u32 *)p;
		if (w[0] != 4 || w[2] != HP_NT_GNU_BUILD_ID || !w[1] ||
		    w[1] > HOTPATCH_BUILD_ID_MAX || memcmp(&w[3], "GNU", 4) ||
		    w[1] > hi - p - 16)
			continue;
		*len = w[1];
		return (const u8 *)(p + 16);
	}
	return NULL;
}

/* Is @mod the build of @obj the manifest names? 0 or -EINVAL (logged). */
static int hp_check_identity(const char *patch, const struct hotpatch_mf_obj *obj,
			     struct module *mod, char *why, size_t why_len)
{
	const u8 *bid;
	size_t len = 0;

	bid = hp_module_build_id(mod, &len);
	if (hotpatch_manifest_check_module(obj, mod->srcversion, bid, len,
					   why, why_len))
		return -EINVAL;
	return 0;
}

/*
 * Every function of the loaded target objects resolves, with its expected
 * size. Every problem is logged; the first one is the error.
 */
static int hp_check_targets(struct module *mod, const struct hotpatch_mf *mf)
{
	char why[HP_ERR_LEN];
	struct hotpatch_mf_obj obj;
	struct hotpatch_mf_func func;
	struct module *target;
	unsigned long addr, size;
	u32 i, j;
	int ret = 0, err;

	hotpatch_mf_for_each_obj(mf, i, &obj) {
		bool vmlinux = !strcmp(obj.name, HOTPATCH_VMLINUX);

		target = NULL;
		if (!vmlinux) {
			target = hotpatch_get_module(obj.name);
			if (!target)
				continue;	/* checked when it loads */
			err = hp_check_identity(mod->name, &obj, target, why,
						sizeof(why));
			if (err)
				goto next_err;
		}
		hotpatch_mf_for_each_func(mf, &obj, j, &func) {
			err = hotpatch_find_symbol(target ? obj.name : NULL,
						   func.old_name, func.old_sympos,
						   &addr, why, sizeof(why));
			if (!err && (!hotpatch_symbol_size(addr, &size) ||
				     size != func.old_size)) {
				snprintf(why, sizeof(why),
					 "function '%s' in '%s' is %lu bytes, the manifest expects %u: built for another kernel?",
					 func.old_name, obj.name, size,
					 func.old_size);
				err = -EINVAL;
			}
			if (!err)
				continue;
			if (!ret)
				hotpatch_record_error(mod->name, err, why);
			else
				pr_err("'%s': %s\n", mod->name, why);
			ret = ret ?: err;
		}
		if (target)
			module_put(target);
		continue;
next_err:
		module_put(target);
		if (!ret)
			hotpatch_record_error(mod->name, err, why);
		else
			pr_err("'%s': %s\n", mod->name, why);
		ret = ret ?: err;
	}
	if (ret)
		pr_err("'%s': refused (%d)\n", mod->name, ret);
	return ret;
}

static const char *hp_sig_reason(int err)
{
	switch (err) {
	case -ENOKEY:
		return "the manifest is signed by a key the hotpatch keyring does not trust";
	case -EKEYREJECTED:
		return "the manifest signature does not match the manifest";
	case -EBADMSG:
		return "the manifest signature is malformed";
	case -ENOPKG:
		return "the manifest signature uses an algorithm this kernel lacks";
	default:
		return "the manifest signature does not verify";
	}
}

static int hp_stage_module(struct module *mod)
{
	char reason[HP_ERR_LEN], serial[HP_KEY_ID_LEN];
	const void *mf_buf, *sig;
	size_t mf_len, sig_len;
	struct hotpatch_sig_id id;
	struct hp_stage *st;
	int ret;

	ret = hp_marker(mod, HOTPATCH_MANIFEST_SYM, &mf_buf, &mf_len);
	if (ret == -ENOENT)
		return 0;	/* no manifest: hotpatch_stage_claim() decides */
	if (ret)
		return hp_refuse(mod, ret,
				 "the manifest is not inside the module's read-only data");

	st = kzalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return hp_refuse(mod, -ENOMEM, "out of memory");
	st->mod = mod;
	st->sig_ok = hp_mod_sig_ok(mod);

	ret = hotpatch_manifest_parse(mf_buf, mf_len, &st->mf, reason,
				      sizeof(reason));
	if (ret) {
		hp_refuse(mod, ret, "bad manifest: %s", reason);
		goto out_free;
	}
	if (strcmp(st->mf.name, mod->name)) {
		ret = hp_refuse(mod, -ENOEXEC, "the manifest is for patch '%s'",
				st->mf.name);
		goto out_free;
	}

	ret = hp_marker(mod, HOTPATCH_SIG_SYM, &sig, &sig_len);
	if (ret == -ENOENT && !require_signature) {
		pr_warn("'%s': the manifest is not signed; accepted because require_signature=0\n",
			mod->name);
	} else if (ret == -ENOENT) {
		ret = hp_refuse(mod, -ENOKEY, "the manifest is not signed");
		goto out_free;
	} else if (ret) {
		hp_refuse(mod, ret,
			  "the manifest signature is not inside the module's read-only data");
		goto out_free;
	} else {
		ret = verify_pkcs7_signature(mf_buf, mf_len, sig, sig_len,
					     hotpatch_keyring(),
					     VERIFYING_MODULE_SIGNATURE,
					     NULL, NULL);
		if (ret) {
			hp_refuse(mod, ret, "%s", hp_sig_reason(ret));
			goto out_free;
		}
		st->is_signed = true;
		if (!hotpatch_sig_signer(sig, sig_len, &id)) {
			hotpatch_sig_id_names(&id, st->signer, sizeof(st->signer),
					      serial, sizeof(serial));
			if (hotpatch_keyring_key_id(id.issuer, id.issuer_len,
						    id.serial, id.serial_len,
						    st->key_id,
						    sizeof(st->key_id)))
				strscpy(st->key_id, serial, sizeof(st->key_id));
		}
	}

	if (hp_require_module_sig() && !st->sig_ok) {
		ret = hp_refuse(mod, -EKEYREJECTED,
				"the kernel did not verify the module signature (require_module_sig=1)");
		goto out_free;
	}

	if (!hp_build_id_len) {
		ret = hp_refuse(mod, -EINVAL,
				"the running kernel's build-id is unknown: cannot check the manifest's target");
		goto out_free;
	}
	ret = hotpatch_manifest_check_kernel(&st->mf, init_utsname()->release,
					     hp_build_id, hp_build_id_len,
					     reason, sizeof(reason));
	if (ret) {
		ret = hp_refuse(mod, -EINVAL, "%s", reason);
		goto out_free;
	}

	ret = hp_check_targets(mod, &st->mf);
	if (ret)
		goto out_free;

	pr_debug("'%s': manifest verified: signer '%s', key %s, module signature %s\n",
		 mod->name, st->is_signed ? st->signer : "(unsigned)",
		 st->key_id[0] ? st->key_id : "-",
		 st->sig_ok ? "verified by the kernel" : "not verified by the kernel");
	mutex_lock(&hp_staged_mutex);
	list_add(&st->node, &hp_staged);
	mutex_unlock(&hp_staged_mutex);
	return 0;

out_free:
	kfree(st);
	return ret;
}

/* Take @mod's record off hp_staged; NULL if it has none. */
static struct hp_stage *hp_unstage(struct module *mod)
{
	struct hp_stage *st, *found = NULL;

	mutex_lock(&hp_staged_mutex);
	list_for_each_entry(st, &hp_staged, node) {
		if (st->mod == mod) {
			list_del_init(&st->node);
			found = st;
			break;
		}
	}
	mutex_unlock(&hp_staged_mutex);
	return found;
}

static int hp_stage_notify(struct notifier_block *nb, unsigned long action,
			   void *data)
{
	struct module *mod = data;

	switch (action) {
	case MODULE_STATE_COMING:
		return notifier_from_errno(hp_stage_module(mod));
	case MODULE_STATE_LIVE:
	case MODULE_STATE_GOING:
		/* not claimed by a registration from its init: forget it */
		kfree(hp_unstage(mod));
		return NOTIFY_OK;
	default:
		return NOTIFY_DONE;
	}
}

static struct notifier_block hp_stage_nb = {
	.notifier_call = hp_stage_notify,
};

/* vmlinux_build_id[] (lib/buildid.c) is filled at boot, not exported. */
static void hp_read_build_id(void)
{
	char why[HP_ERR_LEN];
	unsigned long addr;

	if (hotpatch_find_symbol(NULL, "vmlinux_build_id", 0, &addr, why,
				 sizeof(why))) {
		pr_warn("%s: signed manifests cannot be checked\n", why);
		return;
	}
	memcpy(hp_build_id, (const void *)addr, sizeof(hp_build_id));
	if (memchr_inv(hp_build_id, 0, sizeof(hp_build_id)))
		hp_build_id_len = sizeof(hp_build_id);
}

int hotpatch_stage_init(void)
{
	int ret;

	if (require_module_sig < 0)
		require_module_sig = is_module_sig_enforced();
	else
		require_module_sig = !!require_module_sig;
	if (!require_signature)
		pr_warn("require_signature=0: patch modules with an unsigned manifest, or none, are accepted\n");
	hp_read_build_id();

	ret = hotpatch_keyring_init();
	if (ret)
		return ret;
	ret = register_module_notifier(&hp_stage_nb);
	if (ret)
		hotpatch_keyring_exit();
	return ret;
}

void hotpatch_stage_exit(void)
{
	struct hp_stage *st, *tmp;

	unregister_module_notifier(&hp_stage_nb);
	list_for_each_entry_safe(st, tmp, &hp_staged, node) {
		list_del(&st->node);
		kfree(st);
	}
	hotpatch_keyring_exit();
}

static u32 hp_desc_mode(struct hp_patch *patch)
{
	if (patch->desc->flags & HOTPATCH_F_OPS)
		return HOTPATCH_MODE_OPS;
	if (patch->desc->flags & HOTPATCH_F_DIRECT)
		return HOTPATCH_MODE_DIRECT;
	return HOTPATCH_MODE_DEFAULT;
}

/* Address of the patch module's symbol @name; 0 if missing or not unique. */
static unsigned long hp_patch_symbol(struct hp_patch *patch, const char *name)
{
	unsigned long addr, size;

	if (hp_mod_symbol(patch->mod, name, &addr, &size) != 1)
		return 0;
	return addr;
}

/* One descriptor function against its manifest entry. */
static int hp_match_func(struct hp_patch *patch, struct hp_object *obj,
			 struct hp_func *func, const struct hotpatch_mf_func *mf)
{
	unsigned long addr;

	if (func->old_size && func->old_size != mf->old_size) {
		hotpatch_set_error(patch, -EINVAL,
				   "function '%s' in '%s': the descriptor expects %lu bytes, the manifest %u",
				   func->old_name, obj->name, func->old_size,
				   mf->old_size);
		return -EINVAL;
	}
	addr = hp_patch_symbol(patch, mf->new_name);
	if (!addr || addr != func->new_addr) {
		hotpatch_set_error(patch, -EINVAL,
				   "function '%s' in '%s': the replacement is not '%s' as the manifest says",
				   func->old_name, obj->name, mf->new_name);
		return -EINVAL;
	}
	addr = mf->tramp_name ? hp_patch_symbol(patch, mf->tramp_name) : 0;
	if ((mf->tramp_name && !addr) || addr != (unsigned long)func->tramp) {
		hotpatch_set_error(patch, -EINVAL,
				   "function '%s' in '%s': the trampoline is not '%s' as the manifest says",
				   func->old_name, obj->name,
				   mf->tramp_name ? mf->tramp_name : "(none)");
		return -EINVAL;
	}
	/* the core acts on the signed size */
	func->old_size = mf->old_size;
	return 0;
}

/*
 * The registered descriptors must be exactly the manifest: the same
 * objects (but those without functions), each with the same functions (name, sympos), sizes (a
 * descriptor size of 0 takes the manifest's), replacements and
 * trampolines (the addresses of the symbols the manifest names), and the
 * same redirect mode.
 */
static int hp_match_manifest(struct hp_patch *patch, struct hp_stage *st)
{
	const struct hotpatch_mf *mf = &st->mf;
	struct hotpatch_mf_obj mobj;
	struct hotpatch_mf_func mfunc;
	struct hp_object *obj;
	struct hp_func *func;
	u32 nr_objs = 0, nr_funcs = 0, i, j;
	int ret;

	if (hp_desc_mode(patch) != mf->mode) {
		hotpatch_set_error(patch, -EINVAL,
				   "the manifest asks for mode '%s', the descriptor for '%s'",
				   hotpatch_mf_mode_name(mf->mode),
				   hotpatch_mf_mode_name(hp_desc_mode(patch)));
		return -EINVAL;
	}
#ifdef HOTPATCH_F_REPLACE
	if (!(patch->desc->flags & HOTPATCH_F_REPLACE) !=
	    !(mf->flags & HOTPATCH_MF_REPLACE)) {
		hotpatch_set_error(patch, -EINVAL,
				   "the manifest and the descriptor disagree on replacing other patches");
		return -EINVAL;
	}
#endif
	hotpatch_for_each_object(patch, obj) {
		bool found_obj = false;

		/*
		 * An object without functions (callbacks only) redirects
		 * nothing, and a manifest object has at least one function:
		 * it is not in the manifest.
		 */
		if (list_empty(&obj->funcs))
			continue;
		nr_objs++;
		hotpatch_mf_for_each_obj(mf, i, &mobj) {
			if (!strcmp(mobj.name, obj->name)) {
				found_obj = true;
				break;
			}
		}
		if (!found_obj) {
			hotpatch_set_error(patch, -EINVAL,
					   "target object '%s' is not in the manifest",
					   obj->name);
			return -EINVAL;
		}
		hotpatch_for_each_func(obj, func) {
			bool found = false;

			nr_funcs++;
			hotpatch_mf_for_each_func(mf, &mobj, j, &mfunc) {
				if (!strcmp(mfunc.old_name, func->old_name) &&
				    mfunc.old_sympos == func->old_sympos) {
					found = true;
					break;
				}
			}
			if (!found) {
				hotpatch_set_error(patch, -EINVAL,
						   "function '%s,%lu' in '%s' is not in the manifest",
						   func->old_name,
						   func->old_sympos, obj->name);
				return -EINVAL;
			}
			ret = hp_match_func(patch, obj, func, &mfunc);
			if (ret)
				return ret;
		}
	}
	/*
	 * Objects and functions are unique in a manifest, and the core
	 * refuses a descriptor that replaces a function twice: with equal
	 * counts, the match is one to one.
	 */
	if (nr_objs != mf->nr_objs || nr_funcs != mf->nr_funcs) {
		hotpatch_set_error(patch, -EINVAL,
				   "the descriptor has %u object(s) and %u function(s), the manifest %u and %u",
				   nr_objs, nr_funcs, mf->nr_objs, mf->nr_funcs);
		return -EINVAL;
	}
	return 0;
}

/**
 * hotpatch_stage_claim() - bind a registering patch to its staged manifest
 * @patch:	the patch, its descriptors copied
 *
 * Caller holds hotpatch_mutex. Refuses (-ENOKEY) a patch module that was
 * not staged with a manifest while signatures are required, and (-EINVAL)
 * descriptors that differ from the manifest.
 *
 * Return: 0 or -errno (the reason is recorded).
 */
int hotpatch_stage_claim(struct hp_patch *patch)
{
	struct hp_stage *st;
	int ret;

	st = hp_unstage(patch->mod);
	if (!st) {
		if (require_signature) {
			hotpatch_set_error(patch, -ENOKEY,
					   "the patch module has no manifest: it is not signed");
			return -ENOKEY;
		}
		pr_warn("'%s': no manifest; accepted because require_signature=0\n",
			patch->name);
		return 0;
	}
	ret = hp_match_manifest(patch, st);
	if (ret) {
		kfree(st);
		return ret;
	}
	rcu_assign_pointer(patch->stage, st);
	return 0;
}

void hotpatch_stage_release(struct hp_patch *patch)
{
	struct hp_stage *st = rcu_dereference_protected(patch->stage, true);

	if (!st)
		return;
	RCU_INIT_POINTER(patch->stage, NULL);
	kfree_rcu(st, rcu);
}

/**
 * hotpatch_stage_check_module() - is a loading target module the build the
 *	patch's manifest names?
 * @patch:	an applied patch
 * @obj:	its object for @mod
 * @mod:	the module, COMING
 *
 * For the core's own COMING handler (late-loaded targets), before it
 * patches the module. Records the reason on failure.
 *
 * Return: 0 or -EINVAL.
 */
int hotpatch_stage_check_module(struct hp_patch *patch, struct hp_object *obj,
				struct module *mod)
{
	struct hp_stage *st = rcu_dereference_protected(patch->stage, true);
	struct hotpatch_mf_obj mobj;
	char why[HP_ERR_LEN];
	u32 i;

	if (!st)
		return 0;
	hotpatch_mf_for_each_obj(&st->mf, i, &mobj) {
		if (strcmp(mobj.name, obj->name))
			continue;
		if (hp_check_identity(patch->name, &mobj, mod, why, sizeof(why))) {
			hotpatch_set_error(patch, -EINVAL, "%s", why);
			return -EINVAL;
		}
		return 0;
	}
	return 0;
}

/**
 * hotpatch_stage_series() - the patch's series and version, from its
 *	signed manifest
 * @patch:	a registered patch
 * @version:	set to the patch version (0 when there is no series)
 *
 * Caller holds hotpatch_mutex. The string lives in the patch module's
 * read-only data, so as long as the patch is registered.
 *
 * Return: the series, or NULL (no manifest, a version-1 manifest or none
 * named).
 */
const char *hotpatch_stage_series(struct hp_patch *patch, u32 *version)
{
	struct hp_stage *st = rcu_dereference_protected(patch->stage, true);

	*version = st && st->mf.series ? st->mf.patch_version : 0;
	return st ? st->mf.series : NULL;
}

/* /sys/kernel/hotpatch/: policy and keyring */

static ssize_t require_signature_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", require_signature);
}

static ssize_t require_module_sig_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", hp_require_module_sig());
}

static struct kobj_attribute hp_require_signature_attr =
	__ATTR_RO(require_signature);
static struct kobj_attribute hp_require_module_sig_attr =
	__ATTR_RO(require_module_sig);

static struct attribute *hp_stage_root_attrs[] = {
	&hotpatch_keyring_attr.attr,
	&hotpatch_keys_locked_attr.attr,
	&hp_require_signature_attr.attr,
	&hp_require_module_sig_attr.attr,
	NULL,
};

static struct bin_attribute *hp_stage_root_bin_attrs[] = {
	&hotpatch_keys_attr,
	NULL,
};

const struct attribute_group hotpatch_stage_root_group = {
	.attrs = hp_stage_root_attrs,
	.bin_attrs = hp_stage_root_bin_attrs,
};

/* patches/<name>/: who signed it */

enum hp_stage_field { HP_SIGNER, HP_KEY_ID, HP_SIG_OK, HP_DESCRIPTION,
		      HP_SERIES, HP_PATCH_VERSION, HP_CVES };

static ssize_t hp_stage_show(struct kobject *kobj, char *buf,
			     enum hp_stage_field field)
{
	struct hp_patch *patch = container_of(kobj, struct hp_patch, kobj);
	struct hp_stage *st;
	ssize_t len = 0;

	rcu_read_lock();
	st = rcu_dereference(patch->stage);
	if (field == HP_SIG_OK)
		len = sysfs_emit(buf, "%d\n",
				 st ? st->sig_ok : hp_mod_sig_ok(patch->mod));
	else if (st && field == HP_SIGNER && st->is_signed)
		len = sysfs_emit(buf, "%s\n", st->signer);
	else if (st && field == HP_KEY_ID && st->key_id[0])
		len = sysfs_emit(buf, "%s\n", st->key_id);
	else if (st && field == HP_DESCRIPTION && st->mf.description)
		len = sysfs_emit(buf, "%s\n", st->mf.description);
	else if (st && field == HP_SERIES && st->mf.series)
		len = sysfs_emit(buf, "%s\n", st->mf.series);
	else if (field == HP_PATCH_VERSION)
		len = sysfs_emit(buf, "%u\n", st ? st->mf.patch_version : 0);
	else if (st && field == HP_CVES && st->mf.cves)
		len = sysfs_emit(buf, "%s\n", st->mf.cves);
	rcu_read_unlock();
	return len;
}

static ssize_t signer_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return hp_stage_show(kobj, buf, HP_SIGNER);
}

static ssize_t key_id_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return hp_stage_show(kobj, buf, HP_KEY_ID);
}

static ssize_t module_sig_ok_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return hp_stage_show(kobj, buf, HP_SIG_OK);
}

/* The signed metadata (manifest version 2); empty (version 0) when none */
static ssize_t description_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return hp_stage_show(kobj, buf, HP_DESCRIPTION);
}

static ssize_t series_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return hp_stage_show(kobj, buf, HP_SERIES);
}

static ssize_t patch_version_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return hp_stage_show(kobj, buf, HP_PATCH_VERSION);
}

static ssize_t cves_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return hp_stage_show(kobj, buf, HP_CVES);
}

static struct kobj_attribute hp_signer_attr = __ATTR_RO(signer);
static struct kobj_attribute hp_key_id_attr = __ATTR_RO(key_id);
static struct kobj_attribute hp_module_sig_ok_attr = __ATTR_RO(module_sig_ok);
static struct kobj_attribute hp_description_attr = __ATTR_RO(description);
static struct kobj_attribute hp_series_attr = __ATTR_RO(series);
static struct kobj_attribute hp_patch_version_attr = __ATTR_RO(patch_version);
static struct kobj_attribute hp_cves_attr = __ATTR_RO(cves);

static struct attribute *hp_stage_patch_attrs[] = {
	&hp_signer_attr.attr,
	&hp_key_id_attr.attr,
	&hp_module_sig_ok_attr.attr,
	&hp_description_attr.attr,
	&hp_series_attr.attr,
	&hp_patch_version_attr.attr,
	&hp_cves_attr.attr,
	NULL,
};

const struct attribute_group hotpatch_stage_patch_group = {
	.attrs = hp_stage_patch_attrs,
};
