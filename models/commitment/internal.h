/* internal.h - the commitment model's own types and the functions its
 * files share (prefix cm_); nothing outside models/commitment/ includes
 * it. The model is described in docs/model.md.
 *
 * A trial draws its uncertain parameters, its perception biases and one
 * Exp(1) threshold, then walks the steps: the challenger's hazard of
 * attack accumulates until it passes the threshold (the attack) or the
 * horizon ends (deterred). Passing an Exp(1) threshold with the
 * cumulative hazard is exactly the same law as drawing "attack with
 * probability 1 - exp(-lambda dt)" step by step, and it needs one exp()
 * less per step.
 *
 * Speed: whatever does not depend on the trial is computed once per run.
 * When the force parameters are fixed numbers, the contest probabilities
 * W(S) of every step and coalition are tabulated; when a guarantor's
 * resolve parameters are fixed, its honour probability per step is
 * tabulated, and a trial computes it itself only after an election shock
 * moved that guarantor's resolve. */
#ifndef COMMITMENT_INTERNAL_H
#define COMMITMENT_INTERNAL_H

#include <math.h>
#include <signal.h>
#include <stdint.h>
#include <gsl/gsl_rng.h>

#include "core/cfg.h"
#include "core/dist.h"
#include "core/rng.h"
#include "models/model.h"

/* At most this many guarantors (an outcome keeps one bit each). */
#define CM_MAX_GUARANTORS 12

/* ---------------------------------------------------------------- */
/* Parameters: one slot each in a trial's value vector. */

enum {
	C_FORCES, C_QUALITY, C_GROWTH, C_MAX, C_STAKE, C_WAR_COST, C_GAMMA,
	C_MAX_HAZARD, C_TEMPERATURE,
	T_TROOPS, T_CAP, T_SUST, T_DEMOB, T_QUALITY,
	N_BASE
};

enum {
	G_FORCES, G_QUALITY, G_INTEREST, G_RESOLVE_SD, G_ICOST, G_ECOST,
	G_EROSION, G_EL_INTERVAL, G_NEXT_EL, G_TURNOVER, G_SHOCK,
	G_STRENGTH, G_VOTE, G_TRIP_TROOPS, G_AUTOMATICITY, G_SANCTIONS,
	G_ARMS_RATE, G_ARMS_DEP, G_PBIAS, G_PSD,
	N_G
};

#define N_SLOTS (N_BASE + CM_MAX_GUARANTORS * N_G)
#define GS(g, k) (N_BASE + (g) * N_G + (k))

#define INF INFINITY

/* ---------------------------------------------------------------- */
/* The instance: checked parameters and the run's tables. */

enum { HAS_RAT = 1, HAS_TRIP = 2, HAS_SANC = 4, HAS_ARMS = 8, HAS_MON = 16 };

/* The run's tables and the kernel, built on first use (cm_prepare()):
 * the one part of an instance that changes after it is made, reached
 * through a pointer so that instances stay const. */
/* quad.c: the Gauss-Laguerre rules for E[W] over coalitions. */
#define CM_QUAD_MIN_NG 7
#define CM_QUAD_MAX_NODES 32

struct cm_tables {
	/* The batch kernel runs when every resolve sd is > 0 in every trial
	 * and election times are fixed; else each trial runs through the
	 * reference code. Without the contest table its lanes carry their
	 * own forces (struct lane_forces). */
	int prepared;			/* built */
	int batch;
	const double *phi;		/* the process's table of Phi (cm_shared_phi()) */
	unsigned char *el_count;	/* [ng][n_steps] elections per step */

	/* NULL when a trial must compute its own. */
	double *wtab;			/* [n_steps][2^ng] contest W(S) */
	/* Without wtab, when only the challenger's force parameters are
	 * drawn: log X(S) of the opponents' forces, the same in every trial
	 * (NaN where X(S) is not a normal positive number). */
	double *ltab;			/* [n_steps][2^ng] */
	/* With ltab and gamma a fixed number other than 1: X(S)^gamma, NaN
	 * where |gamma log X(S)| >= 700 or log X(S) is NaN. */
	double *ptab;			/* [n_steps][2^ng] */
	double *htab[CM_MAX_GUARANTORS];	/* [n_steps] honour H_g */
	/* With wtab, gamma = 1 and at least CM_QUAD_MIN_NG guarantors
	 * (quad.c): at each step the nodes used (0: contract the step) and
	 * the rows of the Gauss-Laguerre rule for E[W]. */
	unsigned char *qn;		/* [n_steps] */
	double *qtab;			/* [n_steps][CM_QUAD_MAX_NODES][ng + 1] */
	double qnode[2][CM_QUAD_MAX_NODES], qweight[2][CM_QUAD_MAX_NODES];
};

