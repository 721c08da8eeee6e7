/* scenario.h - the engine-level settings of a run (the "scenario" section
 * and the "model" key) and the resolved config they came from. */
#ifndef SIM_SCENARIO_H
#define SIM_SCENARIO_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "core/cfg.h"
#include "models/model.h"

struct scenario {
	const char *name;		/* owned by the config */
	const char *description;	/* may be NULL */
	const char *start;		/* "YYYY-MM" the horizon starts, or NULL */
	double start_year;		/* its year and month as a year (2026.0 for 2026-01) */
	double horizon;			/* years */
	long steps_per_year;
	long n_steps;			/* round(horizon * steps_per_year), half up */
	double dt;			/* 1 / steps_per_year */
	uint64_t trials;
	uint64_t seed;
	const gsl_rng_type *rng;
	int estimator;			/* enum model_estimator */
	int antithetic;			/* trials in reflected pairs */
	const struct model_type *model;
	void *instance;			/* the model's checked parameters */
	const struct model_layout *layout;	/* what it counts and reports */
	size_t counters;		/* the layout's counters */
	unsigned char *frac;		/* [counters] their fraction bits */
};

/* Upper bounds the engine enforces. */
#define SCENARIO_MAX_STEPS 10000000L
#define SCENARIO_MAX_TRIALS 1000000000000LL

/* Checks config C and builds S: the scenario section, the model named by
 * "model" and the model's own sections. Missing keys with defaults are
 * written into C, so that cfg_write() gives the resolved config. TRIALS
 * and SEED, when not NULL, override the config's values (and are written
 * into it). Returns 0, or -1 after printing every error found. */
int scenario_load(struct scenario *s, struct cfg *c, const uint64_t *trials,
		  const uint64_t *seed);

/* Loads the config at PATH (the embedded default when NULL) into C and
 * applies the NSETS "--set PATH=VALUE" overrides SETS, reporting their
 * errors to D (whose cfg is C) and going on after one, so that every one
 * is reported. Returns -1 when the config cannot be loaded (after
 * printing why), else 0, with D->errors counting the overrides that
 * failed. C must be released with cfg_release() either way. */
int scenario_read_config(struct cfg *c, const char *path, char *const *sets, int nsets,
			 struct diag *d);

/* Loads the config at PATH (the embedded default when NULL) into C,
 * applies the NSETS "--set PATH=VALUE" overrides SETS, and checks it into
 * S as scenario_load() does. Returns 0, or -1 after printing every error;
 * C must be released with cfg_release() either way. */
int scenario_open(struct scenario *s, struct cfg *c, const char *path,
		  char *const *sets, int nsets, const uint64_t *trials,
		  const uint64_t *seed);

/* Writes the "scenario" section and the "model" key (MODEL) of a fully
 * commented starter config called NAME to F. */
void scenario_template(FILE *f, const char *name, const char *model);

/* Returns, in a new string, the starter config of model M called NAME:
 * the "scenario" section and the model's sections, every key commented
 * (what 'sim init' writes). NULL when out of memory. */
char *scenario_starter(const model_type *m, const char *name);

/* Loads M's starter config into C and S, as scenario_load() does (for
 * listing a model's figures, and for tests). Returns 0, or -1 after
 * printing an error; C must be released with cfg_release() either way. */
int scenario_example(struct scenario *s, struct cfg *c, const model_type *m);

/* The name of S's estimator: "conditional" or "indicator". */
const char *scenario_estimator_name(const struct scenario *s);

/* Frees the model instance of S. */
void scenario_release(struct scenario *s);

/* Returns the time in years at which step K starts. */
static inline double scenario_time(const struct scenario *s, long k)
{
	return (double)k / (double)s->steps_per_year;
}

#endif
