/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The one version of hotpatch: the core (modinfo, /sys/kernel/hotpatch/
 * version), the three tools' --version and the packages read it here.
 */
#ifndef _HOTPATCH_VERSION_H
#define _HOTPATCH_VERSION_H

#define HOTPATCH_VERSION	"0.1.0"

#endif /* _HOTPATCH_VERSION_H */
