// SPDX-License-Identifier: GPL-2.0
/*
 * sysfs.c - /sys/kernel/hotpatch, the interface SREs and scripts read
 *
 * The layout is documented in docs/sysfs-abi.md; keep the two in step.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include "core.h"
#include "stage.h"
#include "symbols.h"
#include "sysfs.h"
#include "transition.h"

static struct kobject *hp_root_kobj;
static struct kobject *hp_patches_kobj;

/* Show newline-terminated lines; nothing when there are none. */
static ssize_t hp_emit_lines(char *buf, const char *text)
{
	size_t len = strlen(text);

	if (!len)
		return 0;
	return sysfs_emit(buf, "%.*s\n", (int)len - 1, text);
}

/* Global files. */

static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", HOTPATCH_VERSION);
}

static ssize_t default_mode_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  hotpatch_mode_name(READ_ONCE(hotpatch_default_mode)));
}

static ssize_t count_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%u\n", hotpatch_count());
}

static ssize_t last_error_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	char err[HP_ERR_LEN + MODULE_NAME_LEN + 16];

	hotpatch_global_error(err, sizeof(err));
	if (!err[0])
		return 0;
	return sysfs_emit(buf, "%s\n", err);
}

static ssize_t global_blocking_show(struct kobject *kobj,
				    struct kobj_attribute *attr, char *buf)
{
	char text[HP_BLOCKING_LEN];

	hotpatch_global_blocking(text, sizeof(text));
	return hp_emit_lines(buf, text);
}

static struct kobj_attribute hp_global_blocking_attr =
	__ATTR(blocking, 0444, global_blocking_show, NULL);
static struct kobj_attribute hp_version_attr = __ATTR_RO(version);
static struct kobj_attribute hp_default_mode_attr = __ATTR_RO(default_mode);
static struct kobj_attribute hp_count_attr = __ATTR_RO(count);
static struct kobj_attribute hp_last_error_attr = __ATTR_RO(last_error);

static struct attribute *hp_root_attrs[] = {
	&hp_version_attr.attr,
	&hp_default_mode_attr.attr,
	&hp_count_attr.attr,
	&hp_last_error_attr.attr,
	&hp_global_blocking_attr.attr,
	NULL,
};

static const struct attribute_group hp_root_group = {
	.attrs = hp_root_attrs,
};

/* patches/<name>/ */

#define to_patch(k) container_of(k, struct hp_patch, kobj)

static ssize_t enabled_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_patch(kobj)->enabled));
}

static ssize_t enabled_store(struct kobject *kobj, struct kobj_attribute *attr,
			     const char *buf, size_t count)
{
	struct hp_patch *patch = to_patch(kobj);
	bool enable;
	int ret;

	ret = kstrtobool(buf, &enable);
	if (ret)
		return ret;

	ret = hotpatch_lock_idle(true);
	if (ret)
		return ret;
	if (list_empty(&patch->node)) {
		ret = -ENODEV;	/* being removed */
	} else if (patch->enabled == enable) {
		/* nothing to switch: force was for this write, not a later one */
		ret = 0;
		if (patch->force) {
			patch->force = false;
			pr_info("'%s': already %s: nothing was forced, force is off again\n",
				patch->name, enable ? "enabled" : "disabled");
		}
	} else if (enable) {
		ret = __hotpatch_enable(patch);
	} else {
		ret = __hotpatch_disable(patch);
	}
	mutex_unlock(&hotpatch_mutex);

	return ret < 0 ? ret : count;
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  hotpatch_state_name(READ_ONCE(to_patch(kobj)->state)));
}

static ssize_t transition_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_patch(kobj)->transition));
}

static ssize_t mode_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%s\n", hotpatch_mode_name(to_patch(kobj)->mode));
}

static ssize_t target_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", to_patch(kobj)->target);
}

static ssize_t applied_at_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  (long long)READ_ONCE(to_patch(kobj)->applied_at));
}

static ssize_t patch_last_error_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	struct hp_patch *patch = to_patch(kobj);
	char text[HP_ERR_LEN];

	hotpatch_patch_text(patch->last_error, text, sizeof(text));
	if (!text[0])
		return 0;
	return sysfs_emit(buf, "%s\n", text);
}

static ssize_t stack_order_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_patch(kobj)->stack_order));
}

static ssize_t blocking_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	struct hp_patch *patch = to_patch(kobj);
	char *text = kmalloc(HP_BLOCKING_LEN, GFP_KERNEL);
	ssize_t ret;

	if (!text)
		return -ENOMEM;
	hotpatch_patch_text(patch->blocking, text, HP_BLOCKING_LEN);
	ret = hp_emit_lines(buf, text);
	kfree(text);
	return ret;
}

static ssize_t last_stop_ns_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(to_patch(kobj)->last_stop_ns));
}

