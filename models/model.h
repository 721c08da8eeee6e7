/* model.h - deterrence models, pluggable in the manner of gsl_rng_type:
 * one struct of function pointers per model, one exported pointer each,
 * and a NULL-terminated registry looked up by the config's "model". */
#ifndef SIM_MODEL_H
#define SIM_MODEL_H

#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <gsl/gsl_rng.h>

#include "core/cfg.h"
#include "engine/scenario.h"

/* At most this many guarantors (the outcome keeps one bit each). */
#define MODEL_MAX_GUARANTORS 12

/* What one trial ended in. */
struct outcome {
	int attacked;		/* 0: deterred over the whole horizon */
	long step;		/* step of the attack, when attacked */
	int n_intervened;	/* guarantors that intervened */
	int challenger_won;
	uint32_t intervened;	/* bit g set: guarantor g intervened */
};

/* One step of a traced trial, as the challenger and the guarantors stand
 * at its start. */
struct trace_step {
	long k;
	double t;			/* years */
	double challenger;		/* challenger's forces C */
	double troops;			/* target's troops T */
	double arms;			/* arms stock A, all guarantors */
	double H[MODEL_MAX_GUARANTORS];	/* true honour probabilities */
	double Hhat[MODEL_MAX_GUARANTORS];	/* as the challenger sees them */
	double shift[MODEL_MAX_GUARANTORS];	/* resolve moved by elections */
	double eu;			/* challenger's expected utility of war */
	double hazard;			/* attacks per year */
	double cum, threshold;		/* cumulative hazard and its threshold */
};

enum { TRACE_ELECTION, TRACE_ATTACK };

/* Something that happened in a traced trial. */
struct trace_event {
	int kind;
	long k;				/* in step k (elections: at its end) */
	double t;
	int g;				/* election: the guarantor */
	int turnover;			/* election: did it move resolve? */
	double shock;			/* election: by how much */
	uint32_t intervened;		/* attack: who intervened */
	double win_prob;		/* attack: challenger's chance against them */
	int challenger_won;
};

/* Where a traced trial reports; CTX goes to both callbacks. */
struct trace_sink {
	void *ctx;
	void (*step)(void *ctx, const struct trace_step *s);
	void (*event)(void *ctx, const struct trace_event *e);
};

typedef struct model_type {
	const char *name;
	const char *description;	/* one line, for "sim models" */

	/* Top-level config sections the model reads, NULL-terminated. */
	const char *const *sections;

	/* Checks the model's sections of C against the scenario SC, writing
	 * defaults into C; returns an instance, or NULL after reporting
	 * every error to D. The instance may point into C's strings. */
	void *(*create)(struct cfg *c, const struct scenario *sc, struct diag *d);

	/* Frees an instance. */
	void (*destroy)(void *m);

	/* Number of guarantors and the name of guarantor G. */
	int (*n_guarantors)(const void *m);
	const char *(*guarantor_name)(const void *m, int g);

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
	 * workspace W, into OUT[0 .. COUNT-1]. Each outcome is a pure function
	 * of (m, seed, trial index): safe on many threads at once, and the
	 * same however trials are grouped into calls. STOP, when not NULL, is
	 * read every few thousand steps; once it is set the call may return
	 * early, leaving OUT undefined. */
	void (*trials)(const void *m, void *w, uint64_t seed, uint64_t first,
		       uint64_t count, struct outcome *out, const volatile sig_atomic_t *stop);

	/* Runs trial I of a run with SEED as trials() would, reporting every
	 * step and event to SINK, into *OUT. */
	void (*trace)(const void *m, void *w, uint64_t seed, uint64_t i,
		      const struct trace_sink *sink, struct outcome *out);
} model_type;

/* The registered models: the type objects, and one pointer each. */
extern const model_type model_commitment_type;
extern const model_type *const model_commitment;

/* Every registered model, NULL-terminated. */
extern const model_type *const model_types[];

/* Returns the model called NAME, or NULL. */
const model_type *model_lookup(const char *name);

#endif
