/* cfgsrc.h - a config's source text, made safe to hand to libconfig 1.5.
 *
 * libconfig 1.5 reads a whole number without an L suffix into 32 bits,
 * wrapping larger ones silently, saturates numbers wider than 64 bits,
 * blocks on an @include of a FIFO, and scans very long lines in quadratic
 * time. So gsim reads every file itself: only regular files, at most
 * CFGSRC_MAX_BYTES in all, with every @include expanded in place (relative
 * to the including file), comments dropped, and an L appended to every
 * whole number that needs more than 32 bits. libconfig then parses the
 * result as a string, and cfgsrc_where() maps its lines back to the
 * files and lines they came from. */
#ifndef SIM_CFGSRC_H
#define SIM_CFGSRC_H

#include <stddef.h>
#include <stdio.h>

/* A config file and everything it includes: at most this many bytes. */
#define CFGSRC_MAX_BYTES (1 << 20)

/* @include nesting: at most this deep. */
#define CFGSRC_MAX_DEPTH 10

/* Where a run of lines of the expanded text comes from: from line LINE
 * on, file FILE's lines from FILE_LINE on. */
struct cfgsrc_span {
	int line;
	int file;
	int file_line;
};

struct cfgsrc {
	char *text;			/* the expanded text, NUL-terminated */
	size_t len, cap;
	int line;			/* the line being written, from 1 */
	struct cfgsrc_span *span;
	size_t nspan, spancap;
	char **files;			/* names as messages give them */
	int nfiles;
	size_t bytes;			/* read from files so far */
	FILE *err;			/* where errors go (stderr when NULL) */
	/* When FIXED_LINE > 0, every message is put at that line and names
	 * FIXED_KEY (a --set override is one line, whatever its text). */
	int fixed_line;
	const char *fixed_key;
};

/* Reads the config file PATH and what it includes into S. Errors are
 * printed as "FILE:LINE: error: ..." on S->err (set it before, or leave it
 * zeroed for stderr). Returns 0, or -1 after printing; S must be released
 * with cfgsrc_release() either way. */
int cfgsrc_read_file(struct cfgsrc *s, const char *path);

/* Reads TEXT (LEN bytes), which messages call NAME, into S. @include is
 * refused in it. Returns as cfgsrc_read_file(). */
int cfgsrc_read_text(struct cfgsrc *s, const char *name, const char *text, size_t len);

/* Sets *FILE and *FILE_LINE to where line LINE of S's text came from. */
void cfgsrc_where(const struct cfgsrc *s, int line, const char **file, int *file_line);

/* Frees what S holds. */
void cfgsrc_release(struct cfgsrc *s);

#endif
