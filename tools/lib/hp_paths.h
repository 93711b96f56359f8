/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where an installed tool finds its data: relative to its own executable
 * (PREFIX/bin/TOOL -> PREFIX/<rel>), so `make install PREFIX=...` (and a
 * DESTDIR staging tree) work without a path compiled in; the build tree's
 * path otherwise (the tool run from build/bin). Header-only: the builder
 * gets it with -include (tools/builder/builder.mk), for its defaults
 * HP_INCLUDE_DIR and HP_CORE_SYMVERS.
 */
#ifndef _HOTPATCH_HP_PATHS_H
#define _HOTPATCH_HP_PATHS_H

#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/*
 * PREFIX/<rel> when this executable is PREFIX/bin/<tool> and PREFIX/<probe>
 * exists (probe: a file that says the data is there, relative to PREFIX);
 * else build_tree. The result is a static buffer per call site.
 */
static inline const char *hp_install_path(char *buf, size_t size,
					  const char *rel, const char *probe,
					  const char *build_tree)
{
	char exe[PATH_MAX], *slash;
	struct stat st;
	ssize_t n;

	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return build_tree;
	exe[n] = '\0';
	slash = strrchr(exe, '/');
	if (!slash || slash - exe < 4 || strncmp(slash - 4, "/bin", 4))
		return build_tree;
	slash[-4] = '\0';			/* PREFIX */
	if ((size_t)snprintf(buf, size, "%s/%s", exe, probe) >= size ||
	    stat(buf, &st))
		return build_tree;
	if ((size_t)snprintf(buf, size, "%s/%s", exe, rel) >= size)
		return build_tree;
	return buf;
}

#define HP_INSTALL_PATH(rel, probe, build_tree) ({			\
	static char hp_path_buf_[2 * PATH_MAX];				\
	hp_install_path(hp_path_buf_, sizeof(hp_path_buf_), rel, probe,	\
			build_tree);					\
})

#endif /* _HOTPATCH_HP_PATHS_H */
