/* atomic.c - whole-or-nothing output files. */
#include "atomic.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "usage.h"

int atomic_mkdirs(const char *dir)
{
	char *p = strdup(dir), *s;
	struct stat st;
	int ret = 0;

	if (!p)
		return error("out of memory");
	for (s = p + 1; ; s++) {
		if (*s != '/' && *s)
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST) {
			ret = error("cannot create directory '%s': %s", p, strerror(errno));
			break;
		}
		*s = c;
		if (!c)
			break;
	}
	if (!ret && (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)))
		ret = error("'%s' is not a directory", dir);
	free(p);
	return ret;
}

int atomic_open(struct afile *a, const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 64;
	int fd;

	memset(a, 0, sizeof(*a));
	a->path = malloc(n);
	a->tmp = malloc(n);
	if (!a->path || !a->tmp) {
		atomic_discard(a);
		return error("out of memory");
	}
	snprintf(a->path, n, "%s/%s", dir, name);
	snprintf(a->tmp, n, "%s/.%s.tmp.XXXXXX", dir, name);
	fd = mkstemp(a->tmp);
	if (fd < 0) {
		error("cannot create '%s': %s", a->path, strerror(errno));
		free(a->tmp);
		a->tmp = NULL;
		atomic_discard(a);
		return -1;
	}
	{
		mode_t mask = umask(0);

		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		close(fd);
		atomic_discard(a);
		return error("cannot open '%s': %s", a->path, strerror(errno));
	}
	return 0;
}

int atomic_finish(struct afile *a)
{
	int bad = fflush(a->f) != 0 || ferror(a->f) || fsync(fileno(a->f)) != 0;
	int err = errno;

	if (fclose(a->f) != 0 && !bad) {
		bad = 1;
		err = errno;
	}
	a->f = NULL;
	if (bad) {
		error("cannot write '%s': %s", a->path, strerror(err ? err : EIO));
		atomic_discard(a);
		return -1;
	}
	return 0;
}

int atomic_rename(struct afile *a)
{
	if (rename(a->tmp, a->path) < 0) {
		error("cannot rename into '%s': %s", a->path, strerror(errno));
		atomic_discard(a);
		return -1;
	}
	free(a->tmp);
	free(a->path);
	a->tmp = a->path = NULL;
	return 0;
}

int atomic_commit(struct afile *a)
{
	if (atomic_finish(a) < 0)
		return -1;
	return atomic_rename(a);
}

void atomic_discard(struct afile *a)
{
	if (a->f)
		fclose(a->f);
	if (a->tmp)
		unlink(a->tmp);
	free(a->tmp);
	free(a->path);
	memset(a, 0, sizeof(*a));
}
