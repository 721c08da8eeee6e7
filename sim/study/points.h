/* points.h - running a scenario at many points of its parameter space:
 * the shared machinery of "sim sweep", "sim sample" and "sim
 * sensitivity". A point is the config with some paths set to numbers. */
#ifndef SIM_POINTS_H
#define SIM_POINTS_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/engine.h"
#include "engine/scenario.h"
#include "engine/summary.h"

/* One varied config path and its values. */
struct vary {
	char *path;
	size_t n;
	double *v;
};

/* The most values one --vary takes. */
#define VARY_MAX_VALUES 1000000

/* Parses "PATH=LO:HI:N" (N evenly spaced values from LO to HI, computed
 * without overflow) or "PATH=V1,V2,..." (no empty item) into *OUT; each
 * number is decimal, finite, without spaces. Returns 0, or -1 after
 * printing an error that names OPTION (say "--vary"). OUT owns its
 * memory. */
int vary_parse(const char *arg, const char *option, struct vary *out);

/* Parses "PATH=LO:HI" into OUT as two values. Returns 0 or -1 (printed). */
int range_parse(const char *arg, const char *option, struct vary *out);

/* Frees what V holds. */
void vary_release(struct vary *v);

/* What every point of a study shares. */
struct points_opts {
	const char *config;		/* path, or NULL for the default */
	char *const *sets;		/* --set overrides */
	int nsets;
	const uint64_t *trials;		/* -n, or NULL */
	const uint64_t *seed;		/* -s, or NULL */
	int threads;
	int independent;		/* streams differ between points */
	struct precision prec;
	volatile sig_atomic_t *stop;
	const char *vary_name;		/* "--range" where not "--vary" */
};

/* Loads and checks the scenario of point INDEX: the config, its --set
 * overrides, then PATHS[j] = VALUES[j] for j < NV (reported as
 * "--vary:j+1" in errors, or as O->vary_name says). With independent streams the point's seed is
 * a hash of the seed and INDEX. Returns 0, or -1 after printing errors;
 * C must be released with cfg_release() either way, S with
 * scenario_release() on success. */
int point_open(const struct points_opts *o, size_t nv, char *const *paths,
	       const double *values, uint64_t index, struct cfg *c,
	       struct scenario *s);

/* Checks that the NV PATHS of option OPTION ("--vary" or "--range") name
 * distinct settings of the config of O (with its --set overrides), none
 * inside another, none of them scenario.trials or scenario.seed (which -n
 * and -s override), and that no --set is overridden by them at every
 * point. A guarantor named and the same one indexed are the same setting.
 * Returns 0, or -1 after printing an error. */
int points_check_paths(const struct points_opts *o, size_t nv, char *const *paths,
		       const char *option);

/* Runs the scenario S of a point into T (which it sets up; release it
 * with tally_release()) and FIG. Returns 0, 1 when stopped, or -1 after
 * printing an error. */
int point_run(const struct points_opts *o, const struct scenario *s,
	      struct tally *t, struct figure *fig);

/* Writes the TSV column names of the N figures called KEYS (tab first). */
void points_figure_columns(FILE *f, char *const *keys, size_t n);

/* Writes the figures of a point as TSV fields (tab first): the trials
 * used, then each figure and its interval, NaN where undefined. */
void points_figure_fields(FILE *f, uint64_t trials, const struct figure *fig, size_t n);

/* X as points_figure_fields() writes it and strtod() reads it back. */
double points_as_written(double x);

/* Formats V as a config value that reads back as V. BUF holds 40 bytes. */
char *points_format_value(char *buf, double v);

#endif
