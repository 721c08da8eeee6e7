/* atomic.c - whole-or-nothing output files, and locked output directories. */
#include "core/atomic.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/errors.h"
#include "core/numbers.h"
#include "core/status.h"

/* What a file that is not a regular one is, for messages. */
static const char *kind_name(mode_t m)
{
	if (S_ISDIR(m))
		return "a directory";
	if (S_ISSOCK(m))
		return "a socket";
	if (S_ISBLK(m))
		return "a block device";
	if (S_ISCHR(m))
		return "a character device";
	if (S_ISFIFO(m))
		return "a FIFO";
	if (S_ISLNK(m))
		return "a symbolic link";
	return "not a regular file";
}

static int place(const char *tmp, const char *path, int flags);

/* How an output goes to its final name. */
enum { PLACE_RENAME, PLACE_INTO, PLACE_REFUSE };

/* How an output may go to PATH: renamed over it (nothing there, a regular
 * file, or a symbolic link, which is replaced and never followed, unless
 * the user named PATH: FLAGS has ATOMIC_NAMED), written into it (a
 * character device or a FIFO, unless FLAGS has ATOMIC_REGULAR), or not at
 * all (after printing an error). */
static int placement(const char *path, int flags)
{
	int into = !(flags & ATOMIC_REGULAR);
	struct stat st;

	if (lstat(path, &st) < 0 || S_ISREG(st.st_mode))
		return PLACE_RENAME;
	if (S_ISLNK(st.st_mode) && !(flags & ATOMIC_NAMED))
		return PLACE_RENAME;
	if (S_ISLNK(st.st_mode)) {
		error("cannot write '%s': it is a symbolic link, which sim neither follows nor "
		      "replaces; name the file it points to", path);
		return PLACE_REFUSE;
	}
	if (into && (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode)))
		return PLACE_INTO;
	error("cannot write '%s': it is %s; sim writes %s", path, kind_name(st.st_mode),
	      into ? "only into regular files, character devices and FIFOs"
		   : "this file only as a regular file");
	return PLACE_REFUSE;
}

/* Opens the character device or FIFO PATH for writing, as '>' would (a
 * FIFO waits for a reader). Returns the descriptor, or -1 after printing
 * an error. */
static int open_into(const char *path)
{
	int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return error("cannot open '%s': %s", path, strerror(errno));
	if (fstat(fd, &st) < 0 || !(S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))) {
		close(fd);
		return error("cannot write '%s': it changed while it was opened", path);
	}
	return fd;
}

/* Writes N bytes of BUF to FD (named PATH). Returns 0, or -1 after
 * printing an error. */
static int write_all(int fd, const char *buf, size_t n, const char *path)
{
	while (n > 0) {
		ssize_t k = write(fd, buf, n);

		if (k < 0)
			return error("cannot write '%s': %s", path, strerror(errno));
		buf += k;
		n -= (size_t)k;
	}
	return 0;
}

/* The mode of a new file: 0666 less the umask. */
static mode_t file_mode(void)
{
	mode_t mask = umask(0);

	umask(mask);
	return 0666 & ~mask;
}

/* Creates DIR and its parents as needed, recording in MADE (at most MAX,
 * outermost first) the directories it created. */
static int mkdirs(const char *dir, char **made, int *nmade, int max)
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
		if (mkdir(p, 0777) == 0) {
			if (made && *nmade < max)
				made[(*nmade)++] = strdup(p);
		} else if (errno != EEXIST) {
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

int atomic_mkdirs(const char *dir)
{
	return mkdirs(dir, NULL, NULL, 0);
}

int atomic_subdir(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) && unlink(path) < 0)
		return error("cannot remove the link '%s': %s", path, strerror(errno));
	if (mkdir(path, 0777) < 0 && errno != EEXIST)
		return error("cannot create directory '%s': %s", path, strerror(errno));
	if (lstat(path, &st) < 0)
		return error("cannot write into '%s': %s", path, strerror(errno));
	if (!S_ISDIR(st.st_mode))
		return error("cannot write into '%s': it is %s", path, kind_name(st.st_mode));
	return 0;
}

