/* model.h - deterrence models, pluggable in the manner of gsl_rng_type:
 * one struct of function pointers per model, one exported pointer each,
 * and a NULL-terminated registry looked up by the config's "model".
 *
 * A model declares what it counts and what it reports (struct
 * model_layout): its counters, how each figure is formed from them, the
 * per-actor breakdowns, the outcome categories, the per-step curve, the
 * columns and events of a traced trial and the config sections a report
 * shows. Nothing outside the model's folder knows its fields: the engine
 * sums counters, and summaries, tables, JSON, TSV columns, comparisons,
 * reports, traces and charts iterate the declarations. */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_rng.h>

#include "core/cfg.h"
#include "core/tally.h"

/* How a trial contributes to the figures. */
enum model_estimator {
	/* Each trial contributes what its conditional expectations given its
	 * environment (parameters, perception errors, election shocks) are:
	 * the chance it is deterred, of each outcome, the expected time of
	 * attack (conditional Monte Carlo). The default. */
	MODEL_CONDITIONAL,
	/* Each trial contributes indicators of what happened in it. */
	MODEL_INDICATOR
};

/* The time grid of a run and the options a model is created with. */
struct model_setup {
	double horizon;		/* years */
	long steps_per_year;
	long n_steps;
	double dt;		/* years per step */
	int reference;		/* run the plain reference kernel, where a model has others */
	int estimator;		/* enum model_estimator */
	int antithetic;		/* trials 2i and 2i + 1 draw reflected uniforms */
};

/* A counter: a sum over trials (see core/tally.h). */
struct model_counter {
	const char *name;	/* "attacked" */
	unsigned char frac;	/* 0: whole counts; else fraction bits of real values */
	double max;		/* the largest contribution one trial can make */
};

/* How a figure is formed from the counters of a tally of N trials. */
enum model_figure_kind {
	MODEL_SHARE,		/* NUM / N, a probability over all trials */
	MODEL_SHARE_GIVEN,	/* NUM / DEN, a probability given an event */
	MODEL_MEAN_GIVEN	/* NUM / DEN, a mean given an event; SQ sums squares */
};

/* Flags of a figure. */
#define MODEL_FIG_JSON	0x01u	/* one of summary.json's keys */
#define MODEL_FIG_YEARS	0x02u	/* counted in steps, shown in years */
#define MODEL_FIG_PAIR	0x04u	/* compare pairs it trial by trial (a MODEL_SHARE) */
#define MODEL_FIG_CI	0x08u	/* summary.json also carries KEY_ci */

struct model_figure {
	const char *key;	/* "p_deterred": JSON, TSV columns */
	const char *label;	/* a few words for tables */
	const char *meaning;	/* a sentence for 'sim models' and reports */
	const char *axis;	/* the words on a chart's axis, without the unit */
	int kind;
	size_t num, den, sq;	/* counter indices, as KIND uses them */
	unsigned flags;
};

/* Per-actor figures, one per actor: the figure of actor A is formed as
 * FIG with NUM + A in place of NUM (counters of consecutive actors). */
struct model_breakdown {
	const char *title;	/* "guarantor intervenes | attack" */
	const char *column;	/* "intervened | attack", for report tables */
	const char *intro;	/* the sentence before a report's table */
	struct model_figure fig;
};

/* A category of the outcomes chart: every trial is in exactly one, and
 * COUNTER counts (or sums the probability of) it. */
struct model_outcome {
	const char *key;	/* "honored_defended": outcomes.tsv, chart labels */
	const char *label;	/* words for the chart's legend */
	size_t counter;
	int group;		/* categories of one group share a colour, 0 .. 7 */
	int hatched;		/* drawn hatched (the worse of a group) */
};

/* A column of a traced step: one value, or one per actor (NAME_1,
 * NAME_2, ...; consecutive per-actor columns form a block repeated for
 * each actor). DIGITS is the %g precision of its TSV field. */
struct model_column {
	const char *name;
	const char *meaning;
	int digits;
	int per_actor;
};

/* A field of a traced event. */
enum model_field_type {
	MODEL_FIELD_ACTOR,	/* an actor index, written as its name */
	MODEL_FIELD_INT,
	MODEL_FIELD_REAL,	/* written %.6g */
	MODEL_FIELD_ACTORS,	/* a bit set over the actors, written "1,0,1" */
	MODEL_FIELD_CHOICE	/* an index into CHOICES */
};

struct model_field {
	const char *name;
	int type;
	const char *const *choices;	/* MODEL_FIELD_CHOICE */
};

struct model_event {
	const char *name;	/* "election" */
	const char *meaning;
	size_t nfields;
	const struct model_field *fields;
};

/* A config section a report shows: a group as "key | value" rows, or a
 * list of groups (actors) as one column each. */
struct model_section {
	const char *key;	/* "challenger" */
	const char *title;	/* "Challenger" */
	int list;
};

/* What an instance counts and reports. Arrays are owned by the instance
 * (or static); indices refer to COUNTERS. */
struct model_layout {
	size_t record_size;		/* bytes of one trial's record */
	int record_values;		/* the record is the trial's contribution to
					 * each counter, NCOUNTERS doubles (the engine
					 * then reads it without contribution()) */
	size_t ncounters;
	const struct model_counter *counters;

	size_t nfigures;
	const struct model_figure *figures;

	const char *actor;		/* "guarantor", or NULL: the model has no actors */
	int nactors;
	const char *const *actor_names;	/* [nactors] */
	size_t nbreakdowns;
	const struct model_breakdown *breakdowns;

	size_t noutcomes;
	const struct model_outcome *outcomes;
	const char *outcomes_note;	/* what the categories mean, for outcomes.tsv */
	const char *outcomes_caption;	/* a sentence under the outcomes chart */

