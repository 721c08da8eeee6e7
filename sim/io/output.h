/* output.h - what a run shows and writes: the table on stdout, the JSON
 * summary, and the data files of an output directory. */
#ifndef SIM_OUTPUT_H
#define SIM_OUTPUT_H

#include <stdio.h>
#include <jansson.h>

#include "core/cfg.h"
#include "engine/engine.h"
#include "engine/summary.h"

#define SIM_VERSION "0.1.0"

/* Everything known of a finished run. */
struct run_info {
	const struct cfg *cfg;		/* as resolved */
	const struct scenario *sc;
	const struct tally *t;
	const struct figure *fig;	/* [summary_count()] */
	int threads;
	double seconds;
};

/* Prints the readable table of R's figures to F. Returns 0 or -1 on a
 * write error. */
int output_table(FILE *f, const struct run_info *r);

/* Returns the summary of R as a new JSON object with exactly the spec's
 * keys; the caller owns it. */
json_t *output_json(const struct run_info *r);

/* Dumps J to F the way every JSON file of ours is written. Returns 0 or
 * -1 on a write error. */
int output_dump_json(FILE *f, const json_t *j);

/* Writes S to F with a backslash before each backslash and every control
 * character written as an escape (\n, \t, \r, or \xHH), so that text
 * from users stays on its line and in its field of a TSV file; '#' is
 * written \x23 and '"' \x22, since readers told that '#' starts a
 * comment (pandas' comment='#', R's comment.char) would cut the line
 * there, and their default quoting would join fields at a '"'. A byte
 * that is not part of valid UTF-8 is written \xHH too, so that every
 * file gsim writes is valid UTF-8 (readers decode it as such). */
void output_escape(FILE *f, const char *s);

/* The length of the valid UTF-8 sequence of 2 to 4 bytes at S (no
 * overlong form, no surrogate, at most U+10FFFF), or 0. */
int output_utf8(const char *s);

/* Prints X[0] with its interval [X[1], X[2]], each by the printf
 * format FMT (one double), as one cell padded to WIDTH after a space. */
void output_triple(FILE *f, const double *x, const char *fmt, int width);

/* Returns S escaped as output_escape() writes it, in a new string the
 * caller frees (NULL when out of memory). */
char *output_escaped(const char *s);

/* Writes the "#" lines of provenance common to every data file: program,
 * libraries and run (provenance_write()), model, config C's name and
 * content hash, scenario, seed, TRIALS (as text), rng, steps, estimator. */
void output_header(FILE *f, const struct cfg *c, const struct scenario *sc,
		   const char *trials);

/* Writes the "#" provenance lines that start every data file of a run,
 * ending with a line saying WHAT the file holds. */
void output_provenance(FILE *f, const struct run_info *r, const char *what);

/* Writes a line "# axis: KEY<TAB>WORDS<TAB>UNIT" for each figure of L, the
 * words charts put on an axis ("0–1" for probabilities, "years"). */
void output_axes(FILE *f, const struct model_layout *L);

/* Writes summary.json, survival.tsv, outcomes.tsv and config.cfg into DIR
 * (created as needed), all or none, after removing the temporaries a
 * killed run left there (DIR or its parent must be locked: atomic_lock()).
 * Returns 0, or -1 after printing an error. */
int output_dir(const char *dir, const struct run_info *r);

#endif