static ssize_t last_walked_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_patch(kobj)->last_walked));
}

static ssize_t last_visited_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", READ_ONCE(to_patch(kobj)->last_visited));
}

static ssize_t force_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct hp_patch *patch = to_patch(kobj);

	return sysfs_emit(buf, "%d\n", READ_ONCE(patch->forced) ? 2 :
			  READ_ONCE(patch->force) ? 1 : 0);
}

static ssize_t force_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct hp_patch *patch = to_patch(kobj);
	bool force;
	int ret;

	ret = kstrtobool(buf, &force);
	if (ret)
		return ret;
	ret = hotpatch_lock_idle(true);
	if (ret)
		return ret;
	patch->force = force;
	mutex_unlock(&hotpatch_mutex);
	if (force)
		pr_warn("'%s': the next transition will be forced\n",
			patch->name);
	return count;
}

static struct kobj_attribute hp_enabled_attr = __ATTR_RW(enabled);
static struct kobj_attribute hp_blocking_attr = __ATTR_RO(blocking);
static struct kobj_attribute hp_last_stop_ns_attr = __ATTR_RO(last_stop_ns);
static struct kobj_attribute hp_last_walked_attr = __ATTR_RO(last_walked);
static struct kobj_attribute hp_last_visited_attr = __ATTR_RO(last_visited);
static struct kobj_attribute hp_force_attr = __ATTR_RW(force);
static struct kobj_attribute hp_state_attr = __ATTR_RO(state);
static struct kobj_attribute hp_transition_attr = __ATTR_RO(transition);
static struct kobj_attribute hp_mode_attr = __ATTR_RO(mode);
static struct kobj_attribute hp_target_attr = __ATTR_RO(target);
static struct kobj_attribute hp_applied_at_attr = __ATTR_RO(applied_at);
static struct kobj_attribute hp_patch_last_error_attr =
	__ATTR(last_error, 0444, patch_last_error_show, NULL);
static struct kobj_attribute hp_stack_order_attr = __ATTR_RO(stack_order);

static struct attribute *hp_patch_attrs[] = {
	&hp_enabled_attr.attr,
	&hp_state_attr.attr,
	&hp_transition_attr.attr,
	&hp_mode_attr.attr,
	&hp_target_attr.attr,
	&hp_applied_at_attr.attr,
	&hp_patch_last_error_attr.attr,
	&hp_stack_order_attr.attr,
	&hp_blocking_attr.attr,
	&hp_last_stop_ns_attr.attr,
	&hp_last_walked_attr.attr,
	&hp_last_visited_attr.attr,
	&hp_force_attr.attr,
	NULL,
};
static const struct attribute_group hp_patch_group = {
	.attrs = hp_patch_attrs,
};

static const struct attribute_group *hp_patch_groups[] = {
	&hp_patch_group,
	&hotpatch_stage_patch_group,
	NULL,
};

static void hp_patch_release(struct kobject *kobj)
{
	kfree(to_patch(kobj));
}

static struct kobj_type hp_patch_ktype = {
	.release = hp_patch_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hp_patch_groups,
};

/* patches/<name>/<object>/ */

#define to_object(k) container_of(k, struct hp_object, kobj)

static ssize_t object_patched_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_object(kobj)->patched));
}

static struct kobj_attribute hp_object_patched_attr =
	__ATTR(patched, 0444, object_patched_show, NULL);

static struct attribute *hp_object_attrs[] = {
	&hp_object_patched_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(hp_object);

static void hp_object_release(struct kobject *kobj)
{
	struct hp_object *obj = to_object(kobj);

	kfree_const(obj->name);
	kfree(obj);
}

static struct kobj_type hp_object_ktype = {
	.release = hp_object_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hp_object_groups,
};

/* patches/<name>/<object>/<func>,<sympos>/ */

#define to_func(k) container_of(k, struct hp_func, kobj)

/*
 * old_addr and new_addr are kernel addresses: like /proc/kallsyms, they
 * read as zero unless the opener of the file may see kernel pointers
 * (kallsyms_show_value() of the file's credentials, so that a descriptor
 * handed to a privileged program still reads zeros). Bin attributes,
 * because only their read sees the file.
 */
static ssize_t hp_read_addr(struct file *file, unsigned long addr, char *buf,
			    loff_t off, size_t count)
{
	char text[24];
	int len;

	if (!hotpatch_show_addresses(file->f_cred))
		addr = 0;
	len = scnprintf(text, sizeof(text), "0x%016lx\n", addr);
	return memory_read_from_buffer(buf, count, &off, text, len);
}

static ssize_t old_addr_read(struct file *file, struct kobject *kobj,
			     struct bin_attribute *attr, char *buf, loff_t off,
			     size_t count)
{
	return hp_read_addr(file, READ_ONCE(to_func(kobj)->old_addr), buf, off,
			    count);
}

static ssize_t new_addr_read(struct file *file, struct kobject *kobj,
			     struct bin_attribute *attr, char *buf, loff_t off,
			     size_t count)
{
	return hp_read_addr(file, to_func(kobj)->new_addr, buf, off, count);
}

static ssize_t func_mode_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	struct hp_func *func = to_func(kobj);
	enum hp_mode mode = READ_ONCE(func->patched) ? READ_ONCE(func->mode) :
			    func->obj->patch->mode;

