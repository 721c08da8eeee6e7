/* testutil.c - helpers the cmocka tests share. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
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

void sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* fork(), stdout and stderr flushed first (lest the child write what the
 * parent had buffered again). */
static pid_t fork_child(void)
{
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	assert_true(pid >= 0);
	return pid;
}

/* In a child after fork: stdin from /dev/null, stdout to OUT and stderr
 * to ERR (both closed once copied), then ARGV (execve, no shell) in the
 * environment ENVP (NULL: this process's). */
static void exec_child(char *const argv[], char *const envp[], int out, int err)
{
	int null = open("/dev/null", O_RDONLY);

	if (null >= 0)
		dup2(null, 0);
	dup2(out, 1);
	dup2(err, 2);
	if (out > 2)
		close(out);
	if (err > 2 && err != out)
		close(err);
	execve(argv[0], argv, envp ? envp : environ);
	fprintf(stderr, "test: cannot run %s: %s\n", argv[0], strerror(errno));
	_exit(127);
}

/* Runs ARGV (argv[0] is the program path, run with execve, no shell) in
 * the environment ENVP, collecting its stdout and stderr. stdin is
 * /dev/null. */
void run_env(char *const argv[], char *const envp[], struct result *r)
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
	pid = fork_child();
	if (pid == 0) {
		close(po[0]);
		close(pe[0]);
		exec_child(argv, envp, po[1], pe[1]);
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

void run(char *const argv[], struct result *r)
{
	run_env(argv, NULL, r);
}

char **env_with(const char *name, const char *value)
{
	size_t n = 0, k = 0, len = strlen(name);
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + 2, sizeof(*env));
	assert_non_null(env);
	for (size_t i = 0; i < n; i++)
		if (strncmp(environ[i], name, len) || environ[i][len] != '=')
			env[k++] = strdup(environ[i]);
	env[k] = malloc(len + strlen(value) + 2);
	assert_non_null(env[k]);
	sprintf(env[k], "%s=%s", name, value);
	return env;
}

