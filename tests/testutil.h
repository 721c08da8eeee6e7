/* testutil.h - helpers the cmocka tests share: running ./bin/sim as a
 * child (no shell), reading files, temporary directories. */
#ifndef GSIM_TESTUTIL_H
#define GSIM_TESTUTIL_H

#include <stddef.h>

#define SIM "./bin/sim"
#define TIMEOUT_SECONDS 60

/* A growing, NUL-terminated byte buffer. */
struct buf {
	char *p;
	size_t n, cap;
};

/* Appends N bytes of S to B. */
void buf_add(struct buf *b, const char *s, size_t n);

/* What a child process did. */
struct result {
	int status;		/* exit code; 128 + N when killed by signal N */
	int timed_out;
	struct buf out, err;
};

/* Frees what R holds. */
void result_free(struct result *r);

/* The text of B ("" when empty). */
const char *text(const struct buf *b);

/* Seconds on a monotonic clock. */
double now(void);

/* Runs ARGV (argv[0] is the program path, run with execv, no shell),
 * collecting its stdout and stderr into R; stdin is /dev/null; killed
 * after TIMEOUT_SECONDS. */
void run(char *const argv[], struct result *r);

/* Runs ./bin/sim with the NULL-terminated arguments that follow. */
void sim(struct result *r, ...);

/* Reads the whole file PATH (NUL-terminated, the caller frees it);
 * NULL when it cannot. Sets *LEN when LEN is not NULL. */
char *slurp(const char *path, size_t *len);

/* Whether PATH exists (without following a link). */
int exists(const char *path);

/* Removes PATH and, if it is a directory, everything in it. */
void remove_tree(const char *path);

/* Creates a fresh temporary directory into DIR; the caller removes it. */
void make_tmp(char *dir, size_t size);

#endif
