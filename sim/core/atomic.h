/* atomic.h - output files that appear whole or not at all: each is written
 * to a temporary name in its directory and renamed into place. No output
 * is ever opened through a symbolic link; a character device or FIFO the
 * user named is written into as the shell's '>' would; nothing else that
 * is not a regular file (a directory, a socket, a block device) is
 * replaced. A directory written into is locked for the whole command. */
#ifndef SIM_ATOMIC_H
#define SIM_ATOMIC_H

#include <stdio.h>
#include <sys/types.h>

struct afile {
	FILE *f;
	char *tmp;	/* the temporary name; NULL when writing into a device or FIFO */
	char *path;	/* the final name */
	int flags;	/* ATOMIC_REGULAR, ATOMIC_NAMED */
};

/* What atomic_open_regular() and atomic_open_named() refuse. */
enum { ATOMIC_REGULAR = 1, ATOMIC_NAMED = 2 };

/* The name of the lock file in every directory sim writes into. */
#define ATOMIC_LOCK_NAME ".gsim.lock"

/* Creates directory DIR and its parents as needed. Returns 0, or -1 after
 * printing an error. */
int atomic_mkdirs(const char *dir);

/* Opens a temporary file for DIR/NAME, or, when DIR/NAME is a character
 * device or a FIFO, DIR/NAME itself (a FIFO blocks until it has a reader).
 * Refuses a directory, a socket or a block device there. Returns 0, or -1
 * after printing an error; A owns the names until atomic_commit() or
 * atomic_discard(). */
int atomic_open(struct afile *a, const char *dir, const char *name);

/* Creates the directory PATH (its parent exists) for sim's own files,
 * replacing a symbolic link there, never followed; an existing directory
 * is kept. Returns 0, or -1 after printing an error. */
int atomic_subdir(const char *path);

/* As atomic_open(), but refuses anything at DIR/NAME but a regular file or
 * a symbolic link (which is replaced, never followed): for files another
 * program writes by name, such as charts. */
int atomic_open_regular(struct afile *a, const char *dir, const char *name);

/* As atomic_open(), for a file the user named (sim init FILE): a symbolic
 * link there is refused, neither followed nor replaced, since it may be
 * one of the system's (/dev/stdout). */
int atomic_open_named(struct afile *a, const char *dir, const char *name);

/* Flushes, syncs and closes A's stream, then renames it into place.
 * Returns 0, or -1 after printing an error and removing the temporary. */
int atomic_commit(struct afile *a);

/* Flushes, syncs and closes A's stream, leaving the temporary in place.
 * Returns 0, or -1 after printing an error and removing the temporary. */
int atomic_finish(struct afile *a);

/* Puts A's finished temporary into place (atomic_place()). Returns 0, or
 * -1 after printing an error and removing the temporary. */
int atomic_rename(struct afile *a);

/* Closes A (if open) and removes its temporary. */
void atomic_discard(struct afile *a);

/* Puts the finished file TMP at PATH: renames it over nothing, a regular
 * file or a symbolic link (the link is replaced, its target untouched);
 * copies it into a character device or FIFO and removes it; refuses
 * anything else, leaving TMP. Returns 0, or -1 after printing an error. */
int atomic_place(const char *tmp, const char *path);

/* Creates the regular file PATH afresh for writing, replacing a regular
 * file or a symbolic link there (never writing through either). Returns
 * the stream, or NULL with errno set (EISDIR or EINVAL for what is not a
 * regular file). */
FILE *atomic_create(const char *path);

/* Opens the existing regular file PATH with MODE "r" or "a", never
 * through a symbolic link (ELOOP) and not when it is something else
 * (EISDIR, EINVAL) or has other hard links (EMLINK). Returns the stream,
 * or NULL with errno set. */
FILE *atomic_reopen(const char *path, const char *mode);

/* Truncates the regular file PATH to LEN bytes, with the checks of
 * atomic_reopen(). Returns 0, or -1 with errno set. */
int atomic_truncate(const char *path, off_t len);

/* Creates DIR as needed and locks it for this process: an flock() on
 * DIR/.gsim.lock (holding the pid), released and removed at exit, with DIR
 * itself when this process created it and left it empty. Then removes the
 * temporaries that processes killed while writing left in DIR. Returns 0,
 * or -1 after printing an error (for a lock held elsewhere "DIR is in use
 * by process N"). Locking a directory twice is a no-op. */
int atomic_lock(const char *dir);

/* Removes from DIR the temporaries of atomic_open() other processes left
 * (regular files named .NAME.tmp.XXXXXX). Only for a directory this
 * process has locked, or whose parent it has. */
void atomic_clean(const char *dir);

/* The most placed files atomic_placed() remembers. */
#define ATOMIC_MAX_PLACED 1024

/* How many regular files this process has renamed into place so far, and
 * the path of the I-th (NULL past the last). */
size_t atomic_placed_count(void);
const char *atomic_placed(size_t i);

#endif
