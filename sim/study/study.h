/* study.h - running a scenario at a list of points and writing a TSV row
 * per point as each finishes: the loop shared by sweep, sample and
 * sensitivity, with progress, SIGINT/SIGTERM and --resume. */
#ifndef SIM_STUDY_H
#define SIM_STUDY_H

#include "study/points.h"

struct study {
	struct points_opts po;
	size_t nvar;
	char **paths;			/* [nvar] the paths set at each point */
	uint64_t total;			/* points */

	/* The values of point P into X[nvar]. */
	void (*values)(const void *ctx, uint64_t p, double *x);
	/* Blank lines to write after the row of point P (may be NULL). */
	int (*blank)(const void *ctx, uint64_t p);
	const void *ctx;

	const char *dir;		/* output directory, or NULL: stdout */
	const char *file;		/* file name in DIR, e.g. "sweep.tsv" */
	const char *head;		/* the file's "#" header, columns last */
	const char *cmd;		/* "sweep", for messages */
	int resume, quiet, progress;
	int discard;			/* without DIR, write no rows at all */
	int defer_commit;		/* leave DIR/FILE.partial for study_commit() */

	/* The figures of a point (those of point 0's layout): how many, and
	 * their keys (set by study_header(); freed by study_release()). */
	size_t nfig;
	char **keys;

	/* When not NULL, receives the figures of every point, [total][nfig]
	 * (NaN where undefined), as the rows give them (10 digits): those run
	 * now and, on --resume, those read back from the partial file. */
	double *collect;

	/* On --resume, the partial file's header (the caller frees it): what
	 * derived files should repeat, as an uninterrupted run would. */
	char *resumed_head;
};

/* Frees what study_header() set in S. */
void study_release(struct study *s);

/* Runs the points of S from the first one not yet in DIR/FILE.partial
 * (with S->resume) or from the first, writing a row per point, and
 * renames the partial file into place at the end. Returns the exit code:
 * 0, 1 on a runtime failure, 2 on a config error, 128 + the signal's
 * number when interrupted (the finished rows stay in the partial file). */
int study_run(struct study *s);

/* Renames the finished DIR/FILE.partial of S (run with S->defer_commit,
 * after the files derived from it are written) to DIR/FILE. Returns 0, or
 * STATUS_FAILED after printing an error. */
int study_commit(const struct study *s);

/* Checks every value of every varied path at points 0 .. N-1 of S (all
 * of them, each point on its own), returning 0 or -1 after printing the
 * errors (and releasing *C0 and *S0); leaves point 0's config and
 * scenario in *C0 and *S0 on success. */
int study_check(const struct study *s, uint64_t n, struct cfg *c0, struct scenario *s0);

/* Writes into a new string the header of a study's TSV: the provenance of
 * point 0 (C0, S0), TRIALS text, streams, --set lines, the hashes of the
 * config's content (partial_hash_line(), for --resume), then EXTRA lines
 * (each without "# "), then the column line: the paths, trials and the
 * figures. */
char *study_header(struct study *s, const struct cfg *c0, const struct scenario *s0,
		   const char *const *extra, size_t nextra);

/* Ranges PATH=LO:HI of sample and sensitivity. */
#define STUDY_MAX_RANGES 40
/* How a range's unit interval maps to its values. */
enum { RANGE_UNIFORM, RANGE_NORMAL, RANGE_LOGNORMAL, RANGE_TRIANGULAR };

struct study_ranges {
	struct vary r[STUDY_MAX_RANGES + 1];	/* ends with a zeroed entry */
	char *paths[STUDY_MAX_RANGES];
	/* The ends: LO and HI for a uniform range, the 0.1% and 99.9%
	 * quantiles of a distribution (to which it is truncated). */
	double lo[STUDY_MAX_RANGES], hi[STUDY_MAX_RANGES];
	int dist[STUDY_MAX_RANGES];		/* RANGE_UNIFORM ... */
	double par[STUDY_MAX_RANGES][3];	/* the distribution's parameters */
	size_t n, max;
};

/* The share of each tail a distribution range leaves out. */
#define RANGE_TAIL 0.001

/* Parses SPEC, the part of a --range after '=' that names a distribution
 * (uniform:LO:HI, normal:MEAN:SD, lognormal:MU:SIGMA or
 * triangular:MIN:MODE:MAX), into range J of R (its dist, par, lo and hi).
 * Returns 1 when SPEC names no distribution (it is LO:HI), 0 when parsed,
 * or -1 after printing an error that quotes ARG. */
int study_range_dist(struct study_ranges *r, size_t j, const char *spec, const char *arg);

/* Maps the N points of X (R->n coordinates each, in [0, 1]) to the ranges'
 * values: a uniform range linearly onto [LO, HI], a distribution through
 * its quantile function at RANGE_TAIL + (1 - 2 RANGE_TAIL) u. */
void study_ranges_scale(const struct study_ranges *r, double *x, size_t n);

/* Checks both ends of every range of R (the others at their low end),
 * sets S's paths to R's, and leaves the config and scenario of the low
 * corner in *C0 and *S0. Returns 0 or -1 after printing the errors (with
 * nothing left to release). */
int study_check_ranges(struct study *s, const struct study_ranges *r, struct cfg *c0,
		       struct scenario *s0);

/* Frees what R holds. */
void study_ranges_release(struct study_ranges *r);

/* Appends to EXTRA (at *N) a header line "range: PATH = LO:HI" for each
 * range of R; the caller frees them. */
void study_range_lines(const struct study_ranges *r, char **extra, size_t *n);

/* Writes S's header (study_header() with the NEXTRA lines EXTRA), releases
 * C0 and S0, frees EXTRA's lines, runs S and releases what the header set
 * in it. Returns as study_run(). */
int study_start(struct study *s, struct cfg *c0, struct scenario *s0, char **extra,
		size_t nextra);

/* Returns a new string made as printf would. */
char *study_line(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