	return sysfs_emit(buf, "%s\n", hotpatch_mode_name(mode));
}

static ssize_t func_patched_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_func(kobj)->patched));
}

static struct bin_attribute hp_old_addr_attr = __BIN_ATTR_RO(old_addr, 0);
static struct bin_attribute hp_new_addr_attr = __BIN_ATTR_RO(new_addr, 0);
static struct kobj_attribute hp_func_mode_attr =
	__ATTR(mode, 0444, func_mode_show, NULL);
static struct kobj_attribute hp_func_patched_attr =
	__ATTR(patched, 0444, func_patched_show, NULL);

static struct attribute *hp_func_attrs[] = {
	&hp_func_mode_attr.attr,
	&hp_func_patched_attr.attr,
	NULL,
};

static struct bin_attribute *hp_func_bin_attrs[] = {
	&hp_old_addr_attr,
	&hp_new_addr_attr,
	NULL,
};

static const struct attribute_group hp_func_group = {
	.attrs = hp_func_attrs,
	.bin_attrs = hp_func_bin_attrs,
};

static const struct attribute_group *hp_func_groups[] = {
	&hp_func_group,
	NULL,
};

static void hp_func_release(struct kobject *kobj)
{
	struct hp_func *func = to_func(kobj);

	kfree_const(func->old_name);
	kfree(func);
}

static struct kobj_type hp_func_ktype = {
	.release = hp_func_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hp_func_groups,
};

struct hp_patch *hotpatch_sysfs_alloc_patch(void)
{
	struct hp_patch *patch = kzalloc(sizeof(*patch), GFP_KERNEL);

	if (patch)
		kobject_init(&patch->kobj, &hp_patch_ktype);
	return patch;
}

struct hp_object *hotpatch_sysfs_alloc_object(void)
{
	struct hp_object *obj = kzalloc(sizeof(*obj), GFP_KERNEL);

	if (obj)
		kobject_init(&obj->kobj, &hp_object_ktype);
	return obj;
}

struct hp_func *hotpatch_sysfs_alloc_func(void)
{
	struct hp_func *func = kzalloc(sizeof(*func), GFP_KERNEL);

	if (func)
		kobject_init(&func->kobj, &hp_func_ktype);
	return func;
}

void hotpatch_sysfs_put_patch(struct hp_patch *patch)
{
	kobject_put(&patch->kobj);
}

void hotpatch_sysfs_put_object(struct hp_object *obj)
{
	kobject_put(&obj->kobj);
}

void hotpatch_sysfs_put_func(struct hp_func *func)
{
	kobject_put(&func->kobj);
}

/**
 * hotpatch_sysfs_add() - publish a patch, its objects and functions
 * @patch:	a patch whose descriptors are copied
 *
 * On failure the caller still puts every kobject; nothing stays visible.
 *
 * Return: 0 or -errno.
 */
int hotpatch_sysfs_add(struct hp_patch *patch)
{
	struct hp_object *obj;
	struct hp_func *func;
	int ret;

	ret = kobject_add(&patch->kobj, hp_patches_kobj, "%s", patch->name);
	if (ret)
		return ret;
	hotpatch_for_each_object(patch, obj) {
		ret = kobject_add(&obj->kobj, &patch->kobj, "%s", obj->name);
		if (ret)
			return ret;
		hotpatch_for_each_func(obj, func) {
			ret = kobject_add(&func->kobj, &obj->kobj, "%s,%lu",
					  func->old_name, func->old_sympos);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int hotpatch_sysfs_init(void)
{
	int ret;

	hp_root_kobj = kobject_create_and_add("hotpatch", kernel_kobj);
	if (!hp_root_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(hp_root_kobj, &hp_root_group);
	if (ret)
		goto out_put_root;
	ret = sysfs_create_group(hp_root_kobj, &hotpatch_stage_root_group);
	if (ret)
		goto out_put_root;
	hp_patches_kobj = kobject_create_and_add("patches", hp_root_kobj);
	if (!hp_patches_kobj) {
		ret = -ENOMEM;
		goto out_put_root;
	}
	return 0;

out_put_root:
	kobject_put(hp_root_kobj);
	return ret;
}

void hotpatch_sysfs_exit(void)
{
	kobject_put(hp_patches_kobj);
	kobject_put(hp_root_kobj);
}
