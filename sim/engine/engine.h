/* engine.h - the Monte Carlo engine: runs a scenario's trials on many
 * threads and counts what they ended in. */
#ifndef SIM_ENGINE_H
#define SIM_ENGINE_H

#include <signal.h>
#include <stdint.h>

#include "engine/scenario.h"

/* Support given an attack: every guarantor, some, or none. */
enum { SUPPORT_HONORED, SUPPORT_PARTIAL, SUPPORT_ABANDONED, N_SUPPORT };

/* Counts of a run. Every figure is an integer, so that counts merged from
 * any number of threads are the same, bit for bit. */
struct tally {
	uint64_t trials;
	uint64_t attacked;
	uint64_t support[N_SUPPORT];		/* given an attack */
	uint64_t won;				/* challenger won */
	uint64_t cell[N_SUPPORT][2];		/* support x (held, won) */
	uint64_t step_sum;			/* sum of attack steps */
	unsigned __int128 step_sq;		/* sum of their squares */
	uint64_t trial_steps;			/* steps simulated */
	long n_steps;
	uint64_t *at_step;			/* [n_steps] attacks per step */
	int ng;
	uint64_t intervened[32];		/* per guarantor, given attack */
};

/* Called now and then from one thread with the trials done so far. */
typedef void (*engine_progress_fn)(void *ctx, uint64_t done, uint64_t total);

/* Sets up T for a run of S (allocating its per-step counts). Returns 0 or
 * -1 when out of memory. */
int tally_init(struct tally *t, const struct scenario *s);

/* Adds the counts of FROM to T (same scenario). */
void tally_merge(struct tally *t, const struct tally *from);

/* Frees what T holds. */
void tally_release(struct tally *t);

/* Runs trials FIRST .. FIRST+COUNT-1 of S on THREADS threads (0: OpenMP's
 * default) and adds their counts to T. PROGRESS, when not NULL, is called
 * with CTX now and then. Returns 0, or -1 when out of memory. */
int engine_run(const struct scenario *s, uint64_t first, uint64_t count,
	       int threads, struct tally *t, engine_progress_fn progress, void *ctx);

/* As engine_run(), but stops early once *STOP (when not NULL) is set, say
 * by a signal handler, and then returns 1, leaving T incomplete. */
int engine_run_stop(const struct scenario *s, uint64_t first, uint64_t count,
		    int threads, struct tally *t, engine_progress_fn progress,
		    void *ctx, volatile sig_atomic_t *stop);

/* Paired counts of a scenario against a reference one over the same
 * trials: for each paired figure, the trials where only this scenario had
 * it (b) and where only the reference had it (c). */
enum { PAIR_DETERRED, PAIR_WON, N_PAIRED };
struct pairing {
	uint64_t b[N_PAIRED], c[N_PAIRED];
};

/* Runs trials 0 .. COUNT-1 of each of the M scenarios S[0..M-1] (each
 * with its own seed; give them one seed for common random numbers), on
 * THREADS threads, adding their counts to T[0..M-1] and their pairing
 * with S[0] to P[0..M-1]. Returns as engine_run_stop(). */
int engine_run_paired(const struct scenario *const *s, int m, uint64_t count,
		      int threads, struct tally *t, struct pairing *p,
		      volatile sig_atomic_t *stop);

/* As engine_run_stop(), with the trials split among the processes of an
 * MPI job (each its share of whole blocks, on THREADS threads); every
 * process gets the counts of all. Without MPI, engine_run_stop(). */
int engine_run_spread(const struct scenario *s, uint64_t first, uint64_t count,
		      int threads, struct tally *t, engine_progress_fn progress,
		      void *ctx, volatile sig_atomic_t *stop);

/* Options of engine_run_precise(). */
struct precision {
	double eps;		/* target 95% half-width of p_deterred; 0: off */
	uint64_t max_trials;	/* never more trials than this */
	int spread;		/* split the trials among MPI processes */
};

/* Runs trials 0, 1, ... of S in batches until the 95% Wilson half-width of
 * p_deterred is at most P->eps or P->max_trials have run (with P->eps 0:
 * exactly S->trials). The batches depend only on the counts, so the
 * trials used are the same for a seed on any number of threads. Returns
 * as engine_run_stop(); T->trials tells the trials used. */
int engine_run_precise(const struct scenario *s, const struct precision *p,
		       int threads, struct tally *t, engine_progress_fn progress,
		       void *ctx, volatile sig_atomic_t *stop);

#endif
