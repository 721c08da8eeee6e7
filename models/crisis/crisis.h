/* crisis.h - the crisis model's internals (docs/models/crisis.md): its
 * parameter slots, counters, instance and workspace. Nothing outside
 * models/crisis/ includes this. */
#ifndef CRISIS_H
#define CRISIS_H

#include <math.h>
#include <stdint.h>

#include "core/cfg.h"
#include "core/dist.h"
#include "models/model.h"

#define CR_MAX_GUARANTORS 8
/* The most schedule entries a config may have. */
#define CR_MAX_SCHEDULE 256
/* The most crises one step may draw (the rate is bounded so that this
 * is beyond 30 standard deviations of any step's count). */
#define CR_MAX_CRISES 400
/* crisis_rate * dt is at most this. */
#define CR_MAX_STEP_RATE 100.0
/* The most elections of one guarantor in one step: an interval is 0 or
 * at least a step over this. */
#define CR_MAX_ELECTIONS_PER_STEP 100

#define INF INFINITY

/* Slots of the challenger and the target. */
enum {
	C_FORCES, C_QUALITY, C_GROWTH, C_MAX, C_STAKE, C_WAR_COST, C_GAMMA,
	C_RATE, C_SHOCK_SD, C_PRESSURE, C_PROBE, C_PRIOR, C_DECAY,
	T_TROOPS, T_CAP, T_SUST, T_DEMOB, T_QUALITY,
	N_BASE
};

/* Slots of one guarantor, from GS(g, 0). */
enum {
	G_FORCES, G_QUALITY, G_INTEREST, G_RESOLVE_SD, G_ICOST, G_ECOST, G_EROSION,
	G_EL_INTERVAL, G_NEXT_EL, G_TURNOVER, G_EL_SHOCK, G_BIPARTISAN, G_DOUBT,
	G_STRENGTH,
	G_VOTE, G_REQUIRED, G_LOCK,		/* ratification */
	G_TRIP_TROOPS, G_AUTOMATICITY, G_TRIP_SCALE,	/* tripwire */
	G_SANCTIONS,				/* sanctions */
	G_ARMS_RATE, G_ARMS_DEP,		/* arms_supply */
	G_MONITOR, G_WARNING,			/* monitoring */
	N_G
};

#define GS(g, f) (N_BASE + (g) * N_G + (f))
#define N_SLOTS (N_BASE + CR_MAX_GUARANTORS * N_G)

/* Mechanisms a guarantee has. */
#define HAS_RAT  0x01u
#define HAS_TRIP 0x02u
#define HAS_SANC 0x04u
#define HAS_ARMS 0x08u
#define HAS_MON  0x10u

/* Counters: fixed ones, then one per guarantor (intervened), then one
 * per step (the attacks of that step), then (past the counters) the
 * steps a trial simulated. */
enum {
	K_DETERRED, K_ATTACKED, K_HONORED, K_PARTIAL, K_ABANDONED, K_WON,
	K_CELL,			/* six: support (every, some, none) x (defended, defeated) */
	K_STEP_SUM = K_CELL + 6, K_STEP_SQ,
	K_INTERVENED
};

/* Events of a traced trial. */
enum { CR_EV_ELECTION, CR_EV_PROBE, CR_EV_CHANGE, CR_EV_ATTACK };

/* One scheduled change: from the first step starting at or after AT,
 * slot SLOT holds VALUE. */
struct cr_change {
	double at, value;
	int slot;
	int entry;	/* its index in the config's schedule */
};

struct crisis {
	long n_steps;
	double dt, tol;
	int estimator, antithetic;
	int ng, learning;
	struct dist p[N_SLOTS];
	unsigned char present[N_SLOTS];
	unsigned mech[CR_MAX_GUARANTORS];
	const char *names[CR_MAX_GUARANTORS + 1];
	/* The slots a trial draws (not fixed), in order, and their config paths. */
	int random[N_SLOTS], n_random;
	char **random_path;
	int has_cap, has_level;
	int nchanges;
	struct cr_change changes[CR_MAX_SCHEDULE];
	/* With every force key fixed, the challenger's chance W[S] against
	 * each coalition at each step, n_steps rows of 2^ng (the same in
	 * every trial); else NULL. */
	double *wtab;
	/* The layout. */
	struct model_layout layout;
	struct model_counter *counters;
	char **counter_names;
};

struct cr_work {
	gsl_rng *r_params, *r_seen, *r_elect, *r_outcome, *r_crises;
	double W[1 << CR_MAX_GUARANTORS], P[1 << CR_MAX_GUARANTORS];
	/* The probes of the current step, for the trace. */
	unsigned char probe[CR_MAX_CRISES * CR_MAX_GUARANTORS];
	int nprobe;
};

/* schema.c */
void *cr_create(struct cfg *c, const struct model_setup *setup, struct diag *d);

/* The settable keys of instance M (model_type's keys hook). */
long cr_keys(const void *m, struct model_key *out, size_t max);
void cr_destroy(void *m);
void cr_template(FILE *f);
/* The key of mechanism I (0 .. 4, in the order of HAS_*) and its flag;
 * NULL past the last. */
const char *cr_mech_key(int i, unsigned *flag);

/* schedule.c: reads the list "schedule" of ROOT, resolving each path
 * against TABLES (challenger, target, guarantor, guarantee, then each
 * mechanism's fields), into M's changes, sorted by time. */
void cr_schedule_read(struct diag *d, config_setting_t *root, struct crisis *m,
		      const struct cfg_field *const *tables);

/* layout.c */
int cr_layout_build(struct crisis *m);
void cr_layout_free(struct crisis *m);

/* trial.c: builds M->wtab when every key the forces depend on is fixed
 * and the table is at most CR_WTAB_MAX doubles. Returns 0, or -1 when
 * out of memory. */
int cr_forces_table(struct crisis *m);
#define CR_WTAB_MAX (1L << 22)

/* trial.c: runs trial I into the record OUT (the trial's contribution
 * to every counter, then its steps), telling SINK when not NULL. */
void cr_trial(const struct crisis *m, struct cr_work *w, uint64_t seed, uint64_t i,
	      double *out, const struct model_trace_sink *sink);

/* The standard normal CDF, from libm's erfc (within 2e-16 relative of
 * GSL's gsl_cdf_ugaussian_P where Phi > 1e-300, and faster). */
static inline double cr_phi(double x)
{
	return 0.5 * erfc(-x * M_SQRT1_2);
}

/* The Tullock contest of effective force E against X at decisiveness
 * GAMMA: 1 / (1 + (X/E)^gamma), 1/2 when both are 0. */
static inline double cr_contest(double E, double X, double gamma)
{
	double r;

	if (E == 0)
		return X == 0 ? 0.5 : 0;
	r = X / E;
	if (isnan(r))
		r = 1;
	if (gamma == 1)
		return 1 / (1 + r);
	if (r == 0)
		return 1;
	return 1 / (1 + exp(gamma * log(r)));
}

#endif