void env_free(char **env)
{
	for (size_t i = 0; env && env[i]; i++)
		free(env[i]);
	free(env);
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

const char *cmdline(char *const argv[])
{
	static char line[4096];
	size_t len = 0;

	line[0] = '\0';
	for (int i = 0; argv[i] && len + 2 < sizeof(line); i++)
		len += (size_t)snprintf(line + len, sizeof(line) - len, "%s%s", i ? " " : "",
					argv[i]);
	return line;
}

void run_expect(char *const argv[], struct result *r, int expect)
{
	run(argv, r);
	if (r->timed_out || r->status != expect)
		fail_msg("%s: exit %d%s, expected %d\nstderr:\n%s", cmdline(argv), r->status,
			 r->timed_out ? " (timed out)" : "", expect, text(&r->err));
}

pid_t start(char *const argv[], const char *err_path)
{
	pid_t pid = fork_child();

	if (pid == 0)
		exec_child(argv, NULL, open("/dev/null", O_WRONLY),
			   open(err_path, O_WRONLY | O_CREAT | O_TRUNC, 0644));
	return pid;
}

int wait_child(pid_t pid, double seconds, int *status)
{
	double deadline = now() + seconds;

	for (;;) {
		if (waitpid(pid, status, WNOHANG) == pid)
			return 1;
		if (now() >= deadline)
			return 0;
		sleep_ms(5);
	}
}

void kill_child(pid_t pid)
{
	int st;

	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
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

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

char *list_dir(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0, i;
	struct buf b = { NULL, 0, 0 };

	if (!d)
		return NULL;
	while ((e = readdir(d)) != NULL) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (n == cap) {
			cap = cap ? 2 * cap : 16;
			names = realloc(names, cap * sizeof(*names));
			assert_non_null(names);
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	buf_add(&b, "", 0);
	for (i = 0; i < n; i++) {
		buf_add(&b, names[i], strlen(names[i]));
		buf_add(&b, "\n", 1);
		free(names[i]);
	}
	free(names);
	return b.p;
}

/* Creates a fresh temporary directory; the caller removes it. */
void make_tmp(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/gsim-test-XXXXXX");
	assert_non_null(mkdtemp(dir));
}


int tmp_setup(void **state)
{
	char *dir;

	if (access(SIM, X_OK) != 0) {
		fprintf(stderr, "%s not built: run 'make' first (make check does)\n", SIM);
		return -1;
	}
	dir = malloc(256);
	if (!dir)
		return -1;
	snprintf(dir, 256, "/tmp/gsim-test-XXXXXX");
	if (!mkdtemp(dir)) {
		free(dir);
		return -1;
	}
	*state = dir;
	return 0;
}

int tmp_teardown(void **state)
{
	remove_tree(*state);
	free(*state);
	return 0;
}

static char *stable_n(const char *p, size_t n, size_t *len);

int same_bytes(const char *what, const char *a_, size_t na, const char *b_, size_t nb)
{
	size_t i, line = 1;
	char *a, *b;
	int same;

	if (na == nb && !memcmp(a_, b_, na))
		return 1;
	a = stable_n(a_, na, &na);
	b = stable_n(b_, nb, &nb);
	assert_non_null(a);
	assert_non_null(b);
	same = na == nb && !memcmp(a, b, na);
	for (i = 0; !same && i < na && i < nb && a[i] == b[i]; i++)
		line += a[i] == '\n';
	if (!same)
		print_error("%s: differ at byte %zu (line %zu, run lines left out); sizes %zu and "
			    "%zu\n", what, i, line, na, nb);
	free(a);
	free(b);
	return same;
}

int failures;

int check_setup(void **state)
{
	(void)state;
	failures = 0;
	return 0;
}

int check_tmp_setup(void **state)
{
	check_setup(state);
	return tmp_setup(state);
}

void check_finish(void)
{
	assert_int_equal(failures, 0);
}

void check_long(const char *what, long obs, long exp_)
{
	if (obs != exp_) {
		print_error("%s: observed %ld vs expected %ld\n", what, obs, exp_);
		failures++;
	}
}

void check_se(const char *what, double obs, double exp_, double se)
{
	double d = fabs(obs - exp_);
	int ok = se > 0 ? d <= NSE * se : d <= 1e-12 * fmax(1, fabs(exp_));

	if (!ok || !isfinite(obs)) {
		print_error("%s: observed %.10g vs expected %.10g (%.2f SE)\n", what, obs,
			    exp_, se > 0 ? d / se : INFINITY);
		failures++;
	}
}

char *sim_path(void)
{
	char *p = getenv("GSIM_SIM");

	return p && *p ? p : (char *)"./bin/sim";
}

void check(int ok, const char *fmt, ...)
{
	va_list ap;
	char msg[4096];

	if (ok)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	print_error("%s\n", msg);
	failures++;
}

const char *in(char *buf, size_t size, const char *dir, const char *name)
{
	snprintf(buf, size, "%s/%s", dir, name);
	return buf;
}

void put_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

char *run_err(char *const argv[], int expect)
{
	struct result r;
	char *err;

	run(argv, &r);
	check(!r.timed_out && r.status == expect, "%s: exit %d%s, expected %d; stderr:\n%s",
	      cmdline(argv), r.status, r.timed_out ? " (timed out)" : "", expect, text(&r.err));
	err = strdup(text(&r.err));
	result_free(&r);
	return err;
}

char *sim_expect(int expect, ...)
{
	char *argv[64];
	int n = 0;
	va_list ap;

	argv[n++] = SIM;
	va_start(ap, expect);
	while (n < 63 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return run_err(argv, expect);
}

int count_rows(const char *path)
{
	char *s = slurp(path, NULL), *p;
	int n = 0;

	if (!s)
		return 0;
	for (p = s; *p;) {
		char *e = strchr(p, '\n');

		if (!e)
			break;
		n += *p != '#' && *p != '\n';
		p = e + 1;
	}
	free(s);
	return n > 0 ? n - 1 : 0;	/* the first is the column line */
}

void wait_rows(pid_t pid, char *const argv[], const char *path, int rows, double seconds)
{
	double deadline = now() + seconds;
	int st;

	while (count_rows(path) < rows) {
		if (wait_child(pid, 0, &st))
			fail_msg("%s ended (status 0x%x) before writing %d rows", cmdline(argv), st,
				 rows);
		if (now() > deadline) {
			kill_child(pid);
			fail_msg("%s: no %d rows in %s after %.0f s", cmdline(argv), rows, path, seconds);
		}
		sleep_ms(5);
	}
}

/* Whether the line at P (N bytes, without its newline) is one that tells
 * when, where and by which command a run was started. */
static int run_line(const char *p, size_t n)
{
	size_t sp = 0;

	while (sp < n && p[sp] == ' ')
		sp++;
	return (n >= 7 && !memcmp(p, "# run: ", 7)) ||
	       (sp < n && p[sp] == '"' &&
		(memmem(p, n, "\"date\": \"", 9) || memmem(p, n, "\"command\": \"", 12)));
}

/* Copies the N bytes at P into a new buffer without the run lines; sets
 * *LEN to its size. */
static char *stable_n(const char *p, size_t n, size_t *len)
{
	char *out = malloc(n + 1), *w = out;
	const char *end = p + n;

	if (!out)
		return NULL;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);

		if (!run_line(p, l)) {
			memcpy(w, p, l + (nl != NULL));
			w += l + (nl != NULL);
		}
		p += l + (nl != NULL);
	}
	*w = '\0';
	*len = (size_t)(w - out);
	return out;
}

char *stable(const char *text)
{
	size_t len;

	return stable_n(text, strlen(text), &len);
}
