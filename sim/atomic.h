/* atomic.h - output files that appear whole or not at all: each is written
 * to a temporary name in its directory and renamed into place. */
#ifndef SIM_ATOMIC_H
#define SIM_ATOMIC_H

#include <stdio.h>

struct afile {
	FILE *f;
	char *tmp;	/* the temporary name */
	char *path;	/* the final name */
};

/* Creates directory DIR and its parents as needed. Returns 0, or -1 after
 * printing an error. */
int atomic_mkdirs(const char *dir);

/* Opens a temporary file for DIR/NAME. Returns 0, or -1 after printing an
 * error; A owns the names until atomic_commit() or atomic_discard(). */
int atomic_open(struct afile *a, const char *dir, const char *name);

/* Flushes, syncs and closes A's stream, then renames it into place.
 * Returns 0, or -1 after printing an error and removing the temporary. */
int atomic_commit(struct afile *a);

/* Flushes, syncs and closes A's stream, leaving the temporary in place.
 * Returns 0, or -1 after printing an error and removing the temporary. */
int atomic_finish(struct afile *a);

/* Renames A's finished temporary into place. Returns 0, or -1 after
 * printing an error and removing the temporary. */
int atomic_rename(struct afile *a);

/* Closes A (if open) and removes its temporary. */
void atomic_discard(struct afile *a);

#endif