/* atomic_open() and its kin, with the ATOMIC_ FLAGS. */
static int open_output(struct afile *a, const char *dir, const char *name, int flags)
{
	size_t n = strlen(dir) + strlen(name) + 64;
	int fd, how;

	memset(a, 0, sizeof(*a));
	a->path = malloc(n);
	a->tmp = malloc(n);
	if (!a->path || !a->tmp) {
		atomic_discard(a);
		return error("out of memory");
	}
	snprintf(a->path, n, "%s/%s", dir, name);
	a->flags = flags;
	how = placement(a->path, flags);
	if (how == PLACE_INTO) {
		free(a->tmp);
		a->tmp = NULL;
		fd = open_into(a->path);
	} else if (how == PLACE_RENAME) {
		snprintf(a->tmp, n, "%s/.%s.tmp.XXXXXX", dir, name);
		fd = mkostemp(a->tmp, O_CLOEXEC);
		if (fd < 0) {
			error("cannot create '%s': %s", a->path, strerror(errno));
			free(a->tmp);
			a->tmp = NULL;
		} else {
			fchmod(fd, file_mode());
		}
	} else {
		fd = -1;
	}
	if (fd < 0) {
		atomic_discard(a);
		return -1;
	}
	a->f = fdopen(fd, "w");
	if (!a->f) {
		close(fd);
		error("cannot open '%s': %s", a->path, strerror(errno));
		atomic_discard(a);
		return -1;
	}
	return 0;
}

int atomic_open(struct afile *a, const char *dir, const char *name)
{
	return open_output(a, dir, name, 0);
}

int atomic_open_regular(struct afile *a, const char *dir, const char *name)
{
	return open_output(a, dir, name, ATOMIC_REGULAR);
}

int atomic_open_named(struct afile *a, const char *dir, const char *name)
{
	return open_output(a, dir, name, ATOMIC_NAMED);
}

