/* datadir.c - finding the data files sim reads by default: the current
 * directory first (a checkout), then the installed data directory. */
#include "core/datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/errors.h"

#define DATADIR_PATH_MAX 4096

/* The data directories to look in, in order, each with where it came
 * from (for messages). */
struct places {
	int n;
	char dir[2][DATADIR_PATH_MAX];
	char from[2][DATADIR_PATH_MAX + 64];
};

/* Adds DIR, which came FROM, to P unless it is too long. */
static void places_add(struct places *p, const char *dir, const char *from)
{
	int n = snprintf(p->dir[p->n], sizeof(p->dir[0]), "%s", dir);

	if (n < 0 || (size_t)n >= sizeof(p->dir[0]))
		return;
	snprintf(p->from[p->n], sizeof(p->from[0]), "%s", from);
	p->n++;
}

/* Adds to P the data directory of the prefix the running program is in:
 * PREFIX/DATADIR_UNDER_PREFIX for PREFIX/bin/gsim (the kernel's path of
 * the program has no symbolic links left, so PREFIX is its parent's
 * parent). */
static void places_add_exe(struct places *p)
{
	char exe[DATADIR_PATH_MAX], dir[DATADIR_PATH_MAX], from[DATADIR_PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;
	int k;

	if (n <= 0)
		return;
	exe[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", exe);
	/* Two components up: from PREFIX/bin/gsim to PREFIX. */
	for (k = 0; k < 2; k++) {
		slash = strrchr(dir, '/');
		if (!slash)
			return;
		*slash = '\0';
	}
	snprintf(from, sizeof(from), "from the program's location, %s", exe);
	k = snprintf(exe, sizeof(exe), "%s/%s", dir, DATADIR_UNDER_PREFIX);
	if (k > 0 && (size_t)k < sizeof(exe))
		places_add(p, exe, from);
}

/* The data directories: $GSIM_DATADIR alone when it is set, else the one
 * next to the program and the one built in. */
static void places_find(struct places *p)
{
	const char *env = getenv(DATADIR_ENV);

	p->n = 0;
	if (env && *env) {
		places_add(p, env, "$" DATADIR_ENV);
		return;
	}
	places_add_exe(p);
#ifdef GSIM_DATADIR
	places_add(p, GSIM_DATADIR, "built in");
#endif
}

/* Writes into MSG (of SIZE bytes) where REL was looked for: the current
 * directory and every place of P. */
static void looked(const struct places *p, char *msg, size_t size)
{
	char cwd[DATADIR_PATH_MAX];
	size_t len;
	int i;

	if (!getcwd(cwd, sizeof(cwd)))
		snprintf(cwd, sizeof(cwd), "unknown");
	snprintf(msg, size, "the current directory (%s)", cwd);
	for (i = 0; i < p->n; i++) {
		len = strlen(msg);
		snprintf(msg + len, size - len, "%s%s (%s)", i + 1 == p->n ? " or in " : ", in ",
			 p->dir[i], p->from[i]);
	}
}

const char *datadir_find(const char *rel, char *buf, size_t size)
{
	struct places p;
	char msg[4 * DATADIR_PATH_MAX];
	int i, n;

	if (access(rel, R_OK) == 0) {
		n = snprintf(buf, size, "%s", rel);
		if (n >= 0 && (size_t)n < size)
			return buf;
	}
	places_find(&p);
	for (i = 0; i < p.n; i++) {
		n = snprintf(buf, size, "%s/%s", p.dir[i], rel);
		if (n >= 0 && (size_t)n < size && access(buf, R_OK) == 0)
			return buf;
	}
	looked(&p, msg, sizeof(msg));
	error("%s: not found in %s; run sim from its checkout, install it ('make install'), "
	      "or set %s to the directory that holds %s", rel, msg, DATADIR_ENV, rel);
	return NULL;
}
