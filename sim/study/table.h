/* table.h - reading a table gsim wrote (sample.tsv, sweep.tsv, a trials
 * table): its column names, its rows as numbers, and which columns are
 * the study's inputs, for analyses that run on finished studies. */
#ifndef SIM_TABLE_H
#define SIM_TABLE_H

#include <stddef.h>
#include <stdio.h>

/* The most columns and rows a table may hold, and the longest line. */
#define TABLE_MAX_COLUMNS 4096
#define TABLE_MAX_ROWS 10000000
#define TABLE_MAX_LINE (1 << 20)

struct table {
	size_t ncol, nrow;
	char **name;		/* the columns' names */
	double *v;		/* nrow x ncol, row-major; NaN where not a number */
	size_t ninput;
	size_t *input;		/* the input columns, in order */
};

/* Reads the table at PATH into T: the column names from the last '#' line
 * before the first row (or from a first line that is not numbers), the
 * inputs from its "# range: PATH = ..." or "# vary: PATH" lines (else every
 * column before "trials"), blank lines skipped. Reports each error as
 * "PATH:LINE: error: what" to ERR. Returns 0, or -1 after an error (T is
 * then empty). */
int table_read(const char *path, struct table *t, FILE *err);

/* The index of the column called NAME, or -1. */
long table_column(const struct table *t, const char *name);

/* Frees what T holds. */
void table_free(struct table *t);

#endif
