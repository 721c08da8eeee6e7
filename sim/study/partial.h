/* partial.h - checking a study's partial file before --resume continues
 * it: its header against the one this command would write (content, not
 * spelling), and every row against the study's points. */
#ifndef SIM_PARTIAL_H
#define SIM_PARTIAL_H

#include <stdio.h>
#include <stdint.h>

struct study;

/* What partial_read() found. */
struct partial {
	uint64_t rows;		/* complete rows, in order */
	long keep;		/* bytes to keep: through the last complete row */
	char *head;		/* the file's header (allocated) */
};

/* Reads the partial file F (called PATH in messages) of study S: checks
 * that its header is S->head but for the config's spelling (the configs'
 * content must hash alike), that its rows are S's first points (the
 * number of fields, numbers, the varied values of each point, the blank
 * lines between them), and stores their figures in S->collect when set.
 * A last line cut short is left out of P->keep, and so are the blank
 * lines after the last row (the caller writes them again). Returns 0, or
 * -1 after printing why the file cannot be resumed. */
int partial_read(const struct study *s, FILE *f, const char *path, struct partial *p);

/* The header line of a study that records the content of its config:
 * "config hash: X; with --set: Y", hashes of the config as loaded and
 * with the --set overrides of S, written out by cfg_write(). Returns a
 * new string, or NULL after printing an error. */
char *partial_hash_line(const struct study *s);

#endif