int atomic_finish(struct afile *a)
{
	int bad = fflush(a->f) != 0 || ferror(a->f);
	int err = errno;

	/* Devices and FIFOs cannot be synced (EINVAL). */
	if (!bad && a->tmp && fsync(fileno(a->f)) != 0) {
		bad = 1;
		err = errno;
	}
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
	if (a->tmp && place(a->tmp, a->path, a->flags) < 0) {
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

/* Copies the file TMP into the device or FIFO PATH, then removes TMP.
 * Returns 0, or -1 after printing an error (TMP left). */
static int copy_into(const char *tmp, const char *path)
{
	char buf[65536];
	int in = open(tmp, O_RDONLY | O_NOFOLLOW | O_CLOEXEC), out, ret = 0;
	ssize_t n;

	if (in < 0)
		return error("cannot read '%s': %s", tmp, strerror(errno));
	out = open_into(path);
	if (out < 0) {
		close(in);
		return -1;
	}
	while (ret == 0 && (n = read(in, buf, sizeof(buf))) != 0) {
		if (n < 0)
			ret = error("cannot read '%s': %s", tmp, strerror(errno));
		else
			ret = write_all(out, buf, (size_t)n, path);
	}
	if (close(out) < 0 && ret == 0)
		ret = error("cannot write '%s': %s", path, strerror(errno));
	close(in);
	if (ret == 0)
		unlink(tmp);
	return ret;
}

/* The regular files this process has put in place, in order (the first
 * ATOMIC_MAX_PLACED), for the command line's conversions. */
static char *placed[ATOMIC_MAX_PLACED];
static size_t nplaced;

size_t atomic_placed_count(void)
{
	return nplaced;
}

const char *atomic_placed(size_t i)
{
	return i < nplaced ? placed[i] : NULL;
}

/* atomic_place() with the ATOMIC_ FLAGS. */
static int place(const char *tmp, const char *path, int flags)
{
	switch (placement(path, flags)) {
	case PLACE_RENAME:
		if (rename(tmp, path) < 0)
			return error("cannot rename into '%s': %s", path, strerror(errno));
		if (nplaced < ATOMIC_MAX_PLACED && (placed[nplaced] = strdup(path)))
			nplaced++;
		return 0;
	case PLACE_INTO:
		return copy_into(tmp, path);
	default:
		return -1;
	}
}

int atomic_place(const char *tmp, const char *path)
{
	return place(tmp, path, 0);
}

/* The errno for a file of mode M that is not a regular one. */
static int kind_errno(mode_t m)
{
	return S_ISDIR(m) ? EISDIR : S_ISLNK(m) ? ELOOP : EINVAL;
}

FILE *atomic_create(const char *path)
{
	struct stat st;
	FILE *f;
	int fd, e;

	if (lstat(path, &st) == 0) {
		if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) {
			errno = kind_errno(st.st_mode);
			return NULL;
		}
		/* Never truncate through a link (symbolic or hard). */
		if (unlink(path) < 0)
			return NULL;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "w");
	if (!f) {
		e = errno;
		close(fd);
		unlink(path);
		errno = e;
	}
	return f;
}

/* Opens the existing regular file PATH with FLAGS, not through a link and
 * not when it has other hard links. Returns the descriptor, or -1 with
 * errno set. */
static int open_regular(const char *path, int flags)
{
	int fd = open(path, flags | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC), e;
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st.st_mode) || st.st_nlink != 1) {
		if (!S_ISREG(st.st_mode))
			e = kind_errno(st.st_mode);
		else if (st.st_nlink != 1)
			e = EMLINK;
		close(fd);
		errno = e;
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

FILE *atomic_reopen(const char *path, const char *mode)
{
	int append = mode[0] == 'a';
	int fd = open_regular(path, append ? O_WRONLY | O_APPEND : O_RDONLY), e;
	FILE *f;

	if (fd < 0)
		return NULL;
	f = fdopen(fd, append ? "a" : "r");
	if (!f) {
		e = errno;
		close(fd);
		errno = e;
	}
	return f;
}

int atomic_truncate(const char *path, off_t len)
{
	int fd = open_regular(path, O_WRONLY), r, e;

	if (fd < 0)
		return -1;
	r = ftruncate(fd, len);
	e = errno;
	close(fd);
	errno = e;
	return r;
}

/* ---------------------------------------------------------------- */
/* Locked directories */

#define MAX_LOCKS 4
#define MAX_MADE 32

/* The directories this process holds locked; they live as long as it. */
static struct held {
	int fd;
	dev_t dev;
	ino_t ino;
	char *lock;			/* DIR/.gsim.lock */
	char *made[MAX_MADE];		/* the directories it created, outermost first */
	int nmade;
} locks[MAX_LOCKS];
static int nlocks;

/* At exit: each lock file removed while still held, then the directories
 * created for it if they are empty. */
static void release_locks(void)
{
	int i, k;

	for (i = nlocks - 1; i >= 0; i--) {
		struct held *h = &locks[i];

		unlink(h->lock);
		close(h->fd);
		free(h->lock);
		for (k = h->nmade - 1; k >= 0; k--) {
			rmdir(h->made[k]);
			free(h->made[k]);
		}
	}
	nlocks = 0;
}

/* Says that another process holds the lock FD of DIR, naming it if it has
 * written its pid yet. */
static void in_use(const char *dir, int fd)
{
	char buf[32];
	long pid = 0;
	int tries;

	for (tries = 0; tries < 50 && pid <= 0; tries++) {
		ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

		buf[n > 0 ? n : 0] = '\0';
		pid = strtol(buf, NULL, 10);
		if (pid <= 0)
			usleep(10000);
	}
	if (pid > 0)
		error("%s is in use by process %ld", dir, pid);
	else
		error("%s is in use by another process", dir);
}

/* Opens and locks PATH, the lock file of DIR. Returns the descriptor, or
 * -1 after printing an error. */
static int take_lock(const char *dir, const char *path)
{
	struct stat st, now;
	int fd, tries;

	for (tries = 0; tries < 20; tries++) {
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC, 0666);
		if (fd < 0 && errno == ELOOP) {
			/* A symbolic link: removed, never followed. */
			unlink(path);
			continue;
		}
		if (fd < 0)
			return error("cannot create '%s': %s", path, strerror(errno));
		if (fstat(fd, &st) < 0) {
			error("cannot lock %s: %s", dir, strerror(errno));
			close(fd);
			return -1;
		}
		if (!S_ISREG(st.st_mode)) {
			close(fd);
			return error("cannot lock %s: '%s' is %s", dir, path, kind_name(st.st_mode));
		}
		if (st.st_nlink != 1) {
			/* A hard link to some other file: removed, never written. */
			close(fd);
			unlink(path);
			continue;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
			if (errno == EWOULDBLOCK)
				in_use(dir, fd);
			else
				error("cannot lock '%s': %s", path, strerror(errno));
			close(fd);
			return -1;
		}
		/* Its last holder may have removed it between our open and our
		 * flock: then the lock is on a file no one else will see. */
		if (lstat(path, &now) == 0 && now.st_dev == st.st_dev && now.st_ino == st.st_ino)
			return fd;
		close(fd);
	}
	return error("cannot lock %s: '%s' keeps changing", dir, path);
}