	/* The survival curve: counters CURVE .. CURVE + n_steps - 1 count the
	 * trials whose event (the attack) falls in each step. */
	size_t curve;
	const char *curve_caption;

	size_t ncolumns;
	const struct model_column *columns;
	size_t nevents;
	const struct model_event *events;

	size_t nsections;
	const struct model_section *sections;

	/* The uncertain keys a trial draws (those the config gives a
	 * distribution), by config path ("challenger.war_cost"), in the order
	 * draws() writes their values. */
	size_t nparams;
	const char *const *params;
};

/* One step of a traced trial: VALUES as the layout's columns say (a
 * per-actor block once per actor, in place). */
struct model_trace_step {
	long k;
	double t;
	const double *values;
};

/* Something that happened in a traced trial: event KIND of the layout,
 * its fields' VALUES. */
struct model_trace_event {
	size_t kind;
	long k;
	double t;
	const double *values;
};

/* Where a traced trial reports; CTX goes to both callbacks. */
struct model_trace_sink {
	void *ctx;
	void (*step)(void *ctx, const struct model_trace_step *s);
	void (*event)(void *ctx, const struct model_trace_event *e);
};

/* A traced trial told in words, for the classroom ('sim trace'); a model
 * without one gets the layout's columns as a table. F is where the text
 * goes; EVERY is the steps between lines; STATE is the story's own. */
struct model_story {
	void *(*begin)(const void *m, FILE *f, long every);
	void (*step)(void *state, const struct model_trace_step *s);
	void (*event)(void *state, const struct model_trace_event *e);
	void (*end)(void *state, const void *record);
};

/* A numeric key an instance can be set at with "--set PATH=VALUE" (a
 * control of 'sim serve'): its config path, the schema's range and help,
 * and the instance's value (the mean where the config gives a
 * distribution, DRAWN then set). */
struct model_key {
	char *path;		/* "guarantors.[US].guarantee.strength", the caller frees it */
	double lo, hi;		/* the range the checker accepts */
	unsigned flags;		/* CFG_LO_OPEN, CFG_HI_OPEN, ... of core/cfg.h */
	double value;
	int drawn;
	const char *help;	/* the schema's words */
};

typedef struct model_type {
	const char *name;
	const char *description;	/* one line, for "sim models" */

	/* Top-level config sections the model reads, NULL-terminated. */
	const char *const *sections;

	/* Checks the model's sections of C for a run on the grid SETUP,
	 * writing defaults into C; returns an instance, or NULL after
	 * reporting every error to D. The instance may point into C's
	 * strings. */
	void *(*create)(struct cfg *c, const struct model_setup *setup, struct diag *d);

	/* Frees an instance. */
	void (*destroy)(void *m);

	/* What an instance counts and reports (lives as long as it). */
	const struct model_layout *(*layout)(const void *m);

	/* Allocates the workspace one thread needs to run trials, with
	 * generators of type T (building the run's tables on first use);
	 * NULL when out of memory, or when STOP (if not NULL) was set while
	 * the tables were being built. */
	void *(*work_alloc)(const void *m, const gsl_rng_type *t, const volatile sig_atomic_t *stop);
	void (*work_free)(void *w);

	/* Writes the model's sections of a fully commented starter config
	 * to F, every key with its meaning, range and default. */
	void (*template)(FILE *f);

	/* Runs trials FIRST .. FIRST+COUNT-1 of a run with SEED, using
	 * workspace W, into the records REC[0 .. COUNT-1]. Each record is a
	 * pure function of (m, seed, trial index): safe on many threads at
	 * once, and the same however trials are grouped into calls. STOP,
	 * when not NULL, is read every few hundred steps; once it is set the
	 * call may return early, leaving REC undefined. */
	void (*trials)(const void *m, void *w, uint64_t seed, uint64_t first, uint64_t count,
		       void *rec, const volatile sig_atomic_t *stop);

	/* Adds the contributions of the trial recorded in REC to T (whose
	 * layout is the instance's), and the steps it simulated to T->steps
	 * (the engine counts T->trials). */
	void (*add)(const void *m, const void *rec, struct tally *t);

	/* The contribution of REC to counter I (for paired comparisons). */
	double (*contribution)(const void *m, const void *rec, size_t i);

	/* Runs trial I of a run with SEED as trials() would, reporting every
	 * step and event to SINK, into the record REC. */
	void (*trace)(const void *m, void *w, uint64_t seed, uint64_t i,
		      const struct model_trace_sink *sink, void *rec);

	/* The trace in words, or NULL. */
	const struct model_story *story;

	/* Writes the values trial I of a run with SEED draws for the layout's
	 * params into OUT[0 .. nparams - 1], as trials() draws them, using
	 * workspace W. NULL when the layout has no params. */
	void (*draws)(const void *m, void *w, uint64_t seed, uint64_t i, double *out);

	/* Whether records A and B tell the same outcome (a trace against a
	 * run; conditional contributions within rounding); NULL: compare
	 * their bytes. */
	int (*same)(const void *m, const void *a, const void *b);

	/* Writes the settable numeric keys of instance M (those its config
	 * gives or defaults) into OUT[0 .. MAX - 1], in schema order, with
	 * paths in new strings; returns how many there are (more than MAX:
	 * only MAX written), or -1 when out of memory (nothing to free). */
	long (*keys)(const void *m, struct model_key *out, size_t max);
} model_type;

/* Every registered model, NULL-terminated. */
extern const model_type *const model_types[];

/* Returns the model called NAME, or NULL. */
const model_type *model_lookup(const char *name);

/* The number of registered models. */
int model_count(void);

#endif
