/* engine.h - the Monte Carlo engine: runs a scenario's trials on many
 * threads (and MPI processes) and sums what the model counts. */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <signal.h>
#include <stdint.h>

#include "core/tally.h"
#include "engine/scenario.h"

/* Called now and then from one thread with the trials done so far. */
typedef void (*engine_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* Adaptive precision: add trials until figure FIG (an index of the
 * layout's figures, a MODEL_SHARE) has a 95% half-width of at most EPS. */
struct precision {
	double eps;		/* 0: off, run exactly the trials asked for */
	uint64_t max_trials;	/* never more trials than this */
	const char *fig;	/* the figure's key; NULL: p_deterred */
};

/* The index among L's figures of the figure P holds to its precision
 * (P->fig, or p_deterred, or else the first), or -1 when L has no figure
 * called P->fig. */
int engine_precision_figure(const struct precision *p, const struct model_layout *L);

/* What to run. M scenarios run together on the same trials (common
 * random numbers, their seeds permitting); each gets its own tally, and
 * with M > 1 the figures flagged MODEL_FIG_PAIR of scenarios 1 .. M - 1
 * are paired with scenario 0's trial by trial. */
struct engine_run {
	const struct scenario *const *s;	/* [m] */
	int m;
	uint64_t first, count;	/* trials FIRST .. FIRST + COUNT - 1 */
	struct precision prec;	/* with eps > 0, COUNT is ignored: trials 0, 1, ... */
	int threads;		/* 0: OpenMP's default */
	int spread;		/* split the trials among MPI processes (m = 1) */
	volatile sig_atomic_t *stop;	/* read between units of work; NULL: none */
	engine_progress_fn progress;
	void *ctx;
};

/* Paired sums of a scenario against scenario 0 over the same trials: for
 * the J-th figure both layouts flag MODEL_FIG_PAIR under one key (FIG[J]
 * its index in the scenario's layout, FIG0[J] in scenario 0's), the sum
 * over independent units (trials, or antithetic pairs) of the difference
 * D of the unit's sums of its counter's contributions (counter 3J of T),
 * of D^2 (3J + 1), and of D over the units of a single trial among
 * antithetic pairs (3J + 2). Scenarios of different models pair the
 * figures they share by key. */
struct pairing {
	size_t n;		/* paired figures */
	size_t *fig;		/* [n] */
	size_t *fig0;		/* [n] */
	unsigned char *frac;	/* [3n] */
	struct tally t;
};

/* Sets up T for scenario S: one counter per counter of its layout.
 * Returns 0 or -1 when out of memory. */
int engine_tally(struct tally *t, const struct scenario *s);

/* Runs R, adding the sums of scenario k to T[k] (set up with
 * engine_tally()) and, when P is not NULL and R->m > 1, its pairing with
 * scenario 0 to P[k] (set up with pairing_init()). Returns 0; 1 when
 * stopped by R->stop (T is then incomplete); -1 when out of memory. */
int engine_run(const struct engine_run *r, struct tally *t, struct pairing *p);

/* Sets up P for the figures scenario S pairs with scenario S0 (those
 * both flag MODEL_FIG_PAIR under one key). Returns 0 or -1. */
int pairing_init(struct pairing *p, const struct scenario *s, const struct scenario *s0);

/* Frees what P holds. */
void pairing_release(struct pairing *p);

#endif