struct commitment {
	int ng;
	const char *names[CM_MAX_GUARANTORS];
	unsigned mech[CM_MAX_GUARANTORS];
	struct dist p[N_SLOTS];
	unsigned char present[N_SLOTS];
	int random[N_SLOTS];		/* slots drawn per trial, in order */
	int n_random;
	char **random_path;		/* [n_random] the config path of each */
	int has_cap, has_level;

	long n_steps;
	long steps_per_year;
	double dt, tol, horizon;
	int reference;			/* the reference kernel was asked for */
	int estimator;			/* enum model_estimator */
	int antithetic;			/* trials 2i and 2i + 1 reflect each other */
	int any_elections;

	struct cm_tables *tab;
	struct cm_layout *layout;	/* layout.c */
};

/* The per-trial values a step needs. */
struct trial {
	double v[N_SLOTS];
	double C, T, A[CM_MAX_GUARANTORS];
	double gforce[CM_MAX_GUARANTORS];	/* G_g */
	double c_decay, t_decay, level;
	double a_decay[CM_MAX_GUARANTORS], a_inc[CM_MAX_GUARANTORS];
	double shift[CM_MAX_GUARANTORS];	/* resolve moved by elections */
	double bias[CM_MAX_GUARANTORS];	/* perception error b_g */
	double next_el[CM_MAX_GUARANTORS];
	double H[CM_MAX_GUARANTORS];		/* true honour, this step */
	double Hhat[CM_MAX_GUARANTORS];	/* as the challenger sees it */
};

/* Trials advanced together, step by step, by the batch kernel. */
#define LANES 64

/* Per-guarantor values of a lane, each an array [ng][LANES]. */
enum {
	LV_ZA, LV_ZB, LV_ZC,	/* z = za - zb * t + zc */
	LV_AUT,			/* tripwire automaticity, 0 without */
	LV_BIAS, LV_ESC,
	LV_TURNOVER, LV_SHOCK,	/* shock sd in units of z */
	N_LV,
	LV_HH = N_LV,		/* perceived honour: scratch, not moved */
	LV_H			/* true honour (conditional estimator): scratch */
};

/* The counters of the layout: fixed ones, then one per guarantor, then
 * one per step (the curve). With the conditional estimator a trial's
 * record is its contribution to each, in this order (doubles). */
enum {
	K_DETERRED, K_ATTACKED,
	K_HONORED, K_PARTIAL, K_ABANDONED,	/* support given an attack */
	K_WON,
	K_CELL,					/* [support][won]: 6 */
	K_STEP_SUM = K_CELL + 6, K_STEP_SQ,	/* attack steps and their squares */
	K_INTERVENED,				/* [ng], then the curve [n_steps] */
};

/* The lanes of a batch, one array element per trial (structure of
 * arrays, so that the compiler vectorises the step over trials). */
struct lanes {
	int n;				/* lanes still running */
	uint64_t trial[LANES];
	int anti[LANES];		/* the lane's trial is an antithetic twin */
	double cum[LANES];		/* cumulative hazard */
	double thr[LANES];		/* Exp(1) threshold */
	double base[LANES];		/* -war_cost - sanctions */
	double stake[LANES];
	double nit[LANES];		/* -1 / temperature */
	double mhdt[LANES];		/* max_hazard * dt */
	double *gv[N_LV + 2];		/* per guarantor, in one allocation */
	double *buf;			/* [2^(ng-1)][LANES] coalition sums */
	double *buf2;			/* the same, against the true honour */
	double alive[LANES];		/* exp(-cum): survival to the step */
	double *rec[LANES];		/* the lane's record (conditional estimator) */
	/* The conditional estimator's sums per lane, indexed as a record
	 * (K_ATTACKED .. K_STEP_SQ, then K_INTERVENED + g), written into the
	 * records at the end of the batch. */
	double acc[K_INTERVENED + CM_MAX_GUARANTORS][LANES];
	gsl_rng *elect[LANES];
	struct lane_forces *F;		/* NULL when the contest table exists */
};

/* The force state of each lane (lanes_forces.c), for runs whose force
 * parameters are drawn per trial: the per-trial values and exact updates
 * of trial_setup() and advance_forces() (physics.h), one element per
 * lane, and the step's contest rows. */
struct lane_forces {
	double C[LANES], c_decay[LANES], cmax[LANES], cq[LANES];
	double T[LANES], level[LANES], t_decay[LANES], tq[LANES];
	double gamma[LANES];
	double *A, *a_decay, *a_inc, *gforce;	/* [ng][LANES] each */
	double *W;				/* [2^ng][LANES] W(S) of the step */
};

