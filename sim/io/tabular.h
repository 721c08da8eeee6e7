/* tabular.h - gsim's tables in other formats: every TSV file gsim writes
 * ('#' lines of provenance, one line of column names, rows) written again
 * as CSV (RFC 4180, the '#' lines kept) or JSON, for tools that want them. */
#ifndef SIM_TABULAR_H
#define SIM_TABULAR_H

#include <signal.h>
#include <stdio.h>

enum tabular_format { TABULAR_TSV, TABULAR_CSV, TABULAR_JSON };

/* The format called NAME ("tsv", "csv", "json"), or -1. */
int tabular_format(const char *name);

/* Undoes output_escape() on S in place (\\, \\n, \\t, \\r, \\xHH); returns S. */
char *tabular_unescape(char *s);

/* Reads the TSV table from IN and writes it to OUT as FORMAT (CSV or
 * JSON): CSV keeps the '#' lines, quotes what needs it and drops blank
 * lines; JSON is {"provenance": [the '#' lines], "columns": [...],
 * "data": [[...], ...]}, numbers as numbers, empty or NaN fields as null,
 * other fields as strings. Fields are unescaped as output_escape() wrote
 * them. Memory does not grow with the rows. STOP (may be NULL) is read
 * every 4096 lines. Returns 0; 1 when stopped; -1 on a read or write
 * error (errno set). */
int tabular_write(FILE *in, FILE *out, int format, const volatile sig_atomic_t *stop);

/* Writes the TSV file PATH (ending in ".tsv") again beside it as FORMAT,
 * PATH with ".csv" or ".json" in place of ".tsv", whole or not at all.
 * Returns 0; 1 when stopped by STOP (nothing written); -1 after printing
 * an error. */
int tabular_convert(const char *path, int format, const volatile sig_atomic_t *stop);

#endif