int atomic_lock(const char *dir)
{
	struct held *h = &locks[nlocks];
	struct stat st;
	char pid[32];
	int i, len;

	if (nlocks == MAX_LOCKS)
		return error("cannot lock %s: too many directories locked", dir);
	memset(h, 0, sizeof(*h));
	if (mkdirs(dir, h->made, &h->nmade, MAX_MADE) < 0 || stat(dir, &st) < 0)
		goto fail;
	for (i = 0; i < nlocks; i++)
		if (locks[i].dev == st.st_dev && locks[i].ino == st.st_ino)
			return 0;
	h->dev = st.st_dev;
	h->ino = st.st_ino;
	h->lock = malloc(strlen(dir) + sizeof(ATOMIC_LOCK_NAME) + 2);
	if (!h->lock) {
		error("out of memory");
		goto fail;
	}
	sprintf(h->lock, "%s/%s", dir, ATOMIC_LOCK_NAME);
	h->fd = take_lock(dir, h->lock);
	if (h->fd < 0)
		goto fail;
	len = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
	if (ftruncate(h->fd, 0) < 0 || pwrite(h->fd, pid, (size_t)len, 0) != len) {
		error("cannot write '%s': %s", h->lock, strerror(errno));
		unlink(h->lock);
		close(h->fd);
		goto fail;
	}
	if (nlocks++ == 0)
		atexit(release_locks);
	atomic_clean(dir);
	return 0;
fail:
	free(h->lock);
	for (i = h->nmade - 1; i >= 0; i--) {
		rmdir(h->made[i]);
		free(h->made[i]);
	}
	memset(h, 0, sizeof(*h));
	return -1;
}

/* Whether NAME is that of a temporary of atomic_open(): .NAME.tmp.XXXXXX,
 * the X letters or digits. */
static int temp_name(const char *s)
{
	size_t n = strlen(s), i;

	if (n < 13 || s[0] != '.' || strncmp(s + n - 11, ".tmp.", 5))
		return 0;
	for (i = n - 6; i < n; i++)
		if (!isalnum((unsigned char)s[i]))
			return 0;
	return 1;
}

void atomic_clean(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat st;

	if (!d)
		return;
	while ((e = readdir(d)) != NULL) {
		if (!temp_name(e->d_name))
			continue;
		/* Only regular files: atomic_open() makes no other kind. */
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISREG(st.st_mode))
			unlinkat(dirfd(d), e->d_name, 0);
	}
	closedir(d);
}