struct work {
	struct trial t;
	double *wrow;		/* [2^ng] */
	double *buf;		/* [2^(ng-1)] */
	gsl_rng *r_params, *r_seen, *r_elect, *r_outcome;
	struct lanes *L;	/* NULL unless the batch kernel runs */
	const volatile sig_atomic_t *stop;	/* of the current trials() call */
	int anti;		/* the reference kernel's trial is an antithetic twin */
};

/* The trial whose streams trial I draws from: its pair's first with
 * antithetic pairs, where the second draws every uniform reflected. */
static inline uint64_t cm_stream_trial(const struct commitment *m, uint64_t i)
{
	return m->antithetic ? i & ~(uint64_t)1 : i;
}

/* Whether trial I is the reflected twin of an antithetic pair. */
static inline int cm_anti(const struct commitment *m, uint64_t i)
{
	return m->antithetic && (i & 1);
}

/* Steps between readings of the stop flag, minus 1 (a power of 2). */
#define STOP_STEPS 255

/* A trial's streams, by purpose: STREAM_PARAMS, STREAM_SEEN,
 * STREAM_ELECTIONS and STREAM_OUTCOME of core/rng.h. */


/* What one trial ended in, for the indicator estimator: the model's record
 * of it. */
struct cm_record {
	int attacked;		/* 0: deterred over the whole horizon */
	long step;		/* step of the attack, when attacked */
	int n_intervened;	/* guarantors that intervened */
	int challenger_won;
	uint32_t intervened;	/* bit g set: guarantor g intervened */
};

/* schema.c: the config, checked into an instance. */
void *cm_create(struct cfg *c, const struct model_setup *setup, struct diag *d);

/* The settable keys of instance M (model_type's keys hook). */
long cm_keys(const void *m, struct model_key *out, size_t max);
void cm_destroy(void *m);
void cm_template(FILE *f);
int cm_fixed_slot(const struct commitment *m, int slot);
void cm_support(const struct commitment *m, int slot, double *lo, double *hi);

/* tables.c: the run's tables and the kernel, built once on first use. */
int cm_prepare(const struct commitment *m, const volatile sig_atomic_t *stop);
void cm_free_tables(struct cm_tables *tab, int ng);

/* quad.c: E[W] over coalitions by quadrature (see struct cm_tables). */
int cm_quad_wanted(int ng);
int cm_quad_alloc(struct cm_tables *tab, int ng, long n_steps);
void cm_quad_free(struct cm_tables *tab);
void cm_quad_fill(struct cm_tables *tab, int ng, long k, double E, double D, const double *G);
double cm_quad_eval(const struct cm_tables *tab, int ng, long k, const double *P);

/* fastmath.c: the process's table of Phi for the batch kernel. */
const double *cm_shared_phi(void);

/* reference.c: one trial, one step at a time, told to SINK when not NULL. */
void cm_reference_trial(const struct commitment *m, struct work *w, uint64_t seed, uint64_t i,
			void *rec, const struct model_trace_sink *sink);

/* batch.c: up to LANES trials at once; FORCES: each lane carries its
 * own force state (no contest table). */
struct lanes *cm_lanes_alloc(int ng, const gsl_rng_type *type, int forces);
void cm_lanes_free(struct lanes *L);
void cm_run_batch(const struct commitment *m, struct work *w, uint64_t seed, uint64_t first,
		  int count, void *rec);

/* lanes_forces.c: the force state of the batch kernel's lanes. */
struct lane_forces *cm_forces_alloc(int ng);
void cm_forces_free(struct lane_forces *F);
void cm_forces_setup(const struct commitment *m, struct lane_forces *F, int j,
		     const struct trial *t);
void cm_forces_move(struct lane_forces *F, int ng, int to, int from);
void cm_forces_rows(const struct commitment *m, struct lane_forces *F, int n, long k);
void cm_forces_advance(const struct commitment *m, struct lane_forces *F, int n);

/* The layout of one instance, with the counters its guarantors and steps
 * need. */
struct cm_layout {
	struct model_layout pub;
	struct model_counter *counters;
	char **names;			/* counter names made here */
};

/* layout.c: what the model counts and reports. */
int cm_layout_build(struct commitment *m);
void cm_layout_free(struct commitment *m);
const struct model_layout *cm_layout_get(const struct commitment *m);
void cm_add(const void *m, const void *rec, struct tally *t);
double cm_contribution(const void *m, const void *rec, size_t i);

/* The layout's columns of a traced step and its events. */
enum { CM_EV_ELECTION, CM_EV_ATTACK };
#define CM_COL_H 3		/* first per-guarantor column: H, Hhat, shift */
#define CM_COLS(ng) (7 + 3 * (ng))

/* story.c: a traced trial in words. */
extern const struct model_story cm_story;

#endif
