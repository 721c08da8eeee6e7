/* testutil.c - helpers the cmocka tests share. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "testutil.h"

void buf_add(struct buf *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		b->cap = (b->n + n + 1) * 2;
		b->p = realloc(b->p, b->cap);
		assert_non_null(b->p);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

void result_free(struct result *r)
{
	free(r->out.p);
	free(r->err.p);
	memset(r, 0, sizeof(*r));
}

const char *text(const struct buf *b)
{
	return b->p ? b->p : "";
}

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Runs ARGV (argv[0] is the program path, run with execv, no shell),
 * collecting its stdout and stderr. stdin is /dev/null. */
void run(char *const argv[], struct result *r)
{
	int po[2], pe[2], st;
	pid_t pid;
	struct pollfd pf[2];
	char chunk[4096];
	double deadline = now() + TIMEOUT_SECONDS;
	int open_fds = 2;

	memset(r, 0, sizeof(*r));
	buf_add(&r->out, "", 0);
	buf_add(&r->err, "", 0);
	assert_int_equal(pipe(po), 0);
	assert_int_equal(pipe(pe), 0);
	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		if (null >= 0)
			dup2(null, 0);
		dup2(po[1], 1);
		dup2(pe[1], 2);
		close(po[0]);
		close(po[1]);
		close(pe[0]);
		close(pe[1]);
		execv(argv[0], argv);
		fprintf(stderr, "test: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(po[1]);
	close(pe[1]);
	pf[0].fd = po[0];
	pf[1].fd = pe[0];
	pf[0].events = pf[1].events = POLLIN;
	while (open_fds > 0) {
		int left = (int)((deadline - now()) * 1000), i, k;

		if (left <= 0) {
			r->timed_out = 1;
			kill(pid, SIGKILL);
			break;
		}
		k = poll(pf, 2, left);
		if (k < 0 && errno == EINTR)
			continue;
		assert_true(k >= 0);
		for (i = 0; i < 2; i++) {
			ssize_t n;

			if (pf[i].fd < 0 || !(pf[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			n = read(pf[i].fd, chunk, sizeof(chunk));
			if (n > 0) {
				buf_add(i ? &r->err : &r->out, chunk, (size_t)n);
			} else if (n == 0 || errno != EINTR) {
				close(pf[i].fd);
				pf[i].fd = -1;
				open_fds--;
			}
		}
	}
	for (int i = 0; i < 2; i++)
		if (pf[i].fd >= 0)
			close(pf[i].fd);
	while (waitpid(pid, &st, 0) < 0)
		assert_int_equal(errno, EINTR);
	if (WIFEXITED(st))
		r->status = WEXITSTATUS(st);
	else
		r->status = 128 + WTERMSIG(st);
}

/* Runs ./bin/sim with the NULL-terminated arguments that follow. */
void sim(struct result *r, ...)
{
	char *argv[64];
	int n = 0;
	va_list ap;

	argv[n++] = (char *)SIM;
	va_start(ap, r);
	while (n < 63 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	run(argv, r);
}

/* Reads the whole file PATH; returns NULL when it cannot. */
char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { NULL, 0, 0 };
	char chunk[4096];
	size_t n;

	if (!f)
		return NULL;
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_add(&b, chunk, n);
	fclose(f);
	if (len)
		*len = b.n;
	return b.p;
}

int exists(const char *path)
{
	struct stat st;

	return lstat(path, &st) == 0;
}

/* Removes PATH and, if it is a directory, everything in it. */
void remove_tree(const char *path)
{
	struct stat st;
	DIR *d;
	struct dirent *e;
	char sub[4096];

	if (lstat(path, &st) < 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		d = opendir(path);
		if (d) {
			while ((e = readdir(d)) != NULL) {
				if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
					continue;
				snprintf(sub, sizeof(sub), "%s/%s", path, e->d_name);
				remove_tree(sub);
			}
			closedir(d);
		}
		rmdir(path);
	} else {
		unlink(path);
	}
}

/* Creates a fresh temporary directory; the caller removes it. */
void make_tmp(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/gsim-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
}

